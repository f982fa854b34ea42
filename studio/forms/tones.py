"""平仄 of Chinese regulated verse (近体诗): a line's tones and the standard patterns of 绝句 and 律诗.

The four five-character line types are the building blocks; a seven-character line puts two characters of the
opposite tone in front (仄仄平平仄 -> 平平仄仄平平仄):

    A 仄仄平平仄   B 平平仄仄平   C 平平平仄仄   D 仄仄仄平平

A poem's sequence follows from three choices: the tone of line 1's second character in the five-character core
(平起/仄起 of 五言), whether line 1 rhymes (首句入韵), and the rhyme tone (平韵, or 仄韵 as in 春晓). Lines pair
by 对 (the second line of a couplet opposes the first) and join by 粘 (the first line of the next couplet follows
the second line of the one before); rhyme lines end in the rhyme tone and the others in the opposite one.

Tones are judged with the usual allowance, 一三五不论，二四六分明 for 七言 and 一三不论 for 五言: the free positions
are not compared, and the two faults the allowance can produce are reported on their own: 孤平 (a 平收 line of
type B keeping a single 平 besides its rhyme) and 三平尾 (three 平 at the end). Two licences every manual of
近体诗 accepts are not departures: the 特拗 of a type-C line (平平仄平仄 for 平平平仄仄), and 拗救 within a couplet,
where a type-A line's fourth character turns 仄 (仄仄平仄仄) and the type-B line answering it turns its third to 平
(平平平仄平).
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.forms.rhymebook import PING, ZE

BOTH = "⊙"  # a character read either way (看, 思): it fits both tones
UNKNOWN = "？"  # not in the table: not compared

_TYPES: dict[tuple[str, str], tuple[str, str]] = {
    # (second character of the five-character core, last character) -> (type, five-character pattern)
    (ZE, ZE): ("A", "仄仄平平仄"),
    (PING, PING): ("B", "平平仄仄平"),
    (PING, ZE): ("C", "平平平仄仄"),
    (ZE, PING): ("D", "仄仄仄平平"),
}


def opposite(tone: str) -> str:
    return ZE if tone == PING else PING


def tone_mark(tones: frozenset[str]) -> str:
    """One character's mark in a tone string: 平, 仄, ⊙ (either) or ？ (unknown)."""
    if tones == {PING}:
        return PING
    if tones == {ZE}:
        return ZE
    return BOTH if tones else UNKNOWN


@dataclass(frozen=True)
class LinePattern:
    kind: str  # "A".."D", the five-character type
    pattern: str  # the standard tones, five or seven characters


@dataclass(frozen=True)
class PoemPattern:
    name: str  # "仄起首句不入韵"
    rhyme_tone: str  # 平 or 仄
    first_rhymes: bool
    lines: tuple[LinePattern, ...]

    @property
    def title(self) -> str:
        return f"{self.name}，{self.rhyme_tone}韵"


def line_pattern(second: str, last: str, size: int) -> LinePattern:
    kind, five = _TYPES[(second, last)]
    if size == 7:
        lead = opposite(five[0])
        return LinePattern(kind, lead * 2 + five)
    return LinePattern(kind, five)


def poem_pattern(lines: int, size: int, start: str, rhyme_tone: str, first_rhymes: bool) -> PoemPattern:
    """The standard pattern of a poem of ``lines`` lines of ``size`` characters whose five-character core opens
    with second character ``start`` (平 or 仄)."""
    out: list[LinePattern] = []
    for i in range(lines):
        # 对 within a couplet, 粘 across couplets: second-character tones run s, -s, -s, s, s, -s, -s, s.
        second = start if i % 4 in (0, 3) else opposite(start)
        rhymes = i % 2 == 1 or (i == 0 and first_rhymes)
        last = rhyme_tone if rhymes else opposite(rhyme_tone)
        out.append(line_pattern(second, last, size))
    qi = "平起" if out[0].pattern[1] == PING else "仄起"
    name = qi + ("首句入韵" if first_rhymes else "首句不入韵")
    return PoemPattern(name, rhyme_tone, first_rhymes, tuple(out))


def checked_positions(size: int) -> tuple[int, ...]:
    """0-based positions compared with the pattern: 二四六 (and the last) for 七言, 二四 (and the last) for 五言."""
    return (1, 3, 5, 6) if size == 7 else (1, 3, 4)


def fits(mark: str, want: str) -> bool:
    return mark in (want, BOTH, UNKNOWN)


def mismatches(marks: str, pattern: str) -> list[int]:
    """0-based positions where ``marks`` departs from ``pattern`` at the positions that count."""
    if len(marks) != len(pattern):
        return []
    return [i for i in checked_positions(len(pattern)) if not fits(marks[i], pattern[i])]


def te_ao(marks: str, kind: str) -> bool:
    """The 特拗 of a type-C line: the core reads 平平仄平仄 (七言 仄仄平平仄平仄) instead of 平平平仄仄."""
    if kind != "C" or len(marks) < 5:
        return False
    core = marks[-5:]
    return fits(core[1], PING) and fits(core[2], ZE) and fits(core[3], PING) and fits(core[4], ZE)


def ao_jiu(first: str, first_kind: str, second: str, second_kind: str) -> bool:
    """拗救 in a couplet: a type-A line whose core's fourth character is 仄 (仄仄平仄仄, or 仄仄仄仄仄), answered by a
    type-B line whose core's third character is 平 (平平平仄平)."""
    if first_kind != "A" or second_kind != "B" or len(first) < 5 or len(second) < 5:
        return False
    a, b = first[-5:], second[-5:]
    return fits(a[1], ZE) and fits(a[3], ZE) and fits(a[4], ZE) and fits(b[2], PING)


def best_pattern(marks: list[str], size: int, rhyme_tone: str, first_rhymes: bool) -> PoemPattern:
    """Of 平起 and 仄起, the pattern the poem keeps best: fewest departures, then the one its first line keeps (a
    poem that breaks 粘 halfway, as 渭城曲 does, is named by its opening). Lines of the wrong length are left out."""
    candidates = [poem_pattern(len(marks), size, start, rhyme_tone, first_rhymes) for start in (ZE, PING)]

    def cost(p: PoemPattern) -> tuple[int, int]:
        per_line = [len(mismatches(m, lp.pattern)) for m, lp in zip(marks, p.lines, strict=True)]
        return sum(per_line), per_line[0] if per_line else 0

    return min(candidates, key=cost)


def gu_ping(marks: str, kind: str) -> bool:
    """孤平: a type-B line (平平仄仄平, 七言 仄仄平平仄仄平) whose core keeps one 平 besides the rhyme. A character
    read either way, or missing from the table, is given the benefit of the doubt."""
    if kind != "B" or len(marks) < 5:
        return False
    core = marks[-5:]
    if core[-1] == ZE:
        return False
    return sum(1 for m in core[:4] if m != ZE) <= 1


def san_ping_wei(marks: str) -> bool:
    """三平尾: the last three characters all 平 (only definite readings count)."""
    return len(marks) >= 3 and marks[-3:] == PING * 3
