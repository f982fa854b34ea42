"""DraftService over a real Store in a temporary data folder."""

from __future__ import annotations

from datetime import timedelta

import pytest

from studio.domain import ConflictError, Form, NotFoundError, RevisionReason, UsageError
from studio.services import drafts as drafts_module
from studio.services.drafts import KeepText


def test_create_picks_a_style_of_the_form(sv):
    d = sv.drafts.create("Haiku day", "poetry", body="old pond")
    assert d.form == Form.POETRY
    assert d.style_id is not None and sv.library.style(d.style_id).form == Form.POETRY
    with pytest.raises(UsageError):
        sv.drafts.create("   ", Form.PROSE)


def test_autosave_keeps_periodic_revisions(sv, monkeypatch):
    d = sv.drafts.create("T", Form.PROSE)
    d = sv.drafts.save(d.id, body="one", expected_version=d.version)
    d = sv.drafts.save(d.id, body="one two", expected_version=d.version)
    revs = sv.drafts.revisions(d.id)
    assert [r.body for r in revs if r.reason == RevisionReason.AUTOSAVE] == ["one"]  # not one per keystroke
    monkeypatch.setattr(drafts_module, "AUTOSAVE_REVISION_INTERVAL", timedelta(0))
    d = sv.drafts.save(d.id, body="one two three", expected_version=d.version)
    assert sv.drafts.revisions(d.id)[0].body == "one two three"


def test_stale_save_is_refused_and_loses_nothing(sv):
    d = sv.drafts.create("T", Form.PROSE, body="v1")
    sv.drafts.save(d.id, body="v2 from the other window", expected_version=d.version)
    with pytest.raises(ConflictError):
        sv.drafts.save(d.id, body="v2 from this window", expected_version=d.version)
    assert sv.drafts.get(d.id).body == "v2 from the other window"


def test_restore_revision_keeps_the_replaced_text(sv):
    d = sv.drafts.create("T", Form.PROSE, body="first")
    rev = sv.drafts.snapshot(d.id, RevisionReason.MANUAL)
    sv.drafts.save(d.id, body="second")
    ops = sv.drafts.diff_revision(rev.id)
    assert {o.op for o in ops} == {"delete", "insert"}
    restored = sv.drafts.restore_revision(rev.id)
    assert restored.body == "first"
    reasons = [(r.reason, r.body) for r in sv.drafts.revisions(d.id)]
    assert (RevisionReason.BEFORE_RESTORE, "second") in reasons


def test_trash_restore_duplicate_rename(sv):
    d = sv.drafts.create("Song", Form.LYRICS, body="[Chorus]\nla la")
    copy = sv.drafts.duplicate(d.id)
    assert copy.body == d.body and copy.id != d.id
    sv.drafts.rename(copy.id, "Song 2")
    sv.drafts.trash(d.id)
    assert [s.title for s in sv.drafts.list()] == ["Song 2"]
    assert [s.id for s in sv.drafts.list(trashed=True)] == [d.id]
    sv.drafts.restore(d.id)
    assert {s.title for s in sv.drafts.list()} == {"Song", "Song 2"}


# -- conflicts: keep one text in the draft, the other as a new draft, in one transaction ---------------------------
def _conflicted(sv):
    """A draft this window opened at v1, then saved from another window: (as this window holds it, theirs)."""
    mine = sv.drafts.create("Shared 共享", Form.POETRY, body="原文 original", notes="my notes")
    theirs = sv.drafts.save(mine.id, body="theirs 他们的", notes="their notes", expected_version=mine.version)
    return mine, theirs


def _titles(sv):
    return sorted(s.title for s in sv.drafts.list())


def test_keep_mine_saves_my_text_and_keeps_theirs_as_a_new_draft(sv):
    mine, theirs = _conflicted(sv)
    out = sv.drafts.resolve_conflict(mine, "原文 original, mine", "my notes 2", KeepText.MINE)
    assert out.draft.id == mine.id and out.draft.version > theirs.version
    assert sv.drafts.get(mine.id).body == "原文 original, mine" and sv.drafts.get(mine.id).notes == "my notes 2"
    copy = sv.drafts.get(out.copy.id)
    assert (copy.title, copy.body, copy.notes, copy.form) == (
        "Shared 共享 (other window)", "theirs 他们的", "their notes", Form.POETRY)
    assert copy.style_id is not None and sv.library.style(copy.style_id).form == Form.POETRY
    assert _titles(sv) == ["Shared 共享", "Shared 共享 (other window)"]


def test_keep_theirs_leaves_the_draft_and_keeps_mine_as_a_new_draft(sv):
    mine, theirs = _conflicted(sv)
    out = sv.drafts.resolve_conflict(mine, "原文 original, mine", "my notes 2", KeepText.THEIRS)
    assert out.draft == theirs == sv.drafts.get(mine.id)  # untouched: the version the other window saved
    copy = sv.drafts.get(out.copy.id)
    assert (copy.title, copy.body, copy.notes, copy.form) == (
        "Shared 共享 (my copy)", "原文 original, mine", "my notes 2", Form.POETRY)
    assert _titles(sv) == ["Shared 共享", "Shared 共享 (my copy)"]


def test_a_failure_while_keeping_mine_leaves_no_copy_and_their_text_in_place(sv, monkeypatch):
    from studio.domain import StorageError
    from studio.storage.repositories.drafts import DraftRepository

    mine, theirs = _conflicted(sv)
    real_update = DraftRepository.update

    def failing_update(self, *args, **kwargs):
        raise StorageError("The disk is full.")  # after the copy of their text was written in this transaction

    monkeypatch.setattr(DraftRepository, "update", failing_update)
    with pytest.raises(StorageError):
        sv.drafts.resolve_conflict(mine, "mine", "", KeepText.MINE)
    monkeypatch.setattr(DraftRepository, "update", real_update)
    assert _titles(sv) == ["Shared 共享"]  # no "(other window)" copy left behind
    assert sv.drafts.get(mine.id) == theirs


def test_resolving_a_conflict_on_a_draft_gone_elsewhere_writes_nothing(sv):
    mine, _ = _conflicted(sv)
    sv.drafts.trash(mine.id)
    sv.drafts.purge(mine.id)
    with pytest.raises(NotFoundError):
        sv.drafts.resolve_conflict(mine, "mine", "", KeepText.THEIRS)
    assert _titles(sv) == []


# -- restoring a revision: the window's path (keep the text shown, then apply) and the one-step path --------------
def test_keep_before_restore_keeps_the_text_shown_and_returns_the_revision_to_apply(sv):
    d = sv.drafts.create("T", Form.PROSE, body="first 第一")
    rev = sv.drafts.snapshot(d.id, RevisionReason.MANUAL)
    sv.drafts.save(d.id, body="second")
    back = sv.drafts.keep_before_restore(rev.id, "second, and unsaved words")
    assert back == rev and back.body == "first 第一"
    kept = sv.drafts.revisions(d.id)[0]
    assert (kept.reason, kept.body) == (RevisionReason.BEFORE_RESTORE, "second, and unsaved words")
    assert sv.drafts.get(d.id).body == "second"  # applying the body is the editor's job (one undo step)


def test_keep_before_restore_of_a_missing_revision_keeps_nothing(sv):
    d = sv.drafts.create("T", Form.PROSE, body="first")
    with pytest.raises(NotFoundError):
        sv.drafts.keep_before_restore(10_000, "text")
    assert sv.drafts.revisions(d.id) == []


def test_restore_revision_takes_the_text_shown_like_the_window(sv):
    d = sv.drafts.create("T", Form.PROSE, body="first")
    rev = sv.drafts.snapshot(d.id, RevisionReason.MANUAL)
    restored = sv.drafts.restore_revision(rev.id, current="unsaved text")
    assert restored.body == "first" == sv.drafts.get(d.id).body
    kept = sv.drafts.revisions(d.id)[0]
    assert (kept.reason, kept.body) == (RevisionReason.BEFORE_RESTORE, "unsaved text")


def test_a_failure_while_restoring_keeps_no_revision_and_the_body(sv, monkeypatch):
    from studio.domain import StorageError
    from studio.storage.repositories.drafts import DraftRepository

    d = sv.drafts.create("T", Form.PROSE, body="first")
    rev = sv.drafts.snapshot(d.id, RevisionReason.MANUAL)
    d = sv.drafts.save(d.id, body="second")
    real_update = DraftRepository.update

    def failing_update(self, *args, **kwargs):
        raise StorageError("The disk is full.")  # after the BEFORE_RESTORE revision was added

    monkeypatch.setattr(DraftRepository, "update", failing_update)
    with pytest.raises(StorageError):
        sv.drafts.restore_revision(rev.id)
    monkeypatch.setattr(DraftRepository, "update", real_update)
    assert [r.reason for r in sv.drafts.revisions(d.id)] == [RevisionReason.AUTOSAVE, RevisionReason.MANUAL]
    assert sv.drafts.get(d.id) == d


def test_update_meta_reads_a_form_given_as_text_and_refuses_an_unknown_one(sv):
    d = sv.drafts.create("T", Form.PROSE, body="words")
    assert sv.drafts.update_meta(d.id, form=" Poetry ").form == Form.POETRY
    with pytest.raises(UsageError, match="Unknown form 'sonnet'"):
        sv.drafts.update_meta(d.id, form="sonnet", title="Lost")
    kept = sv.drafts.get(d.id)
    assert (kept.form, kept.title, kept.body) == (Form.POETRY, "T", "words")


def test_save_changes_only_what_it_is_given(sv):
    d = sv.drafts.create("T", Form.PROSE, body="body", notes="notes")
    d = sv.drafts.save(d.id, title="New title", expected_version=d.version)
    assert (d.title, d.body, d.notes) == ("New title", "body", "notes")
    d = sv.drafts.save(d.id, notes="other notes")
    assert (d.title, d.body, d.notes) == ("New title", "body", "other notes")
    assert [r.reason for r in sv.drafts.revisions(d.id)] == []  # no body given: no autosave revision
