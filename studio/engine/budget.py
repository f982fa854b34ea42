"""The context budget: which part of a draft the model reads when all of it does not fit.

Cuts fall at paragraph (else line, sentence, word) boundaries and move rarely, so that the prompt's prefix, and
with it llama.cpp's cache, survives while a draft grows (engine-notes: each trim forces a full re-read).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

Tokenize = Callable[[str, bool], list[int]]  # (text, parse_special_tokens) -> token ids, no BOS

TRIM_STEPS = 4  # the draft budget is cut in steps of about a quarter: trims are rare and large


def preview_of(dropped: str) -> str:
    dropped = dropped.strip()
    if len(dropped) <= 160:
        return dropped
    return f"{dropped[:70].rstrip()} … {dropped[-70:].lstrip()}"


_BOUNDARIES = (re.compile(r"\n[ \t]*\n"), re.compile(r"\n"), re.compile(r"(?<=[.!?…。！？」』”\"'])\s*"),
               re.compile(r"\s+"))


def _cut_point(text: str, target: int) -> int:
    """The first paragraph boundary at or after ``target`` (else line, sentence, word boundary, else target)."""
    window = max(2000, len(text) // 4)
    for pattern in _BOUNDARIES:
        m = pattern.search(text, target, min(len(text), target + window))
        if m is not None and m.end() < len(text):
            return m.end()
    return min(target, len(text))


def trim_oldest(text: str, tokens_of: Callable[[str], int], budget: int) -> tuple[str, int]:
    """Drop the oldest part of ``text`` so that it fits in ``budget`` tokens; returns (kept text, chars dropped).

    Cuts are made at paragraph (else line, sentence, word) boundaries and are quantized: the amount to drop is
    rounded *up* to a multiple of a large step (a power of two near a quarter of the budget, in characters), so
    as a draft grows the cut stays put for a long while and the prompt's prefix stays cacheable; each move of
    the cut forces llama.cpp to re-read the whole draft.
    """
    n = tokens_of(text)
    if n <= budget:
        return text, 0
    chars_per_token = max(0.5, len(text) / max(1, n))
    step = 2 ** max(6, int(math.log2(max(1.0, budget * chars_per_token / TRIM_STEPS))))
    excess_chars = (n - budget) * chars_per_token
    k = max(1, math.ceil(excess_chars / step))
    while True:
        cut = _cut_point(text, k * step)
        if cut >= len(text):
            return "", len(text)
        kept = text[cut:]
        if tokens_of(kept) <= budget:
            return kept, cut
        k += 1


def tail_within(text: str, tokenize: Tokenize, budget: int) -> str:
    if not text or budget <= 0:
        return ""
    tail = text[-budget * 6:]
    while tail and len(tokenize(tail, False)) > budget:
        tail = tail[len(tail) // 4:]
    if len(tail) < len(text):
        m = re.search(r"(?<=[.!?…。！？\n])\s*", tail)
        if m is not None and m.end() < len(tail):
            tail = tail[m.end():]
    return tail


def head_within(text: str, tokenize: Tokenize, budget: int) -> str:
    if not text or budget <= 0:
        return ""
    head = text[: budget * 6]
    while head and len(tokenize(head, False)) > budget:
        head = head[: len(head) * 3 // 4]
    if len(head) < len(text):
        ends = [m.end() for m in re.finditer(r"[.!?…。！？\n]", head)]
        if ends:
            head = head[: ends[-1]]
    return head
