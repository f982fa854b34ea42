"""A logits processor for rewrites that keeps small base models from copying the selection back word for word."""

from __future__ import annotations

import numpy as np


class AntiCopy:
    """Once the last ``n`` generated tokens also occur in a row in the selection, the token that followed them
    there is penalized. Small base models asked to rewrite copy the passage back verbatim (bench/rewrite_eval.py:
    82% of the time with the default frame); this lets them reuse words and short phrases but not run along the
    original."""

    def __init__(self, source: list[int], prompt_len: int, penalty: float, n: int) -> None:
        self.prompt_len = prompt_len
        self.penalty = penalty
        self.n = max(1, n)
        self.follow: dict[tuple[int, ...], set[int]] = {}
        for i in range(len(source) - self.n):
            self.follow.setdefault(tuple(source[i:i + self.n]), set()).add(source[i + self.n])

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        if len(input_ids) - self.prompt_len >= self.n:
            for t in self.follow.get(tuple(int(x) for x in input_ids[-self.n:]), ()):
                scores[t] -= self.penalty
        return scores
