"""字 for Chinese, words for the rest, both when a draft mixes them; the two add up to the stored word count."""

from __future__ import annotations

import pytest

from studio.domain import count_words
from studio.domain.counts import TextCounts, text_counts

POEM = "床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡。"
MIXED = "我爱你 baby, don't go 今晚。"
ENGLISH = "The sea was calm -- and then it wasn't."


@pytest.mark.parametrize(("text", "han", "words"), [
    (POEM, 20, 0),
    (ENGLISH, 0, 8),  # "--" is not a word
    (MIXED, 5, 3),
    ("", 0, 0),
    ("  \n。，！", 0, 0),
    ("第3章 2024年", 3, 2),  # numbers are words
    ("𠀀𠀁 (extension B)", 2, 2),  # Han beyond the basic plane
    ("ひらがな 한국어", 0, 7),  # kana and hangul are not 字: each counts as a word, as count_words has it
])
def test_han_characters_and_other_words(text, han, words):
    counts = text_counts(text)
    assert (counts.han, counts.words) == (han, words)
    assert counts.total == count_words(text)


@pytest.mark.parametrize(("counts", "en", "zh"), [
    (TextCounts(20, 0), "20 Chinese characters", "20 字"),
    (TextCounts(1, 0), "1 Chinese character", "1 字"),
    (TextCounts(0, 8), "8 words", "8 词"),
    (TextCounts(0, 1), "1 word", "1 词"),
    (TextCounts(1234, 56), "1,234 Chinese characters · 56 words", "1,234 字 · 56 词"),
    (TextCounts(0, 0), "0 words", "0 字"),
])
def test_labels_in_english_and_chinese(counts, en, zh):
    assert counts.label("en") == counts.label() == en
    assert counts.label("zh") == counts.label("zh_CN") == zh


def test_counts_of_parts_add_up_to_the_counts_of_the_whole():
    paragraphs = [POEM, MIXED, ENGLISH]
    summed = sum((text_counts(p) for p in paragraphs), TextCounts(0, 0))
    assert summed == text_counts("\n".join(paragraphs))
    assert text_counts("\n".join(paragraphs)).label("zh") == "25 字 · 11 词"
