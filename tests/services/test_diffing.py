from __future__ import annotations

from studio.services.diffing import diff_stats, tokenize, word_diff


def _sides(ops):
    old = "".join(o.text for o in ops if o.op != "insert")
    new = "".join(o.text for o in ops if o.op != "delete")
    return old, new


def test_english_words_diff_as_words():
    ops = word_diff("The cat sat on the mat.", "The black cat sat on a mat.")
    assert _sides(ops) == ("The cat sat on the mat.", "The black cat sat on a mat.")
    inserted = [o.text for o in ops if o.op == "insert"]
    assert "black " in inserted[0] or inserted[0].strip() == "black"
    assert diff_stats(ops)[0] > 0


def test_chinese_diffs_per_character():
    assert tokenize("明月光") == ["明", "月", "光"]
    ops = word_diff("床前明月光", "窗前明月光")
    assert [(o.op, o.text) for o in ops] == [("delete", "床"), ("insert", "窗"), ("equal", "前明月光")]


def test_identical_and_empty():
    assert word_diff("", "") == []
    assert [o.op for o in word_diff("same", "same")] == ["equal"]
    assert _sides(word_diff("", "new text")) == ("", "new text")
