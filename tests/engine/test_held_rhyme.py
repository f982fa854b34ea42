"""Held rhyme, tones and copies on synthetic logits over a small vocabulary (form_steer.LineSteer with
rhyme_steer and copy_guard): fast, no model. The real model's side is in test_form_steer.py."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from studio.engine.copy_guard import CopyGuard, PieceIndex, copied_runs
from studio.engine.form_steer import TONE_BONUS, LinePlan, LineSteer, TokenFacts, line_plan_for
from studio.engine.remote_request import line_grammar
from studio.engine.rhyme_steer import RhymePlan, english_need, han_groups
from studio.forms.rhymebook import groups_of

HAN_VOCAB = ["\n", "，", "。", "楼", "流", "山", "还", "间", "鸟", "层楼", "江山", "欲穷千里目", "更上一", "春眠不",
             "觉", "觉晓", "晓", "青山一片云", "青山一", "片", "花", "月", "明", "白", "目", "层", "青", "a"]
EN_VOCAB = ["\n", " rain", " train", " Spain", " day", " May", " cat", " the", " little", ",", " Sh", "Who never would "
            "sit in the", "Who never would sit in the plane", " again", " *", "3"]


def steer(vocab: list[str], plan: LinePlan, out: list[str]) -> np.ndarray:
    """The scores LineSteer leaves after the output ``out`` (pieces of ``vocab``), from all-zero logits."""
    facts = TokenFacts(vocab)
    ids = np.array([vocab.index(p) for p in out], dtype=np.int64)
    s = LineSteer(plan, facts, 0, lambda t: "".join(vocab[i] for i in t))
    return s(ids, np.zeros(len(vocab), dtype=np.float32))


def allowed(vocab: list[str], scores: np.ndarray) -> set[str]:
    return {vocab[i] for i in np.flatnonzero(np.isfinite(scores))}


def han_plan(before: str, form: str = "wujue", **kw: object) -> LinePlan:
    plan = line_plan_for(form, before)
    assert plan is not None
    return replace(plan, **kw) if kw else plan


def test_the_last_character_of_a_later_rhyme_position_is_in_the_first_rhymes_group() -> None:
    # 登鹳雀楼: 流 (下平十一尤) is the rhyme the writer chose; line 4 must end in that group.
    plan = han_plan("白日依山尽\n黄河入海流\n")
    after_four = allowed(HAN_VOCAB, steer(HAN_VOCAB, plan, ["欲穷千里目", "\n", "更上一"]))
    # Two characters left: 层楼 ends on 楼 (尤) and may end the line; 江山 ends on 山 (删) and may not.
    assert "层楼" in after_four and "江山" not in after_four
    last = allowed(HAN_VOCAB, steer(HAN_VOCAB, plan, ["欲穷千里目", "\n", "更上一", "层楼"[0]]))
    assert {"楼", "流"} <= last and not {"山", "还", "鸟", "花", "月"} & last
    # Without the rhyme held, any character ends the line.
    free = allowed(HAN_VOCAB, steer(HAN_VOCAB, replace(plan, rhyme=None), ["欲穷千里目", "\n", "更上一", "层"]))
    assert {"山", "鸟", "花"} <= free


def test_the_first_rhyme_is_held_to_a_level_tone_group_or_to_line_ones() -> None:
    # Line 1 ends on 仄 (晓): line 2 may end on any 平 group, not on a 仄 one (鸟: 上声十七筱).
    plan = han_plan("")
    end = allowed(HAN_VOCAB, steer(HAN_VOCAB, plan, ["春眠不", "觉晓", "\n", "青山一", "片"]))
    assert {"山", "楼", "流", "还", "间"} <= end and "鸟" not in end
    # Line 1 ends on 平 (间, 上平十五删): 首句入韵, so line 2 rhymes with it (还 and 山 are 删; 楼 is not).
    end = allowed(HAN_VOCAB, steer(HAN_VOCAB, plan, ["青山一", "片", "间", "\n", "春眠不", "觉"]))
    assert {"山", "还"} <= end and not {"楼", "流", "鸟"} & end


def test_a_rhyme_the_writer_chose_counts_even_on_a_deflected_tone() -> None:
    # 春晓: the writer's 晓/鸟 rhyme on 上声十七筱; the model's line 4 keeps it.
    assert han_groups(["春眠不觉晓", "处处闻啼鸟", "夜来风雨声"], 3, writer_lines=3) == groups_of("鸟")
    plan = han_plan("春眠不觉晓\n处处闻啼鸟\n夜来风雨声\n")
    end = allowed(HAN_VOCAB, steer(HAN_VOCAB, plan, ["花", "月", "明", "白"]))
    assert end & {"晓", "鸟", "楼", "山"} == {"晓", "鸟"}


def test_a_polyphonic_rhyme_narrows_to_the_group_the_poem_settles() -> None:
    lines = ["一二三四五", "白日照西还", "一二三四五", "远上白云间"]  # 还 has several readings; 间 settles 删
    both = han_groups(lines[:2], 3, writer_lines=4)
    assert both is not None and groups_of("还") & groups_of("间") <= both
    assert han_groups(lines, 5, writer_lines=4) == groups_of("还") & groups_of("间")
    assert han_groups(lines, 2, writer_lines=4) is None  # an odd line is free


def test_tones_get_a_bonus_never_a_ban() -> None:
    plan = han_plan("春眠不觉晓\n")
    scores = steer(HAN_VOCAB, plan, ["青山一"[0]])  # line 2, one character written: the 2nd place is next
    bonus = {HAN_VOCAB[i] for i in np.flatnonzero(scores == TONE_BONUS)}
    assert bonus and np.isfinite(scores[HAN_VOCAB.index("鸟")])  # a 仄 character keeps its chance
    # 眠 is 平, so 五言 line 1 is 平起 and line 2's 2nd place wants 仄: 鸟 and 月 get the bonus, 山 does not.
    assert {"鸟", "月", "目"} <= bonus and "山" not in bonus
    assert not (steer(HAN_VOCAB, replace(plan, tones=False), ["青"]) > 0).any()


def english_plan(written: tuple[str, ...], **kw: object) -> LinePlan:
    base = LinePlan(unit="syllable", targets=(8, 5, 5, 8)[len(written) - 1:], ranges=((7, 11),) * 4,
                    written=written, rhyme=RhymePlan(kind="en", scheme="AABBA", distinct=True))
    return replace(base, **kw) if kw else base


def test_an_english_line_ends_on_a_word_that_rhymes_with_its_partner() -> None:
    plan = english_plan(("There was a young lady from Spain",))
    end = allowed(EN_VOCAB, steer(EN_VOCAB, plan, ["Who never would sit in the"]))  # 7 of 8 syllables
    assert {" rain", " train"} <= end
    assert not {" day", " May", " cat", " the", " Spain", "\n"} & end  # Spain/Spain is no rhyme
    assert " again" not in end  # two syllables: it would run past the line
    # Unheld, the line may end on anything of one syllable.
    free = allowed(EN_VOCAB, steer(EN_VOCAB, replace(plan, rhyme=None), ["Who never would sit in the"]))
    assert {" day", " cat", " rain"} <= free


def test_a_limericks_b_line_must_not_rhyme_with_a() -> None:
    plan = english_plan(("There was a young lady from Spain", "Who never would sit on a train"),
                        targets=(5, 5, 8), ranges=((4, 7),) * 3)
    end = allowed(EN_VOCAB, steer(EN_VOCAB, plan, [" the", " the", " the", " the"]))
    assert {" day", " cat"} <= end and not {" rain", " again"} & end


def test_a_line_that_reached_its_length_unrhymed_runs_on_only_with_a_rhyme_then_breaks() -> None:
    plan = english_plan(("There was a young lady from Spain",))
    over = allowed(EN_VOCAB, steer(EN_VOCAB, plan, ["Who never would sit in the", " cat"]))  # 8, no rhyme
    assert "\n" not in over and {" rain", " train"} <= over and " day" not in over
    done = allowed(EN_VOCAB, steer(EN_VOCAB, plan, ["Who never would sit in the", " rain"]))
    assert done == {"\n"}
    # Out of range (11 syllables, still no rhyme): the break comes anyway, the line never stalls.
    stalled = allowed(EN_VOCAB, steer(EN_VOCAB, plan, ["Who never would sit in the", " little", " little", " cat"]))
    assert stalled == {"\n"}


def test_held_english_lines_take_no_digits_symbols_or_syllable_less_words() -> None:
    plan = english_plan(("There was a young lady from Spain",), rhyme=None)
    ok = allowed(EN_VOCAB, steer(EN_VOCAB, plan, [" the"]))
    assert not {"3", " *", " Sh"} & ok and " cat" in ok
    assert "," not in allowed(EN_VOCAB, steer(EN_VOCAB, plan, [" the", ","]))  # no run of marks


def test_english_need_reads_the_scheme() -> None:
    plan = RhymePlan(kind="en", scheme="ABAB", distinct=False)
    need = english_need(["the day", "the cat", "the May"], 3, plan)
    assert need.required is not None and "AE T" in need.required and not need.forbidden
    assert english_need(["the day"], 1, plan).required is None  # a new letter, sonnets: free


def test_copies_of_exemplar_runs_and_earlier_lines_are_banned_unless_the_writer_wrote_them() -> None:
    index = PieceIndex(HAN_VOCAB)
    guard = CopyGuard(index, ["春眠不觉晓"])
    banned = {HAN_VOCAB[i] for i in guard.banned("", "春眠不")}
    assert {"觉", "觉晓"} <= banned and "花" not in banned
    # An earlier line of the poem is a source once it is complete.
    assert {HAN_VOCAB[i] for i in guard.banned("", "青山一片云\n青山一")} == {"片"}
    # A run the writer wrote may recur.
    assert not CopyGuard(index, [], writer="青山一片云\n").banned("", "青山一片云\n青山一")
    partly = {HAN_VOCAB[i] for i in CopyGuard(index, ["春眠不觉晓"], writer="春眠不觉").banned("", "春眠不")}
    assert "觉" not in partly and "觉晓" in partly  # 眠不觉晓 is still the exemplar's, not the writer's


def test_three_english_words_are_a_copy() -> None:
    vocab = [" the", " bridge", " br", " snow", " on", "\n"]
    guard = CopyGuard(PieceIndex(vocab), ["First snow on the bridge"])
    assert {vocab[i] for i in guard.banned("", "snow on the")} == {" bridge", " br"}
    assert not guard.banned("", "snow by the")
    assert copied_runs("A snow on the bridge\nthe snow on the sea", ["First snow on the bridge"]) == [
        "on the bridge", "snow on the", "snow on the"]


def test_the_copy_ban_holds_in_the_steer_and_gives_way_before_nothing_is_left() -> None:
    plan = replace(han_plan("", exemplars=("春眠不觉晓",)), rhyme=None, tones=False)
    left = allowed(HAN_VOCAB, steer(HAN_VOCAB, plan, ["春眠不"]))
    assert "觉" not in left and "花" in left
    assert "觉" in allowed(HAN_VOCAB, steer(HAN_VOCAB, replace(plan, exemplars=()), ["春眠不"]))
    # Line 2, two characters left: only an off-rhyme or a copy could end it. The copy ban wins over the rhyme,
    # and the lengths over both.
    held = replace(han_plan("白日依山尽\n", exemplars=("春眠不觉晓",)), tones=False)
    some = ["\n", "觉晓", "花鸟", "春眠不"]
    assert allowed(some, steer(some, held, ["春眠不"])) == {"花鸟"}
    only = ["\n", "觉晓", "春眠不"]
    assert allowed(only, steer(only, held, ["春眠不"])) == {"觉晓"}


def test_the_servers_grammar_holds_the_rhyme_positions_to_the_group() -> None:
    g = line_grammar(han_plan("白日依山尽\n黄河入海流\n"))
    assert g is not None
    rules = dict(line.split(" ::= ", 1) for line in g.strip().splitlines())
    assert rules["root"] == "l0 (l1r0)"
    assert rules["l1r0"] == 'han han han han r0 close? "\\n"'
    assert "楼" in rules["r0"] and "山" not in rules["r0"]
    # Nothing written yet: one alternative per 平 group, each holding lines 2 and 4 to it.
    g = line_grammar(han_plan(""))
    assert g is not None
    root = dict(line.split(" ::= ", 1) for line in g.strip().splitlines())["root"]
    assert root.startswith("l0 (l1r0 l2 l3r0 | l1r1 l2 l3r1") and root.count("|") == 29
    assert line_grammar(replace(han_plan(""), rhyme=None)) == line_grammar(LinePlan(unit="han", targets=(5,) * 4))
