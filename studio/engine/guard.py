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
  :func:`studio.domain.text.script_of`. Within Han, the other variant: a draft in simplified characters gets no
  traditional-only ones (聲, 過) and the other way round, decided by OpenCC's tables (the model routed around a
  copy ban by writing an exemplar's line in traditional characters: 两岸猿聲啼不住).
* **The frame's break line**: while the output is still empty, a line made only of the break's characters.
* **Exemplar copies**: a run of four Han characters, or of five words, copied from the exemplars: once the output
  ends with the first three (four) of such a run, every token that would begin the next one is banned. Matched on
  text, not tokens: case, spaces, punctuation and line breaks are ignored (the model re-broke an exemplar's lines,
  "The first snow on the / bridge—the footprints", and token-level n-grams missed it).

The per-token facts (script bits, break-only pieces) are computed once per model (:class:`VocabFacts`); each
request builds its :class:`OutputGuard` from them in microseconds.
"""

from __future__ import annotations

import functools
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
    traditional_only: np.ndarray  # holds a character only traditional Chinese writes (聲)
    simplified_only: np.ndarray  # holds a character only simplified Chinese writes (声)
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
        self.traditional_only, self.simplified_only = _variant_masks(pieces)
        self.first_units = np.array([first_unit(p) for p in pieces], dtype="<U8")
        self.starts_letter = np.fromiter((bool(p) and p[0].isalpha() for p in pieces), dtype=bool, count=n)
        self._index: dict[str, list[int]] | None = None

    def to_arrays(self) -> dict[str, np.ndarray]:
        names = sorted(self.scripts, key=self.scripts.__getitem__)
        return {"special": self.special, "eog": self.eog, "script_bits": self.script_bits,
                "break_only": self.break_only, "script_names": np.array(names, dtype=str),
                "traditional_only": self.traditional_only, "simplified_only": self.simplified_only,
                "first_units": self.first_units, "starts_letter": self.starts_letter}

    def tokens_starting(self, rest: tuple[str, ...], *, new_word: bool = False) -> list[int]:
        """Tokens whose text would complete a copy whose missing part is ``rest``: for Han characters, tokens
        beginning with all of them (多少 for 多少; 多 alone completes nothing yet); for a word, tokens beginning
        with that word or a piece of it (" bridge", " bri", "Bridge" for bridge)."""
        if self._index is None:
            index: dict[str, list[int]] = {}
            for i, key in enumerate(self.first_units.tolist()):
                if not key:
                    continue
                if is_cjk(key[0]):
                    for k in range(1, len(key) + 1):
                        index.setdefault(key[:k], []).append(i)
                else:
                    index.setdefault(key, []).append(i)
            self._index = index
        if is_cjk(rest[0][0]):
            return self._index.get("".join(rest)[:8], [])
        word = rest[0]
        out: list[int] = []
        for k in range(1, min(len(word), 8) + 1):
            out.extend(i for i in self._index.get(word[:k], [])
                       if not is_cjk(self.first_units[i][0]) and not (new_word and self.starts_letter[i]))
        return out

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> VocabFacts:
        facts = cls.__new__(cls)
        facts.special = np.asarray(arrays["special"], dtype=bool)
        facts.eog = np.asarray(arrays["eog"], dtype=bool)
        facts.script_bits = np.asarray(arrays["script_bits"], dtype=np.int64)
        facts.break_only = np.asarray(arrays["break_only"], dtype=bool)
        facts.scripts = {str(name): i for i, name in enumerate(arrays["script_names"])}
        facts.traditional_only = np.asarray(arrays["traditional_only"], dtype=bool)
        facts.simplified_only = np.asarray(arrays["simplified_only"], dtype=bool)
        facts.first_units = np.asarray(arrays["first_units"], dtype="<U8")
        facts.starts_letter = np.asarray(arrays["starts_letter"], dtype=bool)
        facts._index = None
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


@functools.lru_cache(maxsize=1)
def _converters() -> tuple[Callable[[str], str], Callable[[str], str]]:
    """OpenCC's traditional-to-simplified and simplified-to-traditional character conversions."""
    import opencc

    return opencc.OpenCC("t2s").convert, opencc.OpenCC("s2t").convert


def _variant_masks(pieces: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    t2s, s2t = _converters()
    n = len(pieces)
    trad = np.zeros(n, dtype=bool)
    simp = np.zeros(n, dtype=bool)
    for i, p in enumerate(pieces):
        if p and any(is_cjk(c) for c in p):
            han = "".join(c for c in p if is_cjk(c))
            trad[i] = t2s(han) != han
            simp[i] = s2t(han) != han
    return trad, simp


def chinese_variant(*texts: str) -> str | None:
    """"simplified" or "traditional" when the Han characters of ``texts`` lean clearly one way, else None (no Han,
    or only characters both write, like 秋夜)."""
    han = "".join(c for t in texts for c in t if is_cjk(c))
    if not han:
        return None
    t2s, s2t = _converters()
    trad = sum(1 for a, b in zip(han, t2s(han), strict=False) if a != b)
    simp = sum(1 for a, b in zip(han, s2t(han), strict=False) if a != b)
    if trad > simp * 2:
        return "traditional"
    if simp > trad * 2:
        return "simplified"
    return None


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


def units(text: str) -> list[str]:
    """The text as a writer's units, for copy checks: each Han character, each word (lowercased); spaces,
    punctuation and line breaks are not units."""
    out: list[str] = []
    for m in _UNIT.finditer(text):
        tok = m.group(0)
        out.append(tok if is_cjk(tok[0]) else tok.casefold())
    return out


def first_unit(piece: str) -> str:
    """What a token's text begins with (after spaces and punctuation), at most 8 characters: its leading Han
    characters, or its first word lowercased. The key under which the guard finds the tokens that would continue a
    copy."""
    m = _UNIT.search(piece)
    if m is None:
        return ""
    if is_cjk(m.group(0)[0]):
        run = _HAN_RUN.match(piece, m.start())
        return run.group(0)[:8] if run else m.group(0)
    return m.group(0).casefold()[:8]


class CopyRuns:
    """The exemplars' long runs, indexed by how they begin: (the first k units) -> what would complete the run.
    Han runs are checked at every k (a token can hold several characters: 落知 + 多少); word runs once four words
    are in (a token rarely holds two words)."""

    def __init__(self, exemplars: Iterable[str]) -> None:
        self.next: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
        self.lengths: set[int] = set()
        for ex in exemplars:
            u = units(ex)
            for i in range(len(u)):
                han = is_cjk(u[i][0])
                n = COPY_HAN if han else COPY_WORDS
                run = u[i:i + n]
                if len(run) < n or any(is_cjk(x[0]) != han for x in run):
                    continue
                for k in (range(1, n) if han else (n - 1,)):
                    self.next.setdefault(tuple(run[:k]), set()).add(tuple(run[k:]))
                    self.lengths.add(k)

    def __bool__(self) -> bool:
        return bool(self.next)

    def banned_next(self, text: str) -> set[tuple[str, ...]]:
        """What may not come next after ``text``: the rest of each run the text ends inside. (When the text ends
        in a letter its last word may go on; the guard then bans only tokens that start a new word.)"""
        if not self.next:
            return set()
        tail = units(text[-200:])
        out: set[tuple[str, ...]] = set()
        for k in self.lengths:
            if len(tail) >= k:
                out |= self.next.get(tuple(tail[-k:]), set())
        return out


_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_UNIT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W\d_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@dataclass
class OutputGuard:
    """The logits processor. ``n_prompt``: where the output starts in the ids llama-cpp-python passes."""

    facts: VocabFacts
    n_prompt: int
    scripts: set[str] | None = None
    han_variant: str | None = None  # "simplified" | "traditional": ban the other's own characters
    no_break_line: bool = False
    copies: CopyRuns | None = None
    piece: Callable[[int], str] | None = None  # one token's text
    decode: Callable[[list[int]], str] | None = None  # the text of several tokens (whole characters)
    # Special tokens that are never banned: reasoning markers (engine/reasoning.py takes them out of the text; a
    # model whose prompt opened a think block must be able to close it).
    allow: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        f = self.facts
        banned = f.special.copy()
        allowed = [t for t in self.allow if 0 <= t < len(banned)]
        banned[allowed] = False
        if self.scripts is not None:
            foreign = ~f.bits_of(self.scripts) & ((1 << 63) - 1)
            banned |= (f.script_bits & foreign) != 0
        if self.han_variant == "simplified":
            banned |= f.traditional_only
        elif self.han_variant == "traditional":
            banned |= f.simplified_only
        self._static = banned
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
        if self.copies and self.decode is not None:
            text = self.decode([int(t) for t in out])
            in_word = bool(text) and text[-1].isalpha() and not is_cjk(text[-1])
            for rest in self.copies.banned_next(text):
                extra.extend(self.facts.tokens_starting(rest, new_word=in_word))
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
