"""``studio --server URL`` (and $STUDIO_SERVER, $STUDIO_API_KEY) opens the window connected to that server: run
through ``app.main`` as the ``studio`` command runs it (arguments, data folder, instance lock, services, the real
window and its event loop, offscreen), on a REAL llama-server on 127.0.0.1 and the real local model.

The server named on the command line is this run's, not the writer's choice: it is not saved (Connect does that)
and not reconnected at the next start. When it cannot be reached the status bar says so in one line and the local
model loads meanwhile; no message box, no traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from studio import app
from studio.domain import Action
from tests.engine.remote_server import LlamaServer, free_port, llama_server, llama_server_exe  # noqa: F401
from tests.keychain import tmp_file_keyring

MODEL_S = 240.0
KEY = "sk-window-cli-7f3a"


@pytest.fixture(autouse=True)
def file_keyring(tmp_path: Path) -> Iterator[object]:
    """A real keyring backend under tmp_path, so a key that went there would be seen (never the developer's)."""
    with tmp_file_keyring(tmp_path) as backend:
        yield backend


def run_window(qtbot: Any, argv: list[str], watch: Callable[[Any], dict[str, Any] | None],
               timeout_s: float = MODEL_S) -> tuple[int, dict[str, Any]]:
    """``app.main(argv)`` with the real window; ``watch(window)`` is called every 100 ms inside its event loop
    until it returns what it saw, then the window is closed the way a writer closes it (which ends the loop).

    The loop is a QEventLoop of its own standing in for the application's ``exec``, which a process runs once:
    after a real QApplication.exec() had run and been quit here, every later test's window in the same process
    (the whole suite) loaded its model but never heard back from its engine thread (seen in the full suite)."""
    from PySide6.QtCore import QEventLoop

    from studio.ui.main_window import MainWindow

    loop = QEventLoop()
    seen: dict[str, Any] = {}
    timer = QTimer()
    timer.setInterval(100)
    waited = [0.0]

    def poll() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows:
            return
        waited[0] += 0.1
        got = watch(windows[0])
        if got is None and waited[0] < timeout_s:
            return
        seen.update(got or {"timed_out": True})
        timer.stop()
        windows[0].close()
        loop.quit()

    timer.timeout.connect(poll)
    timer.start()
    exec_ = QApplication.exec
    QApplication.exec = lambda self: loop.exec()  # type: ignore[method-assign,assignment]
    try:
        code = app.main(argv)
    finally:
        QApplication.exec = exec_  # type: ignore[method-assign]
        timer.stop()
    return code, seen


def ready(win: Any) -> bool:
    return win.model_info is not None and win.status.model_state.value == "ready"


def test_studio_server_url_opens_the_window_on_the_server_and_writes_there_without_saving_it(
        qtbot: Any, dialogs: Any, llama_server: LlamaServer, paths: Any) -> None:  # noqa: F811
    from studio.services import Services

    svc = Services.open(paths)
    svc.drafts.create("Harbour", "prose", body="The harbour was quiet that morning. Old Tom mended his nets")
    svc.close()
    port = llama_server.url.rsplit(":", 1)[1]
    state: dict[str, Any] = {}

    def watch(win: Any) -> dict[str, Any] | None:
        if "label" not in state:
            if not (ready(win) and win.model.server is not None):
                return None
            state.update(label=win.status.model_label.text(), remote=win.status.remote_label.isVisible(),
                         server=win.model.server, saved=win.services.servers.saved(),
                         local_enabled=win.menu_actions.act_local_model.isEnabled())
            win.assistant.max_tokens.setValue(8)
            state["started"] = win.generation.start(Action.CONTINUE)  # written on the server
            return None
        run = win.generation.run
        if run is None or run.streaming:
            return None
        fin = run.finished.get(0)
        return {**state, "text": run.text(), "model": fin.stats.model if fin else None}

    code, seen = run_window(qtbot, ["--server", llama_server.url], watch)
    assert code == 0 and "timed_out" not in seen, seen
    assert seen["label"].startswith(f"Server 127.0.0.1:{port} - ") and seen["label"].endswith(": ready"), seen
    assert seen["remote"] and seen["local_enabled"], "text leaves the computer; the local model is one choice away"
    assert seen["server"].url == llama_server.url and seen["server"].verify is True
    assert seen["started"] and seen["text"].strip() and seen["model"].endswith(".gguf"), seen
    assert seen["saved"] is None, "the command line's server is not the writer's saved server"
    svc = Services.open(paths)
    try:
        assert svc.servers.saved() is None
    finally:
        svc.close()
    assert dialogs.shown == []


def test_studio_server_from_the_environment_with_its_key_and_an_unreachable_one_falls_back_to_local(
        qtbot: Any, dialogs: Any, llama_server_exe: Path, default_model_path: Path, paths: Any,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    keyed = LlamaServer(llama_server_exe, default_model_path, slots=1, n_ctx=2048, extra=("--api-key", KEY),
                        log=tmp_path / "keyed.log")
    try:
        monkeypatch.setenv("STUDIO_SERVER", keyed.url)
        monkeypatch.setenv("STUDIO_API_KEY", KEY)

        def on_server(win: Any) -> dict[str, Any] | None:
            if not (ready(win) and win.model.server is not None):
                return None
            return {"server": win.model.server, "label": win.status.model_label.text()}

        code, seen = run_window(qtbot, [], on_server)
        assert code == 0 and "timed_out" not in seen, seen
        assert seen["server"].url == keyed.url and seen["server"].api_key == KEY
        assert seen["label"].startswith("Server 127.0.0.1:"), seen
    finally:
        keyed.stop()
    assert not [p for p in paths.root.rglob("*") if p.is_file() and KEY.encode() in p.read_bytes()], \
        "the key from the environment is in no file of the data folder (database, settings, log)"

    # Unreachable: one line in the status bar, and the local model meanwhile.
    monkeypatch.delenv("STUDIO_API_KEY")
    gone = f"http://127.0.0.1:{free_port()}"

    def on_local(win: Any) -> dict[str, Any] | None:
        if not (ready(win) and win.model.server is None and win.status.currentMessage()):
            return None
        return {"message": win.status.currentMessage(), "model": Path(str(win.model_info.path)).name,
                "remote": win.status.remote_label.isVisible()}

    code, seen = run_window(qtbot, ["--server", gone], on_local)
    assert code == 0 and "timed_out" not in seen, seen
    line = seen["message"]
    assert "\n" not in line and gone in line and "refused the connection" in line, line
    assert "uses the local model" in line and "Traceback" not in line and "Error" not in line, line
    assert seen["model"] == default_model_path.name and not seen["remote"], seen
    assert dialogs.shown == [], "no message box: the status bar said it"
