"""Rhyme held while a poem is sampled: what the last character or word of the line being written may be.

Used by form_steer.LineSteer (in-process) and remote_request.line_grammar (llama-server's GBNF). Pure functions
over the poem's lines so far (the writer's lines in the draft first, then the model's), plus per-vocabulary masks.

Chinese regulated verse (绝句, 律诗), judged like studio.forms.poetry.check judges it (平水韵 by default): the rhyme
positions are the even lines, and line 1 when it rhymes. Once the first rhyme position is written, each later one
ends on a character of the group(s) it is in, narrowed as polyphonic characters settle which group is meant. Until
then the model is held to a 平声 group (近体诗 rhyme on the level tone): the groups of line 1's last character when
that is 平 (in the standard patterns a first line ending on 平 is a rhyming line, 首句入韵), else any 平 group.
A rhyme the writer chose counts as it is, 仄 groups included (春晓: 晓/鸟/少).

English (limerick AABBA, sonnet ABAB CDCD EFEF GG): the last word of a line whose letter appeared before must share
a rhyme key (CMU dictionary, studio.forms.rhyme.english_rhyme_keys) with that letter's lines; for a limerick, whose
checker wants the B lines to be a new rhyme, a new letter's last word must not rhyme with an earlier letter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from studio.domain.text import is_cjk

REGULATED = frozenset({"wujue", "qijue", "wulv", "qilv"})
# Scheme to steer toward, and whether a new letter must not rhyme with an earlier one (the limerick checker calls
# a B line that rhymes with A "wants a new rhyme"; a sonnet is only checked on the lines that must rhyme).
ENGLISH_SCHEMES: dict[str, tuple[str, bool]] = {"limerick": ("AABBA", True), "sonnet": ("ABABCDCDEFEFGG", False)}

_TRAILING = re.compile(r"[\s\W_]+$")
_SPACE_WORD = re.compile(r" ([A-Za-z]+(?:'[a-z]+)?)")
_LAST_WORD = re.compile(r"([A-Za-z]+(?:['’][A-Za-z]+)*)[^A-Za-z]*$")


@dataclass(frozen=True)
class RhymePlan:
    kind: str  # "han" (regulated Chinese verse) or "en"
    scheme: str = ""  # English: one letter per line of the poem ("x": free)
    distinct: bool = False  # English: a new letter may not rhyme with an earlier one
    system: str = "pingshui"


def rhyme_plan_for(form: str, language: str) -> RhymePlan | None:
    if form in REGULATED:
        return RhymePlan(kind="han")
    if language == "en" and form in ENGLISH_SCHEMES:
        scheme, distinct = ENGLISH_SCHEMES[form]
        return RhymePlan(kind="en", scheme=scheme, distinct=distinct)
    return None


# ------------------------------------------------------------------------------------------- Chinese


def rhyme_char(line: str) -> str | None:
    """The Han character a line ends on, punctuation aside (None when it ends in anything else)."""
    core = _TRAILING.sub("", line)
    return core[-1] if core and is_cjk(core[-1]) else None


@lru_cache(maxsize=4)
def ping_groups(system: str = "pingshui") -> frozenset[str]:
    """The level-tone groups a model's first rhyme is held to. Only 平水韵 names its groups up front; under the
    modern books the first rhyme is left to the model (an empty set)."""
    if system != "pingshui":
        return frozenset()
    from studio.forms.rhymebook import is_ping_group, pingshui_groups

    return frozenset(g for g in pingshui_groups() if is_ping_group(g))


def _groups(char: str | None, system: str) -> frozenset[str]:
    if char is None:
        return frozenset()
    from studio.forms.rhymebook import groups_of

    return groups_of(char, system)


def han_groups(lines: Sequence[str], current: int, writer_lines: int,
               system: str = "pingshui") -> frozenset[str] | None:
    """The rhyme groups line ``current`` (0-based) must end in, given the poem's earlier lines (the first
    ``writer_lines`` of them the writer's); None when the line is not a rhyme position (see the module docstring)."""
    if current % 2 == 0:
        return None
    from studio.forms.rhymebook import is_ping_group

    chosen: frozenset[str] | None = None
    first: frozenset[str] = frozenset()
    for i in range(min(current, len(lines))):
        gs = _groups(rhyme_char(lines[i]), system)
        if not gs:
            continue
        if i == 0:
            first = frozenset(g for g in gs if is_ping_group(g))
        elif i % 2 == 1:
            if chosen is None:
                # The model's first rhyme was held to these groups, so they are what it chose among; the writer's
                # counts with every group its character has.
                held = first or ping_groups(system)
                chosen = gs if i < writer_lines else (gs & held or gs)
            else:
                chosen = chosen & gs or chosen  # a polyphonic rhyme settles which group is meant
    if chosen is not None:
        return chosen
    return first or ping_groups(system) or None


@lru_cache(maxsize=256)
def group_chars(groups: frozenset[str], system: str = "pingshui") -> frozenset[str]:
    from studio.forms.rhymebook import chars_of

    out: set[str] = set()
    for g in groups:
        out |= chars_of(g, system)
    return frozenset(out)


def last_han_codes(pieces: Sequence[str]) -> np.ndarray:
    """Per token: the code point of its last Han character (0 for none): what a line ends on when the token
    ends it."""
    out = np.zeros(len(pieces), dtype=np.int32)
    for i, p in enumerate(pieces):
        for c in reversed(p):
            if is_cjk(c):
                out[i] = ord(c)
                break
    return out


# ------------------------------------------------------------------------------------------- English


def line_keys(line: str) -> frozenset[str]:
    """Rhyme keys of a line's last English word (empty when it ends in none)."""
    m = _LAST_WORD.search(line)
    if m is None:
        return frozenset()
    from studio.forms.rhyme import english_rhyme_keys

    return english_rhyme_keys(m.group(1))


@dataclass(frozen=True)
class EnglishNeed:
    required: frozenset[str] | None  # the last word must have one of these keys (None: any)
    forbidden: frozenset[str]  # ... and none of these

    def fits(self, keys: frozenset[str]) -> bool:
        if keys & self.forbidden:
            return False
        return self.required is None or bool(keys & self.required)

    def __bool__(self) -> bool:
        return self.required is not None or bool(self.forbidden)


def english_need(lines: Sequence[str], current: int, plan: RhymePlan) -> EnglishNeed:
    """What the last word of line ``current`` needs, from the earlier lines and the scheme."""
    groups: dict[str, frozenset[str]] = {}
    for i in range(min(current, len(lines), len(plan.scheme))):
        letter, keys = plan.scheme[i], line_keys(lines[i])
        if letter == "x" or not keys:
            continue
        if letter in groups:
            shared = groups[letter] & keys
            if shared:  # narrow to the sound the lines share, as the checker does
                groups[letter] = shared
        else:
            groups[letter] = keys
    letter = plan.scheme[current] if current < len(plan.scheme) else "x"
    if letter == "x":
        return EnglishNeed(None, frozenset())
    forbidden: frozenset[str] = frozenset()
    if plan.distinct:
        forbidden = frozenset().union(*(keys for other, keys in groups.items() if other != letter))
    return EnglishNeed(groups.get(letter), forbidden)


class RhymeVocab:
    """Tokens that are a whole English word after a space (" day", " Peru"), by rhyme key: what a line may end on
    when it must rhyme. Only dictionary words (no spelling guesses), built once per model on first use."""

    def __init__(self, pieces: Sequence[str], syllables: np.ndarray) -> None:
        from studio.forms.counting import pronunciations
        from studio.forms.rhyme import english_rhyme_keys

        self.n = len(pieces)
        self.syllables = syllables
        self.word = np.zeros(self.n, dtype=bool)
        by_key: dict[str, list[int]] = {}
        by_word: dict[str, list[int]] = {}
        for i, p in enumerate(pieces):
            m = _SPACE_WORD.fullmatch(p)
            if m is None or len(m.group(1)) < 2 and m.group(1).lower() not in ("a", "i"):
                continue
            if not pronunciations(m.group(1)):
                continue
            self.word[i] = True
            by_word.setdefault(m.group(1).lower(), []).append(i)
            for k in english_rhyme_keys(m.group(1)):
                by_key.setdefault(k, []).append(i)
        self.by_key = {k: np.asarray(v, dtype=np.int64) for k, v in by_key.items()}
        self.by_word = by_word
        self._masks: dict[EnglishNeed, np.ndarray] = {}

    def _of(self, keys: frozenset[str]) -> np.ndarray:
        mask = np.zeros(self.n, dtype=bool)
        for k in keys:
            ids = self.by_key.get(k)
            if ids is not None:
                mask[ids] = True
        return mask

    def mask(self, need: EnglishNeed) -> np.ndarray:
        """Word tokens that end a line as ``need`` wants."""
        found = self._masks.get(need)
        if found is None:
            found = self._of(need.required) if need.required is not None else self.word.copy()
            if need.forbidden:
                found &= ~self._of(need.forbidden)
            self._masks[need] = found
        return found

    def same_words(self, lines: Sequence[str]) -> np.ndarray:
        """Tokens of the words earlier lines end on: a word does not rhyme with itself (Peru/Peru)."""
        mask = np.zeros(self.n, dtype=bool)
        for line in lines:
            m = _LAST_WORD.search(line)
            if m is not None:
                mask[self.by_word.get(m.group(1).lower(), [])] = True
        return mask

    def forbidden_mask(self, need: EnglishNeed) -> np.ndarray:
        return self._of(need.forbidden)

    def min_syllables(self, need: EnglishNeed) -> int:
        """The fewest syllables of a word that fits (0 when none does)."""
        s = self.syllables[self.mask(need)]
        s = s[s > 0]
        return int(s.min()) if len(s) else 0
