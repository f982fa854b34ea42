"""Holding a poem to its form's line lengths while it is sampled (a llama-cpp-python logits processor).

Stopping at the form's line count is done by the output stream (textstream.max_lines); this steers each line's
length: below the line's target a line break is forbidden, at the target only a line break (or, for Chinese,
closing punctuation then a line break) is allowed, and for Chinese a token that would overshoot the target's
character count is forbidden. Measured with bench/forms_bench.py (docs/benchmarks.md): pass rates of the form
checker with and without it, on the default model.

The per-token facts (does the piece hold a line break, how many Han characters, how many syllables) are
computed once per model, lazily, the first time a poem is held to a form.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from studio.domain.text import is_cjk

if TYPE_CHECKING:
    from studio.forms.poetry import LineTarget

log = logging.getLogger(__name__)

_CLOSING = set("，。！？；、,.!?;:：")
_CJK_CLOSING = set("，。！？；、：")


@dataclass(frozen=True)
class LinePlan:
    unit: str  # "han" (Chinese characters) or "syllable"
    targets: tuple[int, ...]  # per-line target, for the lines still to write
    first_line_done: int = 0  # units already written on the line the cursor is in


class TokenFacts:
    """Per-token-id arrays for one vocabulary."""

    def __init__(self, pieces: Sequence[str], eog: Sequence[int] = ()) -> None:
        from studio.forms.counting import count_syllables

        n = len(pieces)
        self.newline = np.zeros(n, dtype=bool)
        self.exact_newline = np.zeros(n, dtype=bool)
        self.han = np.zeros(n, dtype=np.int16)
        self.syllables = np.zeros(n, dtype=np.int16)
        self.letters = np.zeros(n, dtype=bool)
        self.punct = np.zeros(n, dtype=bool)
        self.cjk_closing = np.zeros(n, dtype=bool)  # nothing but Chinese closing marks (，。！？；)
        self.pure_han = np.zeros(n, dtype=bool)  # nothing but Han characters: what a classical line is made of
        self.eog = np.zeros(n, dtype=bool)  # end-of-generation tokens: not while lines are still owed
        self.eog[[i for i in eog if 0 <= i < n]] = True
        for i, p in enumerate(pieces):
            if not p:
                continue
            self.punct[i] = any(c in _CLOSING for c in p)
            self.cjk_closing[i] = all(c in _CJK_CLOSING for c in p)
            if "\n" in p:
                self.newline[i] = True
                self.exact_newline[i] = p == "\n"
            han = sum(1 for c in p if is_cjk(c))
            self.han[i] = han
            self.pure_han[i] = han == len(p)
            if any(c.isalpha() for c in p):
                self.letters[i] = True
                if not han:
                    try:
                        self.syllables[i] = count_syllables(p)
                    except Exception:  # noqa: BLE001 - an odd piece just counts as 0
                        self.syllables[i] = 0


def token_facts_for(detokenize: Callable[[int], bytes], n_vocab: int,
                    is_eog: Callable[[int], bool] = lambda _i: False) -> TokenFacts:
    pieces = []
    eog = []
    for i in range(n_vocab):
        if is_eog(i):
            eog.append(i)
        try:
            pieces.append(detokenize(i).decode("utf-8", errors="ignore"))
        except Exception:  # noqa: BLE001 - control tokens can refuse to render
            pieces.append("")
    return TokenFacts(pieces, eog)


class LineSteer:
    """Logits processor: see the module docstring. ``decode`` turns generated token ids into text."""

    def __init__(self, plan: LinePlan, facts: TokenFacts, n_prompt: int, decode: Callable[[list[int]], str]) -> None:
        self._plan = plan
        self._facts = facts
        self._n_prompt = n_prompt
        self._decode = decode

    def _state(self, input_ids: np.ndarray) -> tuple[int, int, str]:
        """(index of the line being written, units on it so far, its text)."""
        text = self._decode([int(t) for t in input_ids[self._n_prompt:]])
        lines = text.split("\n")
        idx = len(lines) - 1
        cur = lines[-1]
        done = self._units(cur) + (self._plan.first_line_done if idx == 0 else 0)
        return idx, done, cur

    def _units(self, line: str) -> int:
        if self._plan.unit == "han":
            return sum(1 for c in line if is_cjk(c))
        from studio.forms.counting import count_syllables

        return count_syllables(line) if line.strip() else 0

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        idx, done, cur = self._state(input_ids)
        if idx >= len(self._plan.targets):
            return scores
        target = self._plan.targets[idx]
        f = self._facts
        n = min(len(scores), len(f.newline))
        blocked = np.zeros(len(scores), dtype=bool)
        if idx < len(self._plan.targets) - 1 or done < target:
            blocked[:n] |= f.eog[:n]  # the poem is not finished yet
        if done < target:
            blocked[:n] |= f.newline[:n]  # not yet: no line break
            if self._plan.unit == "han":
                blocked[:n] |= f.han[:n] > (target - done)  # no token that would overshoot
                # Only Han characters inside the line: no comma (a classical line is one unbroken verse), no
                # space, and no letters, digits or marks of any kind (Arabic letters and "* * *" once filled a
                # line's count here: issue 9).
                blocked[:n] |= ~f.pure_han[:n]
            else:
                # No word that would run past the line's syllables ("radio" after four of a haiku's five).
                blocked[:n] |= f.syllables[:n] > (target - done)
        else:
            if self._plan.unit == "han":
                stripped = cur.rstrip()
                if stripped and stripped[-1] in _CLOSING:
                    blocked[:n] |= ~f.exact_newline[:n]  # the line is complete: break it
                else:
                    # A Chinese closing mark or the break, nothing else: no more characters, and no ASCII comma,
                    # digit or other mark ending a classical line.
                    blocked[:n] |= ~(f.cjk_closing[:n] | f.exact_newline[:n])
            else:
                blocked[:n] |= ~f.exact_newline[:n]
        if blocked.all():
            return scores
        scores = scores.copy()
        scores[blocked] = -np.inf
        return scores


def line_target(name: str) -> LineTarget | None:
    """The poetry form's line target from studio.forms, when that module offers it (optional dependency)."""
    try:
        from studio.forms.poetry import line_target as poetry_line_target
    except ImportError:
        return None
    try:
        return poetry_line_target(name)
    except Exception:  # noqa: BLE001 - an unknown form name just means no hold
        return None


def line_plan_for(form: str, before: str) -> LinePlan | None:
    """Per-line length targets for the lines still to write (None for forms without fixed line lengths)."""
    target = line_target(form)
    per_line = tuple(target.per_line or ()) if target is not None else ()
    if target is None or not per_line:
        return None
    unit = "han" if target.unit == "characters" else "syllable"
    stanza = re.split(r"\n[ \t]*\n", before)[-1]
    lines = [ln for ln in stanza.split("\n") if ln.strip()]
    partial = ""
    if lines and not before.endswith("\n"):
        partial = lines.pop()  # the cursor is inside this line: it is still being written
    done = len(lines) if len(lines) < len(per_line) else 0
    if unit == "han":
        first = sum(1 for c in partial if is_cjk(c))
    else:
        from studio.forms.counting import count_syllables

        first = count_syllables(partial) if partial.strip() else 0
    return LinePlan(unit=unit, targets=per_line[done:], first_line_done=first)


def lines_left(form: str, before: str) -> int | None:
    """Lines still to write for a fixed form: its line count minus the lines of the poem already begun (the
    non-blank lines after the last blank line before the cursor)."""
    target = line_target(form)
    total = target.lines if target is not None else None
    if not total:
        return None
    stanza = re.split(r"\n[ \t]*\n", before)[-1]
    done = [ln for ln in stanza.split("\n") if ln.strip()]
    if done and not before.endswith("\n"):
        done = done[:-1]  # the cursor is inside a line: that line is still being written
    left = total - len(done)
    return left if left > 0 else total
