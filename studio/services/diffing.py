"""Word-level differences, for a Rewrite proposal shown against the original and for revisions."""

from __future__ import annotations

import bisect
import itertools
import re
import time
from collections import Counter
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

from studio.domain.text import has_cjk

# A token is a run of word characters, one CJK character, one other character, or a run of whitespace, so
# that a diff of Chinese text works per character and a diff of English per word, keeping the spaces.
_TOKEN = re.compile(r"\s+|[^\W\d_]+(?:['’][^\W\d_]+)*|\d+|.", re.UNICODE)
# A line break and the whitespace after it: where a paragraph ends. It starts only at a line break, so a long
# run of spaces costs no backtracking.
_PARAGRAPH_END = re.compile(r"\n\s*")

# Each distinct token of a changed stretch stands for one code point, so diff-match-patch (which works on
# characters) diffs tokens: the "line mode" trick of its authors applied to words. A str holds any code point.
_ALPHABET = 0x110000
# Myers' diff is O(N·D); on texts that share almost nothing D approaches N. Past this many seconds
# diff-match-patch gives up on the part still open and reports it as deleted and inserted whole: still a true
# diff (both sides rebuild exactly), only a coarser one, and no revision comparison holds a core for minutes.
DIFF_TIMEOUT_S = 1.0
_OP = {
    diff_match_patch.DIFF_EQUAL: "equal",
    diff_match_patch.DIFF_DELETE: "delete",
    diff_match_patch.DIFF_INSERT: "insert",
}


@dataclass(frozen=True)
class DiffOp:
    op: str  # "equal" | "insert" | "delete"
    text: str


def tokenize(text: str) -> list[str]:
    if not has_cjk(text):
        return _TOKEN.findall(text)  # the common case in one C-level pass
    tokens: list[str] = []
    for m in _TOKEN.finditer(text):
        tok = m.group(0)
        if len(tok) > 1 and has_cjk(tok):
            tokens.extend(tok)  # one CJK character per token
        else:
            tokens.append(tok)
    return tokens


def word_diff(old: str, new: str) -> list[DiffOp]:
    """Operations that turn ``old`` into ``new``; joining equal+delete gives old, equal+insert gives new.

    Near-linear for revisions that differ in scattered places. The paragraphs the two sides begin and end with
    in common are cut off; the paragraphs found exactly once on each side and in the same order (patience diff's
    anchors) split the middle into the stretches between them; each stretch is tokenized and goes to
    diff-match-patch on word tokens, which trims the common prefix and suffix again, token by token, before
    Myers' O(N·D) diff with its half-match speed-up. Myers alone costs about D² steps for D edited tokens, in
    Python: a novel with a thousand scattered edits would run into the time limit and come back as one coarse
    replacement; split, each stretch holds only a few edits, and the unchanged paragraphs are never tokenized.
    """
    if old == new:
        return [DiffOp("equal", old)] if old else []
    pa, pb = _paragraphs(old), _paragraphs(new)
    n = min(len(pa), len(pb))
    head = 0
    while head < n and pa[head] == pb[head]:
        head += 1
    tail = 0
    while tail < n - head and pa[-1 - tail] == pb[-1 - tail]:
        tail += 1
    deadline = time.time() + DIFF_TIMEOUT_S
    pieces: list[tuple[str, str]] = [("equal", "".join(pa[:head]))]
    ma, mb = pa[head : len(pa) - tail], pb[head : len(pb) - tail]
    i = j = 0  # paragraphs of the middle consumed on each side
    for ai, bj in _anchors(ma, mb):
        pieces += _diff_stretch("".join(ma[i:ai]), "".join(mb[j:bj]), deadline)
        pieces.append(("equal", ma[ai]))
        i, j = ai + 1, bj + 1
    pieces += _diff_stretch("".join(ma[i:]), "".join(mb[j:]), deadline)
    pieces.append(("equal", "".join(pa[len(pa) - tail :])))
    return _merge(pieces)


def _paragraphs(text: str) -> list[str]:
    """``text`` cut after each run of whitespace that holds a line break.

    The end of such a run is always the end of a token (a whitespace token is the whole run, and _TOKEN looks
    neither behind nor ahead of its match), so the paragraphs tokenize exactly as the whole text does.
    """
    cuts = [m.end() for m in _PARAGRAPH_END.finditer(text)]
    if not cuts or cuts[-1] != len(text):
        cuts.append(len(text))
    return [text[s:e] for s, e in itertools.pairwise([0, *cuts])]


def _anchors(pa: list[str], pb: list[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) with pa[i] == pb[j], each paragraph unique on both sides, increasing in i and in j.

    The longest such chain, found by patience sorting in O(n log n) (Bram Cohen's patience diff).
    """
    count_a = Counter(pa)
    count_b = Counter(pb)
    where_b = {p: j for j, p in enumerate(pb) if count_b[p] == 1}
    pairs = [(i, where_b[p]) for i, p in enumerate(pa) if count_a[p] == 1 and p in where_b]
    tops: list[int] = []  # the smallest j ending an increasing chain of each length
    top_pair: list[int] = []  # index into pairs of that chain's last pair
    back = [-1] * len(pairs)  # index into pairs of the pair before, in the chain each pair ends
    for k, (_, j) in enumerate(pairs):
        pile = bisect.bisect_left(tops, j)
        if pile == len(tops):
            tops.append(j)
            top_pair.append(k)
        else:
            tops[pile] = j
            top_pair[pile] = k
        back[k] = top_pair[pile - 1] if pile else -1
    chain: list[tuple[int, int]] = []
    k = top_pair[-1] if top_pair else -1
    while k != -1:
        chain.append(pairs[k])
        k = back[k]
    chain.reverse()
    return chain


def _diff_stretch(old: str, new: str, deadline: float) -> list[tuple[str, str]]:
    if not old or not new:
        return [("delete", old), ("insert", new)]
    a, b = tokenize(old), tokenize(new)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = DIFF_TIMEOUT_S  # the deadline passed in bounds the whole word_diff; this turns on half-match
    codes: dict[str, str] = {}
    for tok in itertools.chain(a, b):
        if tok not in codes:
            if len(codes) == _ALPHABET:
                # More distinct tokens than code points (a million different numbers, say): diff the
                # characters themselves, which is as exact, only finer-grained.
                return [(_OP[op], text) for op, text in dmp.diff_main(old, new, False, deadline)]
            codes[tok] = chr(len(codes))
    diffs = dmp.diff_main("".join(map(codes.__getitem__, a)), "".join(map(codes.__getitem__, b)), False, deadline)
    # Each diff's length is a count of tokens; walk both token lists to turn it back into text.
    out: list[tuple[str, str]] = []
    i = j = 0
    for op, chars in diffs:
        k = len(chars)
        if op == diff_match_patch.DIFF_INSERT:
            out.append(("insert", "".join(b[j : j + k])))
            j += k
        else:
            out.append((_OP[op], "".join(a[i : i + k])))
            i += k
            if op == diff_match_patch.DIFF_EQUAL:
                j += k
    return out


def _merge(pieces: list[tuple[str, str]]) -> list[DiffOp]:
    """One DiffOp per run of pieces with the same op, each joined once (growing a string piece by piece would
    copy a novel once per paragraph)."""
    return [
        DiffOp(op, "".join(text for _, text in group))
        for op, group in itertools.groupby((p for p in pieces if p[1]), key=lambda p: p[0])
    ]


def diff_stats(ops: list[DiffOp]) -> tuple[int, int]:
    """(characters inserted, characters deleted)."""
    ins = sum(len(o.text) for o in ops if o.op == "insert")
    dele = sum(len(o.text) for o in ops if o.op == "delete")
    return ins, dele
