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

:class:`TokenTrail` keeps one streamed alternative's tokens only while their texts spell what the server wrote
(OpenAI-compatible servers send text and logprobs side by side, and nothing guarantees they agree).
"""

from __future__ import annotations

import logging
import math
from typing import Any

from studio.domain import TokenAlternatives

log = logging.getLogger(__name__)


def _text(item: dict[str, Any], *keys: str) -> str:
    raw = item.get("bytes")
    if isinstance(raw, list) and all(isinstance(b, int) and 0 <= b < 256 for b in raw):
        return bytes(raw).decode("utf-8", errors="replace")  # a token that is part of a character: U+FFFD
    for key in keys:
        value = item.get(key)
        if isinstance(value, str):
            return value
    return ""


def _number(value: Any) -> float | None:
    """A JSON number (not a bool, not NaN); -inf (vLLM's and llama-cpp-python's "impossible") is kept."""
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        return None
    return float(value)


def _from_logprob(value: Any) -> float | None:
    lp = _number(value)
    return None if lp is None else math.exp(min(0.0, lp))


def _prob(item: dict[str, Any]) -> float | None:
    if (p := _from_logprob(item.get("logprob"))) is not None:
        return p
    if (p := _number(item.get("prob"))) is not None:
        return max(0.0, min(1.0, p))
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
        top = sorted(((str(t), p) for t, v in top_map.items() if (p := _from_logprob(v)) is not None),
                     key=lambda tp: -tp[1])
        prob = _from_logprob(lp)
        if not isinstance(token, str) or prob is None:
            return []  # a token without its text or probability: the list cannot be trusted to line up
        out.append(TokenAlternatives(token, prob, tuple(top[:k])))
    return out


def _ascii(text: str) -> str:
    return text.encode("ascii", errors="ignore").decode("ascii")


class TokenTrail:
    """One alternative's tokens while an OpenAI-compatible server streams it (studio/engine/openai_stream.py).

    Each chunk brings text and, beside it, ``logprobs`` for the tokens of that text. The tokens are kept only while
    their texts spell the text written so far (one a prefix of the other: vLLM's detokenizer may hold text back a
    chunk while its tokens are already sent); at the end they must cover all of it (tokens past it, such as an
    end-of-generation marker, come after the text as a stop sequence's do locally). A token that holds part of a
    character reads U+FFFD (as on the other engines), so once one has come only the ASCII letters are compared.
    Anything else (a chunk of text without tokens, tokens that spell other words, a shape that cannot be read)
    loses the alternative's probabilities for good: no alternatives rather than alternatives under the wrong words.
    """

    def __init__(self, k: int) -> None:
        self.k = k
        self.tokens: list[TokenAlternatives] = []
        self.lost = False
        self._spelled: list[str] = []
        self._written: list[str] = []
        self._partial = False  # a U+FFFD token came: compare ASCII only

    def add(self, logprobs: Any, written: str) -> None:
        """A chunk's ``logprobs`` (None when it has none) and the text (and reasoning) it wrote."""
        if self.lost:
            return
        new = choice_tokens(logprobs, self.k)  # a shape it cannot read gives none: the spelling tells
        self.tokens.extend(new)
        self._spelled.extend(t.text for t in new)
        self._written.append(written)
        self._partial = self._partial or any("\ufffd" in t.text for t in new)
        spelled, wrote = self._texts()
        if not (spelled.startswith(wrote) or wrote.startswith(spelled)):
            self._lose("tokens that do not spell the text")

    def final(self) -> tuple[TokenAlternatives, ...]:
        """Every token, when they cover the whole text; else nothing."""
        if self.lost:
            return ()
        spelled, wrote = self._texts()
        if not spelled.startswith(wrote):
            self._lose("text without tokens")
            return ()
        return tuple(self.tokens)

    def _texts(self) -> tuple[str, str]:
        spelled, wrote = "".join(self._spelled), "".join(self._written)
        self._spelled, self._written = [spelled], [wrote]
        return (_ascii(spelled), _ascii(wrote)) if self._partial else (spelled, wrote)

    def _lose(self, why: str) -> None:
        log.info("Token probabilities dropped for this alternative: the server sent %s", why)
        self.lost = True
        self.tokens = []

