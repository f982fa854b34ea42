"""English stress: a line's syllable stresses from the CMU dictionary, read against a metre.

Marks: "/" stressed, "x" unstressed, "\\" secondary stress (fits either). CMU marks every monosyllable as
stressed, yet in verse "the", "of" and "and" are light and even content words bend to the metre, so monosyllables
are shown ("/" for content words, "x" for function words) but never counted as a departure. A departure is a
polysyllable whose primary stress falls where the metre wants a light syllable, or whose unstressed syllable falls
on a beat. The first foot may be inverted ("Sometime too hot"), as it so often is, and an eleventh, light syllable
is a feminine ending. Words the dictionary lacks count by their spelling and are free.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from studio.forms.counting import english_words, estimate_syllables, pronunciations

# Words verse treats as light unless the metre lifts them.
FUNCTION_WORDS = frozenset("""
a an the and but or nor for so yet of to in on at by with from as into upon than that which who whom whose this these
those is am are was were be been being do does did has have had hath doth shall will would could should can may might
must i me my mine thou thee thy thine you your he him his she her it its we us our they them their not no if then
there when where while o oh 's 'tis
""".split())


@dataclass(frozen=True)
class Syllable:
    mark: str  # "/", "x" or "\\"
    free: bool  # a monosyllable or an unknown word: shown, never a departure
    word: str


def word_options(word: str) -> list[list[Syllable]]:
    """The stress readings of one word, one per distinct CMU pronunciation."""
    low = word.lower().strip("'’")
    prons = pronunciations(word)
    if not prons:
        n = estimate_syllables(word)
        return [[Syllable("x" if low in FUNCTION_WORDS else "/", True, word) for _ in range(n)]]
    out: list[list[Syllable]] = []
    seen: set[str] = set()
    for p in prons:
        digits = [ph[-1] for ph in p if ph[-1].isdigit()]
        key = "".join(digits)
        if key in seen or not digits:
            continue
        seen.add(key)
        if len(digits) == 1:
            out.append([Syllable("x" if low in FUNCTION_WORDS else "/", True, word)])
        else:
            out.append([Syllable({"1": "/", "2": "\\", "0": "x"}[d], False, word) for d in digits])
    return out or [[Syllable("/", True, word)]]


@dataclass(frozen=True)
class StressReport:
    stresses: str  # the marks of the reading chosen, e.g. "x/x/x/x/x/"
    departures: tuple[int, ...]  # 1-based syllables that go against the metre
    words: tuple[str, ...]  # the word each departure sits in
    syllables: int


def _off_beat_stress(s: Syllable, position: int) -> bool:
    """A polysyllable's primary stress on an off-beat (even 0-based position) of iambic verse; the first syllable
    is free, since a trochaic first foot ("Sometime too hot") is the commonest licence of the metre."""
    return not s.free and s.mark == "/" and position % 2 == 0 and position > 0


def _readings(words: list[str], limit: int = 256) -> list[list[Syllable]]:
    """Every combination of the words' pronunciations, up to ``limit`` (then the first pronunciation of each)."""
    out: list[list[Syllable]] = [[]]
    for w in words:
        opts = word_options(w)
        if len(out) * len(opts) > limit:
            opts = opts[:1]
        out = [r + o for r in out for o in opts]
    return out


def iambic_report(line: str, feet: int = 5) -> StressReport:
    """The reading of ``line`` that best keeps iambic metre of ``feet`` feet, and where it departs."""
    target = 2 * feet

    def rank(sylls: list[Syllable]) -> tuple[int, int]:
        n = len(sylls)
        feminine = n == target + 1 and sylls[-1].mark != "/"
        off = sum(_off_beat_stress(s, i) for i, s in enumerate(sylls))
        return (off + (0 if n == target or feminine else abs(n - target)), abs(n - target))

    readings = _readings(english_words(line))
    sylls = min(readings, key=rank)
    departures = tuple(i + 1 for i, s in enumerate(sylls) if _off_beat_stress(s, i))
    return StressReport("".join(s.mark for s in sylls), departures, tuple(sylls[i - 1].word for i in departures),
                        len(sylls))


@dataclass(frozen=True)
class BounceReport:
    stresses: str  # the reading with its beats marked "/", everything else "x"
    beats: int  # beats found (the wanted number when the line bounces)
    bounces: bool  # beats with one or two light syllables between them, as a limerick goes


def _beat_places(sylls: list[Syllable], want: int, promote: bool = False) -> list[int] | None:
    """Positions of ``want`` beats with one or two light syllables between them, at most two before the first
    and after the last, such that every polysyllable's primary stress is a beat, no beat falls on its light
    syllable and no beat falls on a light monosyllable (unless ``promote``: "There WAS an old MAN"); None when
    there is no such placing."""
    n = len(sylls)

    def can_beat(s: Syllable) -> bool:
        return s.mark in ("/", "\\") or (promote and s.free)

    def must_beat(s: Syllable) -> bool:
        return not s.free and s.mark == "/"

    def search(start: int, left: int, prev: int | None) -> Iterator[list[int]]:
        if left == 0:
            if n - start <= 2 and not any(must_beat(sylls[i]) for i in range(start, n)):
                yield []
            return
        lo = start if prev is None else prev + 2
        hi = min(n - 1, 2 if prev is None else prev + 3)
        for i in range(lo, hi + 1):
            if any(must_beat(sylls[k]) for k in range(start, i)) or not can_beat(sylls[i]):
                continue
            for rest in search(i + 1, left - 1, i):
                yield [i, *rest]

    # Fewest light monosyllables lifted onto a beat: "There was an OLD MAN" is not read "THERE was AN".
    return min(search(0, want, None), key=lambda places: sum(sylls[i].mark == "x" for i in places), default=None)


def bounce(line: str, want: int) -> BounceReport:
    """Whether ``line`` reads with ``want`` anapestic beats (da-da-DUM), and the reading that does (or the most
    natural one when none does, with its stressed syllables counted)."""
    readings = _readings(english_words(line))
    if len(readings[0]) > 3 * want + 2:  # more light syllables than the beats can carry: no need to search
        first = readings[0]
        return BounceReport("".join(s.mark if s.mark != "\\" else "x" for s in first),
                            sum(s.mark == "/" for s in first), False)
    for promote in (False, True):
        for sylls in readings:
            places = _beat_places(sylls, want, promote)
            if places is not None:
                marks = "".join("/" if i in places else "x" for i in range(len(sylls)))
                return BounceReport(marks, want, True)
    first = readings[0]
    marks = "".join(s.mark if s.mark != "\\" else "x" for s in first)
    return BounceReport(marks, marks.count("/"), False)
