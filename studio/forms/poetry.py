"""Fixed poetic forms: a registry, per-line targets an engine can hold to, and a checker a writer can read.

English forms are measured in syllables (CMU dictionary; a line passes when any accepted pronunciation fits,
so "fire" may be one syllable or two). Chinese forms are measured in Han characters, punctuation excluded.
A Chinese verse line (句) ends at a comma or full stop, so a 绝句 written as two lines of two 句 each is read
as four 句; deviations still name the editor line the 句 sits on.

Chinese 近体诗 are judged by a rhyme book (平水韵 by default; 中华新韵 and 十三辙 on request): one rhyme group
across the rhyme positions, and the tones of the standard patterns (regulated.py). English sonnets are held to
their rhyme schemes and read against iambic pentameter; a limerick's lines against its anapestic bounce (meter.py).
A result separates what fails the form (``deviations``) from what a poet may choose to keep (``warnings``: tone
faults, which fail only when strict, and stress departures) and from plain information (``notes``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from studio.domain import UsageError
from studio.domain.i18n import QT_TRANSLATE_NOOP, Msg, msg
from studio.forms import meter
from studio.forms.counting import LineCount, count_line, english_words, han_count, split_lines
from studio.forms.regulated import check_regulated
from studio.forms.rhyme import labels_for, rhyme_labels, sonnet_rhymes
from studio.forms.rhymebook import SYSTEM_TITLES, SYSTEMS, RhymeSystem

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
    strict_rhyme: str | None = None  # the rhyme positions ("xAxA" for 绝句: x = free), for engines holding the form
    aliases: tuple[str, ...] = ()
    schemes: tuple[tuple[str, str], ...] = ()  # (name, scheme) alternatives, one must fit: a sonnet's
    metre: str | None = None  # "iambic": a stress report against pentameter
    beats: tuple[int, ...] | None = None  # anapestic beats per line (a limerick's bounce), reported

    @property
    def label(self) -> str:
        """The name used inside messages: "haiku", "五言绝句" (an English form's is a Msg: the window translates it)."""
        if self.language == "zh":
            return self.title
        source = _LABELS.get(self.name)
        return msg(source) if source else self.name.replace("-", " ")


# The English forms' names inside the checker's messages (the Chinese forms' titles are their names).
_LABELS = {
    "free-verse": QT_TRANSLATE_NOOP("messages", "free verse"),
    "haiku": QT_TRANSLATE_NOOP("messages", "haiku"),
    "sonnet": QT_TRANSLATE_NOOP("messages", "sonnet"),
    "limerick": QT_TRANSLATE_NOOP("messages", "limerick"),
}
# A sonnet's schemes by name, as the rhyme deviations name them.
_SCHEME_NAMES = {
    "Shakespearean": QT_TRANSLATE_NOOP("messages", "Shakespearean"),
    "Petrarchan": QT_TRANSLATE_NOOP("messages", "Petrarchan"),
}


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
            schemes=(("Shakespearean", "ABABCDCDEFEFGG"), ("Petrarchan", "ABBAABBACDECDE"),
                     ("Petrarchan", "ABBAABBACDCDCD"), ("Petrarchan", "ABBAABBACDEDCE")),
            metre="iambic",
        ),
        FormSpec(
            "limerick", "Limerick", "en", "syllables",
            "Five lines rhyming AABBA: three long lines around two short ones, bouncing to a punchline.",
            lines=5, per_line=(8, 8, 5, 5, 8), ranges=((7, 11), (7, 11), (4, 7), (4, 7), (7, 11)),
            rhyme="AABBA", aliases=("打油诗",), beats=(3, 3, 2, 2, 3),
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
        raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "Unknown poetry form {name!r}."), name=name),
                         hint=msg(QT_TRANSLATE_NOOP("messages", "Known forms: {known}."), known=known))
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
    rhyme: str | None = None  # scheme letter: lines that rhyme share one
    rhyme_char: str | None = None  # Chinese: the character at the line's end
    rhyme_groups: tuple[str, ...] = ()  # Chinese: its groups in the rhyme book (every reading)
    tones: str | None = None  # Chinese: 平/仄 per character, ⊙ either, ？ not in the table
    pattern: str | None = None  # the standard tones (Chinese) or stresses (English metre) the line is read against
    pattern_ok: bool | None = None  # None: not compared
    stress: str | None = None  # English metre: "/" stressed, "x" light, "\\" secondary
    issues: tuple[str, ...] = ()  # every deviation, warning and note about this line


@dataclass(frozen=True)
class Deviation:
    line_no: int | None  # 1-based editor line, None for the poem as a whole
    message: str


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    form: str
    lines: list[LineReport] = field(default_factory=list)
    deviations: list[Deviation] = field(default_factory=list)  # the poem does not fit: ok is False
    warnings: list[Deviation] = field(default_factory=list)  # tone faults and stress departures: the poet decides
    notes: list[Deviation] = field(default_factory=list)  # information: missing characters, the middle couplets
    rhyme_system: str | None = None  # Chinese forms: "pingshui", "xinyun" or "shisanzhe"
    pattern: str | None = None  # the tone pattern (Chinese) or rhyme scheme (English) the poem was read against


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


def _unit_word(n: int, unit: Unit) -> Msg:
    if unit == "characters":
        return msg(QT_TRANSLATE_NOOP("messages", "{n} character") if n == 1
                   else QT_TRANSLATE_NOOP("messages", "{n} characters"), n=n)
    return msg(QT_TRANSLATE_NOOP("messages", "{n} syllable") if n == 1
               else QT_TRANSLATE_NOOP("messages", "{n} syllables"), n=n)


def _want(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else msg(QT_TRANSLATE_NOOP("messages", "{low} to {high}"), low=lo, high=hi)


def rhyme_system(name: str | None) -> RhymeSystem:
    """A rhyme book by name ("pingshui", "平水韵", "xinyun", "十三辙"...); None is 平水韵. Unknown: UsageError."""
    if name is None:
        return "pingshui"
    key = name.strip().casefold()
    for system in SYSTEMS:
        if key in (system, SYSTEM_TITLES[system]):
            return system  # type: ignore[return-value]
    known = ", ".join(f"{s} ({SYSTEM_TITLES[s]})" for s in SYSTEMS)
    raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "Unknown rhyme system {name!r}."), name=name),
                     hint=msg(QT_TRANSLATE_NOOP("messages", "Known: {known}."), known=known))


def check(
    text: str, form: str | FormSpec, *, strict: bool = False, rhyme: str | None = None
) -> CheckResult:
    """Check ``text`` against a form. Deviations read like "line 2: 6 syllables, haiku wants 7".

    Chinese forms are judged by the rhyme book ``rhyme`` (平水韵 when None): rhyme always, tones as warnings.
    ``strict`` adds what a form only usually has: a sonnet's ten syllables a line, and for Chinese forms the tone
    pattern (its warnings become deviations). ``rhyme`` is ignored for English forms.
    """
    spec = get_form(form)
    system = rhyme_system(rhyme) if spec.language == "zh" else None
    verses = verse_lines(text, spec)
    texts = [v for _, v in verses]
    deviations: list[Deviation] = []
    warnings: list[Deviation] = []
    notes: list[Deviation] = []
    issues: list[list[str]] = [[] for _ in verses]
    check_counts = spec.ranges is not None and (strict or not spec.strict_only_counts)
    places = _places(verses)

    def add(kind: list[Deviation], n: int | None, message: str) -> None:
        kind.append(Deviation(verses[n][0] if n is not None else None, message))
        if n is not None:
            issues[n].append(message)

    counts: list[tuple[int, int, int]] = []
    ok_lines: list[bool] = []
    for n, (_line_no, verse) in enumerate(verses):
        where = places[n]
        if spec.unit == "characters":
            count = low = high = han_count(verse)
        else:
            lc: LineCount = count_line(verse)
            count, low, high = lc.syllables, lc.low, lc.high
        counts.append((count, low, high))
        expected = spec.ranges[n] if spec.ranges is not None and n < len(spec.ranges) else None
        ok = True
        if expected is not None and check_counts:
            lo, hi = expected
            if high < lo or low > hi:
                ok = False
                add(deviations, n, msg(QT_TRANSLATE_NOOP("messages", "{place}: {count}, {form} wants {want}"),
                                       place=where, count=_unit_word(count, spec.unit), form=spec.label,
                                       want=_want(lo, hi)))
        if spec.unit == "characters" and english_words(verse):
            ok = False
            add(deviations, n, msg(QT_TRANSLATE_NOOP(
                "messages", "{place}: has non-Chinese words, {form} is all Chinese"), place=where, form=spec.label))
        ok_lines.append(ok)

    if spec.lines is not None and len(verses) != spec.lines:
        got = len(verses)
        source = (QT_TRANSLATE_NOOP("messages", "{got} line, {form} wants {lines}") if got == 1
                  else QT_TRANSLATE_NOOP("messages", "{got} lines, {form} wants {lines}"))
        deviations.insert(0, Deviation(None, msg(source, got=got, form=spec.label, lines=spec.lines)))

    extra: list[dict[str, object]] = [{} for _ in verses]
    pattern: str | None = None
    if system is not None and spec.lines is not None and spec.per_line is not None:
        report = check_regulated(texts, places, lines=spec.lines, size=spec.per_line[0], label=spec.label,
                                 system=system)
        for n, text in report.deviations:
            add(deviations, n, text)
        for w_n, text in report.warnings:
            add(deviations if strict else warnings, w_n, text)
        for note_n, text in report.notes:
            add(notes, note_n, text)
        pattern = report.pattern
        labels = labels_for([frozenset(info.rhyme_groups) for info in report.verses])
        for n, info in enumerate(report.verses):
            extra[n] = {"rhyme_char": info.rhyme_char, "rhyme_groups": info.rhyme_groups, "tones": info.tones,
                        "pattern": info.pattern, "pattern_ok": info.pattern_ok}
    else:
        labels = rhyme_labels(texts)

    if spec.rhyme and len(verses) == len(spec.rhyme):
        for n, text in _rhyme_deviations(spec.rhyme, labels, verses, places, spec):
            add(deviations, n, text)
    if spec.schemes and spec.lines is not None and len(verses) == spec.lines:
        pattern, found = _best_scheme(spec, texts, places)
        for n, text in found:
            add(deviations, n, text)

    if spec.metre == "iambic":
        for n, verse in enumerate(texts):
            sr = meter.iambic_report(verse)
            extra[n].update(stress=sr.stresses, pattern="x/" * 5, pattern_ok=not sr.departures)
            if sr.departures:
                at = ", ".join(f"{i} ({w})" for i, w in zip(sr.departures, sr.words, strict=True))
                add(warnings, n, msg(QT_TRANSLATE_NOOP(
                    "messages", "{place}: stresses {stresses} depart from iambic pentameter at syllable {where}"),
                    place=places[n], stresses=sr.stresses, where=at))
    if spec.beats is not None and len(verses) == len(spec.beats):
        for n, verse in enumerate(texts):
            br = meter.bounce(verse, spec.beats[n])
            extra[n].update(stress=br.stresses, pattern_ok=br.bounces)
            if not br.bounces:
                add(warnings, n, msg(QT_TRANSLATE_NOOP(
                    "messages", "{place}: stresses {stresses} do not bounce on {beats} beats (da-da-DUM), "
                    "{form} lines go {pattern}"),
                    place=places[n], stresses=br.stresses, beats=spec.beats[n], form=spec.label,
                    pattern="-".join(map(str, spec.beats))))

    reports = []
    for n, (line_no, verse) in enumerate(verses):
        count, low, high = counts[n]
        expected = spec.ranges[n] if spec.ranges is not None and n < len(spec.ranges) else None
        reports.append(LineReport(line_no, verse, count, low, high, expected, ok_lines[n], labels[n],
                                  issues=tuple(issues[n]), **extra[n]))  # type: ignore[arg-type]

    return CheckResult(ok=not deviations, form=spec.name, lines=reports, deviations=deviations, warnings=warnings,
                       notes=notes, rhyme_system=system, pattern=pattern)


def _best_scheme(spec: FormSpec, texts: list[str], places: Sequence[str]) -> tuple[str, list[tuple[int, str]]]:
    """The scheme of ``spec.schemes`` the poem keeps best, and its lines that do not rhyme as that scheme wants.
    A sonnet may repeat a rhyme sound across quatrains, so only lines that must rhyme are compared."""
    best: tuple[str, list[tuple[int, str]]] | None = None
    for name, scheme in spec.schemes:
        shown = _spaced(scheme)
        found: list[tuple[int, str]] = []
        first_of: dict[str, int] = {}
        for n, letter in enumerate(scheme):
            if letter not in first_of:
                first_of[letter] = n
                continue
            ref = first_of[letter]
            if not sonnet_rhymes(texts[ref], texts[n]):
                found.append((n, msg(QT_TRANSLATE_NOOP(
                    "messages", "{place} does not rhyme with {other}, {form} wants {scheme} ({name})"),
                    place=places[n], other=places[ref], form=spec.label, scheme=shown,
                    name=msg(_SCHEME_NAMES[name]) if name in _SCHEME_NAMES else name)))
        if best is None or len(found) < len(best[1]):
            best = (f"{name} {shown}", found)
    assert best is not None
    return best


def _spaced(scheme: str) -> str:
    """ "ABABCDCDEFEFGG" -> "ABAB CDCD EFEF GG"; "ABBAABBACDECDE" -> "ABBAABBA CDECDE"."""
    if scheme.startswith("ABAB"):
        return " ".join(scheme[i:i + 4] for i in range(0, 12, 4)) + " " + scheme[12:]
    return scheme[:8] + " " + scheme[8:]


def _places(verses: list[tuple[int, str]]) -> list[Msg]:
    """How messages name each verse: "line 3", or "line 2 (verse 2)" where an editor line holds two 句."""
    per_line: dict[int, int] = {}
    for line_no, _ in verses:
        per_line[line_no] = per_line.get(line_no, 0) + 1
    seen: dict[int, int] = {}
    out: list[Msg] = []
    for line_no, _ in verses:
        seen[line_no] = seen.get(line_no, 0) + 1
        if per_line[line_no] > 1:
            out.append(msg(QT_TRANSLATE_NOOP("messages", "line {line} (verse {verse})"), line=line_no,
                           verse=seen[line_no]))
        else:
            out.append(msg(QT_TRANSLATE_NOOP("messages", "line {line}"), line=line_no))
    return out


def _rhyme_deviations(
    scheme: str, labels: list[str | None], verses: list[tuple[int, str]], places: Sequence[str], spec: FormSpec
) -> list[tuple[int, str]]:
    """Lines that should share a rhyme letter but do not, and distinct letters that collapsed into one."""
    out: list[tuple[int, str]] = []
    first_of: dict[str, int] = {}
    for n, want in enumerate(scheme):
        if want == "x":
            continue  # free line ("xAxA": the first and third lines of a 绝句 need not rhyme)
        if want not in first_of:
            first_of[want] = n
            continue
        ref = first_of[want]
        if labels[n] is None or labels[n] != labels[ref]:
            out.append((n, msg(QT_TRANSLATE_NOOP(
                "messages", "{place} does not rhyme with {other}, {form} wants {scheme}"),
                place=places[n], other=places[ref], form=spec.label, scheme=scheme)))
    letters = list(first_of)
    for a_i, a in enumerate(letters):
        for b in letters[a_i + 1:]:
            na, nb = first_of[a], first_of[b]
            if labels[na] is not None and labels[na] == labels[nb]:
                out.append((nb, msg(QT_TRANSLATE_NOOP(
                    "messages", "{place} rhymes with {other}, {form} wants a new rhyme there ({scheme})"),
                    place=places[nb], other=places[na], form=spec.label, scheme=scheme)))
    return out


def form_names() -> list[str]:
    return list(FORMS)
