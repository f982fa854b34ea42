"""Each token's place in the shown text (issue 15's token view): the engines' shared streaming step (job.shown_piece,
job.stream_tail) gives every token whose text is shown its character span in the alternative's text, through
split characters, dropped leading spaces, held-back stop prefixes, stops, reasoning and a plan's prefix; and on
the real default model, English and Chinese, every span holds its token's text."""

from __future__ import annotations

from studio.domain import Action, GenerationRequest, Sampler, TextDelta, TokenAlternatives
from studio.engine import job
from studio.engine.llama_engine import LlamaEngine
from studio.engine.prompts import PromptPlan
from studio.engine.textstream import Leading
from tests.engine.conftest import run


def _plan(**kw: object) -> PromptPlan:
    return PromptPlan(action=Action.CONTINUE, mode="completion", tokens=[1], text="", sampler=Sampler(),
                      max_tokens=50, **kw)  # type: ignore[arg-type]


def _stream(plan: PromptPlan, pieces: list[bytes]) -> tuple[str, list[TokenAlternatives], list[TextDelta]]:
    """Feed one token per piece as the local engine does; the shown text, the tokens, the deltas."""
    out = job.output_stream(plan)
    seen: list[TokenAlternatives] = []
    fresh = 0
    events: list[object] = []

    def feed(raw: bytes) -> None:
        nonlocal fresh
        seen.append(TokenAlternatives(raw.decode("utf-8", errors="replace"), 0.5))
        gen = job.shown_piece(out, raw, 0, seen, fresh)
        try:
            while True:
                events.append(next(gen))
        except StopIteration as stop:
            fresh = stop.value

    for raw in pieces:
        if out.done:
            break
        feed(raw)
    events.extend(job.stream_tail(out, 0, seen, fresh))
    deltas = [e for e in events if isinstance(e, TextDelta)]
    assert "".join(d.text for d in deltas) == out.text
    # Every token goes out once, in order, with the span it ends with.
    assert [t for d in deltas for t in d.tokens] == seen[:sum(len(d.tokens) for d in deltas)]
    return out.text, seen, deltas


def _spans(tokens: list[TokenAlternatives]) -> list[tuple[int, int] | None]:
    return [None if t.start is None else (t.start, t.end or 0) for t in tokens]


def test_plain_tokens_get_consecutive_spans() -> None:
    text, tokens, _ = _stream(_plan(), [b"The", b" cat", b" sat", b"."])
    assert text == "The cat sat."
    assert _spans(tokens) == [(0, 3), (3, 7), (7, 11), (11, 12)]


def test_dropped_leading_spaces_and_a_space_only_token() -> None:
    text, tokens, _ = _stream(_plan(leading=Leading.SPACES), [b" ", b" The", b" end"])
    assert text == "The end"
    assert _spans(tokens) == [None, (0, 3), (3, 7)]


def test_a_character_split_across_tokens_belongs_to_the_token_that_completes_it() -> None:
    lamp = "灯".encode()
    text, tokens, _ = _stream(_plan(), ["他点亮".encode(), lamp[:2], lamp[2:], "。".encode()])
    assert text == "他点亮灯。"
    assert _spans(tokens) == [(0, 3), None, (3, 4), (4, 5)]


def test_a_held_stop_prefix_waits_and_a_stop_leaves_the_rest_unshown() -> None:
    # "\n" may begin the stop "\n\n": the token waits until it is known to be text, then goes out with its span.
    text, tokens, deltas = _stream(_plan(stops=("\n\n",)), [b"One", b"\n", b"Two", b"\n", b"\n", b"Three"])
    assert text == "One\nTwo"
    assert _spans(tokens) == [(0, 3), (3, 4), (4, 7), None, None]
    assert [len(d.tokens) for d in deltas if d.text] == [1, 2]  # "\n" went out with "Two", not before


def test_a_token_half_shown_before_a_stop_spans_what_is_shown() -> None:
    text, tokens, _ = _stream(_plan(stops=("END",)), [b"Go", b" onEND", b" more"])
    assert text == "Go on"
    assert _spans(tokens) == [(0, 2), (2, 5)]


def test_reasoning_is_skipped_and_the_answer_placed_after_the_block() -> None:
    text, tokens, _ = _stream(_plan(), [b"<think>", b"hmm", b"</think>", b"\n", b"Yes", b" indeed"])
    assert text == "Yes indeed"
    assert _spans(tokens) == [None, None, None, None, (0, 3), (3, 10)]


def test_a_plan_prefix_shifts_every_span() -> None:
    text, tokens, _ = _stream(_plan(prefix="\n\n"), [b"Line", b" two"])
    assert text == "\n\nLine two"
    assert _spans(tokens) == [(2, 6), (6, 10)]


def test_a_servers_chunk_of_several_tokens_is_split_by_their_texts() -> None:
    out = job.output_stream(_plan())
    seen = [TokenAlternatives("Hel", 0.4), TokenAlternatives("lo", 0.9)]
    events = list(job.shown_piece(out, b"Hello", 0, seen, 0))
    list(job.stream_tail(out, 0, seen, 2))
    assert [e.text for e in events if isinstance(e, TextDelta)] == ["Hello"]
    assert _spans(seen) == [(0, 3), (3, 5)]


def _check_spans(text: str, tokens: tuple[TokenAlternatives, ...]) -> int:
    """Every span inside the text, increasing, and holding its token's text; returns how many have one."""
    last = 0
    placed = 0
    for t in tokens:
        if t.start is None:
            continue
        assert t.end is not None and last <= t.start < t.end <= len(text), (t, last, len(text))
        shown = text[t.start:t.end]
        if "\ufffd" in t.text:  # the token completed a split character: its span is that character
            assert len(shown) == 1 and shown not in t.text
        else:
            assert shown == t.text or (t.start == 0 and shown == t.text.lstrip()), (shown, t.text)
        last = t.end
        placed += 1
    return placed


def test_spans_hold_their_tokens_on_the_real_model(engine: LlamaEngine) -> None:
    for before, seed in (("The lighthouse keeper climbed the stairs every evening. At the top, he ", 3),
                         ("灯塔看守人每天傍晚都爬上楼梯。到了顶上，他", 5)):
        request = GenerationRequest(action=Action.CONTINUE, before=before, seed=seed, max_tokens=40, logprobs=3)
        r = run(engine, request)
        text, tokens = r.final.text, r.final.tokens
        assert text and tokens
        placed = _check_spans(text, tokens)
        assert placed >= len(tokens) * 0.8, (placed, len(tokens))
        # The spans cover the whole shown text but for what a token only began.
        assert sum((t.end or 0) - (t.start or 0) for t in tokens) == len(text)
        assert [t for d in r.deltas for t in d.tokens] == list(tokens[:sum(len(d.tokens) for d in r.deltas)])
