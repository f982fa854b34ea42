"""Token probabilities as servers send them, read into TokenAlternatives (issue 15).

Shapes seen (llama-server from the llama.cpp vendored in llama-cpp-python 0.3.36, measured with ``curl``):

* ``/completion`` with ``n_probs``: each chunk's ``completion_probabilities``, a list of
  ``{"token", "bytes", "logprob", "top_logprobs": [{"token", "bytes", "logprob"}, ...]}`` (older servers:
  ``{"content", "probs": [{"tok_str", "prob"}]}``);
* ``/v1/chat/completions`` with ``logprobs``/``top_logprobs`` (OpenAI's shape), and llama-server's
  ``/v1/completions`` with ``logprobs: k``: ``choices[i].logprobs.content``, the same items as above;
* OpenAI's legacy ``/v1/completions`` (vLLM): ``choices[i].logprobs`` as ``{"tokens", "token_logprobs",
  "top_logprobs": [{token: logprob}, ...]}``.

The probabilities are the server's (llama-server: the model's distribution before sampling, ``post_sampling_probs``
off). Anything else is read as no probabilities, never as an error: they are extra information.
"""

from __future__ import annotations

import math
from typing import Any

from studio.domain import TokenAlternatives


def _text(item: dict[str, Any], *keys: str) -> str:
    raw = item.get("bytes")
    if isinstance(raw, list) and all(isinstance(b, int) and 0 <= b < 256 for b in raw):
        return bytes(raw).decode("utf-8", errors="replace")  # a token that is part of a character: U+FFFD
    for key in keys:
        value = item.get(key)
        if isinstance(value, str):
            return value
    return ""


def _prob(item: dict[str, Any]) -> float | None:
    if isinstance(item.get("logprob"), int | float):
        return math.exp(min(0.0, float(item["logprob"])))
    if isinstance(item.get("prob"), int | float):
        return max(0.0, min(1.0, float(item["prob"])))
    return None


def _one(item: Any, k: int) -> TokenAlternatives | None:
    if not isinstance(item, dict):
        return None
    top_items = item.get("top_logprobs", item.get("probs"))
    top: list[tuple[str, float]] = []
    if isinstance(top_items, list):
        for alt in top_items:
            if isinstance(alt, dict) and (p := _prob(alt)) is not None:
                top.append((_text(alt, "token", "tok_str"), p))
    top.sort(key=lambda tp: -tp[1])
    text = _text(item, "token", "content")
    prob = _prob(item)
    if prob is None:  # the old shape has no probability of its own: the written token's among the alternatives
        prob = next((p for t, p in top if t == text), 0.0)
    return TokenAlternatives(text, prob, tuple(top[:k]))


def token_items(items: Any, k: int) -> list[TokenAlternatives]:
    """The tokens of a ``completion_probabilities`` or ``logprobs.content`` list (nothing for anything else)."""
    if not isinstance(items, list):
        return []
    return [t for item in items if (t := _one(item, k)) is not None]


def choice_tokens(logprobs: Any, k: int) -> list[TokenAlternatives]:
    """The tokens of an OpenAI choice's ``logprobs``: the chat shape (``content``) or the legacy completions one."""
    if not isinstance(logprobs, dict):
        return []
    if "content" in logprobs:
        return token_items(logprobs.get("content"), k)
    tokens, lps, tops = logprobs.get("tokens"), logprobs.get("token_logprobs"), logprobs.get("top_logprobs")
    if not (isinstance(tokens, list) and isinstance(lps, list)):
        return []
    out: list[TokenAlternatives] = []
    for i, (token, lp) in enumerate(zip(tokens, lps, strict=False)):
        top_map = tops[i] if isinstance(tops, list) and i < len(tops) and isinstance(tops[i], dict) else {}
        top = sorted(((str(t), math.exp(min(0.0, float(v)))) for t, v in top_map.items()
                      if isinstance(v, int | float)), key=lambda tp: -tp[1])
        prob = math.exp(min(0.0, float(lp))) if isinstance(lp, int | float) else 0.0
        out.append(TokenAlternatives(str(token), prob, tuple(top[:k])))
    return out
