"""Damaged, foreign, too-new and read-only databases: a readable StorageError, and the file left untouched."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.domain import DatabaseCorruptError, StorageError
from studio.paths import Paths
from studio.storage import Store
from tests.unprivileged import call_unprivileged


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def populated(paths: Paths, resources: Path) -> Paths:
    """A real database with enough drafts to span many pages, and two backups of it."""
    for _ in range(3):  # the first open creates the file; the next two back it up
        store = Store.open(paths, resources=resources)
        with store.unit_of_work() as uow:
            for i in range(40):
                uow.drafts.create(f"Draft {i}", "prose", body=("word " * 400) + str(i))
        store.close()
    assert len(list(paths.backups.iterdir())) == 2
    return paths


def assert_refused_untouched(paths: Paths, resources: Path, *, expect: str) -> DatabaseCorruptError:
    db = paths.database
    before = sha256(db)
    backups_before = sorted(p.name for p in paths.backups.iterdir())
    with pytest.raises(DatabaseCorruptError) as info:
        Store.open(paths, resources=resources)
    err = info.value
    assert sha256(db) == before, "the damaged file was modified"
    assert sorted(p.name for p in paths.backups.iterdir()) == backups_before, "no backup of a damaged file"
    assert str(db) in str(err) and err.path == str(db)
    assert expect in str(err)
    assert err.backups and all(b in str(err) for b in err.backups)
    assert all(Path(b).is_file() for b in err.backups)
    return err


def test_not_sqlite_at_all(populated: Paths, resources: Path) -> None:
    populated.database.write_bytes(b"This is my novel, saved here by mistake.\n" * 200)
    assert_refused_untouched(populated, resources, expect="not an SQLite database")


def test_truncated_file(populated: Paths, resources: Path) -> None:
    data = populated.database.read_bytes()
    assert len(data) > 16 * 4096
    populated.database.write_bytes(data[: len(data) // 3])
    assert_refused_untouched(populated, resources, expect="damaged")


def test_header_only(populated: Paths, resources: Path) -> None:
    populated.database.write_bytes(populated.database.read_bytes()[:60])
    assert_refused_untouched(populated, resources, expect="not an SQLite database")


def test_random_pages_overwritten(populated: Paths, resources: Path) -> None:
    db = populated.database
    page = 4096
    data = bytearray(db.read_bytes())
    rng = random.Random(1234)
    pages = len(data) // page
    for n in rng.sample(range(1, pages), k=max(3, pages // 4)):  # never page 0: keep the header valid
        data[n * page : (n + 1) * page] = rng.randbytes(page)
    db.write_bytes(bytes(data))
    assert_refused_untouched(populated, resources, expect="damaged")


def test_made_by_a_newer_studio(populated: Paths, resources: Path) -> None:
    conn = sqlite3.connect(populated.database)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    err = assert_refused_untouched(populated, resources, expect="newer Studio")
    assert "9999_from_the_future" in str(err)


def test_an_sqlite_file_studio_did_not_make(paths: Paths, resources: Path) -> None:
    conn = sqlite3.connect(paths.database)
    with conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.execute("INSERT INTO recipes VALUES ('soup')")
    conn.close()
    before = sha256(paths.database)
    with pytest.raises(DatabaseCorruptError, match="not one Studio made"):
        Store.open(paths, resources=resources)
    assert sha256(paths.database) == before


def test_no_backups_says_so(paths: Paths, resources: Path) -> None:
    paths.database.write_bytes(b"garbage" * 100)
    with pytest.raises(DatabaseCorruptError) as info:
        Store.open(paths, resources=resources)
    assert info.value.backups == [] and "no backups" in str(info.value)


@pytest.fixture
def read_only_database(paths: Paths, resources: Path) -> Iterator[Path]:
    store = Store.open(paths, resources=resources)
    with store.unit_of_work() as uow:
        uow.drafts.create("Existing", "prose", body="some text")
    store.close()
    db = paths.database
    db.chmod(0o444)  # root ignores this mode: the test opens the store through call_unprivileged
    try:
        yield db
    finally:
        db.chmod(0o644)


def _read_then_write(paths: Paths, resources: Path) -> list[str]:
    """Runs where the mode bits bite (as root: in a child without the privilege to ignore them)."""
    store = Store.open(paths, resources=resources)
    try:
        with store.unit_of_work() as uow:
            titles = [d.title for d in uow.drafts.list()]
        assert titles == ["Existing"]  # reading still works
        with store.unit_of_work() as uow:
            uow.drafts.create("New", "prose")
    finally:
        store.close()
    return titles


def test_read_only_database_gives_storage_error(read_only_database: Path, paths: Paths, resources: Path) -> None:
    before = sha256(read_only_database)
    with pytest.raises(StorageError) as info:
        call_unprivileged(_read_then_write, paths, resources)
    err = info.value
    assert not isinstance(err, DatabaseCorruptError)
    assert "read-only" in str(err) and str(read_only_database) in str(err)
    assert sha256(read_only_database) == before
