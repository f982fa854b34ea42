"""Syllable and character counting: English via the CMU dictionary, Chinese by Han character, mixed lines."""

from __future__ import annotations

import time

import pytest

from studio.forms.counting import (
    count_line,
    count_syllables,
    estimate_syllables,
    han_count,
    last_word,
    line_counts,
    word_syllables,
)


@pytest.mark.parametrize(
    ("word", "expected"),
    [("cat", 1), ("water", 2), ("beautiful", 3), ("summer's", 2), ("temperate", 2), ("lovin'", 2),
     ("Singin'", 2), ("café", 2), ("don't", 1), ("WREN", 1)],
)
def test_dictionary_words(word: str, expected: int) -> None:
    assert word_syllables(word)[0] == expected


def test_words_with_two_pronunciations_offer_both_counts() -> None:
    assert set(word_syllables("fire")) == {1, 2}
    assert set(word_syllables("every")) == {2, 3}


@pytest.mark.parametrize(("word", "expected"), [("glimmerfen", 3), ("zorbulate", 3), ("blorp", 1), ("snorkelish", 3)])
def test_unknown_words_get_an_estimate(word: str, expected: int) -> None:
    assert estimate_syllables(word) == expected
    line = count_line(f"the {word}")
    assert line.estimated and line.syllables == 1 + expected


def test_numbers_are_read_as_words() -> None:
    assert word_syllables("7")[0] == 2  # seven
    assert word_syllables("1999")[0] == 5  # nineteen ninety-nine
    assert word_syllables("100")[0] == 3  # one hundred
    assert word_syllables("9" * 40)[0] == 40  # a pasted serial is read digit by digit, quickly


def test_english_line() -> None:
    line = count_line("Shall I compare thee to a summer's day?")
    assert (line.syllables, line.han, line.lang, line.estimated) == (10, 0, "en", False)
    assert line.words == 8


def test_chinese_line_counts_han_only_not_punctuation() -> None:
    line = count_line("床前明月光，")
    assert (line.syllables, line.han, line.lang) == (5, 5, "zh")
    assert han_count("“举头望明月！”——《静夜思》。") == 8
    assert han_count("，。！？；：「」『』（）【】…　") == 0


def test_mixed_line_adds_both_scripts() -> None:
    line = count_line("我爱你 baby")
    assert (line.syllables, line.han, line.lang) == (5, 3, "mixed")
    assert count_line("我爱你 baby", lang="zh").syllables == 3
    assert count_line("我爱你 baby", lang="en").syllables == 2


def test_emoji_and_full_width_letters() -> None:
    assert count_line("🌙🌙🌙").syllables == 0
    assert count_line("moon 🌙 light 👨‍👩‍👧").syllables == 2
    assert count_line("Ｆｕｌｌ ｗｉｄｔｈ").syllables == 2  # full-width Latin is still English
    assert count_line("").lang == ""


def test_line_counts_keep_editor_line_indexes() -> None:
    counts = line_counts("An old pond\n\n床前明月光\r\nend")
    assert [c.index for c in counts] == [0, 1, 2, 3]
    assert [c.syllables for c in counts] == [3, 0, 5, 1]


def test_count_syllables_of_text() -> None:
    assert count_syllables("the kettle starts its thin song") == 7


def test_last_word_skips_punctuation_and_emoji() -> None:
    assert last_word("the darling buds of May,") == "May"
    assert last_word("低头思故乡。") == "低头思故乡"
    assert last_word("我爱你 baby 🎵!") == "baby"
    assert last_word("…!") is None


def test_very_long_line_is_fast() -> None:
    long_line = ("moonlight on the river 月光 " * 4000)[:100_000]
    start = time.perf_counter()
    line = count_line(long_line)
    counts = line_counts(long_line + "\n" + "x" * 100_000)
    assert time.perf_counter() - start < 3.0
    assert line.han > 0 and line.syllables > line.han
    assert len(counts) == 2
    assert last_word("a" * 100_000 + " end") == "end"
