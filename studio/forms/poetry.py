"""Fixed poetic forms: a registry, per-line targets an engine can hold to, and a checker a writer can read.

English forms are measured in syllables (CMU dictionary; a line passes when any accepted pronunciation fits,
so "fire" may be one syllable or two). Chinese forms are measured in Han characters, punctuation excluded.
A Chinese verse line (句) ends at a comma or full stop, so a 绝句 written as two lines of two 句 each is read
as four 句; deviations still name the editor line the 句 sits on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from studio.domain import UsageError
from studio.forms.counting import LineCount, count_line, english_words, han_count, split_lines
from studio.forms.rhyme import rhyme_labels

Unit = Literal["syllables", "characters"]


@dataclass(frozen=True)
class FormSpec:
    name: str  # canonical key: "haiku", "wujue"
    title: str  # shown in pickers: "Haiku", "五言绝句"
    language: str  # "en" or "zh"
    unit: Unit
    description: str
    lines: int | None = None  # None: any number of lines (free verse)
    per_line: tuple[int, ...] | None = None  # nominal count per line, for prompts and progress
    ranges: tuple[tuple[int, int], ...] | None = None  # accepted (low, high) per line
    strict_only_counts: bool = False  # counts are reported only when checking strictly (sonnet metre)
    rhyme: str | None = None  # required end-rhyme scheme, e.g. "AABBA"; None: not checked by default
    strict_rhyme: str | None = None  # scheme checked only when strict ("xAxA" for 绝句: x = free)
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The name used inside messages: "haiku", "五言绝句"."""
        return self.title if self.language == "zh" else self.name.replace("-", " ")


def _exact(*counts: int) -> tuple[tuple[int, int], ...]:
    return tuple((c, c) for c in counts)


FORMS: dict[str, FormSpec] = {
    spec.name: spec
    for spec in (
        FormSpec(
            "free-verse", "Free verse", "en", "syllables",
            "No fixed line count, metre or rhyme; lines break where the sense or the breath does.",
            aliases=("free", "freeverse", "vers libre", "自由诗"),
        ),
        FormSpec(
            "haiku", "Haiku", "en", "syllables",
            "Three lines of 5, 7 and 5 syllables; one image, a turn, usually a season.",
            lines=3, per_line=(5, 7, 5), ranges=_exact(5, 7, 5), aliases=("俳句", "hokku"),
        ),
        FormSpec(
            "sonnet", "Sonnet", "en", "syllables",
            "Fourteen lines, traditionally iambic pentameter (about ten syllables a line).",
            lines=14, per_line=(10,) * 14, ranges=((9, 11),) * 14, strict_only_counts=True,
            strict_rhyme=None, aliases=("shakespearean sonnet", "petrarchan sonnet", "十四行诗"),
        ),
        FormSpec(
            "limerick", "Limerick", "en", "syllables",
            "Five lines rhyming AABBA: three long lines around two short ones, bouncing to a punchline.",
            lines=5, per_line=(8, 8, 5, 5, 8), ranges=((7, 11), (7, 11), (4, 7), (4, 7), (7, 11)),
            rhyme="AABBA", aliases=("打油诗",),
        ),
        FormSpec(
            "wujue", "五言绝句", "zh", "characters",
            "四句，每句五字；二、四句押韵。",
            lines=4, per_line=(5,) * 4, ranges=_exact(5, 5, 5, 5), strict_rhyme="xAxA",
            aliases=("五言绝句", "五绝", "wuyan-jueju", "wuyan jueju", "wuyanjueju", "wu-jue"),
        ),
        FormSpec(
            "qijue", "七言绝句", "zh", "characters",
            "四句，每句七字；二、四句押韵，首句常入韵。",
            lines=4, per_line=(7,) * 4, ranges=_exact(7, 7, 7, 7), strict_rhyme="xAxA",
            aliases=("七言绝句", "七绝", "qiyan-jueju", "qiyan jueju", "qiyanjueju", "qi-jue"),
        ),
        FormSpec(
            "wulv", "五言律诗", "zh", "characters",
            "八句，每句五字；偶数句押韵，中间两联对仗。",
            lines=8, per_line=(5,) * 8, ranges=_exact(*(5,) * 8), strict_rhyme="xAxAxAxA",
            aliases=("五言律诗", "五律", "wuyan-lvshi", "wuyan-lushi", "wuyan lvshi", "wuyan lushi", "wulu", "wu-lv"),
        ),
        FormSpec(
            "qilv", "七言律诗", "zh", "characters",
            "八句，每句七字；偶数句押韵，中间两联对仗。",
            lines=8, per_line=(7,) * 8, ranges=_exact(*(7,) * 8), strict_rhyme="xAxAxAxA",
            aliases=("七言律诗", "七律", "qiyan-lvshi", "qiyan-lushi", "qiyan lvshi", "qiyan lushi", "qilu", "qi-lv"),
        ),
    )
}


def _norm(name: str) -> str:
    return re.sub(r"[\s_]+", "-", name.strip().strip("《》\"'").casefold())


_LOOKUP: dict[str, FormSpec] = {}
for _spec in FORMS.values():
    for _alias in (_spec.name, _spec.title, *_spec.aliases):
        _LOOKUP[_norm(_alias)] = _spec


def get_form(name: str | FormSpec) -> FormSpec:
    """The form called ``name`` (canonical name, title or alias, any case). Unknown names raise UsageError."""
    if isinstance(name, FormSpec):
        return name
    spec = _LOOKUP.get(_norm(name))
    if spec is None:
        known = ", ".join(f"{s.name} ({s.title})" for s in FORMS.values())
        raise UsageError(f"Unknown poetry form {name!r}.", hint=f"Known forms: {known}.")
    return spec


@dataclass(frozen=True)
class LineTarget:
    """What an engine needs to hold generation to a form."""

    form: str
    title: str
    language: str  # "en" or "zh"
    unit: Unit
    lines: int | None  # stop after this many non-blank lines (None: no limit from the form)
    per_line: tuple[int, ...] | None  # nominal syllables/characters of each line
    ranges: tuple[tuple[int, int], ...] | None
    rhyme: str | None
    description: str


def line_target(form: str | FormSpec) -> LineTarget:
    spec = get_form(form)
    return LineTarget(spec.name, spec.title, spec.language, spec.unit, spec.lines, spec.per_line, spec.ranges,
                      spec.rhyme or spec.strict_rhyme, spec.description)


@dataclass(frozen=True)
class Stanza:
    start: int  # 0-based index of its first line
    lines: tuple[str, ...]


def stanzas(text: str) -> list[Stanza]:
    """Runs of non-blank lines separated by blank lines."""
    out: list[Stanza] = []
    current: list[str] = []
    start = 0
    for i, line in enumerate(split_lines(text)):
        if line.strip():
            if not current:
                start = i
            current.append(line)
        elif current:
            out.append(Stanza(start, tuple(current)))
            current = []
    if current:
        out.append(Stanza(start, tuple(current)))
    return out


@dataclass(frozen=True)
class LineReport:
    line_no: int  # 1-based editor line
    text: str  # the verse line (for Chinese forms, one 句, which may be part of an editor line)
    count: int  # best syllable count, or Han characters for Chinese forms
    low: int
    high: int
    expected: tuple[int, int] | None  # accepted range, None when the form sets none for this line
    ok: bool
    rhyme: str | None = None


@dataclass(frozen=True)
class Deviation:
    line_no: int | None  # 1-based editor line, None for the poem as a whole
    message: str


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    form: str
    lines: list[LineReport] = field(default_factory=list)
    deviations: list[Deviation] = field(default_factory=list)


# Ends of a 句. Not the enumeration comma 、, which sits inside one.
_JU_END = re.compile(r"(?<=[，,。．.！!？?；;])")


def verse_lines(text: str, spec: FormSpec | None = None) -> list[tuple[int, str]]:
    """(1-based editor line, verse) for every verse line. For Chinese forms a line is split into 句 at , 。！？；"""
    out: list[tuple[int, str]] = []
    chinese = spec is not None and spec.language == "zh"
    for i, line in enumerate(split_lines(text)):
        if not line.strip():
            continue
        if chinese:
            parts = [p.strip() for p in _JU_END.split(line) if p.strip()]
            # A trailing bit with no Han characters ("——" or a stray quote) belongs to the 句 before it.
            merged: list[str] = []
            for p in parts:
                if merged and han_count(p) == 0:
                    merged[-1] += p
                else:
                    merged.append(p)
            out.extend((i + 1, p) for p in merged)
        else:
            out.append((i + 1, line.strip()))
    return out


def _unit_word(n: int, unit: Unit) -> str:
    if unit == "characters":
        return f"{n} character" if n == 1 else f"{n} characters"
    return f"{n} syllable" if n == 1 else f"{n} syllables"


def _want(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo} to {hi}"


def check(text: str, form: str | FormSpec, *, strict: bool = False) -> CheckResult:
    """Check ``text`` against a form. Deviations read like "line 2: 6 syllables, haiku wants 7".

    ``strict`` adds what a form only usually has: a sonnet's ten syllables a line, a Chinese form's even-line
    rhyme (off by default because modern Mandarin no longer rhymes every Tang rhyme).
    """
    spec = get_form(form)
    verses = verse_lines(text, spec)
    labels = rhyme_labels([v for _, v in verses])
    deviations: list[Deviation] = []
    reports: list[LineReport] = []
    check_counts = spec.ranges is not None and (strict or not spec.strict_only_counts)
    places = _places(verses)

    for n, (line_no, verse) in enumerate(verses):
        where = places[n]
        if spec.unit == "characters":
            count = low = high = han_count(verse)
        else:
            lc: LineCount = count_line(verse)
            count, low, high = lc.syllables, lc.low, lc.high
        expected = spec.ranges[n] if spec.ranges is not None and n < len(spec.ranges) else None
        ok = True
        if expected is not None and check_counts:
            lo, hi = expected
            if high < lo or low > hi:
                ok = False
                deviations.append(Deviation(line_no, f"{where}: {_unit_word(count, spec.unit)}, "
                                                     f"{spec.label} wants {_want(lo, hi)}"))
        if spec.unit == "characters" and english_words(verse):
            ok = False
            deviations.append(Deviation(line_no, f"{where}: has non-Chinese words, {spec.label} is all Chinese"))
        reports.append(LineReport(line_no, verse, count, low, high, expected, ok, labels[n]))

    if spec.lines is not None and len(verses) != spec.lines:
        got = len(verses)
        noun = "line" if got == 1 else "lines"
        deviations.insert(0, Deviation(None, f"{got} {noun}, {spec.label} wants {spec.lines}"))

    scheme = spec.rhyme or (spec.strict_rhyme if strict else None)
    if scheme and len(verses) == len(scheme):
        deviations.extend(_rhyme_deviations(scheme, labels, verses, places, spec))

    return CheckResult(ok=not deviations, form=spec.name, lines=reports, deviations=deviations)


def _places(verses: list[tuple[int, str]]) -> list[str]:
    """How messages name each verse: "line 3", or "line 2 (verse 2)" where an editor line holds two 句."""
    per_line: dict[int, int] = {}
    for line_no, _ in verses:
        per_line[line_no] = per_line.get(line_no, 0) + 1
    seen: dict[int, int] = {}
    out: list[str] = []
    for line_no, _ in verses:
        seen[line_no] = seen.get(line_no, 0) + 1
        out.append(f"line {line_no}" + (f" (verse {seen[line_no]})" if per_line[line_no] > 1 else ""))
    return out


def _rhyme_deviations(
    scheme: str, labels: list[str | None], verses: list[tuple[int, str]], places: list[str], spec: FormSpec
) -> list[Deviation]:
    """Lines that should share a rhyme letter but do not, and distinct letters that collapsed into one."""
    out: list[Deviation] = []
    first_of: dict[str, int] = {}
    for n, want in enumerate(scheme):
        if want == "x":
            continue  # free line ("xAxA": the first and third lines of a 绝句 need not rhyme)
        if want not in first_of:
            first_of[want] = n
            continue
        ref = first_of[want]
        if labels[n] is None or labels[n] != labels[ref]:
            out.append(Deviation(verses[n][0], f"{places[n]} does not rhyme with {places[ref]}, "
                                               f"{spec.label} wants {scheme}"))
    letters = list(first_of)
    for a_i, a in enumerate(letters):
        for b in letters[a_i + 1:]:
            na, nb = first_of[a], first_of[b]
            if labels[na] is not None and labels[na] == labels[nb]:
                out.append(Deviation(verses[nb][0], f"{places[nb]} rhymes with {places[na]}, "
                                                    f"{spec.label} wants a new rhyme there ({scheme})"))
    return out


def form_names() -> list[str]:
    return list(FORMS)
