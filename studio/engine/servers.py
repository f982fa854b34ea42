"""Which engine speaks to a server: llama.cpp's llama-server gets remote.RemoteEngine (its native API has
``cache_prompt``, slots per draft and token-list prompts), every other OpenAI-compatible server (vLLM, Ollama,
LM Studio, llama-cpp-python's server) gets openai_engine.OpenAIEngine.

A llama-server is recognised by ``GET /props`` answering with ``default_generation_settings``; nothing else
has that endpoint. The writer (or a test) can force the kind.
"""

from __future__ import annotations

import httpx

from studio.domain import ModelLoadError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.engine.base import Engine
from studio.engine.openai_probe import json_of
from studio.engine.openai_support import openai_status_failure
from studio.engine.remote_support import CONNECT_TIMEOUT_S, describe_failure, normalize_url

KINDS = ("auto", "llama-server", "openai")


def detect_kind(url: str, *, api_key: str | None = None, verify: bool = True,
                timeout: float = CONNECT_TIMEOUT_S) -> str:
    """"llama-server" or "openai" for the server at ``url``. ModelLoadError in one readable line when it cannot
    be reached or refuses the key (so the writer hears it once, within the connect timeout)."""
    base = normalize_url(url)
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        with httpx.Client(base_url=base, headers=headers, timeout=httpx.Timeout(timeout), verify=verify) as client:
            resp = client.get("/props")
    except ValueError as exc:
        raise ModelLoadError(msg(QT_TRANSLATE_NOOP("messages", "{base} is not a server address Studio can use."),
                                 base=repr(base)),
                             hint=msg(QT_TRANSLATE_NOOP("messages", "Use http://host:port or https://host."))) from exc
    except httpx.HTTPError as exc:
        failure = describe_failure(exc, base, timeout)
        raise ModelLoadError(failure.message, hint=failure.hint) from None
    if resp.status_code in (401, 403):
        failure = openai_status_failure(resp, base, "properties endpoint (/props)")
        raise ModelLoadError(failure.message, hint=failure.hint)
    props = json_of(resp) if resp.status_code == 200 else None
    if props is not None and isinstance(props.get("default_generation_settings"), dict):
        return "llama-server"
    return "openai"


def remote_engine_for(url: str, *, api_key: str | None = None, model: str | None = None, kind: str = "auto",
                      verify: bool = True, chat: bool | None = None) -> Engine:
    """An unconnected engine for the server at ``url`` (``load`` connects). ``kind`` "auto" asks the server
    (one GET /props, see detect_kind); "llama-server" or "openai" forces it. ``chat``: None decides Rewrite's
    chat-or-completion frame from the server's chat template, True/False forces it."""
    if kind not in KINDS:
        raise ModelLoadError(msg(QT_TRANSLATE_NOOP("messages", "Unknown server kind {kind}."), kind=repr(kind)),
                             hint=msg(QT_TRANSLATE_NOOP("messages", "Use one of: {kinds}."), kinds=", ".join(KINDS)))
    if kind == "auto":
        kind = detect_kind(url, api_key=api_key, verify=verify)
    if kind == "llama-server":
        from studio.engine.remote import RemoteEngine

        return RemoteEngine(url, api_key=api_key, model=model, verify=verify, chat=chat)
    from studio.engine.openai_engine import OpenAIEngine

    return OpenAIEngine(url, api_key=api_key, model=model, verify=verify, chat=chat)
