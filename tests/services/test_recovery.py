from __future__ import annotations

import sqlite3

import pytest

from studio.domain import DatabaseCorruptError, DatabaseLockedError
from studio.services import Services
from studio.services.recovery import acquire_instance_lock, restore_newest_backup


def test_second_instance_is_refused(paths):
    lock = acquire_instance_lock(paths)
    try:
        with pytest.raises(DatabaseLockedError, match="already open"):
            acquire_instance_lock(paths)
    finally:
        lock.release()
    acquire_instance_lock(paths).release()


def test_damaged_database_is_kept_and_backup_opened(paths):
    sv = Services.open(paths)
    sv.drafts.create("Keep me", "prose", body="every word")
    sv.close()
    sv = Services.open(paths)  # the second start backs the first database up
    sv.close()
    damaged = b"garbage" * 5000
    paths.database.write_bytes(damaged)
    with pytest.raises(DatabaseCorruptError) as info:
        Services.open(paths)
    err = info.value
    assert err.backups, "a backup should be offered"
    kept = restore_newest_backup(paths, err)
    assert kept.read_bytes() == damaged  # renamed, never overwritten
    sv = Services.open(paths)
    try:
        assert [s.title for s in sv.drafts.list()] == ["Keep me"]
    finally:
        sv.close()
    assert sqlite3.connect(paths.database).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
