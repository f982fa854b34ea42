"""Text facts every layer agrees on: CJK-aware word counting."""

from __future__ import annotations

import functools
import re
import unicodedata

# One CJK ideograph, kana or hangul syllable counts as one word, as writers of those languages count.
_CJK = (
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs and compatibility ideographs
    "\uac00-\ud7af"  # hangul syllables
    "\U00020000-\U0003134f"  # CJK extensions B..G
)
_CJK_CHAR = re.compile(f"[{_CJK}]")
_RUNS = re.compile(rf"[^\s{_CJK}]+")
# A word is a run of non-space, non-CJK characters holding at least one letter, digit or emoji: "--" and "…"
# are not words. Counted as all runs minus the runs made only of such marks, in two linear regex passes (no
# Python loop, no backtracking): a 10 MB paste is counted on every autosave, and "=====" x 1e6 must not hang.
_JUNK_RUN = re.compile(
    rf"(?<![^\s{_CJK}])(?:[^\s\w\u2600-\u27bf\U0001f000-\U0001faff]|_)++(?![^\s{_CJK}])"
)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def is_cjk(ch: str) -> bool:
    return bool(_CJK_CHAR.match(ch))


def has_cjk(text: str) -> bool:
    """Whether any character of ``text`` is CJK, in one regex pass rather than a Python loop."""
    return _CJK_CHAR.search(text) is not None


def count_words(text: str) -> int:
    """Words in ``text``: runs of non-space letters, plus one per CJK character.

    Punctuation-only runs ("--", "…", "。") are not words.
    """
    return len(_CJK_CHAR.findall(text)) + len(_RUNS.findall(text)) - len(_JUNK_RUN.findall(text))


def clean_text(text: str) -> str:
    """``text`` with lone surrogates (from undecodable file names or arguments) replaced by U+FFFD.

    SQLite and UTF-8 files cannot hold them; everything else is kept exactly.
    """
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


def count_chars(text: str) -> int:
    """Characters a writer sees: no whitespace, no combining marks."""
    return sum(1 for c in text if not c.isspace() and unicodedata.category(c) != "Mn")


# Scripts. The standard library has no Unicode Script property, but a letter's character name begins with its
# script for every script writers use ("LATIN SMALL LETTER A", "CJK UNIFIED IDEOGRAPH-6625", "ARABIC LETTER ALEF",
# "HIRAGANA LETTER A", "HANGUL SYLLABLE GA", "THAI CHARACTER KO KAI"). Letter-like symbols and styled letters
# (µ, ª, 𝐀, ℎ, fullwidth Ａ) take the script of their compatibility form (NFKC), so a "mathematical bold A" is Latin.
# Only letters (str.isalpha) have a script here: digits, punctuation, spaces and emoji are shared by all scripts.
_SCRIPT_WORDS = (" LETTER", " SYLLABLE", " IDEOGRAPH", " CHARACTER")
_SCRIPT_ALIASES = {"CJK": "HAN"}
_STYLED = ("MODIFIER ", "SUPERSCRIPT ", "SUBSCRIPT ", "MATHEMATICAL ", "CIRCLED ", "PARENTHESIZED ")


@functools.lru_cache(maxsize=65536)
def script_of(ch: str) -> str:
    """The script of one character ("LATIN", "HAN", "ARABIC", "CYRILLIC"...), or "" for a non-letter."""
    if not ch.isalpha():
        return ""
    name = unicodedata.name(ch, "")
    if any(w in name for w in _SCRIPT_WORDS) and not name.startswith(_STYLED):
        word = name.split(" ", 1)[0].split("-", 1)[0]
        if word in ("FULLWIDTH", "HALFWIDTH"):
            word = name.split(" ", 2)[1].split("-", 1)[0]
        return _SCRIPT_ALIASES.get(word, word)
    folded = unicodedata.normalize("NFKC", ch)
    if folded != ch and len(folded) >= 1 and folded[0].isalpha():
        return script_of(folded[0])
    return ""


def script_counts(text: str) -> dict[str, int]:
    """How many letters of each script ``text`` holds."""
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            s = script_of(ch)
            if s:
                counts[s] = counts.get(s, 0) + 1
    return counts
