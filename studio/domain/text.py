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
_WORD = re.compile(rf"[^\s{_CJK}]+")


def is_cjk(ch: str) -> bool:
    return bool(_CJK_CHAR.match(ch))


def count_words(text: str) -> int:
    """Words in ``text``: runs of non-space letters, plus one per CJK character.

    Punctuation-only runs ("--", "…", "。") are not words.
    """
    cjk = len(_CJK_CHAR.findall(text))
    words = sum(1 for w in _WORD.findall(text) if any(_is_wordish(c) for c in w))
    return cjk + words


def count_chars(text: str) -> int:
    """Characters a writer sees: no whitespace, no combining marks."""
    return sum(1 for c in text if not c.isspace() and unicodedata.category(c) != "Mn")


def _is_wordish(c: str) -> bool:
    cat = unicodedata.category(c)
    return cat[0] in "LN" or cat == "So"  # letters, numbers, emoji/symbols
