"""Holding a poem to its form while it is sampled (a llama-cpp-python logits processor).

Stopping at the form's line count is done by the output stream (textstream.max_lines); this steers each line's
length: below the line's target a line break is forbidden, at the target only a line break (or, for Chinese,
closing punctuation then a line break) is allowed, and for Chinese a token that would overshoot the target's
character count is forbidden. On top of the lengths (issue 13):

* **rhyme** (rhyme_steer.py): a token that ends a line at a rhyme position must end it on the rhyme: for Chinese,
  its last Han character in the 平水韵 group(s) held; for English, a whole dictionary word with the partner line's
  rhyme key. An English line that reached its length without rhyming may run on, within the form's accepted
  range, only with a rhyming word (then the break); past the range the break comes anyway, so a line never stalls.
* **copies** (copy_guard.py): no token that completes a run of 4 Han characters or 3 words from the style's
  exemplars or the poem's earlier lines, unless the writer wrote that run.
* **tones**: at the other positions of a regulated Chinese line, a modest logit bonus for characters of the tone
  the standard pattern wants there (never a ban).

When the rules together leave nothing to sample, the copy ban wins over the rhyme and the length rules over both:
the poem stays within its form's lengths and the output guard still ends it cleanly. Measured with
bench/forms_bench.py (docs/benchmarks.md): pass rates of the (rhyme-aware) form checker with and without the hold.

The per-token facts (does the piece hold a line break, how many Han characters, how many syllables) are
computed once per model, lazily, the first time a poem is held to a form.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from studio.domain.text import is_cjk
from studio.engine.rhyme_steer import RhymePlan

if TYPE_CHECKING:
    from studio.engine.copy_guard import PieceIndex
    from studio.engine.rhyme_steer import RhymeVocab
    from studio.forms.poetry import LineTarget

log = logging.getLogger(__name__)

_CLOSING = set("，。！？；、,.!?;:：")
_CJK_CLOSING = set("，。！？；、：")
_VERSE_MARKS = set(" ,.;:!?'\"-—’‘“”")


@dataclass(frozen=True)
class LinePlan:
    unit: str  # "han" (Chinese characters) or "syllable"
    targets: tuple[int, ...]  # per-line target, for the lines still to write
    first_line_done: int = 0  # units already written on the line the cursor is in
    # Accepted (low, high) per line still to write: how far an English line may run on to reach its rhyme.
    ranges: tuple[tuple[int, int], ...] = ()
    written: tuple[str, ...] = ()  # the poem's complete lines already in the draft (the writer's), before targets
    partial: str = ""  # the writer's start of the line the cursor is in
    rhyme: RhymePlan | None = None  # rhyme held (None: lengths only)
    exemplars: tuple[str, ...] = ()  # never copied from (with the poem's own earlier lines)
    writer: str = ""  # the writer's text around the cursor: runs in it may recur
    tones: bool = True  # regulated Chinese verse: nudge the tones toward the standard pattern

    @property
    def first_index(self) -> int:
        """The poem's line index (0-based) of ``targets[0]``."""
        return len(self.written)


class TokenFacts:
    """Per-token-id arrays for one vocabulary."""

    def __init__(self, pieces: Sequence[str], eog: Sequence[int] = ()) -> None:
        from studio.engine.rhyme_steer import last_han_codes
        from studio.forms.counting import count_syllables

        n = len(pieces)
        self.pieces = list(pieces)
        self.last_han = last_han_codes(pieces)  # what a token ends a Chinese line on
        self._rhyme_vocab: RhymeVocab | None = None
        self._piece_index: PieceIndex | None = None
        self._han_masks: dict[tuple[frozenset[str], str], np.ndarray] = {}
        self._tone_masks: dict[str, np.ndarray] = {}
        self.newline = np.zeros(n, dtype=bool)
        self.exact_newline = np.zeros(n, dtype=bool)
        self.han = np.zeros(n, dtype=np.int16)
        self.syllables = np.zeros(n, dtype=np.int16)
        self.letters = np.zeros(n, dtype=bool)
        self.punct = np.zeros(n, dtype=bool)
        self.digits = np.zeros(n, dtype=bool)
        # Nothing but letters, spaces and a verse line's marks: what a held English line is written with.
        self.plain = np.zeros(n, dtype=bool)
        self.space_start = np.zeros(n, dtype=bool)
        self.cjk_closing = np.zeros(n, dtype=bool)  # nothing but Chinese closing marks (，。！？；)
        self.pure_han = np.zeros(n, dtype=bool)  # nothing but Han characters: what a classical line is made of
        self.eog = np.zeros(n, dtype=bool)  # end-of-generation tokens: not while lines are still owed
        self.eog[[i for i in eog if 0 <= i < n]] = True
        for i, p in enumerate(pieces):
            if not p:
                continue
            self.punct[i] = any(c in _CLOSING for c in p)
            self.digits[i] = any(c.isdigit() for c in p)
            self.plain[i] = all(c.isalpha() and not is_cjk(c) or c in _VERSE_MARKS for c in p) and (
                any(c.isalpha() for c in p) or len(p.strip()) <= 3)
            self.space_start[i] = p[0] == " "
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


    def rhyme_vocab(self) -> RhymeVocab:
        """Whole-word tokens by English rhyme key (built on first use: about a second for 262k tokens)."""
        if self._rhyme_vocab is None:
            from studio.engine.rhyme_steer import RhymeVocab

            self._rhyme_vocab = RhymeVocab(self.pieces, self.syllables)
        return self._rhyme_vocab

    def piece_index(self) -> PieceIndex:
        """Tokens by the units they begin with, for the copy guard (built on first use)."""
        if self._piece_index is None:
            from studio.engine.copy_guard import PieceIndex

            self._piece_index = PieceIndex(self.pieces)
        return self._piece_index

    def han_mask(self, groups: frozenset[str], system: str = "pingshui") -> np.ndarray:
        """Tokens whose last Han character is in one of the rhyme groups."""
        key = (groups, system)  # a matched lyric's 十三辙 groups and 平水韵's are different books
        mask = self._han_masks.get(key)
        if mask is None:
            from studio.engine.rhyme_steer import group_chars

            codes = np.fromiter((ord(c) for c in group_chars(groups, system)), dtype=np.int32)
            mask = np.isin(self.last_han, codes) & (self.last_han != 0)
            self._han_masks[key] = mask
        return mask

    def tone_mask(self, tone: str) -> np.ndarray:
        """Single-character Han tokens whose character can take ``tone`` ("平" or "仄") under 平水韵."""
        mask = self._tone_masks.get(tone)
        if mask is None:
            from studio.forms.rhymebook import tone_of

            mask = np.zeros(len(self.pieces), dtype=bool)
            for i in np.flatnonzero((self.han == 1) & self.pure_han):
                if tone in tone_of(self.pieces[i]):
                    mask[i] = True
            self._tone_masks[tone] = mask
        return mask


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


# Logits added to a character of the tone the pattern wants (a nudge the model can overrule, never a ban).
TONE_BONUS = 1.5


class LineSteer:
    """Logits processor: see the module docstring. ``decode`` turns generated token ids into text."""

    def __init__(self, plan: LinePlan, facts: TokenFacts, n_prompt: int, decode: Callable[[list[int]], str]) -> None:
        self._plan = plan
        self._facts = facts
        self._n_prompt = n_prompt
        self._decode = decode
        self._copies = None
        if plan.exemplars or plan.rhyme is not None:
            from studio.engine.copy_guard import WRITER_CHARS, CopyGuard

            self._copies = CopyGuard(facts.piece_index(), plan.exemplars, plan.writer[-WRITER_CHARS:])

    def _units(self, line: str) -> int:
        if self._plan.unit == "han":
            return sum(1 for c in line if is_cjk(c))
        from studio.forms.counting import count_syllables

        return count_syllables(line) if line.strip() else 0

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        plan = self._plan
        text = self._decode([int(t) for t in input_ids[self._n_prompt:]])
        out_lines = text.split("\n")
        idx = len(out_lines) - 1
        if idx >= len(plan.targets):
            return scores
        cur = out_lines[-1]
        done = self._units(cur) + (plan.first_line_done if idx == 0 else 0)
        # The poem so far, the writer's lines first: what the rhyme is read from.
        poem = [*plan.written, plan.partial + out_lines[0], *out_lines[1:]]
        at = plan.first_index + idx
        target = plan.targets[idx]
        f = self._facts
        n = min(len(scores), len(f.newline))
        blocked = np.zeros(len(scores), dtype=bool)  # the length rules
        rhyme = np.zeros(len(scores), dtype=bool)  # the rhyme rules
        bonus: np.ndarray | None = None
        if idx < len(plan.targets) - 1 or done < target:
            blocked[:n] |= f.eog[:n]  # the poem is not finished yet
        if done < target:
            blocked[:n] |= f.newline[:n]  # not yet: no line break
            if plan.unit == "han":
                blocked[:n] |= f.han[:n] > (target - done)  # no token that would overshoot
                # Only Han characters inside the line: no comma (a classical line is one unbroken verse), no
                # space, and no letters, digits or marks of any kind (Arabic letters and "* * *" once filled a
                # line's count here: issue 9).
                blocked[:n] |= ~f.pure_han[:n]
                if plan.rhyme is not None and plan.rhyme.kind in ("han", "zh"):
                    groups = _han_groups(poem, at, plan)
                    if groups:
                        # A token that ends the line ends it on the rhyme.
                        ends = f.han[:n] == (target - done)
                        rhyme[:n] |= ends & ~f.han_mask(groups, plan.rhyme.system)[:n]
                    if plan.tones:
                        bonus = self._tone_bonus(poem, at, done, target, n)
            else:
                # No word that would run past the line's syllables ("radio" after four of a haiku's five).
                blocked[:n] |= f.syllables[:n] > (target - done)
                # Letters and a line's marks only, and a mark only after a word: digits, symbols and runs of marks
                # count no syllables, and "1 female", "#3" and "* * * . ." filled held limericks' lines.
                blocked[:n] |= ~f.plain[:n]
                tail = cur.rstrip()
                if not (tail and tail[-1].isalpha()):
                    blocked[:n] |= ~f.letters[:n]
                # A word has a syllable: a piece that counts none may only go on a word ("don" + "'t"), never start
                # one (" Sh! Sh! Sh!" and " hmm! hmm!" filled lines that had to rhyme).
                zero = f.letters[:n] & (f.syllables[:n] == 0)
                if cur and (cur[-1].isalpha() or cur[-1] in "'’"):
                    zero &= f.space_start[:n]
                blocked[:n] |= zero
                need = self._english_need(poem, at)
                if need:
                    rhyme[:n] |= self._english_end(need, target - done, n, poem[:at])
        else:
            if plan.unit == "han":
                stripped = cur.rstrip()
                if stripped and stripped[-1] in _CLOSING:
                    blocked[:n] |= ~f.exact_newline[:n]  # the line is complete: break it
                else:
                    # A Chinese closing mark or the break, nothing else: no more characters, and no ASCII comma,
                    # digit or other mark ending a classical line.
                    blocked[:n] |= ~(f.cjk_closing[:n] | f.exact_newline[:n])
            else:
                blocked[:n] |= self._english_break(poem, at, idx, done, n)
        copies = np.zeros(len(scores), dtype=bool)
        if self._copies is not None:
            ids = [t for t in self._copies.banned(plan.partial if idx == 0 else "", text) if 0 <= t < len(scores)]
            copies[ids] = True
        # Never sample from nothing: drop the rhyme before the copy ban, and both before the lengths.
        for extra in (rhyme | copies, copies, None):
            final = blocked | extra if extra is not None else blocked
            if not final.all():
                break
        else:
            return scores
        if not final.any() and bonus is None:
            return scores
        scores = scores.copy()
        if bonus is not None:
            scores[:n] += bonus
        scores[final] = -np.inf
        return scores

    # -- English rhyme ---------------------------------------------------------------------------------------

    def _english_need(self, poem: list[str], at: int) -> Any:
        rp = self._plan.rhyme
        if rp is None or rp.kind != "en":
            return None
        from studio.engine.rhyme_steer import english_need

        return english_need(poem, at, rp) or None

    def _english_end(self, need: Any, left: int, n: int, earlier: list[str]) -> np.ndarray:
        """Below the line's length: a word that ends the line must rhyme, and no word may leave less room than
        the shortest rhyming word needs."""
        f = self._facts
        vocab = f.rhyme_vocab()
        out = np.zeros(n, dtype=bool)
        ends = f.letters[:n] & (f.syllables[:n] == left)
        shortest = vocab.min_syllables(need)
        if need.required is not None:
            if not shortest or shortest > left:
                return out  # no rhyme fits in what is left: leave the line alone (the break will not wait)
            out |= ends & ~(vocab.mask(need)[:n] & ~vocab.same_words(earlier)[:n])
            squeeze = f.letters[:n] & (f.syllables[:n] > 0) & (f.syllables[:n] < left) & \
                (left - f.syllables[:n] < shortest)
            out |= squeeze
        else:
            out |= ends & vocab.forbidden_mask(need)[:n]  # a new rhyme: not an earlier letter's
        return out

    def _english_break(self, poem: list[str], at: int, idx: int, done: int, n: int) -> np.ndarray:
        """At the line's length: the break, unless the line has not rhymed yet and may still run on within the
        form's range, then only with a rhyming word (bounded: each word adds a syllable)."""
        f = self._facts
        plan = self._plan
        only_break = ~f.exact_newline[:n]
        need = self._english_need(poem, at)
        if not need:
            return only_break
        from studio.engine.rhyme_steer import line_keys

        if need.fits(line_keys(poem[at])):
            return only_break
        high = plan.ranges[idx][1] if idx < len(plan.ranges) else plan.targets[idx]
        if done >= high:
            return only_break  # out of room: break anyway, never stall
        vocab = f.rhyme_vocab()
        runs_on: np.ndarray = vocab.mask(need)[:n] & ~vocab.same_words(poem[:at])[:n] & \
            (f.syllables[:n] <= high - done) & (f.syllables[:n] > 0)
        if not runs_on.any():
            return only_break
        blocked: np.ndarray = ~runs_on
        return blocked

    # -- Chinese tones ---------------------------------------------------------------------------------------

    def _tone_bonus(self, poem: list[str], at: int, done: int, target: int, n: int) -> np.ndarray | None:
        """+TONE_BONUS for single characters of the tone the pattern wants at the 2nd/4th/6th place, once line 1's
        second character has set the pattern (平起/仄起); None elsewhere."""
        if done % 2 == 0 or done >= target - 1:
            return None  # 一三五不论; the last place is the rhyme's
        first = "".join(c for c in poem[0] if is_cjk(c)) if poem else ""
        if len(first) < 2 or (at == 0 and done <= 1):
            return None
        from studio.forms.rhymebook import tone_of

        second = tone_of(first[1])
        if len(second) != 1:
            return None  # polyphonic or unknown: the pattern is not settled
        level = next(iter(second)) == "平"
        a = level if target == 5 else not level  # the tone of a 五言 line's 2nd place in line 1
        t = a if at % 4 in (0, 3) else not a  # 粘对: the 2nd places go a, ¬a, ¬a, a
        place = done + 1  # 1-based place of the next character
        if target == 5:
            want = t if place == 2 else not t
        else:
            want = (not t) if place in (2, 6) else t
        return TONE_BONUS * self._facts.tone_mask("平" if want else "仄")[:n]


def _han_groups(poem: list[str], at: int, plan: LinePlan) -> frozenset[str] | None:
    from studio.engine.rhyme_steer import han_groups

    assert plan.rhyme is not None
    if plan.rhyme.kind == "zh":
        return scheme_han_groups(poem, at, plan.rhyme.scheme, plan.rhyme.system)
    return han_groups(poem, at, len(plan.written), plan.rhyme.system)


def scheme_han_groups(lines: Sequence[str], current: int, scheme: str,
                      system: str = "shisanzhe") -> frozenset[str] | None:
    """A matched Chinese verse's rhyme (a lyric's, not regulated verse): the groups line ``current`` must end in,
    those its letter's earlier lines share (narrowed as polyphonic characters settle); None for a free line ("x")
    or the first of its letter, whose rhyme is the model's to choose."""
    from studio.engine.rhyme_steer import rhyme_char
    from studio.forms.rhymebook import base_group, groups_of

    letter = scheme[current] if current < len(scheme) else "x"
    if letter == "x":
        return None
    chosen: frozenset[str] | None = None
    for i in range(min(current, len(lines))):
        if scheme[i] != letter:
            continue
        char = rhyme_char(lines[i])
        # A song rhymes across tones (江阳 in 光 and 想): the classes without their tone suffix.
        gs = frozenset(base_group(g) for g in groups_of(char, system)) if char else frozenset()
        if gs:
            chosen = gs if chosen is None else (chosen & gs or chosen)
    return chosen


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


def line_plan_for(form: str, before: str, *, exemplars: tuple[str, ...] = (), after: str = "") -> LinePlan | None:
    """Per-line length targets for the lines still to write (None for forms without fixed line lengths), with
    the form's rhyme held and ``exemplars`` (and the poem's own earlier lines) never copied."""
    from studio.engine.rhyme_steer import rhyme_plan_for

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
    if len(lines) >= len(per_line):
        lines = []  # that poem is finished: a new one begins
    done = len(lines)
    if unit == "han":
        first = sum(1 for c in partial if is_cjk(c))
    else:
        from studio.forms.counting import count_syllables

        first = count_syllables(partial) if partial.strip() else 0
    ranges = tuple(target.ranges or ())[done:]
    return LinePlan(unit=unit, targets=per_line[done:], first_line_done=first, ranges=ranges,
                    written=tuple(lines), partial=partial, rhyme=rhyme_plan_for(target.form, target.language),
                    exemplars=tuple(exemplars), writer=before + after[:2000])


def meter_line_plan(unit: str, counts: Sequence[int], scheme: str, *, exemplars: tuple[str, ...] = (),
                    writer: str = "") -> LinePlan:
    """A new verse held to another's shape (VerseMeter): each line's count, and the lines whose letters repeat in
    ``scheme`` rhyming with each other: Chinese by 十三辙 (the songwriter's rhyme classes, as the lyric checker
    reads them), English by the CMU sounds. English lines may run one syllable on to reach their rhyme. No tone
    nudges: a lyric is not regulated verse. ``exemplars``: the verse matched, never copied."""
    han = unit == "characters"
    targets = tuple(int(c) for c in counts)
    ranges = tuple((c, c) if han else (c, c + 1) for c in targets)
    rhyme = RhymePlan(kind="zh", scheme=scheme, system="shisanzhe") if han else RhymePlan(kind="en", scheme=scheme)
    return LinePlan(unit="han" if han else "syllable", targets=targets, ranges=ranges, rhyme=rhyme,
                    exemplars=tuple(e for e in exemplars if e.strip()), writer=writer, tones=False)


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
