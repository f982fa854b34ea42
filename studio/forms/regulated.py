"""The rhyme and tone check of Chinese regulated verse (近体诗: 绝句, 律诗) under a chosen rhyme book.

Rhyme positions are the even lines, and line 1 when it rhymes (when it shares a group with the even lines). The
positions must share one group of the rhyme book: a 平 group (静夜思: 霜/乡 in 下平七阳) or a 仄 one (春晓:
晓/鸟/少 in 上声十七筱). Polyphonic characters count with every group they have. The tones (平仄) of each line are
compared with the standard pattern the poem keeps best (see tones.py); tone departures, 孤平 and 三平尾 are
warnings, since 古绝 such as 静夜思 keep the rhyme but not the tones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.forms import tones
from studio.forms.counting import is_han
from studio.forms.rhymebook import PING, SYSTEM_TITLES, ZE, RhymeSystem, groups_of, is_ping_group, tone_of

_TRAILING = re.compile(r"[\s\W_]+$")
_ORDINAL = "一二三四五六七"


@dataclass
class VerseInfo:
    rhyme_char: str | None = None
    rhyme_groups: tuple[str, ...] = ()
    tones: str = ""  # one mark per Han character: 平 仄 ⊙ ？
    pattern: str | None = None
    pattern_ok: bool | None = None
    rhymes: bool | None = None  # None: not a rhyme position


@dataclass
class RegulatedReport:
    verses: list[VerseInfo]
    deviations: list[tuple[int, str]]  # (verse index, message): the poem does not fit
    warnings: list[tuple[int | None, str]]  # tone faults: fail only when strict
    notes: list[tuple[int | None, str]]  # for the poet: missing characters, the middle couplets
    pattern: str | None = None  # "五言绝句 仄起首句不入韵，平韵"
    rhyme_group: tuple[str, ...] = ()  # the group(s) the rhyme positions share


def rhyme_char(verse: str) -> str | None:
    """The character a verse ends on, punctuation aside; None when it ends in something that is not Han."""
    core = _TRAILING.sub("", verse)
    if core and is_han(core[-1]):
        return core[-1]
    return None


def _sorted(groups: frozenset[str] | set[str]) -> tuple[str, ...]:
    return tuple(sorted(groups))


def _groups_text(groups: Sequence[str]) -> str:
    return "/".join(groups) if groups else msg(QT_TRANSLATE_NOOP("messages", "not in the table"))


def _joined(items: Sequence[str], source: str) -> str:
    """``items`` joined pairwise by ``source`` ("{first}, {then}"): each part stays a Msg the window translates, and
    the translation picks the separator (、 in Chinese)."""
    out = items[0]
    for item in items[1:]:
        out = msg(source, first=out, then=item)
    return out


def check_regulated(
    verses: list[str], places: Sequence[str], *, lines: int, size: int, label: str, system: RhymeSystem
) -> RegulatedReport:
    """Rhyme and tones of ``verses`` (one 句 each) against a form of ``lines`` lines of ``size`` characters."""
    book = SYSTEM_TITLES[system]
    infos = [VerseInfo() for _ in verses]
    deviations: list[tuple[int, str]] = []
    warnings: list[tuple[int | None, str]] = []
    notes: list[tuple[int | None, str]] = []

    missing_noted: set[str] = set()
    for n, verse in enumerate(verses):
        info = infos[n]
        marks = []
        for ch in verse:
            if not is_han(ch):
                continue
            mark = tones.tone_mark(tone_of(ch, system))
            marks.append(mark)
            if mark == tones.UNKNOWN and ch not in missing_noted:
                missing_noted.add(ch)
                notes.append((n, msg(QT_TRANSLATE_NOOP(
                    "messages", "{place}: {char} is not in the {book} table; its tone and rhyme are not checked"),
                    place=places[n], char=ch, book=book)))
        info.tones = "".join(marks)
        info.rhyme_char = rhyme_char(verse)
        if info.rhyme_char is not None:
            info.rhyme_groups = _sorted(groups_of(info.rhyme_char, system))

    if len(verses) != lines:
        return RegulatedReport(infos, deviations, warnings, notes)

    # -- rhyme ---------------------------------------------------------------------------------------------
    positions = list(range(1, lines, 2))
    for n in positions:
        infos[n].rhymes = False
    checkable = [n for n in positions if infos[n].rhyme_groups]
    for n in positions:
        if infos[n].rhyme_char is None:
            deviations.append((n, msg(QT_TRANSLATE_NOOP(
                "messages", "{place}: ends without a Chinese character, so it cannot rhyme"), place=places[n])))
    first = set(infos[0].rhyme_groups)
    support: dict[str, float] = {}
    for n in checkable:
        for g in infos[n].rhyme_groups:
            support[g] = support.get(g, 0) + 1
    for g in first:
        if g in support:
            support[g] += 0.5  # line 1 breaks a tie between the even lines
    shared: set[str] = set()
    first_rhymes = False
    if support:
        top = max(support.values())
        # On a tie the earliest even line's group leads, so the later line is the one named.
        order = [g for n in checkable for g in infos[n].rhyme_groups]
        lead = min((g for g in support if support[g] == top), key=order.index)
        members = [n for n in checkable if lead in infos[n].rhyme_groups]
        shared = set.intersection(*(set(infos[n].rhyme_groups) for n in members))
        for n in members:
            infos[n].rhymes = True
        first_rhymes = bool(first & shared)
        others = ([0] if first_rhymes else []) + members
        for n in checkable:
            if n in members:
                continue
            with_ = _joined([msg(QT_TRANSLATE_NOOP("messages", "{char} ({place}: {groups})"),
                                 char=infos[m].rhyme_char, place=places[m], groups=_groups_text(infos[m].rhyme_groups))
                             for m in others], QT_TRANSLATE_NOOP("messages", "{first}, {then}"))
            deviations.append((n, msg(QT_TRANSLATE_NOOP(
                "messages", "{place}: {char} ({groups}) does not rhyme with {others} under {book}; "
                "{form} rhymes in one group"),
                place=places[n], char=infos[n].rhyme_char, groups=_groups_text(infos[n].rhyme_groups), others=with_,
                book=book, form=label)))
    if len(checkable) < 2 and any(infos[n].rhyme_char for n in positions):
        deviations.append((positions[-1], msg(QT_TRANSLATE_NOOP(
            "messages", "the rhyme cannot be checked: fewer than two rhyme positions end in characters of the "
            "{book} table"), book=book)))
    infos[0].rhymes = True if first_rhymes else None

    shared_sorted = _sorted(shared)
    if shared_sorted:
        rhyme_tone = PING if any(is_ping_group(g) for g in shared_sorted) else ZE
    else:
        ends = [infos[n].tones[-1:] for n in positions]
        rhyme_tone = ZE if sum(e == ZE for e in ends) > sum(e == PING for e in ends) else PING
    if not first_rhymes and shared and infos[0].rhyme_groups and infos[0].tones[-1:] == rhyme_tone:
        notes.append((0, msg(QT_TRANSLATE_NOOP(
            "messages", "{place}: {char} ({groups}) ends in the rhyme tone outside {shared}: a neighbouring rhyme "
            "(邻韵) in the first line"),
            place=places[0], char=infos[0].rhyme_char, groups=_groups_text(infos[0].rhyme_groups),
            shared="/".join(_sorted(shared)))))
        first_rhymes = True  # meant as a rhyme line: its tones follow the 首句入韵 pattern

    # -- tones ---------------------------------------------------------------------------------------------
    marks = [info.tones for info in infos]
    pattern = tones.best_pattern(marks, size, rhyme_tone, first_rhymes)
    kinds = [lp.kind for lp in pattern.lines]
    for n, (info, lp) in enumerate(zip(infos, pattern.lines, strict=True)):
        info.pattern = lp.pattern
        if len(info.tones) != size:
            continue  # the count deviation says it; tones of a line of the wrong length mean little
        bad = tones.mismatches(info.tones, lp.pattern)
        han = [ch for ch in verses[n] if is_han(ch)]
        if bad and tones.te_ao(info.tones, lp.kind):
            bad = []
            notes.append((n, msg(QT_TRANSLATE_NOOP("messages", "{place}: tones {tones}, the 特拗 of {pattern}"),
                                 place=places[n], tones=info.tones, pattern=lp.pattern)))
        rescued = n % 2 == 0 and n + 1 < lines and len(infos[n + 1].tones) == size and tones.ao_jiu(
            info.tones, lp.kind, infos[n + 1].tones, kinds[n + 1])
        if bad and rescued and set(bad) <= {size - 2}:
            bad = []
            notes.append((n, msg(QT_TRANSLATE_NOOP(
                "messages", "{place}: {char} ({ordinal}) is 仄 where {pattern} wants 平, answered (拗救) by "
                "{answer} ({answer_ordinal}) of {answer_place}"),
                place=places[n], char=han[size - 2], ordinal=_ORDINAL[size - 2], pattern=lp.pattern,
                answer=[c for c in verses[n + 1] if is_han(c)][size - 3], answer_ordinal=_ORDINAL[size - 3],
                answer_place=places[n + 1])))
        info.pattern_ok = not bad
        if bad:
            where = _joined([msg(QT_TRANSLATE_NOOP("messages", "{char} ({ordinal}) is {tone}, wants {want}"),
                                 char=han[i], ordinal=_ORDINAL[i], tone=info.tones[i], want=lp.pattern[i])
                             for i in bad], QT_TRANSLATE_NOOP("messages", "{first}; {then}"))
            warnings.append((n, msg(QT_TRANSLATE_NOOP(
                "messages", "{place}: tones {tones}, {name} wants {pattern}: {where}"),
                place=places[n], tones=info.tones, name=pattern.name, pattern=lp.pattern, where=where)))
        if tones.gu_ping(info.tones, lp.kind):
            warnings.append((n, msg(QT_TRANSLATE_NOOP(
                "messages", "{place}: 孤平 ({tones}): a single 平 besides the rhyme"),
                place=places[n], tones=info.tones)))
        if tones.san_ping_wei(info.tones):
            warnings.append((n, msg(QT_TRANSLATE_NOOP(
                "messages", "{place}: 三平尾 ({tones}): the line ends on three 平"),
                place=places[n], tones=info.tones)))

    if lines == 8:
        for a, name in ((2, "颔联"), (4, "颈联")):
            pair = f"{verses[a].rstrip('，,。.！!？?；;')} / {verses[a + 1].rstrip('，,。.！!？?；;')}"
            notes.append((a, msg(QT_TRANSLATE_NOOP(
                "messages", "{name} ({place} and {next_place}): {pair}; 对仗 is for the poet to judge"),
                name=name, place=places[a], next_place=places[a + 1], pair=pair)))

    return RegulatedReport(infos, deviations, warnings, notes, f"{label} {pattern.title}", shared_sorted)
