"""A draft's length as its writer counts it: 字 (Han characters) for Chinese, words for everything else, and both
for a draft that mixes them ("1,234 字 · 56 词").

The two add up to :func:`studio.domain.text.count_words`, the one count every layer stores and sorts by (a Han
character is one word there): this only says how much of it is which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studio.domain.text import count_words

# Han ideographs: the same ranges count_words counts one per character (kana and hangul are not Han).
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

@dataclass(frozen=True)
class TextCounts:
    han: int  # Han characters (字)
    words: int  # words in every other script (Latin, Cyrillic...), numbers included

    @property
    def total(self) -> int:
        """What count_words says: every Han character and every word."""
        return self.han + self.words

    def __add__(self, other: TextCounts) -> TextCounts:
        return TextCounts(self.han + other.han, self.words + other.words)

    def label(self, language: str = "en") -> str:
        """The counts for a status bar, in ``language`` ("en" or "zh"): only the kinds the text has (a Chinese
        draft shows 字 alone, an English one words alone), both when it mixes them, and for an empty text the
        window language's own unit."""
        zh = language.startswith("zh")
        if not self.han and not self.words:
            return "0 字" if zh else "0 words"
        parts = []
        if self.han:
            parts.append(f"{self.han:,} 字" if zh else f"{self.han:,} Chinese character{'s' * (self.han != 1)}")
        if self.words:
            parts.append(f"{self.words:,} 词" if zh else f"{self.words:,} word{'s' * (self.words != 1)}")
        return " · ".join(parts)


def text_counts(text: str) -> TextCounts:
    """Han characters and other words in ``text``; ``han + words == count_words(text)``."""
    han = len(_HAN.findall(text))
    return TextCounts(han=han, words=count_words(text) - han)
