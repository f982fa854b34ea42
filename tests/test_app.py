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
    monkeypatch.setattr(ui, "launch", lambda services, **kw: titles.extend(s.title for s in services.drafts.list()) or 0)
    monkeypatch.setattr(app, "_ask_restore_backup", lambda exc: False)
    assert app.main([]) == 4 and titles == []
    assert paths.database.read_bytes() == b"not a database" * 1000  # untouched when the writer says no
    monkeypatch.setattr(app, "_ask_restore_backup", lambda exc: True)
    assert app.main([]) == 0 and titles == ["Keep me"]
    kept = list(paths.root.glob("studio.sqlite3.damaged-*"))
    assert [p.read_bytes() for p in kept if not p.name.endswith(("-wal", "-shm"))] == [b"not a database" * 1000]
