"""Per-token probabilities and top-k alternatives from the logits the in-process engine samples from.

Only built when a request asks (``GenerationRequest.logprobs``), so a plain generation pays nothing. When on, the
cost per token is a copy of the logits, one pass for the softmax's denominator and one or two to find the
candidates: for Gemma's 262k tokens about half a millisecond, against ~20 ms a token on 2 cores
(bench/engine_bench.py measures tokens/s with it on and off).

:class:`TokenProbs` is a logits processor placed last, after Studio's steering and bans: it sees exactly the
logits handed to llama.cpp's sampler. The sampled token is not known inside a processor, so the processor keeps
this step's logits and :meth:`TokenProbs.take` reads the written token's probability once ``generate`` yields it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from studio.domain import MAX_LOGPROBS, TokenAlternatives

# Candidates for the top k are the tokens within this many nats of the best one, the narrow band first (measured
# on the default model: a median of 3.5 tokens within 9 nats, 2,200 within 20); only when even the wide band has
# fewer than k does the full partial sort run (about 2 ms over 262k tokens, four times the rest of a step).
_BANDS = (12.0, 20.0)


class TokenProbs:
    """A logits processor that records, per step, what :meth:`take` turns into a :class:`TokenAlternatives`."""

    def __init__(self, k: int, piece: Callable[[int], str]) -> None:
        self.k = max(1, min(int(k), MAX_LOGPROBS))
        self._piece = piece  # a token id's text (the engine's detokenizer)
        self._texts: dict[int, str] = {}
        self._logits: np.ndarray | None = None
        self._top: np.ndarray | None = None
        self._top_probs: np.ndarray | None = None
        self._log_denominator = 0.0

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        # llama-cpp-python hands a strided view of its token-data records: one contiguous copy makes every
        # pass below about twice as fast.
        shifted = np.array(scores, dtype=np.float32)
        shifted -= shifted.max()
        log_denominator = float(np.log(np.exp(shifted).sum()))
        near = np.empty(0, dtype=np.intp)
        for band in _BANDS:
            near = np.flatnonzero(shifted >= -band)
            if len(near) >= self.k:
                break
        else:
            near = np.argpartition(shifted, -self.k)[-self.k:]
        if len(near) > self.k:
            near = near[np.argpartition(shifted[near], -self.k)[-self.k:]]
        top = near[np.argsort(-shifted[near], kind="stable")]
        self._logits = shifted
        self._top = top
        self._top_probs = np.exp(shifted[top] - log_denominator)
        self._log_denominator = log_denominator
        return scores

    def take(self, token: int) -> TokenAlternatives | None:
        """The written ``token`` with this step's alternatives; None before any step was recorded."""
        if self._logits is None or self._top is None or self._top_probs is None:
            return None
        prob = float(np.exp(self._logits[token] - self._log_denominator))
        top = tuple((self._text(int(t)), float(p)) for t, p in zip(self._top, self._top_probs, strict=True))
        self._logits = None
        return TokenAlternatives(self._text(token), prob, top)

    def _text(self, token: int) -> str:
        text = self._texts.get(token)
        if text is None:
            text = self._texts[token] = self._piece(token)
        return text
