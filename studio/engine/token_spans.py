"""Where each generated token's text lands in the text a writer is shown (issue 15's token view).

The shown text is not the tokens' text laid end to end: the stream holds back a split UTF-8 character, reasoning
and its markers are taken out (and the whitespace after them), the editor's leading spaces are dropped, text that
may begin a stop sequence waits, a stop or a line limit cuts the rest, and a plan's prefix comes first. Matching
token texts against the shown text would guess; this follows the characters instead. Each token owns the
characters its bytes completed ("source" characters, counted as the stream decodes them); the reasoning filter
records where its visible pieces came from (``ReasoningFilter.runs``); the output stream says how many of those
it dropped at the start and how many it has handed out. Together they place every source character exactly.

A token's span is known once all its characters are settled (shown, or known never to be): until then it waits,
so a span never changes after it is sent.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from studio.domain import TokenAlternatives

if TYPE_CHECKING:
    from studio.engine.reasoning import ReasoningFilter
    from studio.engine.textstream import OutputStream

_ALL = 1 << 62  # "everything is settled"


class TokenSpans:
    """The source characters of each token of one alternative, and their places in its shown text."""

    def __init__(self, filter_: ReasoningFilter, out: OutputStream) -> None:
        self._filter = filter_
        self._out = out
        self._ranges: list[tuple[int, int]] = []  # per token: its source characters [start, end)
        self._ended = False

    def mark(self) -> int:
        """Where the next piece's characters will start (call before feeding it)."""
        return self._filter.fed

    def took(self, tokens: Sequence[TokenAlternatives], start: int) -> None:
        """The tokens not placed yet (``tokens[len(placed):]``) came with the piece whose characters start at
        ``start`` and end where the stream now is."""
        new = len(tokens) - len(self._ranges)
        if new <= 0:
            return
        end = self._filter.fed
        texts = [t.text for t in tokens[len(self._ranges):]]
        if new > 1 and sum(map(len, texts)) == end - start and not any("\ufffd" in t for t in texts):
            for text in texts:  # a server's chunk of several whole tokens
                self._ranges.append((start, start + len(text)))
                start += len(text)
            return
        # One token, or several whose characters cannot be told apart (a character split across them): the
        # last one completed the piece's characters.
        self._ranges.extend([(start, start)] * (new - 1))
        self._ranges.append((start, end))

    def end(self) -> None:
        """The stream has ended: every character is settled."""
        self._ended = True

    def settle(self, tokens: list[TokenAlternatives] | tuple[TokenAlternatives, ...], fresh: int) -> int:
        """Give ``tokens[fresh:]`` whose characters are all settled their spans (written back into a list) and
        return how many tokens are settled (the next ``fresh``). A tuple is read as the tail of the placed tokens
        (an engine that passes only the tokens not yet sent)."""
        offset = len(self._ranges) - len(tokens) if isinstance(tokens, tuple) else 0
        limit = self._settled()
        k = fresh
        while k < len(tokens) and 0 <= k + offset < len(self._ranges) and self._ranges[k + offset][1] <= limit:
            k += 1
        if isinstance(tokens, list):
            for i in range(fresh, k):
                tokens[i] = self._placed(tokens[i], self._ranges[i])
        return k

    def placed(self, tokens: tuple[TokenAlternatives, ...]) -> tuple[TokenAlternatives, ...]:
        """``tokens`` (the tail of the placed ones) with their spans, for an engine that keeps no list."""
        offset = len(self._ranges) - len(tokens)
        return tuple(self._placed(t, self._ranges[offset + i]) if offset + i >= 0 else t
                     for i, t in enumerate(tokens))

    # -------------------------------------------------------------------------------------------- internals

    def _settled(self) -> int:
        """The source position before which every character is shown or known never to be."""
        if self._ended or self._out.done:
            return _ALL
        held = self._filter.fed - self._filter.held  # the filter still holds what may begin a marker
        kept, emitted, _ = self._out.placement
        first_unshown = self._filter.out_len - kept + emitted  # in the filter's output
        source = self._source_of(first_unshown)
        return held if source is None else min(held, source)

    def _source_of(self, out_pos: int) -> int | None:
        runs = self._filter.runs
        i = bisect.bisect_right(runs, out_pos, key=lambda r: r[1]) - 1
        if i < 0 or out_pos >= runs[i][1] + runs[i][2]:
            return None
        return runs[i][0] + out_pos - runs[i][1]

    def _shown_at(self, source: int) -> int | None:
        runs = self._filter.runs
        i = bisect.bisect_right(runs, source, key=lambda r: r[0]) - 1
        if i < 0 or source >= runs[i][0] + runs[i][2]:
            return None  # reasoning, a marker, whitespace after a block
        kept, emitted, lead = self._out.placement
        raw = runs[i][1] + source - runs[i][0] - (self._filter.out_len - kept)
        return lead + raw if 0 <= raw < emitted else None

    def _placed(self, token: TokenAlternatives, source: tuple[int, int]) -> TokenAlternatives:
        shown = [p for p in map(self._shown_at, range(*source)) if p is not None]
        if not shown:
            return token
        return replace(token, start=min(shown), end=max(shown) + 1)
