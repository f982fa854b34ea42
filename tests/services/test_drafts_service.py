"""DraftService over a real Store in a temporary data folder."""

from __future__ import annotations

from datetime import timedelta

import pytest

from studio.domain import ConflictError, Form, RevisionReason, UsageError
from studio.services import Services
from studio.services import drafts as drafts_module


@pytest.fixture
def sv(paths):
    services = Services.open(paths)
    yield services
    services.close()


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
