"""Form craft for the window and the CLI: the form check of the poem a writer is in, and a verse's meter (its
per-line counts and rhyme positions), read so a new verse can be written to it and the new one measured against it.

Pure functions over text (no store, no engine): the form checker is studio.forms.poetry; this module decides
*which* text is the poem (the stanza at the cursor, a title line aside) and what a verse is in a song (a run of
lines between blank lines and section tags), so that the window's panel, the proposal bar and `studio continue
--match-verse` agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studio.domain import UsageError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.domain.models import VerseMeter
from studio.forms import poetry
from studio.forms.counting import count_line, han_count, split_lines
from studio.forms.lyrics import parse_tag
from studio.forms.rhyme import rhyme_labels
from studio.forms.rhymebook import SYSTEM_TITLES, SYSTEMS

DEFAULT_RHYME = "pingshui"
# An English line may land one syllable off its original and still sing (a pickup, an elided vowel); the held
# steering writes the count or one more, where that is what reaches the rhyme. Chinese lines match exactly.
ENGLISH_TOLERANCE = 1


@dataclass(frozen=True)
class FormChoice:
    name: str  # "wujue"
    title: str  # "五言绝句"
    language: str  # "zh" | "en"


def form_choices() -> list[FormChoice]:
    """Every form the checker knows, in its own order (free verse first)."""
    return [FormChoice(s.name, s.title, s.language) for s in poetry.FORMS.values()]


def rhyme_books() -> list[tuple[str, str]]:
    """(key, title) of the rhyme books a Chinese form can be judged by, 平水韵 first."""
    return [(s, SYSTEM_TITLES[s]) for s in SYSTEMS]


def form_language(form: str) -> str:
    return poetry.get_form(form).language


@dataclass(frozen=True)
class PoemCheck:
    form: str  # canonical name
    title: str
    language: str
    first_line: int  # 0-based editor line of the poem's first line in the text checked
    text: str  # the poem that was checked
    result: poetry.CheckResult

    def editor_line(self, line_no: int | None) -> int | None:
        """A result's 1-based line number (within the poem) as the draft's 1-based line."""
        return None if line_no is None else line_no + self.first_line


def guess_form(text: str) -> str:
    """The form a poem looks written in, for a draft whose style names none: a fixed form whose line count and
    per-line counts fit the first stanza best; free verse when none comes close."""
    stanzas = [s for s in poetry.stanzas(text) if s.lines]
    body = [s for s in stanzas if not (len(s.lines) == 1 and len(stanzas) > 1)]  # a title line is not the poem
    if not body:
        return "free-verse"
    first = "\n".join(body[0].lines)
    chinese = han_count(first) * 2 > len(first.strip())
    best, best_score = "free-verse", 0.0
    for spec in poetry.FORMS.values():
        if spec.lines is None or spec.per_line is None or (spec.language == "zh") != chinese:
            continue
        verses = poetry.verse_lines(first, spec)
        if not verses:
            continue
        counts = [han_count(v) if chinese else count_line(v).syllables for _, v in verses]
        lines_fit = 1.0 - min(1.0, abs(len(verses) - spec.lines) / spec.lines)
        per = [1.0 - min(1.0, abs(c - w) / w) for c, w in zip(counts, spec.per_line, strict=False)]
        score = lines_fit * (sum(per) / len(per))
        if score > best_score:
            best, best_score = spec.name, score
    return best if best_score >= 0.6 else "free-verse"


def poem_at(text: str, cursor: int | None, form: str | None = None) -> tuple[int, str]:
    """(0-based first line, text) of the poem at ``cursor`` (a character index; None: the first poem): the stanza
    the cursor is in (or the next one), a lone title line before the poem skipped, and for a fixed form written in
    stanzas (a sonnet in quatrains) the stanzas after it while the form still wants lines."""
    stanzas = [s for s in poetry.stanzas(text) if s.lines]
    if not stanzas:
        return 0, ""
    spec = poetry.get_form(form) if form else None
    line = text.count("\n", 0, max(0, min(cursor, len(text)))) if cursor is not None else 0
    k = next((i for i, s in enumerate(stanzas) if line < s.start + len(s.lines)), len(stanzas) - 1)
    if len(stanzas[k].lines) == 1 and k + 1 < len(stanzas) and (spec is None or spec.lines != 1):
        k += 1  # on the title: the poem under it
    chosen = [stanzas[k]]
    if spec is not None and spec.lines is not None:
        def count(parts: list[poetry.Stanza]) -> int:
            return len(poetry.verse_lines("\n".join(ln for p in parts for ln in p.lines), spec))

        while k + 1 < len(stanzas) and count([*chosen, stanzas[k + 1]]) <= spec.lines and count(chosen) < spec.lines:
            k += 1
            chosen.append(stanzas[k])
    lines = split_lines(text)
    start, end = chosen[0].start, chosen[-1].start + len(chosen[-1].lines)
    return start, "\n".join(lines[start:end])


def check_poem(text: str, form: str | None = None, *, cursor: int | None = None, rhyme: str | None = None,
               strict: bool = False) -> PoemCheck:
    """The form check of the poem at ``cursor`` in ``text`` (see :func:`poem_at`) against ``form`` (None: the form
    it looks written in), Chinese forms by the rhyme book ``rhyme`` (平水韵 when None). Unknown names: UsageError."""
    name = poetry.get_form(form).name if form else guess_form(text)
    spec = poetry.get_form(name)
    book = poetry.rhyme_system(rhyme) if spec.language == "zh" else None
    first, poem = poem_at(text, cursor, name)
    result = poetry.check(poem, name, strict=strict, rhyme=book)
    return PoemCheck(name, spec.title, spec.language, first, poem, result)


# ------------------------------------------------------------------------------------------- verses and meters


@dataclass(frozen=True)
class Verse:
    number: int  # 1-based, in the order of the text
    first_line: int  # 0-based editor line
    start: int  # character index of its first character
    end: int  # character index after its last character (before the line break that ends it)
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def verses(text: str) -> list[Verse]:
    """The verses (stanzas) of a song or poem: runs of written lines between blank lines and section tags."""
    out: list[Verse] = []
    run: list[str] = []
    first = start = 0
    offset = 0

    def close() -> None:
        if run:
            body = "\n".join(run)
            out.append(Verse(len(out) + 1, first, start, start + len(body), tuple(run)))
            run.clear()

    for i, line in enumerate(split_lines(text)):
        if not line.strip() or parse_tag(line) is not None:
            close()
        else:
            if not run:
                first, start = i, offset
            run.append(line)
        offset += len(line) + 1
    close()
    return out


def verse_at(text: str, cursor: int) -> Verse | None:
    """The verse the cursor is in, else the last one before it (a cursor on the blank line after a verse)."""
    line = text.count("\n", 0, max(0, min(cursor, len(text))))
    found = None
    for v in verses(text):
        if v.first_line <= line:
            found = v
    return found


def _is_chinese(lines: tuple[str, ...] | list[str]) -> bool:
    joined = "".join(lines)
    letters = [c for c in joined if c.isalpha()]
    return bool(letters) and han_count(joined) * 2 > len(letters)


def line_count(line: str, unit: str) -> int:
    """A verse line's count in ``unit``: Han characters, or syllables (the best count of an English line)."""
    return han_count(line) if unit == "characters" else count_line(line).syllables


def meter_of(verse: Verse | tuple[str, ...]) -> VerseMeter:
    """A verse's meter: Han characters per line for a Chinese verse, else syllables, and its rhyme positions (a
    letter shared by lines that rhyme; "x" for a line that rhymes with no other)."""
    lines = verse.lines if isinstance(verse, Verse) else tuple(verse)
    unit = "characters" if _is_chinese(lines) else "syllables"
    labels = rhyme_labels(list(lines))
    shared = {x for x in labels if x is not None and labels.count(x) > 1}
    scheme = "".join(x if x in shared else "x" for x in labels)
    return VerseMeter(unit=unit, counts=tuple(line_count(ln, unit) for ln in lines), scheme=scheme,
                      original="\n".join(lines))


@dataclass(frozen=True)
class LineFit:
    text: str
    count: int
    target: int | None  # None: a line more than the original has
    ok: bool
    rhyme: str | None  # the new line's rhyme letter


@dataclass(frozen=True)
class VerseFit:
    ok: bool
    lines: tuple[LineFit, ...]
    deviations: tuple[tuple[int | None, str, str], ...]  # (1-based line or None, kind, message): kind is
    # "lines", "count" or "rhyme"


def new_verse_lines(text: str) -> list[str]:
    return [ln for ln in split_lines(text) if ln.strip() and parse_tag(ln) is None]


def verse_fit(meter: VerseMeter, text: str) -> VerseFit:
    """How a new verse keeps ``meter``: its line count, each line's count (Chinese exactly, English within
    ENGLISH_TOLERANCE) and the original's rhyme positions (lines sharing a letter there share one here)."""
    lines = new_verse_lines(text)
    unit = meter.unit
    labels = rhyme_labels(lines)
    tolerance = 0 if unit == "characters" else ENGLISH_TOLERANCE
    fits: list[LineFit] = []
    devs: list[tuple[int | None, str, str]] = []
    if len(lines) != len(meter.counts):
        devs.append((None, "lines", msg(QT_TRANSLATE_NOOP("messages", "{got} lines, the verse matched has {want}"),
                                        got=len(lines), want=len(meter.counts))))
    for i, line in enumerate(lines):
        target = meter.counts[i] if i < len(meter.counts) else None
        n = line_count(line, unit)
        ok = target is not None and abs(n - target) <= tolerance
        if target is not None and not ok:
            source = (QT_TRANSLATE_NOOP("messages", "line {line}: {n} characters, the verse matched has {target}")
                      if unit == "characters"
                      else QT_TRANSLATE_NOOP("messages", "line {line}: {n} syllables, the verse matched has {target}"))
            devs.append((i + 1, "count", msg(source, line=i + 1, n=n, target=target)))
        fits.append(LineFit(line, n, target, ok, labels[i]))
    first_of: dict[str, int] = {}
    for i, letter in enumerate(meter.scheme[:len(lines)]):
        if letter == "x":
            continue
        if letter not in first_of:
            first_of[letter] = i
        elif labels[i] is None or labels[i] != labels[first_of[letter]]:
            ref = first_of[letter]
            devs.append((i + 1, "rhyme", msg(QT_TRANSLATE_NOOP(
                "messages", "line {line} does not rhyme with line {ref}, as lines {ref} and {line} of the verse "
                "matched do"), line=i + 1, ref=ref + 1)))
    return VerseFit(not devs, tuple(fits), tuple(devs))


# ------------------------------------------------------------------------------------------- what failed, briefly

_KINDS = (("rhyme", re.compile(r"rhyme")), ("script", re.compile(r"non-Chinese")),
          ("count", re.compile(r"\d+ (?:syllable|character)s?,")), ("tones", re.compile(r"tones|孤平|三平尾")))


@dataclass(frozen=True)
class Misfit:
    """The first reason an alternative does not fit, for a one-line mark: "line 4" + "rhyme"."""

    line: int | None  # 1-based line of the poem or verse; None for the whole
    kind: str  # "lines", "count", "rhyme", "script", "tones" or "other"
    message: str  # the checker's full sentence (the tooltip)
    count: int  # how many deviations in all


def misfit_of_check(result: poetry.CheckResult) -> Misfit | None:
    if result.ok or not result.deviations:
        return None
    d = result.deviations[0]
    kind = "lines" if d.line_no is None and re.match(r"\d+ lines?,", d.message) else next(
        (k for k, rx in _KINDS if rx.search(d.message)), "other")
    return Misfit(d.line_no, kind, d.message, len(result.deviations))


def misfit_of_verse(fit: VerseFit) -> Misfit | None:
    if fit.ok:
        return None
    line, kind, message = fit.deviations[0]
    return Misfit(line, kind, message, len(fit.deviations))


def require_verse(text: str, number: int) -> Verse:
    """Verse ``number`` (1-based) of ``text``; a UsageError that says how many there are otherwise."""
    found = verses(text)
    if not found:
        raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "The draft has no verse to match yet.")),
                         hint=msg(QT_TRANSLATE_NOOP("messages", "Write a verse first: lines between blank lines.")))
    if not 1 <= number <= len(found):
        raise UsageError(msg(QT_TRANSLATE_NOOP("messages", "There is no verse {number}: the draft has {count}."),
                             number=number, count=len(found)),
                         hint=msg(QT_TRANSLATE_NOOP("messages", "Give a verse number from 1 to {count}."),
                                  count=len(found)))
    return found[number - 1]
