"""Rhyme books for Chinese verse: which rhyme group(s) and which tone class (平/仄) a character has.

Three systems a poet may write to:

- ``pingshui`` (平水韵): the 106 groups Tang and Song regulated verse is judged by, from the public-domain table in
  resources/rhyme/pingshui.txt. 上平/下平 groups are 平; 上声, 去声 and 入声 groups are 仄, so an 入声 character
  that Mandarin reads in tone 1 or 2 (白, 国, 独) is still 仄.
- ``xinyun`` (中华新韵, 14 韵部) and ``shisanzhe`` (十三辙, the thirteen rhyme classes of songs and opera): modern
  Mandarin, from pypinyin's readings; the groups follow the pinyin final, tones 1 and 2 are 平, 3 and 4 仄.

A polyphonic character counts with every group and tone it has (看 is 平 and 仄; 思 is in 上平四支 and 去声四寘),
because the poem, not the dictionary, decides which reading is meant. Traditional and simplified input both work:
the table is in simplified forms and a traditional character is looked up as itself and as its OpenCC
simplification. The tables load on first use and stay loaded.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

from studio.paths import resources_dir

log = logging.getLogger(__name__)

RhymeSystem = Literal["pingshui", "xinyun", "shisanzhe"]
SYSTEMS: tuple[str, ...] = get_args(RhymeSystem)
SYSTEM_TITLES: dict[str, str] = {"pingshui": "平水韵", "xinyun": "中华新韵", "shisanzhe": "十三辙"}

PING = "平"
ZE = "仄"

# Spellings of finals as pypinyin writes them outside strict mode (gui -> "ui", jiu -> "iu", dun -> "un", xue -> "ue"):
# a final read either way falls in the same group.
_SPELLINGS = {"uei": "ui", "iou": "iu", "uen": "un", "ve": "ue"}


@lru_cache(maxsize=2)
def _by_final(system: str) -> dict[str, str]:
    """Pinyin final -> group of a modern rhyme book (resources/rhyme/modern.toml). A missing or damaged file is
    logged and leaves the book empty: every character then reads as "not in the table", never a crash."""
    import tomllib

    path = resources_dir() / "rhyme" / "modern.toml"
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get(system) or {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        log.error("The rhyme table %s could not be read (%s); %s checks will report every character as missing. "
                  "Reinstalling Studio restores it.", path, exc, SYSTEM_TITLES.get(system, system))
        return {}
    out = {str(final): str(group) for group, finals in table.items() for final in finals}
    return out | {_SPELLINGS[f]: g for f, g in out.items() if f in _SPELLINGS}


def shisanzhe_of_final(final: str) -> str | None:
    """The 十三辙 class of a pinyin final (strict or plain spelling), None when the table has no such final."""
    return _by_final("shisanzhe").get(final)



_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c",
             "s")
# Spellings with y- and w- written out as the finals they stand for.
_Y_W = {"yi": "i", "ya": "ia", "ye": "ie", "yao": "iao", "you": "iou", "yan": "ian", "yin": "in", "yang": "iang",
        "ying": "ing", "yong": "iong", "yu": "v", "yue": "ve", "yuan": "van", "yun": "vn", "yo": "o",
        "wu": "u", "wa": "ua", "wo": "uo", "wai": "uai", "wei": "uei", "wan": "uan", "wen": "uen", "wang": "uang",
        "weng": "ueng"}
_CONTRACTED = {"ui": "uei", "iu": "iou", "un": "uen"}


def final_of(syllable: str) -> str:
    """The full pinyin final of a toneless syllable: "zhong" -> "ong", "jun" -> "vn", "shi" -> "-i", "lv" -> "v"."""
    s = syllable.lower().replace("ü", "v").replace("u:", "v")
    if s in _Y_W:
        return _Y_W[s]
    for ini in _INITIALS:
        if s.startswith(ini) and len(s) > len(ini):
            rest = s[len(ini):]
            if ini in ("zh", "ch", "sh", "r", "z", "c", "s") and rest == "i":
                return "-i"
            if ini in ("j", "q", "x") and rest.startswith("u"):
                rest = "v" + rest[1:]  # ju, que, xuan, jun: the u is ü
            return _CONTRACTED.get(rest, rest)
    return _CONTRACTED.get(s, s)  # a syllable with no initial: "a", "er", "ou", "ang"


# -- 平水韵 --------------------------------------------------------------------------------------------------
def pingshui_path() -> Path:
    return resources_dir() / "rhyme" / "pingshui.txt"


@lru_cache(maxsize=1)
def _pingshui() -> tuple[dict[str, tuple[str, ...]], dict[str, frozenset[str]]]:
    """(group -> characters in table order, character -> groups). A missing table is logged and leaves both empty,
    so every character reads as "not in the table" (a note per line) instead of a crash at each check."""
    groups: dict[str, tuple[str, ...]] = {}
    index: dict[str, set[str]] = {}
    path = pingshui_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        log.error("The 平水韵 table %s could not be read (%s); Chinese rhyme and tone checks will report every "
                  "character as missing. Reinstalling Studio restores it.", path, exc)
        return {}, {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, chars = line.partition("\t")
        groups[name] = tuple(chars.strip())
        for ch in groups[name]:
            index.setdefault(ch, set()).add(name)
    return groups, {ch: frozenset(gs) for ch, gs in index.items()}


def pingshui_groups() -> tuple[str, ...]:
    """The 106 group names in the table's order (上平一东 ... 入声十七洽)."""
    return tuple(_pingshui()[0])


def is_ping_group(group: str) -> bool:
    """Whether a group is of the level tone: 上平/下平 groups of 平水韵; for the modern systems the group names carry
    no tone, so the ``:平`` / ``:仄`` suffix :func:`groups_of` gives them decides (a bare modern name is False)."""
    return group.startswith(("上平", "下平")) or group.endswith(":平")


# -- script variants -----------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _converters() -> tuple[object, object] | None:
    try:
        import opencc  # lazy: its dictionaries load on first use
    except ImportError:  # pragma: no cover - a dependency; without it traditional input is looked up as written
        log.warning("OpenCC is not installed; traditional characters are looked up as written.")
        return None
    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


@lru_cache(maxsize=131072)
def _converted(char: str, to_traditional: bool) -> str:
    conv = _converters()
    if conv is None:
        return char
    out = conv[1 if to_traditional else 0].convert(char)  # type: ignore[attr-defined]
    return out if len(out) == 1 else char


def simplified(char: str) -> str:
    """The OpenCC simplification of one character (itself when it is already simplified or unknown)."""
    return _converted(char, False)


def traditional(char: str) -> str:
    """The OpenCC traditional form of one character (itself when it has none or is unknown)."""
    return _converted(char, True)


@lru_cache(maxsize=1)
def _variant_table() -> dict[str, str]:
    """Variant characters (异体字) -> the form the rhyme table lists (resources/rhyme/variants.txt)."""
    path = resources_dir() / "rhyme" / "variants.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        log.error("The variant table %s could not be read (%s); variant characters will be looked up as written.",
                  path, exc)
        return {}
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            variant, _, listed = line.partition("\t")
            out[variant.strip()] = listed.strip()
    return out


@lru_cache(maxsize=65536)
def variants(char: str) -> tuple[str, ...]:
    """The character, its simplification, its traditional form and the form the tables list it under (疎 -> 疏),
    without repeats."""
    out = [char]
    table = _variant_table()
    for v in (simplified(char), traditional(char), table.get(char, ""), table.get(simplified(char), "")):
        if v and v not in out:
            out.append(v)
    return tuple(out)


# -- modern readings -----------------------------------------------------------------------------------------
@lru_cache(maxsize=65536)
def readings(char: str) -> tuple[tuple[str, int], ...]:
    """Every Mandarin reading pypinyin knows for one character: (toneless syllable, tone 1-5), 5 the neutral tone.
    A traditional character pypinyin lacks is read through its simplification."""
    from pypinyin import Style, pinyin  # lazy: pypinyin loads its tables on import

    out: list[tuple[str, int]] = []
    for form in variants(char):
        found = pinyin(form, style=Style.TONE3, heteronym=True, neutral_tone_with_five=True, errors="ignore")
        for reading in found[0] if found else []:
            if reading and reading[-1].isdigit() and reading[:-1].isalpha():
                item = (reading[:-1].replace("ü", "v"), int(reading[-1]))
                if item not in out:
                    out.append(item)
        if out:
            break
    return tuple(out)


def _modern_tone(tone: int) -> str:
    # The neutral tone is short and light: it scans as 仄.
    return PING if tone in (1, 2) else ZE


# -- the interface -------------------------------------------------------------------------------------------
def _check_system(system: str) -> None:
    if system not in SYSTEMS:
        raise ValueError(f"unknown rhyme system {system!r}; known: {', '.join(SYSTEMS)}")


@lru_cache(maxsize=65536)
def groups_of(char: str, system: RhymeSystem = "pingshui") -> frozenset[str]:
    """The rhyme groups of one character (traditional or simplified), e.g. {"上平十一真"}; empty if not in the table.

    For ``xinyun`` and ``shisanzhe`` a group is the 韵部 name with the reading's tone class, "十唐:平" or "江阳:仄",
    so that a 平 rhyme and a 仄 rhyme of the same class stay apart as they do in 平水韵; :func:`base_group` strips it.
    """
    _check_system(system)
    if len(char) != 1:
        return frozenset()
    if system == "pingshui":
        index = _pingshui()[1]
        found: set[str] = set()
        for form in variants(char):
            found |= index.get(form, frozenset())
        return frozenset(found)
    table = _by_final(system)
    out = set()
    for syllable, tone in readings(char):
        group = table.get(final_of(syllable))
        if group:
            out.add(f"{group}:{_modern_tone(tone)}")
    return frozenset(out)


def base_group(group: str) -> str:
    """A group name without the tone suffix of the modern systems ("十唐:平" -> "十唐")."""
    return group.split(":", 1)[0]


@lru_cache(maxsize=512)
def chars_of(group: str, system: RhymeSystem = "pingshui") -> frozenset[str]:
    """All characters of a group, simplified and traditional. For the modern systems, ``group`` may carry a tone
    suffix ("十唐:平": only level-tone readings) or not ("十唐": any tone); the characters are those of the 平水韵
    table (about 10,000, the verse vocabulary) that have such a reading."""
    _check_system(system)
    if system == "pingshui":
        base = _pingshui()[0].get(group, ())
    else:
        wanted = group
        base = tuple(ch for ch in _pingshui()[1]
                     if any(g == wanted or base_group(g) == wanted for g in groups_of(ch, system)))
    out: set[str] = set()
    for ch in base:
        out.update(variants(ch))
    return frozenset(out)


@lru_cache(maxsize=65536)
def tone_of(char: str, system: RhymeSystem = "pingshui") -> frozenset[str]:
    """The tone classes of one character: a subset of {"平", "仄"}; empty when the system does not know it."""
    _check_system(system)
    if system == "pingshui":
        return frozenset(PING if is_ping_group(g) else ZE for g in groups_of(char, system))
    return frozenset(_modern_tone(tone) for _, tone in readings(char))
