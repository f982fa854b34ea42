"""HistoryService over a real SQLite file: a draft's generations as runs (alternatives grouped, newest first, with
the preset's and style's names), search (any case, Chinese inside running text, literal), deleting a whole run,
and the output a restore proposes."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from studio.domain import Action, Finished, GenerationStats, NotFoundError, UsageError


def _run(sv, draft, action, outputs, *, instruction="", style_id=None, selection=None):
    """Record one request's outputs as the window does (one group id, one record per alternative)."""
    req = sv.generation.build_request(draft, action, instruction=instruction, style_id=style_id,
                                      selection=selection, n_alternatives=len(outputs))
    group = sv.generation.new_group_id()
    return [sv.generation.record(draft.id, req, Finished(text=t, stats=GenerationStats(seed=7), index=i),
                                 group_id=group, model_file="gemma.gguf") for i, t in enumerate(outputs)]


def test_runs_group_alternatives_newest_first_with_what_was_asked(sv, paths):
    d = sv.drafts.create("Harbour", "prose", body="The boats came in at dusk.")
    other = sv.drafts.create("Other", "prose", body="x")
    style = next(s for s in sv.library.styles() if s.form.value == "prose")
    first = _run(sv, d, Action.CONTINUE, [" Gulls argued.", " The tide turned."], style_id=style.id)
    second = _run(sv, d, Action.REWRITE, ["Boats drifted home at dusk."], instruction="more vivid",
                  selection=(0, 9))
    _run(sv, other, Action.CONTINUE, [" Not this draft."])
    sv.generation.accept(first[1].id)

    runs = sv.history.runs(d.id)
    assert [r.id for r in runs] == [second[0].id, first[0].id]
    rewrite, cont = runs
    assert (rewrite.action, rewrite.instruction, rewrite.accepted) == (Action.REWRITE, "more vivid", False)
    assert [a.output for a in cont.alternatives] == [" Gulls argued.", " The tide turned."]
    assert [a.alternative_index for a in cont.alternatives] == [0, 1]
    assert cont.accepted and [a.accepted for a in cont.alternatives] == [False, True]
    assert cont.model_file == "gemma.gguf" and cont.style == style.name and cont.style_id == style.id
    assert cont.preset and cont.preset_id is not None  # the built-in Continue preset, by its name
    assert cont.created_at is not None and cont.created_at.tzinfo is not None
    # The same answers from another connection to the file: nothing is held in memory only.
    con = sqlite3.connect(paths.database)
    try:
        assert con.execute("select count(*) from generations where draft_id = ?", (d.id,)).fetchone() == (3,)
    finally:
        con.close()


def test_search_is_case_insensitive_finds_chinese_inside_text_and_keeps_the_whole_run(sv):
    d = sv.drafts.create("灯塔", "prose", body="夜里，")
    zh = _run(sv, d, Action.CONTINUE, ["玛拉爬上灯塔的楼梯。", "海鸥在礁石上争吵。"])
    en = _run(sv, d, Action.REWRITE, ["ÉCLAT of the Lamp"], instruction="More Vivid", selection=(0, 2))
    odd = _run(sv, d, Action.CONTINUE, ["50% of [1] a_b.*"])

    assert [r.id for r in sv.history.runs(d.id, search="灯塔")] == [zh[0].id]
    found = sv.history.runs(d.id, search="礁石")  # the second alternative matches: the run comes whole
    assert [a.output for a in found[0].alternatives] == ["玛拉爬上灯塔的楼梯。", "海鸥在礁石上争吵。"]
    assert [r.id for r in sv.history.runs(d.id, search="éclat of THE lamp")] == [en[0].id]
    assert [r.id for r in sv.history.runs(d.id, search="more vivid")] == [en[0].id]  # the instruction
    assert [r.id for r in sv.history.runs(d.id, search="[1] a_b.*")] == [odd[0].id]  # literally, not a pattern
    assert sv.history.runs(d.id, search="a%b") == []
    assert len(sv.history.runs(d.id, search="   ")) == 3  # blank: everything


def test_delete_removes_the_run_and_its_alternatives_and_nothing_else(sv):
    d = sv.drafts.create("Harbour", "prose", body="The boats came in.")
    keep = _run(sv, d, Action.CONTINUE, [" Keep me."])
    gone = _run(sv, d, Action.CONTINUE, [" One.", " Two.", " Three."])
    deleted = sv.history.delete(gone[2].id)  # any output of the run names it
    assert deleted.id == gone[0].id and len(deleted.alternatives) == 3
    assert [r.id for r in sv.history.runs(d.id)] == [keep[0].id]
    assert sv.drafts.get(d.id).body == "The boats came in."
    with pytest.raises(NotFoundError, match=f"No generation with id {gone[0].id}"):
        sv.history.delete(gone[0].id)
    with pytest.raises(NotFoundError):
        sv.history.restore(gone[1].id)


def test_restore_gives_the_output_and_refuses_an_empty_one(sv):
    d = sv.drafts.create("Harbour", "prose", body="The boats came in.")
    rec = _run(sv, d, Action.CONTINUE, [" 潮水退了。", ""])
    assert sv.history.restore(rec[0].id).output == " 潮水退了。"
    with pytest.raises(UsageError, match="empty"):
        sv.history.restore(rec[1].id)
    assert sv.history.run_of(rec[1].id).id == rec[0].id


def test_unknown_draft_is_a_clear_error_and_old_runs_sort_by_time(sv):
    with pytest.raises(NotFoundError, match="No draft with id 999"):
        sv.history.runs(999)
    d = sv.drafts.create("Harbour", "prose", body="x")
    from studio.domain import GenerationRecord

    with sv._store.unit_of_work() as uow:  # one stored a day ago, after a newer one: time decides, not the id
        newer = uow.generations.add(GenerationRecord(id=None, draft_id=d.id, action=Action.CONTINUE, output="b",
                                                     group_id="g-new"))
        older = uow.generations.add(GenerationRecord(id=None, draft_id=d.id, action=Action.CONTINUE, output="a",
                                                     group_id="g-old",
                                                     created_at=datetime.now(UTC) - timedelta(days=1)))
    assert [r.id for r in sv.history.runs(d.id)] == [newer.id, older.id]
