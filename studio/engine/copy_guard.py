"""Never copy, for a poem held to its form: no run of 4 Han characters, or of 3 words, taken from the style's
exemplars or from the poem's own earlier lines, unless the writer wrote that run (a refrain the writer set down may
come back; the writer's draft is never a source to ban).

Matched on the writer's units (studio.engine.guard.units: each Han character, each word casefolded; spaces,
punctuation and line breaks ignored), so a copy re-broken over two lines is still a copy. Once the text ends with
the first k units of such a run, every token that would complete it is banned: for Han, tokens beginning with the
rest of the run (a token can hold several characters: 落知 + 多少); for words, once the first two words are in,
tokens beginning with the third or a piece of it. The output guard (guard.py) still bans the exemplars' longer
runs for every generation; this is the stricter rule the held forms keep.

Cost per token: one dictionary lookup per run length on the text's last units, plus the earlier lines' runs added
as lines complete; measured in bench/forms_bench.py (held vs free seconds per token).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from studio.domain.text import is_cjk
from studio.engine.guard import first_unit, units

COPY_HAN = 4
COPY_WORDS = 3
WRITER_CHARS = 20_000  # how much of the draft around the cursor counts as the writer's own runs


def _is_han(unit: str) -> bool:
    return is_cjk(unit[0])


def runs_of(text: str) -> set[tuple[str, ...]]:
    """Every run the rule is about in ``text``: 4 Han characters in a row, or 3 words in a row."""
    u = units(text)
    out: set[tuple[str, ...]] = set()
    for i in range(len(u)):
        han = _is_han(u[i])
        n = COPY_HAN if han else COPY_WORDS
        run = tuple(u[i:i + n])
        if len(run) == n and all(_is_han(x) == han for x in run):
            out.add(run)
    return out


class PieceIndex:
    """Tokens by the units they begin with, for one vocabulary (built once per model, on first use)."""

    def __init__(self, pieces: Sequence[str]) -> None:
        self.first = [first_unit(p) for p in pieces]
        self.starts_letter = np.fromiter((bool(p) and p[0].isalpha() for p in pieces), dtype=bool,
                                         count=len(pieces))
        self._index: dict[str, list[int]] = {}
        for i, key in enumerate(self.first):
            if not key:
                continue
            if _is_han(key):
                for k in range(1, len(key) + 1):
                    self._index.setdefault(key[:k], []).append(i)
            else:
                self._index.setdefault(key, []).append(i)

    def completing(self, rest: tuple[str, ...], *, new_word: bool) -> list[int]:
        """Tokens that would complete a run whose missing part is ``rest``."""
        if _is_han(rest[0]):
            return self._index.get("".join(rest)[:8], [])
        word = rest[0]
        out: list[int] = []
        for k in range(1, min(len(word), 8) + 1):
            out.extend(i for i in self._index.get(word[:k], [])
                       if not _is_han(self.first[i]) and not (new_word and self.starts_letter[i]))
        return out


class CopyGuard:
    """The banned runs for one generation and the tokens that would complete one (see the module docstring)."""

    def __init__(self, index: PieceIndex, exemplars: Iterable[str], writer: str = "") -> None:
        self._index = index
        self._writer = runs_of(writer)
        self._next: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
        self._lengths: set[int] = set()
        self._seen_lines = 0
        for ex in exemplars:
            self._add(runs_of(ex))

    def _add(self, runs: set[tuple[str, ...]]) -> None:
        for run in runs - self._writer:
            han = _is_han(run[0])
            for k in (range(1, len(run)) if han else (len(run) - 1,)):
                self._next.setdefault(run[:k], set()).add(run[k:])
                self._lengths.add(k)

    def banned(self, lead: str, text: str) -> list[int]:
        """Token ids that would complete a banned run after ``lead`` (the writer's part of the current line)
        followed by ``text`` (what the model has written so far)."""
        lines_done = text.count("\n")
        if lines_done > self._seen_lines:
            # The poem's own finished lines become sources as they complete.
            self._add(runs_of(text[: text.rfind("\n") + 1]))
            self._seen_lines = lines_done
        if not self._next:
            return []
        whole = (lead + text)[-200:]
        tail = units(whole)
        in_word = bool(whole) and whole[-1].isalpha() and not is_cjk(whole[-1])
        out: list[int] = []
        for k in self._lengths:
            if len(tail) >= k:
                for rest in self._next.get(tuple(tail[-k:]), ()):
                    out.extend(self._index.completing(rest, new_word=in_word))
        return out


def copied_runs(poem: str, exemplars: Iterable[str], writer: str = "") -> list[str]:
    """The runs of ``poem`` copied from the exemplars or from the poem's earlier lines, the writer's runs aside:
    what the benchmark counts (line by line, as a reader sees copies)."""
    writer_runs = runs_of(writer)
    sources: set[tuple[str, ...]] = set()
    for ex in exemplars:
        for line in ex.splitlines():
            sources |= runs_of(line)
    found: list[str] = []
    for line in poem.splitlines():
        mine = runs_of(line)
        for run in sorted(mine & sources - writer_runs):
            found.append(("" if _is_han(run[0]) else " ").join(run))
        sources |= mine
    return found
