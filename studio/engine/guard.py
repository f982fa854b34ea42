"""What a generation may never show, enforced while sampling (the last llama-cpp-python logits processor).

Found through the writer's path (issue 9: a title line 秋夜, then Continue with the 五言绝句 style, seeds 1-22):
control tokens (``<start_of_image>`` repeated), the frame's own break line (``* * * * *``), Arabic letters inside a
Chinese poem, and an exemplar's line copied word for word (花落知多少). Filtering text after the fact would leave a
hole or an empty proposal; banning at sampling lets the model write something else in their place.

Bans, in order:

* **Special tokens** of any model: every token whose llama.cpp attribute is control, unused or unknown, and the
  user-defined ones that are markup (``<start_of_image>``, ``[multimodal]``, Gemma's ``<strong>``/``<td>``: the
  model can still spell a tag from plain tokens; Gemma's user-defined runs of newlines and spaces stay), except the
  end-of-generation tokens, which end the text and are never shown.
* **Foreign scripts**: letters of a script that neither the draft nor the style's exemplars use (a Chinese draft gets
  Han, digits and punctuation; an English draft gets no Arabic or Han). Scripts come from
  :func:`studio.domain.text.script_of`.
* **The frame's break line**: while the output is still empty, a line made only of the break's characters.
* **Exemplar copies**: a run of four Han characters, or of five words, copied from the exemplars, at token level:
  the token that would complete such a run after the tokens that began it.

The per-token facts (script bits, break-only pieces) are computed once per model (:class:`VocabFacts`); each
request builds its :class:`OutputGuard` from them in microseconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from studio.domain.text import is_cjk, script_counts, script_of

# llama.cpp's llama_token_attr bits (llama.h).
ATTR_UNKNOWN = 1 << 0
ATTR_UNUSED = 1 << 1
ATTR_NORMAL = 1 << 2
ATTR_CONTROL = 1 << 3
ATTR_USER_DEFINED = 1 << 4
ATTR_BYTE = 1 << 5

# A user-defined token that looks like markup is a special token a model card never meant as text.
_TAG = re.compile(r"^\s*(<[^<>\s]{1,64}>|\[[a-z_]{2,32}\]|<\|[^<>]{1,64}\|>)\s*$")
# A script needs this many letters in the context to be the writer's (one stray letter in a title is not).
MIN_SCRIPT_LETTERS = 2
# An exemplar run this long may not be copied: Han characters, or words of other scripts.
COPY_HAN = 4
COPY_WORDS = 5
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


class VocabFacts:
    """Per-token-id facts of one vocabulary, for the guard. ``pieces[i]`` is token i's text (special tokens
    rendered as their markup), ``attrs[i]`` its llama.cpp attribute bits, ``eog`` the end-of-generation ids."""

    special: np.ndarray
    eog: np.ndarray
    script_bits: np.ndarray
    break_only: np.ndarray
    scripts: dict[str, int]

    def __init__(self, pieces: Sequence[str], attrs: Sequence[int], eog: Iterable[int] = ()) -> None:
        n = len(pieces)
        attr = np.asarray(attrs, dtype=np.int64)
        special = (attr & (ATTR_CONTROL | ATTR_UNUSED | ATTR_UNKNOWN)) != 0
        tag_like = np.fromiter((bool(_TAG.match(p)) for p in pieces), dtype=bool, count=n)
        special |= ((attr & ATTR_USER_DEFINED) != 0) & tag_like
        self.eog = np.zeros(n, dtype=bool)
        self.eog[[i for i in eog if 0 <= i < n]] = True
        self.special = special & ~self.eog
        self.scripts: dict[str, int] = {}
        bits = np.zeros(n, dtype=np.int64)
        self.break_only = np.zeros(n, dtype=bool)
        for i, p in enumerate(pieces):
            if not p:
                continue
            b = 0
            for ch in p:
                if ch.isalpha():
                    s = script_of(ch)
                    if s:
                        b |= 1 << self._script_bit(s)
            bits[i] = b
            stripped = p.strip()
            if stripped and set(stripped) <= _BREAK_CHARS:
                self.break_only[i] = True
        self.script_bits = bits

    def to_arrays(self) -> dict[str, np.ndarray]:
        names = sorted(self.scripts, key=self.scripts.__getitem__)
        return {"special": self.special, "eog": self.eog, "script_bits": self.script_bits,
                "break_only": self.break_only, "script_names": np.array(names, dtype=str)}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> VocabFacts:
        facts = cls.__new__(cls)
        facts.special = np.asarray(arrays["special"], dtype=bool)
        facts.eog = np.asarray(arrays["eog"], dtype=bool)
        facts.script_bits = np.asarray(arrays["script_bits"], dtype=np.int64)
        facts.break_only = np.asarray(arrays["break_only"], dtype=bool)
        facts.scripts = {str(name): i for i, name in enumerate(arrays["script_names"])}
        return facts

    def _script_bit(self, script: str) -> int:
        bit = self.scripts.get(script)
        if bit is None:
            bit = self.scripts[script] = min(len(self.scripts), 62)  # beyond 62 scripts: they share the last bit
        return bit

    def bits_of(self, scripts: Iterable[str]) -> int:
        b = 0
        for s in scripts:
            if s in self.scripts:
                b |= 1 << self.scripts[s]
        return b


_BREAK_CHARS = set("*＊·•-—_=~#. \t")


def vocab_facts_for(detokenize: Callable[[int], bytes], attr_of: Callable[[int], int], n_vocab: int,
                    is_eog: Callable[[int], bool]) -> VocabFacts:
    pieces: list[str] = []
    attrs: list[int] = []
    eog: list[int] = []
    for i in range(n_vocab):
        if is_eog(i):
            eog.append(i)
        attrs.append(int(attr_of(i)))
        try:
            pieces.append(detokenize(i).decode("utf-8", errors="ignore"))
        except Exception:  # noqa: BLE001 - a token that refuses to render is shown as nothing
            pieces.append("")
    return VocabFacts(pieces, attrs, eog)


def allowed_scripts(*texts: str) -> set[str] | None:
    """The scripts the output may use: those with at least MIN_SCRIPT_LETTERS letters in ``texts``. None (no
    limit) when the texts hold no letters at all: nothing to go by."""
    counts: dict[str, int] = {}
    for t in texts:
        for s, c in script_counts(t).items():
            counts[s] = counts.get(s, 0) + c
    if not counts:
        return None
    allowed = {s for s, c in counts.items() if c >= MIN_SCRIPT_LETTERS}
    return allowed or set(counts)


def copy_bans(tokens: Sequence[int], piece: Callable[[int], str]) -> dict[tuple[int, ...], set[int]]:
    """For exemplar ``tokens``: (the tokens that begin a long run) -> the tokens that would complete it.

    A run is long when it holds COPY_HAN Han characters or COPY_WORDS words; for each start, the shortest such run
    is banned, so a copy is cut one token before it becomes a quotation."""
    bans: dict[tuple[int, ...], set[int]] = {}
    texts = [piece(t) for t in tokens]
    n = len(tokens)
    for i in range(n):
        han = words = 0
        text = ""
        for j in range(i, min(n, i + 16)):
            if "\n" in texts[j] and j > i:
                break  # a run does not cross a line: the same line start in two poems is not a copy
            text += texts[j]
            han = sum(1 for c in text if is_cjk(c))
            words = len(_WORD.findall(text)) if not han else 0
            if han >= COPY_HAN or words >= COPY_WORDS:
                if j > i:
                    bans.setdefault(tuple(tokens[i:j]), set()).add(tokens[j])
                break
    return bans


@dataclass
class OutputGuard:
    """The logits processor. ``n_prompt``: where the output starts in the ids llama-cpp-python passes."""

    facts: VocabFacts
    n_prompt: int
    scripts: set[str] | None = None
    no_break_line: bool = False
    copies: dict[tuple[int, ...], set[int]] | None = None
    piece: Callable[[int], str] | None = None

    def __post_init__(self) -> None:
        f = self.facts
        banned = f.special.copy()
        if self.scripts is not None:
            foreign = ~f.bits_of(self.scripts) & ((1 << 63) - 1)
            banned |= (f.script_bits & foreign) != 0
        self._static = banned
        self._lengths = sorted({len(k) for k in (self.copies or {})})
        self._written = False  # the output holds something other than whitespace

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        out = input_ids[self.n_prompt:]
        n = min(len(scores), len(self._static))
        banned = self._static[:n]
        extra: list[int] = []
        if self.no_break_line and not self._written:
            if len(out) and self.piece is not None and self.piece(int(out[-1])).strip():
                self._written = True
            else:
                banned = banned | self.facts.break_only[:n]
        if self._lengths and len(out):
            for k in self._lengths:
                if k > len(out):
                    break
                extra.extend(self.copies.get(tuple(int(x) for x in out[-k:]), ()))  # type: ignore[union-attr]
        if not banned.any() and not extra:
            return scores
        scores = scores.copy()
        keep_eog = scores[:n][self.facts.eog[:n]].copy() if self.facts.eog[:n].any() else None
        scores[:n][banned] = -np.inf
        for t in extra:
            if 0 <= t < len(scores):
                scores[t] = -np.inf
        if not np.isfinite(scores).any():
            # Everything the model wanted is banned (and the steering banned the rest): end the text rather than
            # show a banned token or sample from nothing.
            if keep_eog is not None:
                scores[:n][self.facts.eog[:n]] = 0.0
        return scores
