from __future__ import annotations

import itertools
import random
import re
import string

import pytest

from studio.domain.text import is_cjk
from studio.services import diffing
from studio.services.diffing import DiffOp, diff_stats, tokenize, word_diff


def _sides(ops):
    old = "".join(o.text for o in ops if o.op != "insert")
    new = "".join(o.text for o in ops if o.op != "delete")
    return old, new


def _check(old: str, new: str) -> list[DiffOp]:
    """word_diff(old, new), checked: it rebuilds both sides, is well formed, and cuts only between tokens."""
    ops = word_diff(old, new)
    assert _sides(ops) == (old, new)
    assert all(o.op in ("equal", "insert", "delete") and o.text for o in ops)
    assert all(x.op != y.op for x, y in itertools.pairwise(ops)), "runs of one op are merged"
    for side, text, skip in (("old", old, "insert"), ("new", new, "delete")):
        ends = set(_token_ends(text))
        pos = 0
        for o in ops:
            if o.op != skip:
                pos += len(o.text)
                assert pos in ends, f"{side} side cut inside a token at {pos}"
    return ops


def _token_ends(text: str) -> list[int]:
    ends, pos = [0], 0
    for tok in tokenize(text):
        pos += len(tok)
        ends.append(pos)
    return ends


def _changed(ops: list[DiffOp]) -> int:
    ins, dele = diff_stats(ops)
    return ins + dele


# --- texts and revisions made from fixed seeds ---------------------------------------------------------------

_ZH = "床前明月光疑是地上霜举头望低思故乡春眠不觉晓处闻啼鸟夜来风雨声花落知多少白日依山尽黄河入海流欲穷千里目更上一层楼"


def _vocabulary(rnd: random.Random, n: int) -> list[str]:
    words = ["".join(rnd.choices(string.ascii_lowercase, k=rnd.randint(1, 9))) for _ in range(n)]
    return words + ["don't", "harbour’s", "1984", "naïve", "café", "—", "..."]


def _english(rnd: random.Random, n_words: int, vocab: list[str]) -> str:
    paras, left = [], n_words
    while left > 0:
        k = min(left, rnd.randint(5, 200))
        words = rnd.choices(vocab, k=k)
        paras.append(" ".join(words).capitalize() + rnd.choice([".", "!", "?", "…"]))
        left -= k
        if rnd.random() < 0.05:
            paras.append("* * *")  # a separator repeated through the text: never unique
    return "\n\n".join(paras)


def _chinese(rnd: random.Random, n_chars: int) -> str:
    out = []
    for _ in range(n_chars):
        r = rnd.random()
        out.append(rnd.choice("，。！？") if r < 0.1 else "\n" if r < 0.12 else rnd.choice(_ZH))
        if r > 0.995:
            out.append(rnd.choice(["AI", "第3章", " Studio ", "2024"]))
    return "".join(out)


def _revise_words(rnd: random.Random, text: str, n_edits: int, vocab: list[str]) -> tuple[str, int]:
    """A revision of ``text``, and an upper bound of the characters a diff needs to insert and delete."""
    paras = text.split("\n\n")
    bound = 0
    for _ in range(n_edits):
        r, p = rnd.random(), rnd.randrange(len(paras))
        if r < 0.05:
            paras.insert(p, _english(rnd, rnd.randint(3, 40), vocab))
            bound += len(paras[p]) + 2
        elif r < 0.08 and len(paras) > 1:
            bound += len(paras.pop(p)) + 2
        elif r < 0.1 and len(paras) > 1:
            moved = paras.pop(p)
            paras.insert(rnd.randrange(len(paras) + 1), moved)
            bound += 2 * (len(moved) + 2)
        else:
            words = paras[p].split(" ")
            w = rnd.randrange(len(words))
            if r < 0.4:
                words[w] = rnd.choice(vocab)
            elif r < 0.7:
                words.insert(w, rnd.choice(vocab))
            elif len(words) > 1:
                del words[w : w + rnd.randint(1, 3)]
            paras[p] = " ".join(words)
            bound += 40  # at most three words of ten characters with their spaces, and a capital
    return "\n\n".join(paras), bound


def _revise_chars(rnd: random.Random, text: str, n_edits: int, alphabet: str) -> str:
    chars = list(text)
    for _ in range(n_edits):
        i = rnd.randrange(len(chars) + 1)
        r = rnd.random()
        if r < 0.4 or not chars:
            chars[i:i] = rnd.choices(alphabet, k=rnd.randint(1, 4))
        elif r < 0.7:
            del chars[i : i + rnd.randint(1, 4)]
        else:
            chars[i : i + 1] = rnd.choice(alphabet)
    return "".join(chars)


# --- behaviour kept from the first version ---------------------------------------------------------------------


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


# --- the tokenizer's units -------------------------------------------------------------------------------------


def _tokenize_per_token(text: str) -> list[str]:
    """The first tokenizer, token by token: the units the fast path must keep."""
    tokens: list[str] = []
    for m in diffing._TOKEN.finditer(text):
        tok = m.group(0)
        tokens.extend(tok) if len(tok) > 1 and any(is_cjk(c) for c in tok) else tokens.append(tok)
    return tokens


@pytest.mark.parametrize("seed", range(40))
def test_tokenize_keeps_its_units(seed):
    rnd = random.Random(seed)
    alphabet = string.ascii_letters + string.digits + " \n\t'’-.,!" + _ZH[:10] + "かなカナ한국" + "é😀_"
    text = "".join(rnd.choices(alphabet, k=rnd.randint(0, 400)))
    if seed % 2:
        text = "".join(c for c in text if not is_cjk(c))  # the path without any CJK
    assert tokenize(text) == _tokenize_per_token(text)
    assert "".join(tokenize(text)) == text


def test_mixed_latin_and_cjk_runs_split_per_character():
    # A run of letters holding CJK is cut into characters, as before; a run of plain letters stays one word.
    assert tokenize("AI写诗 poem") == ["A", "I", "写", "诗", " ", "poem"]
    ops = _check("我们用AI写诗", "我们用AI作诗")
    assert [(o.op, o.text) for o in ops] == [("equal", "我们用AI"), ("delete", "写"), ("insert", "作"), ("equal", "诗")]


# --- correctness on random revisions ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(12))
def test_random_revisions_of_long_english_text_rebuild_both_sides(seed):
    rnd = random.Random(seed)
    vocab = _vocabulary(rnd, rnd.choice([12, 300, 5000]))  # few words repeat often; many words rarely
    n_words = rnd.randint(2_000, 20_000)
    old = _english(rnd, n_words, vocab)
    # Scattered: one edit in 200 words at most, so no stretch between unchanged paragraphs comes near the time
    # limit even on a slow machine, and the size of the diff can be held to the size of the edits.
    new, bound = _revise_words(rnd, old, max(1, n_words // rnd.choice([200, 1000, 20_000])), vocab)
    ops = _check(old, new)
    assert _changed(ops) <= 2 * bound, "a revision's small edits give a small diff, not a coarse one"


@pytest.mark.timeout(20)
@pytest.mark.parametrize("seed", range(3))
def test_dense_revisions_rebuild_both_sides(seed):
    # One edit in 20 words touches every paragraph: no anchors, and the time limit may end the diff early.
    rnd = random.Random(seed)
    vocab = _vocabulary(rnd, 300)
    old = _english(rnd, 10_000, vocab)
    new, _ = _revise_words(rnd, old, 500, vocab)
    _check(old, new)


@pytest.mark.parametrize("seed", range(12))
def test_random_revisions_of_long_chinese_text_diff_per_character(seed):
    rnd = random.Random(seed)
    old = _chinese(rnd, rnd.randint(2_000, 30_000))
    n_edits = rnd.choice([1, 10, 100, 300])
    new = _revise_chars(rnd, old, n_edits, _ZH + "，。\n")
    ops = _check(old, new)
    assert _changed(ops) <= 20 * n_edits
    for o in ops:
        if o.op != "equal" and not re.search(r"[A-Za-z0-9]", o.text):
            assert all(is_cjk(c) or not c.isalnum() for c in o.text)


@pytest.mark.parametrize("seed", range(200))
def test_random_short_strings_rebuild_both_sides(seed):
    rnd = random.Random(seed)
    alphabet = "ab cd\n'’." + _ZH[:6] + "😀é1"
    old = "".join(rnd.choices(alphabet, k=rnd.randint(0, 60)))
    new = _revise_chars(rnd, old, rnd.randint(0, 8), alphabet) if seed % 3 else "".join(rnd.choices(alphabet, k=30))
    _check(old, new)


@pytest.mark.parametrize(
    "old,new",
    [
        ("", "一整首新诗\n床前明月光"),
        ("Whole text deleted.\n\nTwo paragraphs.", ""),
        ("", ""),
        ("  \n\n", "\n"),
        ("same", "same but longer"),
        ("prefix same", "same"),
    ],
)
def test_empty_and_one_sided(old, new):
    ops = _check(old, new)
    if not old and new:
        assert ops == [DiffOp("insert", new)]
    if old and not new:
        assert ops == [DiffOp("delete", old)]


def test_more_distinct_tokens_than_code_points_falls_back_to_characters(monkeypatch):
    # The real alphabet is every code point (1,114,112 distinct tokens); a small one reaches the fallback
    # without a 10 MB text.
    monkeypatch.setattr(diffing, "_ALPHABET", 50)
    old = " ".join(str(i) for i in range(100))
    new = old.replace(" 42 ", " 4x2 ").replace(" 7 ", " ")
    ops = word_diff(old, new)
    assert _sides(ops) == (old, new)
    assert _changed(ops) <= 10


# --- size: what the quadratic first version could not finish --------------------------------------------------


@pytest.mark.timeout(20)  # the first version (difflib on tokens) needs hours here; this takes about a second
def test_two_200k_word_revisions_with_scattered_edits_finish():
    rnd = random.Random(2024)
    vocab = _vocabulary(rnd, 3000)
    old = _english(rnd, 200_000, vocab)
    new, bound = _revise_words(rnd, old, 500, vocab)
    ops = _check(old, new)
    assert _changed(ops) <= 2 * bound, "the time limit was hit: the diff came back coarse"


@pytest.mark.timeout(20)
def test_unrelated_long_texts_end_within_the_time_limit():
    # Two texts with nothing in common but their words: Myers' D is about N, so the time limit has to end it;
    # what comes back is still a true diff.
    rnd = random.Random(7)
    vocab = _vocabulary(rnd, 12)
    old = " ".join(rnd.choices(vocab, k=60_000))
    new = " ".join(rnd.choices(vocab, k=60_000))
    _check(old, new)
