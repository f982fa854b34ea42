"""Starting the window: one per data folder, and a damaged database offered its newest backup."""

from __future__ import annotations

import pytest

from studio import app, ui
from studio.paths import resolve_paths
from studio.services import Services
from studio.services.recovery import acquire_instance_lock


@pytest.fixture
def dialogs(monkeypatch):
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(ui, "show_startup_error", lambda title, message, details="": shown.append((title, message)))
    return shown


def test_second_window_on_the_same_folder_is_told_and_refused(studio_home, dialogs, monkeypatch, capsys):
    launched = []
    monkeypatch.setattr(ui, "launch", lambda services, **kw: launched.append(services) or 0)
    lock = acquire_instance_lock(resolve_paths().ensure())
    try:
        assert app.main([]) == 4
    finally:
        lock.release()
    assert launched == []
    assert dialogs and "already open" in dialogs[0][1]
    assert "already open" in capsys.readouterr().err
    assert app.main([]) == 0 and len(launched) == 1  # once the other window is gone, it opens


def test_damaged_database_opens_the_newest_backup_when_the_writer_agrees(studio_home, dialogs, monkeypatch):
    paths = resolve_paths().ensure()
    sv = Services.open(paths)
    sv.drafts.create("Keep me", "prose", body="every word")
    sv.close()
    Services.open(paths).close()  # a second start keeps a backup
    paths.database.write_bytes(b"not a database" * 1000)
    titles = []
    monkeypatch.setattr(ui, "launch",
                        lambda services, **kw: titles.extend(s.title for s in services.drafts.list()) or 0)
    monkeypatch.setattr(app, "_ask_restore_backup", lambda exc: False)
    assert app.main([]) == 4 and titles == []
    assert paths.database.read_bytes() == b"not a database" * 1000  # untouched when the writer says no
    monkeypatch.setattr(app, "_ask_restore_backup", lambda exc: True)
    assert app.main([]) == 0 and titles == ["Keep me"]
    kept = list(paths.root.glob("studio.sqlite3.damaged-*"))
    assert [p.read_bytes() for p in kept if not p.name.endswith(("-wal", "-shm"))] == [b"not a database" * 1000]


# ------------------------------------------------------------------------------- folders Studio cannot use


@pytest.fixture
def box():
    from tests.as_writer import Sandbox

    sb = Sandbox()
    try:
        yield sb
    finally:
        sb.close()


def _writer_data_folder(box) -> object:
    home = box.root / "home"
    sv = Services.open(resolve_paths(home))
    sv.drafts.create("Keep me", "prose", body="every word")
    sv.close()
    return home


@pytest.mark.parametrize("mode", [0o000, 0o555], ids=["unreadable", "unwritable"])
def test_window_on_a_data_folder_it_cannot_use_says_so_in_a_dialog(box, mode):
    """The real permission check (as ``nobody`` when root): one dialog with the same words as the terminal line,
    no window, exit 4, no traceback."""
    from tests.as_writer import dialogs, dialogs_prelude, one_readable_line

    home = _writer_data_folder(box)
    env = box.env(STUDIO_HOME=str(home), STUDIO_MODEL_CACHE=str(box.folder("cache")))
    box.lock(home, mode)
    r = box.run([], env=env, prelude=dialogs_prelude())
    assert r.returncode == 4, r.stderr
    line = one_readable_line(r.stderr, home)
    shown = dialogs(r.stdout)
    assert len(shown) == 1, r.stdout
    _title, message = shown[0]
    assert line == f"studio: error: {message}"
    assert str(home) in message and "Traceback" not in message
    assert "LAUNCHED" not in r.stdout


def test_window_with_an_unwritable_log_folder_opens_and_says_where_the_log_goes(box):
    from tests.as_writer import dialogs, dialogs_prelude, one_readable_line

    home = _writer_data_folder(box)
    env = box.env(STUDIO_HOME=str(home), STUDIO_MODEL_CACHE=str(box.folder("cache")))
    box.lock(home / "logs", 0o555)
    r = box.run([], env=env, prelude=dialogs_prelude())
    assert r.returncode == 0, r.stderr
    assert "LAUNCHED" in r.stdout and dialogs(r.stdout) == []
    line = one_readable_line(r.stderr, home / "logs", kind="warning")
    assert ".log" in line.replace(str(home / "logs"), ""), line
