"""Migrations: from empty, a linear chain, models == migrations, upgrades keep data; backups around them."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Index

from studio.domain import StorageError
from studio.paths import Paths
from studio.storage import Store, migrate
from studio.storage.db import create_engine
from studio.storage.errors import list_backups
from studio.storage.orm import Base

EXPECTED_TABLES = {"alembic_version", "drafts", "revisions", "presets", "styles", "generations", "settings"}


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        with conn:
            return conn.execute(sql).fetchall()
    finally:
        conn.close()


def tables(db: Path) -> set[str]:
    return {r[0] for r in query(db, "SELECT name FROM sqlite_master WHERE type='table'")}


def revision_of(db: Path) -> str:
    return str(query(db, "SELECT version_num FROM alembic_version")[0][0])


def upgrade_to(db: Path, revision: str) -> None:
    engine = create_engine(db, foreign_keys=False)
    try:
        with engine.begin() as conn:
            command.upgrade(migrate.alembic_config(connection=conn), revision)
    finally:
        engine.dispose()


def test_upgrade_from_empty_creates_every_table(tmp_path: Path) -> None:
    db = tmp_path / "studio.sqlite3"
    result = migrate.upgrade(db, tmp_path / "backups")
    assert result.from_revision is None and result.to_revision == migrate.head_revision()
    assert result.backup is None  # nothing to back up yet
    assert EXPECTED_TABLES <= tables(db)
    assert revision_of(db) == migrate.head_revision()
    assert list_backups(tmp_path / "backups") == []


def test_upgrade_of_a_zero_byte_file_creates_the_schema(tmp_path: Path) -> None:
    db = tmp_path / "studio.sqlite3"
    db.write_bytes(b"")
    migrate.upgrade(db, tmp_path / "backups")
    assert EXPECTED_TABLES <= tables(db)


def test_revisions_form_one_linear_chain() -> None:
    script = migrate.script_directory()
    heads = script.get_heads()
    assert len(heads) == 1, f"several heads: {heads}"
    revs = list(script.walk_revisions())  # head first
    assert len(revs) >= 2
    assert revs[-1].down_revision is None
    for newer, older in itertools.pairwise(revs):
        assert newer.down_revision == older.revision, f"{newer.revision} does not follow {older.revision}"
    assert [r.revision for r in reversed(revs)] == sorted(r.revision for r in revs)  # numbered in order


def test_models_match_migrations(tmp_path: Path) -> None:
    db = tmp_path / "studio.sqlite3"
    migrate.upgrade(db, tmp_path / "backups")
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(ctx, Base.metadata) == []

            # The comparison is not vacuous: a model the migrations lack shows up.
            extra = Index("ix_drafts_title_probe", Base.metadata.tables["drafts"].c.title)
            try:
                diff = compare_metadata(ctx, Base.metadata)
            finally:
                Base.metadata.tables["drafts"].indexes.discard(extra)
            assert any(d[0] == "add_index" for d in diff)
    finally:
        engine.dispose()


def test_upgrade_from_the_first_revision_keeps_data(tmp_path: Path) -> None:
    db = tmp_path / "studio.sqlite3"
    upgrade_to(db, "0001")
    assert "generations" not in tables(db)
    query(
        db,
        "INSERT INTO drafts (title, form, body, notes, word_count, version, created_at, updated_at) "
        "VALUES ('Old', 'prose', 'kept text', '', 2, 1, '2024-01-01 00:00:00', '2024-01-01 00:00:00')",
    )

    result = migrate.upgrade(db, tmp_path / "backups")
    assert result.from_revision == "0001" and result.migrated
    assert result.backup is not None and revision_of(result.backup) == "0001"  # the copy is pre-upgrade
    assert "generations" in tables(db)
    assert query(db, "SELECT title, body FROM drafts") == [("Old", "kept text")]


def test_a_failing_migration_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "studio.sqlite3"
    upgrade_to(db, "0001")
    # Sabotage 0002 half way: its generations table gets made, then its index on drafts clashes with this one.
    query(db, "CREATE INDEX ix_drafts_updated_at ON drafts (updated_at)")
    with pytest.raises(StorageError):
        migrate.upgrade(db, tmp_path / "backups")
    assert revision_of(db) == "0001"
    assert "generations" not in tables(db)  # rolled back with the rest: DDL ran inside one transaction


def test_each_open_backs_up_and_keeps_the_newest(paths: Paths, resources: Path) -> None:
    Store.open(paths, resources=resources).close()  # creates the file: nothing to back up before
    assert list_backups(paths.backups) == []
    made = []
    for i in range(4):
        store = Store.open(paths, keep_backups=2, resources=resources)
        with store.unit_of_work() as uow:
            uow.settings.set("opened", i)
        made.append(store.backups()[0])
        store.close()
    kept = list_backups(paths.backups)
    assert kept == made[:-3:-1]  # the two newest, newest first
    # Backups are real, consistent SQLite copies of the state before that start.
    assert query(kept[0], "PRAGMA integrity_check") == [("ok",)]
    assert query(kept[0], "SELECT value FROM settings WHERE key='opened'") == [("2",)]


def test_backup_names_never_collide_and_foreign_files_survive_pruning(tmp_path: Path) -> None:
    db = tmp_path / "studio.sqlite3"
    backups = tmp_path / "backups"
    migrate.upgrade(db, backups)
    backups.mkdir(exist_ok=True)
    mine = backups / "my-own-copy.sqlite3"
    mine.write_bytes(b"keep me")
    made = [migrate.backup_database(db, backups) for _ in range(3)]  # same second: -2, -3 suffixes
    assert len({p.name for p in made}) == 3
    assert list_backups(backups) == made[::-1]  # a later copy always sorts newer
    migrate.prune_backups(backups, keep=2)
    kept = list_backups(backups)
    assert kept == made[:0:-1]
    assert mine.read_bytes() == b"keep me"
    assert not list(backups.glob("*.part"))


def test_a_start_that_changed_nothing_makes_no_new_backup(paths: Paths, resources: Path) -> None:
    Store.open(paths, resources=resources).close()
    first = Store.open(paths, resources=resources)
    first.close()
    assert len(first.backups()) == 1
    for _ in range(3):  # read-only runs (a CLI "list"): the one backup stays, nothing older is pushed out
        s = Store.open(paths, resources=resources)
        with s.unit_of_work() as uow:
            uow.drafts.list()
        s.close()
    assert first.backups() == list_backups(paths.backups) and len(first.backups()) == 1
    s = Store.open(paths, resources=resources)
    with s.unit_of_work() as uow:
        uow.drafts.create("New", "prose")
    s.close()
    assert len(list_backups(paths.backups)) == 1
    Store.open(paths, resources=resources).close()  # the write above is now worth a copy
    assert len(list_backups(paths.backups)) == 2


def test_keep_zero_makes_no_backups(tmp_path: Path) -> None:
    db = tmp_path / "studio.sqlite3"
    migrate.upgrade(db, tmp_path / "backups")
    assert migrate.upgrade(db, tmp_path / "backups", keep=0).backup is None
    assert list_backups(tmp_path / "backups") == []


def test_wal_and_pragmas_are_on(store: Store) -> None:
    with store.unit_of_work() as uow:
        conn = uow.session.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


@pytest.mark.parametrize("name", ["env.py", "script.py.mako"])
def test_migrations_ship_inside_the_package(name: str) -> None:
    assert (migrate.migrations_dir() / name).is_file()
    assert Path(migrate.__file__).parent in migrate.migrations_dir().parents
