"""Words that rhyme with a word, from Studio's own tables (the assistant's "rhymes for 'light'" / "光的韵脚").

English: the CMU dictionary's words whose sound from the last stressed vowel on is the word's (the key
``rhyme.english_rhyme_keys`` compares lines by), grouped by syllable count; the spellings many rhymes share and
short words first within a group, a rough stand-in for the common ones, since the dictionary has no frequencies.
Entries with digits, dots or apostrophes (abbreviations, possessives) and of two letters are left out.

Chinese: the character's groups in 十三辙 (the modern classes songs rhyme by, any tone) and in 平水韵 (classical
verse), each with its characters in the 平水韵 table's order, which lists the everyday characters of a group first.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from studio.forms.counting import cmu_dict, is_han, pronunciations, word_syllables
from studio.forms.rhyme import _rhyme_part
from studio.forms.rhymebook import base_group, groups_of, pingshui_groups

_PLAIN_WORD = re.compile(r"^[a-z]{3,}(?:-[a-z]+)?$")  # two letters: mostly names and spellings (ee, di)
_index_lock = threading.Lock()
_index: dict[str, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class EnglishRhymes:
    word: str
    known: bool  # the dictionary has the word (else nothing can be said about its sound)
    by_syllables: Mapping[int, tuple[str, ...]]  # syllable count -> rhyming words
    syllables: tuple[int, ...] = ()  # the word's own count(s)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w for n in sorted(self.by_syllables) for w in self.by_syllables[n])


@dataclass(frozen=True)
class RhymeGroup:
    system: str  # "shisanzhe" | "pingshui"
    name: str  # "江阳", "下平七阳"
    chars: tuple[str, ...]


@dataclass(frozen=True)
class ChineseRhymes:
    char: str
    groups: tuple[RhymeGroup, ...]


def _rhyme_index() -> dict[str, tuple[str, ...]]:
    """Rhyme sound -> plain dictionary words with it, built once (about a second for 126,000 words)."""
    global _index
    if _index is None:
        with _index_lock:
            if _index is None:
                found: dict[str, list[str]] = {}
                for word, prons in cmu_dict().items():
                    if not _PLAIN_WORD.match(word):
                        continue
                    for key in {_rhyme_part(p) for p in prons}:
                        found.setdefault(key, []).append(word)
                _index = {k: tuple(v) for k, v in found.items()}
    return _index


def english_rhymes(word: str, limit: int = 60) -> EnglishRhymes:
    """Up to ``limit`` words that rhyme with ``word`` (not the word itself), by syllable count."""
    w = word.strip().strip("'\"‘’“”").lower()
    prons = pronunciations(w)
    if not prons:
        return EnglishRhymes(w, False, {})
    index = _rhyme_index()
    candidates: set[str] = set()
    for key in {_rhyme_part(p) for p in prons}:
        candidates.update(index.get(key, ()))
    candidates.discard(w)
    # Common words first, as far as a dictionary without frequencies allows: the spellings many rhymes share (-ight,
    # -ite) before the odd ones of names (-eit, -yte), then short before long. The word repeated inside a longer
    # one ("delight" for "light") is a weak rhyme: after the others.
    endings: dict[str, int] = {}
    for c in candidates:
        endings[_ending(c)] = endings.get(_ending(c), 0) + 1
    def rank(c: str) -> tuple[bool, int, int, int, str]:
        return c.endswith(w), min(word_syllables(c) or (1,)), -endings[_ending(c)], len(c), c

    ranked = sorted(candidates, key=rank)[:limit]
    groups: dict[int, list[str]] = {}
    for c in ranked:
        groups.setdefault(min(word_syllables(c) or (1,)), []).append(c)
    own = tuple(sorted(set(word_syllables(w))))
    return EnglishRhymes(w, True, {n: tuple(groups[n]) for n in sorted(groups)}, own)


def _ending(word: str) -> str:
    m = re.search(r"[aeiouy]+[^aeiouy]*$", word)
    return m.group(0) if m else word


def _main_class(ch: str) -> str | None:
    """The 十三辙 class of a character's first (most common) reading."""
    from studio.forms.rhymebook import final_of, readings, shisanzhe_of_final

    found = readings(ch)
    return shisanzhe_of_final(final_of(found[0][0])) if found else None


@lru_cache(maxsize=256)
def _group_chars(group: str, system: str) -> tuple[str, ...]:
    from studio.forms.rhymebook import _pingshui, chars_of

    if system == "pingshui":
        return tuple(_pingshui()[0].get(group, ()))  # the table's own order: common characters first
    # Characters whose everyday reading is in the class, listed by the 平水韵 groups that hold most of them (下平七阳
    # for 江阳) and in each in the table's order, so the common characters of the class come first.
    members = {ch for ch in chars_of(group, "shisanzhe") if _main_class(ch) == group}
    table = _pingshui()[0]
    share = {g: sum(c in members for c in chars) for g, chars in table.items()}
    out: dict[str, None] = {}
    for g in sorted(table, key=lambda g: -share[g]):
        out.update((c, None) for c in table[g] if c in members)
    return tuple(out)


def chinese_rhymes(char: str, limit: int = 48) -> ChineseRhymes:
    """The rhyme groups of one Han character (十三辙 first, then 平水韵) with up to ``limit`` characters each."""
    ch = char.strip()[-1:] if char.strip() else ""
    if not ch or not is_han(ch):
        return ChineseRhymes(ch, ())
    out: list[RhymeGroup] = []
    main = _main_class(ch)
    for name in sorted({base_group(g) for g in groups_of(ch, "shisanzhe")}, key=lambda g: (g != main, g)):
        chars = tuple(c for c in _group_chars(name, "shisanzhe") if c != ch)[:limit]
        out.append(RhymeGroup("shisanzhe", name, chars))
    for name in sorted(groups_of(ch, "pingshui"), key=pingshui_groups().index):
        chars = tuple(c for c in _group_chars(name, "pingshui") if c != ch)[:limit]
        out.append(RhymeGroup("pingshui", name, chars))
    return ChineseRhymes(ch, tuple(out))
