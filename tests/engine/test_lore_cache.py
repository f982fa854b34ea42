"""The lorebook and the per-draft cache, on the real default model: an entry that comes in while the writer types
re-reads only the end of the prompt (the note sits in the draft text just before the scan window, not in the
header), typing on with it in re-reads almost nothing, and a base model reading the note goes on with the story.
The requests are the window's (GenerationService.build_request over a real data folder)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from studio.domain import DEFAULT_SCAN_CHARS, Action, GenerationRequest, LoreHit
from studio.services import Services

from .conftest import run

ENTRY = "Mara is the lighthouse keeper on Gull Rock: sixty years old, afraid of nothing, and she talks to the lamp."
PARA = ("Jonas kept the lighthouse on Gull Rock for eleven winters. Every evening he climbed the iron stairs to the "
        "lamp room, trimmed the wick and polished the great lens until it shone. Ships passed far out at sea, and "
        "their lights blinked back at him across the dark water. On the {n}th night the fog came in from the west.")


def long_draft(engine: Any, tokens: int) -> str:
    paras: list[str] = []
    while len(engine.tokenize("\n\n".join(paras))) < tokens:
        paras.append(PARA.format(n=len(paras) + 1))
    return "\n\n".join(paras)


def test_a_newly_triggered_entry_re_reads_only_the_end_of_the_prompt(engine: Any, sv: Services) -> None:
    body = long_draft(engine, 2000)  # the benchmark's draft length; the key is nowhere in it
    draft = sv.drafts.create("Gull Rock", "prose", body=body)
    sv.lore.add(draft.id, "Mara,玛拉", ENTRY)

    def go(text: str) -> tuple[Any, GenerationRequest]:
        req = sv.generation.build_request(draft, Action.CONTINUE, body=text, seed=1, max_tokens=2)
        return run(engine, req).final.stats, req

    first, req = go(body)
    assert req.lore == ()
    typed = body + " Then Mara climbed the iron stairs again."
    triggered, req = go(typed)
    assert [h.key for h in req.lore] == ["Mara"]
    re_read = triggered.prompt_tokens - triggered.cached_tokens
    # The note goes in at most two scan depths (plus a paragraph) before the cursor: here well under half the
    # prompt. With the entries in the header it was all of it.
    assert re_read <= 0.5 * triggered.prompt_tokens, (re_read, triggered.prompt_tokens, triggered.cached_tokens)
    assert triggered.cached_tokens >= 0.5 * first.prompt_tokens

    # Typing on, the entry still in: the note stays where it was and only the new words are read.
    more = typed + " The lamp turned."
    on, req = go(more)
    assert [h.key for h in req.lore] == ["Mara"]
    assert on.prompt_tokens - on.cached_tokens <= 16, (on.prompt_tokens, on.cached_tokens)


def _letters(text: str) -> str:
    return re.sub(r"[\W\d_]+", "", text)


@pytest.mark.parametrize(("before", "entry", "opener"), [
    ("", "Mara is the lighthouse keeper on Gull Rock; she is deaf in one ear.", "["),
    ("Mara climbed the iron stairs.", "Mara is the lighthouse keeper on Gull Rock; she is deaf in one ear.", "["),
    ("玛拉爬上了铁梯。", "玛拉是海鸥岩上的守塔人，一只耳朵听不见。", "【"),
])
def test_a_continue_right_after_the_note_goes_on_with_the_story(engine: Any, before: str, entry: str,
                                                                 opener: str) -> None:
    """The note is the last thing before the cursor (an empty draft with a pinned entry) or just before a first
    sentence: what the model writes is story text, not more notes."""
    hit = LoreHit(entry_id=1, text=entry, key="" if not before else entry[:2], pinned=not before)
    for seed in (1, 2, 3):
        req = GenerationRequest(action=Action.CONTINUE, before=before, lore=(hit,), seed=seed, max_tokens=40,
                                draft_key="lore-note", lore_depth=DEFAULT_SCAN_CHARS)
        r = run(engine, req)
        out = r.text()
        assert opener not in out and "Lore" not in out and "设定" not in out, (seed, out)
        assert len(_letters(out)) >= 10, (seed, out)  # it wrote something, not an empty stop
