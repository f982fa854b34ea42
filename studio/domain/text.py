"""Text facts every layer agrees on: CJK-aware word counting."""

from __future__ import annotations

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
