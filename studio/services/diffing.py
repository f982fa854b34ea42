"""Word-level differences, for a Rewrite proposal shown against the original and for revisions."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from studio.domain.text import is_cjk

# A token is a run of word characters, one CJK character, one other character, or a run of whitespace, so
# that a diff of Chinese text works per character and a diff of English per word, keeping the spaces.
_TOKEN = re.compile(r"\s+|[^\W\d_]+(?:['’][^\W\d_]+)*|\d+|.", re.UNICODE)


@dataclass(frozen=True)
class DiffOp:
    op: str  # "equal" | "insert" | "delete"
    text: str


def tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    for m in _TOKEN.finditer(text):
        tok = m.group(0)
        if len(tok) > 1 and any(is_cjk(c) for c in tok):
            tokens.extend(tok)  # one CJK character per token
        else:
            tokens.append(tok)
    return tokens


def word_diff(old: str, new: str) -> list[DiffOp]:
    """Operations that turn ``old`` into ``new``; joining equal+delete gives old, equal+insert gives new."""
    a, b = tokenize(old), tokenize(new)
    ops: list[DiffOp] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _push(ops, "equal", "".join(a[i1:i2]))
        else:
            if i2 > i1:
                _push(ops, "delete", "".join(a[i1:i2]))
            if j2 > j1:
                _push(ops, "insert", "".join(b[j1:j2]))
    return ops


def _push(ops: list[DiffOp], op: str, text: str) -> None:
    if not text:
        return
    if ops and ops[-1].op == op:
        ops[-1] = DiffOp(op, ops[-1].text + text)
    else:
        ops.append(DiffOp(op, text))


def diff_stats(ops: list[DiffOp]) -> tuple[int, int]:
    """(characters inserted, characters deleted)."""
    ins = sum(len(o.text) for o in ops if o.op == "insert")
    dele = sum(len(o.text) for o in ops if o.op == "delete")
    return ins, dele
