"""A verse written to another's meter ("Write a verse to this meter", issue 13): form_steer.meter_line_plan holds
each line to the original's count and the lines that rhyme there to one rhyme, Chinese by 十三辙 and English by
the CMU sounds; prompts puts the new verse after a blank line. Synthetic logits over a small vocabulary: no model
(the real model's side is tests/services/test_match_verse.py)."""

from __future__ import annotations

import numpy as np

from studio.domain import Action, Form, GenerationRequest
from studio.domain.models import VerseMeter
from studio.engine.form_steer import LinePlan, LineSteer, TokenFacts, meter_line_plan, scheme_han_groups
from studio.engine.prompts import ModelTraits, build_prompt

HAN_VOCAB = ["\n", "，", "光", "想", "乡", "长", "天", "边", "风", "吹", "过", "山", "我", "的", "心", "上", "a"]
EN_VOCAB = ["\n", " night", " light", " day", " cat", " the", " a", " little", " sun", ","]


def allowed(vocab: list[str], plan: LinePlan, out: list[str]) -> set[str]:
    facts = TokenFacts(vocab)
    ids = np.array([vocab.index(p) for p in out], dtype=np.int64)
    steer = LineSteer(plan, facts, 0, lambda t: "".join(vocab[i] for i in t))
    scores = steer(ids, np.zeros(len(vocab), dtype=np.float32))
    return {vocab[i] for i in np.flatnonzero(np.isfinite(scores))}


def test_a_chinese_line_keeps_the_original_count_and_rhymes_across_tones_by_shisanzhe() -> None:
    plan = meter_line_plan("characters", (3, 3), "AA")
    # Line 1 is free: any character may end it, and no break before its third character.
    assert "\n" not in allowed(HAN_VOCAB, plan, ["风", "吹"]) and {"天", "光"} <= allowed(HAN_VOCAB, plan, ["风", "吹"])
    # Line 1 ended on 光 (江阳): line 2's last character is 江阳 in any tone (想 is 仄, 乡 and 长 平), not 天/边.
    end = allowed(HAN_VOCAB, plan, ["风", "吹", "光", "\n", "我", "的"])
    assert {"想", "乡", "长", "光"} <= end and not {"天", "边", "心", "山"} & end
    # At the count only the break (or a closing mark) is left.
    assert allowed(HAN_VOCAB, plan, ["风", "吹", "光"]) <= {"\n", "，"}


def test_scheme_groups_follow_the_letters_and_leave_free_lines_alone() -> None:
    assert scheme_han_groups(["风吹光", "我的心"], 2, "AxA") == frozenset({"江阳"})
    assert scheme_han_groups(["风吹光", "我的心"], 1, "AxA") is None
    assert scheme_han_groups([], 0, "AA") is None  # the first of its letter: the model chooses the rhyme


def test_an_english_line_ends_on_its_partners_rhyme_within_one_syllable() -> None:
    plan = meter_line_plan("syllables", (2, 2), "AA")
    assert plan.ranges == ((2, 3), (2, 3)) and not plan.tones
    end = allowed(EN_VOCAB, plan, [" the", " night", "\n", " the"])
    assert " light" in end and not {" day", " cat", " sun"} & end


def test_the_prompt_puts_the_new_verse_after_a_blank_line_and_holds_its_lines() -> None:
    meter = VerseMeter("characters", (5, 5), "xA", original="床前明月光\n疑是地上霜")
    req = GenerationRequest(action=Action.CONTINUE, before="静夜思\n\n床前明月光\n疑是地上霜", form=Form.LYRICS,
                            meter=meter, after="\n\n[副歌]\n啦啦啦")
    plan = build_prompt(req, ModelTraits(n_ctx=2048, bos=()), lambda text, _special: list(range(len(text))))
    assert plan.prefix == "\n\n" and plan.text.endswith("疑是地上霜\n\n")
    assert plan.max_lines == 2 and plan.line_plan is not None and plan.line_plan.targets == (5, 5)
    assert plan.line_plan.rhyme is not None and plan.line_plan.rhyme.scheme == "xA"
    assert meter.original in plan.line_plan.exemplars and "床前明月光" not in plan.line_plan.writer
    already = build_prompt(GenerationRequest(action=Action.CONTINUE, before="a b c\n\n", meter=meter),
                           ModelTraits(n_ctx=2048, bos=()), lambda text, _special: list(range(len(text))))
    assert already.prefix == ""
