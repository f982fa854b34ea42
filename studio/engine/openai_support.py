"""The OpenAI engine's supporting parts (studio/engine/openai_engine.py): reading streamed choices (a reasoning
model's thinking apart from its text; engine/reasoning.py keeps it out of the text), the context size from what a
server says, the token estimate for servers without a tokenizer, the failure wording for OpenAI-style error
bodies.

Failures are remote_support.py's words (one readable line naming the server); only what differs for
OpenAI-compatible servers (their error bodies, a 404 that means a wrong model name) is added here.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

import httpx

from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.engine.remote_support import ServerFailure, endpoint_name, status_failure

# A server that says nothing about its context (and reveals nothing on overflow) is assumed to have this much:
# llama-cpp-python's and Ollama's smallest default; a bigger real context only means more trimming than needed.
ASSUMED_N_CTX = 2048
# The overflow probe's prompt: "a " tokenizes to one token per repeat in every vocabulary measured (Gemma: 1 M
# repeats in ~1 s on the server) and far exceeds any context such a server holds, so the server refuses it
# before reading it and its refusal names the context size. A prompt that could fit would be read in full.
OVERFLOW_PROBE_REPEATS = 1 << 20

_CONTEXT_PATTERNS = (re.compile(r"maximum context length is (\d+)"), re.compile(r"context window of (\d+)"),
                     re.compile(r"available context size \((\d+)"))
# Keys of a /v1/models entry that hold the served context: vLLM's max_model_len, LM Studio's
# loaded_context_length, the context_length some gateways add.
_ENTRY_CONTEXT_KEYS = ("max_model_len", "loaded_context_length", "context_length", "context_window")

def estimate_tokens(text: str) -> int:
    """An upper estimate of ``text``'s tokens for a server that does not tokenize for Studio.

    Counted per piece, then 10% added: a run of ASCII letters a token per 4 letters (rounded up), each digit,
    ASCII mark and whitespace character but a single space a token, a character of 2 UTF-8 bytes (accented
    Latin, Cyrillic) one, of 3 bytes (CJK) two, of 4 bytes (emoji) four. Measured against Gemma 3's 262k
    vocabulary and SmolLM2's 49k (tests/engine/test_openai_support.py checks both): never under the real count
    on English prose, Chinese verse, emoji, screenplay, numbers, code, accented and Cyrillic text; over it by
    1.0-1.6x on English, up to 2.3x on Chinese and 3.8x on Cyrillic (Gemma). Overcounting only trims more draft
    than needed; undercounting would overflow the server's context.
    """
    n = 0.0
    for match in _PIECES.finditer(text):
        piece = match.group()
        if piece[0].isascii() and piece[0].isalpha():
            n += math.ceil(len(piece) / 4)
        elif piece.isspace():
            n += 0 if piece == " " else len(piece)  # a single space joins the next word's token
        elif piece.isascii():
            n += 1
        else:
            n += _NON_ASCII_COST[len(piece.encode("utf-8"))]
    return math.ceil(n * 1.1)


_PIECES = re.compile(r"[A-Za-z]+|\s+|[\x00-\x7f]|[^\x00-\x7f]")
_NON_ASCII_COST = {2: 1, 3: 2, 4: 4}


def context_from_entry(entry: dict[str, Any]) -> int:
    """The served context from a /v1/models entry, 0 when it says nothing."""
    for key in _ENTRY_CONTEXT_KEYS:
        value = entry.get(key)
        if isinstance(value, int) and value > 0:
            return value
    return 0


def context_from_error(resp: httpx.Response) -> int:
    """The context size an overflow refusal names (OpenAI, vLLM, llama-cpp-python and llama-server words), or 0."""
    try:
        body = resp.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
    err = body.get("error") if isinstance(body, dict) else None
    if isinstance(err, dict) and isinstance(err.get("n_ctx"), int):
        return int(err["n_ctx"])
    text = resp.text
    for pattern in _CONTEXT_PATTERNS:
        match = pattern.search(text)
        if match:
            return int(match.group(1))
    return 0


def error_detail(resp: httpx.Response) -> str:
    """The server's own words from an error body ({"error": {"message"}}, {"message"}, FastAPI's {"detail"})."""
    try:
        body = resp.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return ""
    if not isinstance(body, dict):
        return ""
    err = body.get("error")
    detail: Any = err.get("message") if isinstance(err, dict) else err
    detail = detail or body.get("message") or body.get("detail") or ""
    if not isinstance(detail, str):
        detail = json.dumps(detail, ensure_ascii=False)
    return " ".join(detail.split())[:200].rstrip(".")


def openai_status_failure(resp: httpx.Response, url: str, what: str) -> ServerFailure:
    """remote_support.status_failure's words, with OpenAI-style details and a 404 that names the model."""
    code = resp.status_code
    detail = error_detail(resp)
    if code == 404:
        return ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} has no {what} (HTTP 404){detail}."),
                                 url=url, what=endpoint_name(what), detail=f": {detail}" if detail else ""),
                             msg(QT_TRANSLATE_NOOP("messages", "Check the model name (the server lists its models) "
                                                               "and that it is an OpenAI-compatible server.")))
    failure = status_failure(resp, url, what)
    if code in (401, 403) or not detail or detail in failure.message:
        return failure
    # The server's own words in place of status_failure's: a whole sentence, so it translates as one.
    return status_failure(resp, url, what, detail=detail)


@dataclass(frozen=True)
class ChoicePart:
    index: int  # the server's choice index (0..n-1 of one request)
    text: str  # what the model wrote ("" for a reasoning-only or role-only chunk)
    reasoning: str  # the chunk's reasoning (reasoning_content / reasoning): generated, never shown
    finish_reason: str | None
    logprobs: Any = None  # the choice's ``logprobs`` as sent (remote_logprobs.TokenTrail reads it)

    @property
    def thinking(self) -> bool:
        return bool(self.reasoning)


def choice_parts(chunk: dict[str, Any]) -> list[ChoicePart]:
    """The choices of a /v1/completions (``text``) or /v1/chat/completions (``delta.content``) chunk."""
    parts = []
    for choice in chunk.get("choices") or ():
        if not isinstance(choice, dict):
            continue
        delta = choice.get("delta")
        holder = delta if isinstance(delta, dict) else choice
        text = holder.get("content") if isinstance(delta, dict) else choice.get("text")
        thought = holder.get("reasoning_content") or holder.get("reasoning")
        index = choice.get("index")
        finish = choice.get("finish_reason")
        parts.append(ChoicePart(index=index if isinstance(index, int) else 0,
                                text=text if isinstance(text, str) else "",
                                reasoning=thought if isinstance(thought, str) else "",
                                finish_reason=finish if isinstance(finish, str) and finish else None,
                                logprobs=choice.get("logprobs")))
    return parts
