"""Model -> Connect to a server... in the real window (offscreen Qt widgets), on a REAL llama-server on 127.0.0.1
(tests/engine/remote_server.py: built from the pinned llama.cpp, the default model) and the real local model, with
a real keyring backend (keyrings.alt's file backend under tmp_path, set with keyring.set_keyring).

What a writer does: open the dialog, type the address, Test (latency, context size, what the server supports),
Connect, Continue streaming into the editor from the server, Stop, accept, the draft saved; the status bar names
the server and says that text leaves the computer; back to the local model in one choice. Failures (a refused
port, a wrong key, a server that dies mid-stream, a saved server gone at start-up) are one readable line and keep
the engine in use and the draft. The key goes to the keychain, never to a file of the data folder or the log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from studio.domain import StopReason
from studio.services.servers import KEYRING_SERVICE
from tests.engine.remote_server import LlamaServer, free_port, llama_server, llama_server_exe  # noqa: F401
from tests.keychain import TmpFileKeyring, tmp_file_keyring

CTRL = Qt.KeyboardModifier.ControlModifier
LEFT = Qt.MouseButton.LeftButton
MODEL_MS = 240_000
RUN_MS = 120_000
KEY = "sk-studio-test-5d41402abc4b2a76"
STORY = "The harbour was quiet that morning. Old Tom mended his nets and watched the gulls"


@pytest.fixture(autouse=True)
def file_keyring(tmp_path: Path) -> Iterator[TmpFileKeyring]:
    """A real keyring backend writing one file under tmp_path (never the developer's own keychain)."""
    with tmp_file_keyring(tmp_path) as backend:
        yield backend


@pytest.fixture(scope="module")
def keyed_server(llama_server_exe: Path, default_model_path: Path,  # noqa: F811
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    server = LlamaServer(llama_server_exe, default_model_path, slots=1, n_ctx=4096, extra=("--api-key", KEY),
                         log=tmp_path_factory.mktemp("keyed-server") / "log")
    yield server
    server.stop()


def real_window(make_window: Any, services: Any, model: Path) -> Any:
    return make_window(runner_factory=services.new_window_runner, model=str(model), wait_model=False)


def wait_ready(qtbot: Any, win: Any) -> None:
    qtbot.waitUntil(lambda: win.model_info is not None and win.status.model_state.value == "ready", timeout=MODEL_MS)


def finished(win: Any) -> bool:
    run = win.generation.run
    return run is not None and not run.streaming


def connect(qtbot: Any, win: Any, url: str, key: str = "") -> Any:
    dlg = win.model.open_connect()
    dlg.url.setText(url)
    dlg.api_key.setText(key)
    qtbot.mouseClick(dlg.connect_button, LEFT)
    return dlg


def one_line(text: str, url: str) -> None:
    assert text and "\n" not in text and url in text, text
    assert "Traceback" not in text and "Error:" not in text and KEY not in text, text


def data_files_holding(folder: Path, secret: str) -> list[Path]:
    data = secret.encode("utf-8")
    return [p for p in folder.rglob("*") if p.is_file() and data in p.read_bytes()]


def test_connect_continue_stop_accept_on_a_real_llama_server_then_back_to_the_local_model(
        make_window: Any, services: Any, qtbot: Any, dialogs: Any, default_model_path: Path,
        llama_server: LlamaServer) -> None:  # noqa: F811
    draft = services.drafts.create("Harbour", "prose", body=STORY)
    win = real_window(make_window, services, default_model_path)
    wait_ready(qtbot, win)
    local_label = win.status.model_label.text()
    assert not win.menu_actions.act_local_model.isEnabled()  # the local model is in use already
    assert not win.status.remote_label.isVisible()

    win.menu_actions.act_connect_server.trigger()
    dlg = win.model.connect_dialog.current
    assert dlg is not None and dlg.isVisible()
    assert "stay on this computer" in dlg.privacy.text() and "goes to the server" in dlg.privacy.text()
    assert dlg.verify.isChecked(), "TLS is checked unless the writer turns it off"
    assert dlg.api_key.echoMode() == dlg.api_key.EchoMode.Password
    qtbot.keyClicks(dlg.url, llama_server.url)
    qtbot.waitUntil(lambda: dlg.model.count() == 1, timeout=30_000)  # listed from /v1/models after typing
    assert dlg.model.itemText(0).endswith(".gguf")
    qtbot.mouseClick(dlg.test_button, LEFT)
    qtbot.waitUntil(lambda: dlg.last_check is not None, timeout=60_000)
    check = dlg.last_check
    assert check.ok and check.latency_ms > 0 and check.n_ctx == 8192, check
    shown = dlg.result_line.text()
    assert " ms" in shown and "context 8,192 tokens" in shown and check.supports in shown, shown
    assert dlg.keychain is not None and dlg.keychain.usable and "keychain" in dlg.keychain_label.text()

    qtbot.mouseClick(dlg.connect_button, LEFT)
    qtbot.waitUntil(lambda: win.model.server is not None and win.model.connect_dialog.current is None, timeout=60_000)
    wait_ready(qtbot, win)
    port = llama_server.url.rsplit(":", 1)[1]
    label = win.status.model_label.text()
    assert label.startswith(f"Server 127.0.0.1:{port} - ") and label.endswith(": ready"), label
    assert win.status.remote_label.isVisible() and "leaves this computer" in win.status.remote_label.text()
    assert win.menu_actions.act_local_model.isEnabled()
    qtbot.waitUntil(lambda: services.servers.saved() is not None and services.servers.saved().in_use,
                    timeout=10_000)

    # Continue streams from the server into the editor; Escape stops it; nothing comes after Stop.
    ed = win.editor
    win.assistant.max_tokens.setValue(300)
    ed.setFocus()
    ed.moveCursor(QTextCursor.MoveOperation.End)
    before = ed.plain_text()
    qtbot.keyClick(ed, Qt.Key.Key_Return, CTRL)
    run = win.generation.run
    assert run is not None
    qtbot.waitUntil(lambda: len(run.text().strip()) >= 3, timeout=RUN_MS)
    assert ed.plain_text() == before  # a proposal, not yet text
    qtbot.keyClick(ed, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: finished(win), timeout=10_000)
    at_stop = run.text()
    fin = run.finished.get(0)
    assert fin is not None and fin.stats.stop_reason == StopReason.CANCELLED and fin.stats.generated_tokens < 300
    qtbot.waitUntil(lambda: not any(s.get("is_processing") for s in llama_server.slots()), timeout=5000)
    qtbot.wait(300)  # anything still queued from the server would land now
    assert run.text() == at_stop, "no more text after Stop"
    assert "Server 127.0.0.1" in win.status.model_label.text()

    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    assert win.generation.run is None
    assert ed.plain_text() == before + at_stop
    assert win.save_now()
    assert services.drafts.get(draft.id).body == before + at_stop

    # Back to the local model in one choice.
    win.menu_actions.act_local_model.trigger()
    qtbot.waitUntil(lambda: win.model.server is None, timeout=MODEL_MS)
    wait_ready(qtbot, win)
    assert win.status.model_label.text() == local_label
    assert not win.status.remote_label.isVisible()
    assert not win.menu_actions.act_local_model.isEnabled()
    assert services.servers.saved().in_use is False  # the next start stays local
    assert dialogs.shown == []


def test_a_refused_port_and_a_wrong_key_are_one_line_in_the_dialog_and_keep_the_local_model(
        make_window: Any, services: Any, qtbot: Any, dialogs: Any, default_model_path: Path,
        keyed_server: LlamaServer) -> None:
    win = real_window(make_window, services, default_model_path)
    wait_ready(qtbot, win)
    local = win.model_info
    refused = f"http://127.0.0.1:{free_port()}"
    for url, key, words in ((refused, "", "refused the connection"),
                            (keyed_server.url, "", "refused the API key (HTTP 401)"),
                            (keyed_server.url, "sk-wrong", "refused the API key (HTTP 401)")):
        dlg = connect(qtbot, win, url, key)
        qtbot.waitUntil(lambda d=dlg: d.connect_button.isEnabled(), timeout=30_000)
        shown = dlg.result_line.text()
        one_line(shown, url)
        assert words in shown, shown
        assert dlg.isVisible(), "the dialog stays open to fix the address or the key"
        assert win.model.server is None and win.model_info == local, "the local model is still the one in use"
        wait_ready(qtbot, win)
        qtbot.mouseClick(dlg.test_button, LEFT)  # Test says the same, off the UI thread
        qtbot.waitUntil(lambda d=dlg: d.last_check is not None and d.test_button.isEnabled(), timeout=30_000)
        assert not dlg.last_check.ok and words in dlg.result_line.text()
        dlg.reject()
        qtbot.waitUntil(lambda: win.model.connect_dialog.current is None, timeout=5000)
    assert dialogs.shown == [], "no message box, no traceback: the dialog said it"
    assert services.servers.saved() is None, "a server that never answered is not remembered"


def test_the_key_goes_to_the_keychain_not_the_data_folder_and_the_server_survives_a_restart(
        make_window: Any, services: Any, qtbot: Any, dialogs: Any, default_model_path: Path, paths: Any,
        keyed_server: LlamaServer, file_keyring: TmpFileKeyring, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    win = real_window(make_window, services, default_model_path)
    wait_ready(qtbot, win)
    connect(qtbot, win, keyed_server.url, KEY)
    qtbot.waitUntil(lambda: win.model.server is not None, timeout=60_000)
    qtbot.waitUntil(lambda: keyring.get_password(KEYRING_SERVICE, keyed_server.url) == KEY, timeout=10_000)
    assert win.model.connect_dialog.current is None  # closed once connected
    assert Path(file_keyring.file_path).is_file()
    assert services.servers.saved().url == keyed_server.url and services.servers.saved().verify is True
    win.shutdown()

    # The next start reconnects to the server in the background, with the key from the keychain.
    again = make_window(runner_factory=services.new_window_runner, wait_model=False)
    assert again.status.model_label.text().startswith("Server 127.0.0.1")  # connecting: the window is up already
    qtbot.waitUntil(lambda: again.model.server is not None, timeout=60_000)
    wait_ready(qtbot, again)
    assert again.model.server.url == keyed_server.url and again.model.server.api_key == KEY
    assert again.status.remote_label.isVisible()
    dlg = again.model.open_connect()  # the dialog shows the saved server, its key filled from the keychain
    assert dlg.url.text() == keyed_server.url
    qtbot.waitUntil(lambda: dlg.api_key.text() == KEY, timeout=10_000)
    dlg.reject()
    again.shutdown()
    services.close()

    assert data_files_holding(paths.root, KEY) == [], "the key is in no file of the data folder (database, logs)"
    assert KEY not in caplog.text, "the key is never logged"
    assert dialogs.shown == []


def test_a_server_that_dies_mid_stream_keeps_the_text_and_at_the_next_start_the_local_model_takes_over(
        make_window: Any, services: Any, qtbot: Any, dialogs: Any, default_model_path: Path,
        llama_server_exe: Path, tmp_path: Path) -> None:  # noqa: F811
    draft = services.drafts.create("Harbour", "prose", body=STORY)
    server = LlamaServer(llama_server_exe, default_model_path, slots=1, n_ctx=4096, log=tmp_path / "server.log")
    try:
        win = real_window(make_window, services, default_model_path)
        wait_ready(qtbot, win)
        connect(qtbot, win, server.url)
        qtbot.waitUntil(lambda: win.model.server is not None, timeout=60_000)
        wait_ready(qtbot, win)
        ed = win.editor
        win.assistant.max_tokens.setValue(400)
        ed.setFocus()
        ed.moveCursor(QTextCursor.MoveOperation.End)
        qtbot.keyClick(ed, Qt.Key.Key_Return, CTRL)
        run = win.generation.run
        qtbot.waitUntil(lambda: len(run.text().strip()) >= 3, timeout=RUN_MS)
        server.kill()
        qtbot.waitUntil(lambda: finished(win), timeout=30_000)
        assert run.text().strip(), "the text streamed so far stays a proposal"
        assert run.failure is not None
        one_line(run.failure.message, server.url)
        assert ed.plain_text() == STORY and services.drafts.get(draft.id).body == STORY  # the draft keeps all
        assert win.model.server is not None  # still the engine in use: the writer decides what comes next
        win.shutdown()
    finally:
        server.stop()

    # The saved server is gone at the next start: one line says so and the local model loads instead.
    again = make_window(runner_factory=services.new_window_runner, wait_model=False)
    wait_ready(qtbot, again)
    assert again.model.server is None and not again.status.remote_label.isVisible()
    assert Path(str(again.model_info.path)).name == default_model_path.name
    shown = again.status.currentMessage()
    one_line(shown, server.url)
    assert "uses the local model" in shown, shown
    assert services.servers.saved().in_use, "it is tried again at the next start until the writer picks local"
    assert dialogs.shown == []


def test_without_a_keychain_the_dialog_says_so_and_the_key_lasts_this_session_only(
        make_window: Any, services: Any, qtbot: Any, dialogs: Any, default_model_path: Path, paths: Any,
        keyed_server: LlamaServer) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())  # a headless Linux without Secret Service
    win = real_window(make_window, services, default_model_path)
    wait_ready(qtbot, win)
    dlg = win.model.open_connect()
    qtbot.waitUntil(lambda: dlg.keychain is not None, timeout=10_000)
    assert not dlg.keychain.usable
    assert "No keychain" in dlg.keychain_label.text() and "this session only" in dlg.keychain_label.text()
    connect(qtbot, win, keyed_server.url, KEY)
    qtbot.waitUntil(lambda: win.model.server is not None, timeout=60_000)
    qtbot.waitUntil(lambda: "kept until Studio closes" in win.status.currentMessage(), timeout=10_000)
    assert services.servers.api_key(keyed_server.url) == KEY  # for the rest of this session
    assert data_files_holding(paths.root, KEY) == []
    assert dialogs.shown == []
