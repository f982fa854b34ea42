"""Drafts and revisions through the repositories, on a real database."""

from __future__ import annotations

import dataclasses
from datetime import UTC

import pytest

from studio.domain import (
    ConflictError,
    Draft,
    DraftSummary,
    Form,
    NotFoundError,
    Revision,
    RevisionReason,
    UsageError,
)
from studio.storage import Store


def make(store: Store, title: str = "Night Train", form: Form | str = Form.PROSE, **kw: object) -> Draft:
    with store.unit_of_work() as uow:
        return uow.drafts.create(title, form, **kw)  # type: ignore[arg-type]


def test_create_and_get_return_domain_objects(store: Store) -> None:
    d = make(store, body="The train left at nine.", notes="Mara is 40.")
    assert type(d) is Draft and d.id > 0 and d.version == 1
    assert d.form is Form.PROSE and d.notes == "Mara is 40." and not d.deleted
    assert d.created_at is not None and d.created_at.tzinfo == UTC
    with store.unit_of_work() as uow:
        again = uow.drafts.get(d.id)
    assert again == d


def test_get_missing_draft(store: Store) -> None:
    with pytest.raises(NotFoundError, match="No draft with id 999"), store.unit_of_work() as uow:
        uow.drafts.get(999)


def test_unknown_form_is_a_usage_error(store: Store) -> None:
    with pytest.raises(UsageError, match="Unknown form"):
        make(store, form="opera")


def test_word_count_is_kept_and_cjk_aware(store: Store) -> None:
    d = make(store, body="Hello world")
    with store.unit_of_work() as uow:
        uow.drafts.update(d.id, body="夜の列車 goes on — 你好")
        (summary,) = uow.drafts.list()
    assert type(summary) is DraftSummary
    assert summary.word_count == 4 + 2 + 2  # 夜の列車 (4) goes on (2) 你好 (2); the dash is not a word


def test_list_newest_first_filters_and_trash(store: Store) -> None:
    a = make(store, "A")
    b = make(store, "B", form=Form.POETRY)
    c = make(store, "C")
    with store.unit_of_work() as uow:
        uow.drafts.update(a.id, body="touched last")
    with store.unit_of_work() as uow:
        assert [s.title for s in uow.drafts.list()] == ["A", "C", "B"]
        assert [s.title for s in uow.drafts.list(form=Form.POETRY)] == ["B"]
        assert [s.title for s in uow.drafts.list(form="prose")] == ["A", "C"]
        uow.drafts.trash(c.id)
    with store.unit_of_work() as uow:
        assert [s.title for s in uow.drafts.list()] == ["A", "B"]
        trashed = uow.drafts.list(trashed=True)
        assert [s.title for s in trashed] == ["C"] and trashed[0].deleted
        assert uow.drafts.get(c.id).deleted  # still readable from the trash
        restored = uow.drafts.restore(c.id)
        assert not restored.deleted
        assert uow.drafts.list(trashed=True) == []
    assert b.id


def test_search_title_and_body_case_insensitive_in_any_script(store: Store) -> None:
    make(store, "Harbour", body="The ÉCLAIR shop by the water.")
    make(store, "Straße", body="ein langer Weg")
    make(store, "Plain", body="nothing here; 100% literal_match")
    make(store, "夜", body="東京の夜")
    with store.unit_of_work() as uow:
        def titles(q: str) -> list[str]:
            return sorted(s.title for s in uow.drafts.list(search=q))

        assert titles("éclair") == ["Harbour"]
        assert titles("HARBOUR") == ["Harbour"]
        assert titles("strasse") == ["Straße"]  # casefold, not lower()
        assert titles("LANGER weg") == ["Straße"]
        assert titles("100%") == ["Plain"] and titles("e%l") == [] and titles("t_r") == []  # no LIKE wildcards
        assert titles("東京") == ["夜"]
        assert len(titles("  ")) == 4  # blank search: everything


def test_search_in_a_very_long_body(store: Store) -> None:
    body = ("lorem ipsum dolor sit amet " * 40_000) + "the needle"  # 200,000 words
    d = make(store, "Epic", body=body)
    make(store, "Other", body="short")
    with store.unit_of_work() as uow:
        assert [s.id for s in uow.drafts.list(search="NEEDLE")] == [d.id]
        assert uow.drafts.list()[-1].word_count == 200_002


def test_update_bumps_version_and_leaves_unspecified_fields(store: Store) -> None:
    with store.unit_of_work() as uow:
        style = uow.styles.list(form=Form.PROSE)[0]
        preset = uow.presets.list()[0]
    d = make(store, body="one", notes="n", style_id=style.id, preset_id=preset.id)
    with store.unit_of_work() as uow:
        d2 = uow.drafts.update(d.id, title="Renamed")
    assert (d2.title, d2.body, d2.notes, d2.style_id, d2.preset_id) == ("Renamed", "one", "n", style.id, preset.id)
    assert d2.version == 2 and d2.updated_at is not None and d.updated_at is not None
    assert d2.updated_at > d.updated_at and d2.created_at == d.created_at
    with store.unit_of_work() as uow:
        d3 = uow.drafts.update(d.id, style_id=None, form=Form.POETRY)  # None clears; omitted keeps
    assert d3.style_id is None and d3.preset_id == preset.id and d3.form is Form.POETRY and d3.version == 3
    with pytest.raises(NotFoundError, match="No style with id 4242"), store.unit_of_work() as uow:
        uow.drafts.update(d.id, style_id=4242)


def test_stale_version_raises_conflict_and_changes_nothing(store: Store) -> None:
    d = make(store, body="original")
    with store.unit_of_work() as uow:
        uow.drafts.update(d.id, body="from the other window", expected_version=d.version)
    with pytest.raises(ConflictError) as info, store.unit_of_work() as uow:
        uow.drafts.update(d.id, body="stale text", title="stale", expected_version=d.version)
    msg = str(info.value)
    assert "Night Train" in msg and "version 1" in msg and "version 2" in msg and "Nothing was overwritten" in msg
    with store.unit_of_work() as uow:
        now = uow.drafts.get(d.id)
    assert (now.body, now.title, now.version) == ("from the other window", "Night Train", 2)


def test_conflict_rolls_back_the_whole_unit_of_work(store: Store) -> None:
    d = make(store)
    with store.unit_of_work() as uow:
        uow.drafts.update(d.id, body="v2")
    with pytest.raises(ConflictError), store.unit_of_work() as uow:
        uow.revisions.add(d.id, "snapshot", RevisionReason.BEFORE_REWRITE)
        uow.drafts.update(d.id, body="v3?", expected_version=1)
    with store.unit_of_work() as uow:
        assert uow.revisions.list(d.id) == []


def test_purge_only_from_the_trash_and_takes_revisions(store: Store) -> None:
    d = make(store, body="text")
    with store.unit_of_work() as uow:
        rev = uow.revisions.add(d.id, "text", RevisionReason.MANUAL)
    with pytest.raises(UsageError, match="not in the trash"), store.unit_of_work() as uow:
        uow.drafts.purge(d.id)
    with store.unit_of_work() as uow:
        uow.drafts.trash(d.id)
        uow.drafts.purge(d.id)
    with store.unit_of_work() as uow:
        with pytest.raises(NotFoundError):
            uow.drafts.get(d.id)
        with pytest.raises(NotFoundError):
            uow.revisions.get(rev.id)
        assert uow.drafts.list(trashed=True) == []


def test_trash_and_restore_are_idempotent(store: Store) -> None:
    d = make(store)
    with store.unit_of_work() as uow:
        first = uow.drafts.trash(d.id)
        second = uow.drafts.trash(d.id)
        assert first.deleted_at == second.deleted_at
        assert uow.drafts.restore(d.id).deleted_at is None
        assert uow.drafts.restore(d.id).deleted_at is None


def test_duplicate(store: Store) -> None:
    d = make(store, body="same words", notes="same notes", form=Form.LYRICS)
    with store.unit_of_work() as uow:
        copy = uow.drafts.duplicate(d.id)
        named = uow.drafts.duplicate(d.id, title="Second take")
    assert copy.id != d.id and copy.title == "Night Train (copy)" and named.title == "Second take"
    assert (copy.body, copy.notes, copy.form, copy.version) == ("same words", "same notes", Form.LYRICS, 1)


def test_revisions_add_list_get_latest(store: Store) -> None:
    d = make(store)
    with store.unit_of_work() as uow:
        r1 = uow.revisions.add(d.id, "one", RevisionReason.AUTOSAVE)
        r2 = uow.revisions.add(d.id, "two", RevisionReason.BEFORE_REWRITE)
        r3 = uow.revisions.add(d.id, "three", RevisionReason.AUTOSAVE)
    assert type(r1) is Revision and r1.reason is RevisionReason.AUTOSAVE
    with store.unit_of_work() as uow:
        assert [r.id for r in uow.revisions.list(d.id)] == [r3.id, r2.id, r1.id]
        assert [r.id for r in uow.revisions.list(d.id, limit=1)] == [r3.id]
        assert uow.revisions.get(r2.id) == r2
        assert uow.revisions.latest(d.id) == r3
        assert uow.revisions.latest(d.id, RevisionReason.BEFORE_REWRITE) == r2
        assert uow.revisions.latest(d.id, RevisionReason.IMPORT) is None
        with pytest.raises(NotFoundError, match="No revision with id 777"):
            uow.revisions.get(777)
        with pytest.raises(NotFoundError, match="No draft with id 778"):
            uow.revisions.add(778, "x", RevisionReason.MANUAL)


def test_revisions_prune_keeps_newest_of_one_reason(store: Store) -> None:
    d = make(store)
    other = make(store, "Other")
    with store.unit_of_work() as uow:
        autos = [uow.revisions.add(d.id, f"auto {i}", RevisionReason.AUTOSAVE) for i in range(6)]
        manual = uow.revisions.add(d.id, "manual", RevisionReason.MANUAL)
        foreign = uow.revisions.add(other.id, "other", RevisionReason.AUTOSAVE)
    with store.unit_of_work() as uow:
        assert uow.revisions.prune(d.id, RevisionReason.AUTOSAVE, keep=2) == 4
        assert uow.revisions.prune(d.id, RevisionReason.AUTOSAVE, keep=2) == 0
    with store.unit_of_work() as uow:
        left = [r.id for r in uow.revisions.list(d.id)]
        assert left == [manual.id, autos[5].id, autos[4].id]
        assert [r.id for r in uow.revisions.list(other.id)] == [foreign.id]
        assert uow.revisions.prune(d.id, RevisionReason.AUTOSAVE, keep=0) == 2


def test_domain_objects_are_detached_copies(store: Store) -> None:
    d = make(store)
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.title = "x"  # type: ignore[misc]
    store.close()
    assert d.title == "Night Train"  # nothing lazy behind it


def test_closed_store_refuses_work(store: Store) -> None:
    store.close()
    from studio.domain import StorageError

    with pytest.raises(StorageError, match="closed"), store.unit_of_work():
        pass
