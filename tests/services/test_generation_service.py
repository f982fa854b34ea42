"""GenerationService use cases shared by the window and the CLI, over a real Store in a temporary data folder."""

from __future__ import annotations

import pytest

from studio.domain import (
    Action,
    ConflictError,
    Finished,
    Form,
    GenerationStats,
    LoadSettings,
    RevisionReason,
    StopReason,
)


def _record(sv, draft, action, text, **kw):
    req = sv.generation.build_request(draft, action, **kw)
    fin = Finished(text, GenerationStats(generated_tokens=3, stop_reason=StopReason.STOP), 0)
    return sv.generation.record(draft.id, req, fin, group_id=sv.generation.new_group_id(), model_file="m.gguf")


def test_the_chosen_model_is_remembered_and_read_back_in_one_call(sv):
    assert sv.generation.stored_model() == (None, LoadSettings())
    sv.generation.remember_model("/models/big.gguf", LoadSettings(n_ctx=4096, n_threads=2, n_gpu_layers=10))
    assert sv.generation.stored_model() == ("/models/big.gguf",
                                            LoadSettings(n_ctx=4096, n_threads=2, n_gpu_layers=10))
    sv.generation.remember_model(None, LoadSettings())
    assert sv.generation.stored_model() == (None, LoadSettings())


def test_a_continue_is_applied_with_a_revision_and_the_record_accepted_in_one_step(sv):
    d = sv.drafts.create("Harbour", Form.PROSE, body="The harbour was quiet.")
    rec = _record(sv, d, Action.CONTINUE, " Gulls argued.")
    after = sv.generation.apply_to_draft(d, Action.CONTINUE, " Gulls argued.", start=len(d.body), end=len(d.body),
                                         record_id=rec.id)
    assert after.body == "The harbour was quiet. Gulls argued." == sv.drafts.get(d.id).body
    kept = [r for r in sv.drafts.revisions(d.id) if r.reason == RevisionReason.BEFORE_CONTINUE]
    assert [r.body for r in kept] == ["The harbour was quiet."]
    assert [r.accepted for r in sv.generation.history(d.id)] == [True]


def test_a_rewrite_replaces_only_its_passage(sv):
    d = sv.drafts.create("Harbour", Form.PROSE, body="She was sad. The end.")
    rec = _record(sv, d, Action.REWRITE, "Grief sat in her chest.", selection=(0, 12), instruction="more vivid")
    after = sv.generation.apply_to_draft(d, Action.REWRITE, "Grief sat in her chest.", start=0, end=12,
                                         record_id=rec.id)
    assert after.body == "Grief sat in her chest. The end."
    assert [r.reason for r in sv.drafts.revisions(d.id)].count(RevisionReason.BEFORE_REWRITE) == 1


def test_a_draft_changed_meanwhile_is_not_overwritten_and_nothing_half_happens(sv):
    d = sv.drafts.create("Harbour", Form.PROSE, body="First.")
    rec = _record(sv, d, Action.CONTINUE, " Second.")
    sv.drafts.save(d.id, body="First. Edited elsewhere.")  # another window or the CLI wrote meanwhile
    before = len(sv.drafts.revisions(d.id))
    with pytest.raises(ConflictError):
        sv.generation.apply_to_draft(d, Action.CONTINUE, " Second.", start=len(d.body), end=len(d.body),
                                     record_id=rec.id)
    assert sv.drafts.get(d.id).body == "First. Edited elsewhere."
    assert len(sv.drafts.revisions(d.id)) == before, "no revision from the refused apply"
    assert [r.accepted for r in sv.generation.history(d.id)] == [False]
