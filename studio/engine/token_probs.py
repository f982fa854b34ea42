"""Per-token probabilities and top-k alternatives from the logits the in-process engine samples from.

Only built when a request asks (``GenerationRequest.logprobs``), so a plain generation pays nothing. When on, the
cost per token is one pass over the vocabulary for the softmax's denominator and one to find the candidates: for
Gemma's 262k tokens about 0.5 ms, against ~20 ms a token on 2 cores (bench/engine_bench.py measures tokens/s with
it on and off). A full ``argpartition`` over the vocabulary costs about 2 ms, four times the threshold pass, so it
is only the fallback for a flat distribution.

:class:`TokenProbs` is a logits processor placed last, after Studio's steering and bans: it sees exactly the
logits handed to llama.cpp's sampler. The sampled token is not known inside a processor, so the processor keeps
this step's logits and :meth:`TokenProbs.take` reads the written token's probability once ``generate`` yields it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from studio.domain import MAX_LOGPROBS, TokenAlternatives

# Candidates for the top k are the tokens within this many nats of the best one (e**-9: about 1/8000 of its
# probability); when fewer than k are that close, the full partial sort finds the rest.
_NEAR = 9.0
# More candidates than this (a very flat distribution): argpartition is cheaper than sorting them all.
_MANY = 2048


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
        logits = np.array(scores, dtype=np.float32)
        best = float(logits.max())
        shifted = logits - best
        log_denominator = float(np.log(np.exp(shifted).sum()))
        near = np.flatnonzero(shifted >= -_NEAR)
        if len(near) < self.k or len(near) > _MANY:
            near = np.argpartition(shifted, -self.k)[-self.k:]
        top = near[np.argsort(-shifted[near], kind="stable")[:self.k]]
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
