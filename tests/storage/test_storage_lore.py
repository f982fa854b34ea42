"""The lorebook in SQLite: entries in order, per-draft scan depth, purge takes the lore along, duplicate copies it,
and a database made at the revision before the lorebook upgrades with its drafts kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from studio.domain import DEFAULT_SCAN_CHARS, LoreEntry, NotFoundError
from studio.storage import Store, migrate
from studio.storage.db import create_engine


def _entry(draft_id: int, keys: tuple[str, ...], text: str, **kw: object) -> LoreEntry:
    return LoreEntry(id=None, draft_id=draft_id, keys=keys, text=text, **kw)  # type: ignore[arg-type]


def test_entries_are_kept_in_order_and_come_back_as_stored(store: Store) -> None:
    with store.unit_of_work() as uow:
        d = uow.drafts.create("Harbour", "prose")
        a = uow.lore.add(_entry(d.id, ("Mara", "玛拉"), "Mara keeps the lighthouse.", whole_word=True))
        b = uow.lore.add(_entry(d.id, ("灯塔",), "灯塔在岛的北端。", pinned=True))
    assert a.id is not None and b.id is not None
    with store.unit_of_work(readonly=True) as uow:
        entries = uow.lore.list(d.id)
    assert [e.id for e in entries] == [a.id, b.id]
    assert [e.position for e in entries] == [0, 1]
    assert entries[0].keys == ("Mara", "玛拉") and entries[0].whole_word and not entries[0].pinned
    assert entries[1].text == "灯塔在岛的北端。" and entries[1].pinned and entries[1].enabled
    assert entries[0].created_at is not None and entries[0].created_at.tzinfo is not None

    with store.unit_of_work() as uow:
        uow.lore.update(a.id, position=5, enabled=False, keys=("Mara",))
    with store.unit_of_work(readonly=True) as uow:
        entries = uow.lore.list(d.id)
    assert [e.id for e in entries] == [b.id, a.id]
    assert entries[1].keys == ("Mara",) and not entries[1].enabled

    with store.unit_of_work() as uow:
        uow.lore.remove(b.id)
    with store.unit_of_work(readonly=True) as uow:
        assert [e.id for e in uow.lore.list(d.id)] == [a.id]
        try:
            uow.lore.get(b.id)
        except NotFoundError as exc:
            assert "lore entry" in str(exc)
        else:
            raise AssertionError("a removed entry was still found")


def test_scan_depth_defaults_and_is_per_draft(store: Store) -> None:
    with store.unit_of_work() as uow:
        one = uow.drafts.create("One", "prose")
        two = uow.drafts.create("Two", "prose")
        uow.lore.set_scan_chars(one.id, 500)
    with store.unit_of_work(readonly=True) as uow:
        assert uow.lore.scan_chars(one.id) == 500
        assert uow.lore.scan_chars(two.id) == DEFAULT_SCAN_CHARS
        version = uow.drafts.get(one.id).version
    assert version == 1  # the scan depth lives beside the draft: setting it is no draft write (no conflict)


def test_purging_a_draft_removes_its_lore(store: Store) -> None:
    with store.unit_of_work() as uow:
        d = uow.drafts.create("Gone", "prose")
        keep = uow.drafts.create("Kept", "prose")
        uow.lore.add(_entry(d.id, ("x",), "one"))
        uow.lore.add(_entry(keep.id, ("y",), "two"))
        uow.lore.set_scan_chars(d.id, 100)
        uow.drafts.trash(d.id)
    with store.unit_of_work() as uow:
        uow.drafts.purge(d.id)
    conn = sqlite3.connect(store.path)
    try:
        assert conn.execute("SELECT draft_id, text FROM lore_entries").fetchall() == [(keep.id, "two")]
        assert conn.execute("SELECT count(*) FROM lore_books").fetchone() == (0,)
    finally:
        conn.close()


def test_copy_all_copies_entries_and_settings(store: Store) -> None:
    with store.unit_of_work() as uow:
        d = uow.drafts.create("Src", "prose")
        uow.lore.add(_entry(d.id, ("Mara",), "first", case_sensitive=True))
        uow.lore.add(_entry(d.id, ("玛拉",), "second", pinned=True))
        uow.lore.set_scan_chars(d.id, 321)
        copy = uow.drafts.create("Dst", "prose")
        uow.lore.copy_all(d.id, copy.id)
    with store.unit_of_work(readonly=True) as uow:
        src, dst = uow.lore.list(d.id), uow.lore.list(copy.id)
        assert uow.lore.scan_chars(copy.id) == 321
    assert [(e.keys, e.text, e.pinned, e.case_sensitive, e.position) for e in dst] == \
        [(e.keys, e.text, e.pinned, e.case_sensitive, e.position) for e in src]
    assert {e.id for e in dst}.isdisjoint({e.id for e in src})


def test_upgrade_from_the_revision_before_the_lorebook_keeps_drafts(tmp_path: Path) -> None:
    db = tmp_path / "studio.sqlite3"
    engine = create_engine(db, foreign_keys=False)
    try:
        with engine.begin() as connection:
            command.upgrade(migrate.alembic_config(connection=connection), "0002")
    finally:
        engine.dispose()
    conn = sqlite3.connect(db)
    try:
        with conn:
            assert "lore_entries" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            conn.execute("INSERT INTO drafts (title, form, body, notes, word_count, version, created_at, updated_at) "
                         "VALUES ('Old', 'prose', 'Mara waited.', '', 2, 1, '2024-01-01 00:00:00', "
                         "'2024-01-01 00:00:00')")
    finally:
        conn.close()

    result = migrate.upgrade(db, tmp_path / "backups")
    assert result.from_revision == "0002" and result.to_revision == "0003"
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA foreign_keys=ON")
        with conn:
            (draft_id,) = conn.execute("SELECT id FROM drafts WHERE title='Old'").fetchone()
            conn.execute("INSERT INTO lore_entries (draft_id, keys, text, pinned, enabled, case_sensitive, "
                         "whole_word, position, created_at, updated_at) VALUES (?, '[\"Mara\"]', 'keeper', 0, 1, 0, "
                         "0, 0, '2024-01-01', '2024-01-01')", (draft_id,))
            conn.execute("DELETE FROM drafts WHERE id=?", (draft_id,))
            assert conn.execute("SELECT count(*) FROM lore_entries").fetchone() == (0,)  # the cascade is there
    finally:
        conn.close()
