"""The reasoning filter and the thinking switch (studio/engine/reasoning.py), pure: markers of every family in the
table split anywhere across pieces, a block the prompt opened, what the template is told."""

from __future__ import annotations

import pytest

from studio.domain import StopReason
from studio.engine.reasoning import (
    REASONING_MARKERS,
    ReasoningFilter,
    ShownStream,
    generation_tail,
    markers_in,
    open_block,
    thinking_off,
)
from studio.engine.textstream import Leading, OutputStream

ANSWER = "The storm broke. 风暴来了 <b>"


def feed_in_pieces(text: str, cuts: list[int], inside: object = None) -> tuple[str, str]:
    """(text shown, reasoning kept apart) for ``text`` fed in the pieces ``cuts`` make."""
    f = ReasoningFilter(inside)  # type: ignore[arg-type]
    out, thought, last = [], [], 0
    for cut in [*cuts, len(text)]:
        out.append(f.feed(text[last:cut]))
        thought.append(f.take_thought())
        last = cut
    out.append(f.finish())
    thought.append(f.take_thought())
    return "".join(out), "".join(thought)


@pytest.mark.parametrize("markers", REASONING_MARKERS, ids=[m.models.split(",")[0] for m in REASONING_MARKERS])
@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 11])
def test_every_family_s_block_is_dropped_however_the_pieces_fall(markers: object, size: int) -> None:
    m = markers
    stream = f"{m.open}The writer wants it shorter; keep the storm.{m.close}\n\n{ANSWER}"  # type: ignore[attr-defined]
    for start in range(size):
        cuts = list(range(start or size, len(stream), size))
        shown, thought = feed_in_pieces(stream, cuts)
        assert shown == ANSWER, (size, start)
        assert thought == "The writer wants it shorter; keep the storm.", (size, start)


def test_text_around_and_between_blocks_is_kept_strays_and_headers_are_dropped() -> None:
    assert feed_in_pieces("Before <think>x</think> after", [3, 9, 16])[0] == "Before  after"
    # A template that opened the block without Studio knowing: what came before the close was shown, the tag is not.
    assert feed_in_pieces("reasoning</think> Answer", [4])[0] == "reasoning Answer"
    assert feed_in_pieces("<think>never closed", [2]) == ("", "never closed")
    assert feed_in_pieces("a < b and c <th", [])[0] == "a < b and c <th", "a held '<th' that is no tag comes back"
    assert feed_in_pieces("[1] and [TH", [2])[0] == "[1] and [TH"
    # gpt-oss: the analysis channel is reasoning, the final channel's header is not text.
    harmony = "<|channel|>analysis<|message|>Short, then.<|end|><|start|>assistant<|channel|>final<|message|>Rain."
    for size in (1, 4, 9):
        assert feed_in_pieces(harmony, list(range(size, len(harmony), size))) == ("Rain.", "Short, then."), size


def test_a_block_the_prompt_opened_hides_everything_before_its_close() -> None:
    qwen = REASONING_MARKERS[0]
    assert feed_in_pieces("The user wants vivid.\n</think>\n\nGrief sat.", [3, 20], qwen) == (
        "Grief sat.", "The user wants vivid.\n")
    assert feed_in_pieces("still thinking when the tokens ran out", [5], qwen) == (
        "", "still thinking when the tokens ran out")
    f = ReasoningFilter(qwen)
    assert f.thinking and f.feed("plan") == "" and f.thinking
    assert f.feed("</think>Answer") == "Answer" and not f.thinking


def test_a_server_that_sends_reasoning_apart_makes_the_text_the_answer() -> None:
    f = ReasoningFilter(REASONING_MARKERS[0])  # the prompt opened a block, but the server parses it itself
    f.reasoning_apart("The user wants it shorter.")
    assert f.take_thought() == "The user wants it shorter."
    assert f.feed("It rained.") == "It rained." and f.finish() == ""


def test_open_block_reads_the_template_s_own_tail() -> None:
    deepseek = "<｜User｜>Rewrite: x<｜Assistant｜><think>\n"
    assert open_block(generation_tail(deepseek, "Rewrite: x")) is REASONING_MARKERS[0]
    qwen_off = "<|im_start|>user\nRewrite: x<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n"
    assert open_block(generation_tail(qwen_off, "Rewrite: x")) is None
    assert open_block(generation_tail("<|im_start|>user\nx<|im_end|>\n<|im_start|>assistant\n", "x")) is None
    # A selection that quotes an opener is the writer's text, not the template's.
    quoted = "<|im_start|>user\nRewrite: she wrote <think> on the wall<|im_end|>\n<|im_start|>assistant\n"
    assert open_block(generation_tail(quoted, "Rewrite: she wrote <think> on the wall")) is None
    assert open_block("<|start|>assistant<|channel|>analysis<|message|>") is REASONING_MARKERS[3]


def test_thinking_off_says_no_think_only_where_the_template_honours_it() -> None:
    msgs = [{"role": "user", "content": "Rewrite it."}]
    smollm3 = '{%- if "/no_think" in system_message %}{%- set reasoning_mode = "/no_think" %}{%- endif %}'
    qwen3 = "{%- if enable_thinking is defined and enable_thinking is false %}{{- '<think>\\n\\n</think>\\n\\n' }}"
    for template in (smollm3, qwen3):
        assert thinking_off(msgs, template) == [{"role": "system", "content": "/no_think"}, *msgs]
    with_system = [{"role": "system", "content": "You are an editor."}, *msgs]
    assert thinking_off(with_system, qwen3)[0] == {"role": "system", "content": "You are an editor.\n\n/no_think"}
    assert thinking_off(thinking_off(with_system, qwen3), qwen3) == thinking_off(with_system, qwen3)
    gemma = "{{ bos_token }}{% for message in messages %}<start_of_turn>{{ message['role'] }}"
    assert thinking_off(msgs, gemma) is msgs and with_system[0]["content"] == "You are an editor."
    assert markers_in(qwen3) is REASONING_MARKERS[0] and markers_in(gemma) is None


def test_the_shown_stream_applies_stops_and_spacing_to_the_answer_only() -> None:
    # A stop sequence inside the reasoning must not end the answer; leading spaces are the answer's.
    out = OutputStream(stops=("\n",), leading=Leading.ALL, trim_trailing=True)
    s = ShownStream(out)
    pieces = [s.feed(b) for b in (b"<thi", b"nk>line one\nline two", b"</think>\n\n  Grief", b" sat.\nNote")]
    assert "".join(pieces) + s.finish() == "Grief sat." == s.text
    assert s.done and s.stop_reason is StopReason.STOP
    # A CJK character split across tokens inside and after a block.
    s = ShownStream(OutputStream())
    raw = "<think>想一想</think>风暴".encode()
    text = "".join(s.feed(raw[i:i + 1]) for i in range(len(raw))) + s.finish()
    assert text == "风暴" and s.take_thought() == "想一想"


def test_the_shown_stream_says_why_the_answer_ended() -> None:
    # The form's line count, not the lines of the reasoning, ends a poem; a stop sequence ends the rest.
    s = ShownStream(OutputStream(max_lines=2))
    text = "".join(s.feed(b) for b in (b"<think>one\ntwo\nthree</think>", b"Line one\n", b"Line two\nLine three"))
    assert s.done and s.stop_reason is StopReason.FORM and text + s.finish() == "Line one\nLine two"
    s = ShownStream(OutputStream(stops=("END",)))
    s.feed(b"<think>no END here</think>The end. END")
    assert s.done and s.stop_reason is StopReason.STOP
