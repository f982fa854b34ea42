"""What a model server lists before Studio connects to it: one ``GET /v1/models`` (every OpenAI-compatible server
and llama-server answer it), timed, for the window's Connect dialog. The engines' own ``load`` probes the rest.

Failures come back in the remote engine's words (remote_support.py): one line naming the server, never the key.
"""

from __future__ import annotations

import json
import time

import httpx

from studio.domain import ModelLoadError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.engine.remote_support import CONNECT_TIMEOUT_S, describe_failure, normalize_url, status_failure


def check_api_key(api_key: str | None) -> None:
    """A key HTTP can carry: it goes in a header, which holds printable ASCII only (httpx would fail on anything
    else with a message about encodings, not keys). ModelLoadError that never quotes the key."""
    if api_key and not (api_key.isascii() and api_key.isprintable()):
        raise ModelLoadError(msg(QT_TRANSLATE_NOOP("messages", "The API key has characters a server cannot receive "
                                                               "(only ASCII letters, digits and signs, no spaces at "
                                                               "the ends or line breaks).")),
                             hint=msg(QT_TRANSLATE_NOOP("messages", "Paste the key again.")))
    if api_key and api_key != api_key.strip():
        raise ModelLoadError(msg(QT_TRANSLATE_NOOP("messages", "The API key starts or ends with a space.")),
                             hint=msg(QT_TRANSLATE_NOOP("messages", "Paste the key again without it.")))


def list_server_models(url: str, *, api_key: str | None = None, verify: bool = True,
                       timeout: float = CONNECT_TIMEOUT_S) -> tuple[float, tuple[str, ...]]:
    """The round trip of ``GET /v1/models`` in milliseconds (connecting included: what the writer waits for) and
    the model ids it lists. ModelLoadError with one readable line when the server cannot be used."""
    base = normalize_url(url)
    check_api_key(api_key)
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        client = httpx.Client(base_url=base, headers=headers, timeout=httpx.Timeout(timeout), verify=verify)
    except (httpx.HTTPError, ValueError) as exc:
        raise ModelLoadError(msg(QT_TRANSLATE_NOOP("messages", "{base} is not a server address Studio can use."),
                                 base=repr(base)),
                             hint=msg(QT_TRANSLATE_NOOP("messages", "Use http://host:port or https://host."))) from exc
    try:
        with client:
            started = time.perf_counter()
            resp = client.get("/v1/models")
            latency_ms = (time.perf_counter() - started) * 1000
    except httpx.HTTPError as exc:
        failure = describe_failure(exc, base, timeout)
        raise ModelLoadError(failure.message, hint=failure.hint) from None
    if resp.status_code != 200:
        failure = status_failure(resp, base, "model list (/v1/models)")
        raise ModelLoadError(failure.message, hint=failure.hint)
    try:
        data = resp.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        data = None
    entries = data.get("data") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ModelLoadError(msg(QT_TRANSLATE_NOOP("messages", "The server {base} sent a model list Studio cannot "
                                                               "read."), base=base),
                             hint=msg(QT_TRANSLATE_NOOP("messages", "Is it an OpenAI-compatible server?")))
    ids = tuple(str(e["id"]) for e in entries if isinstance(e, dict) and e.get("id"))
    return latency_ms, ids
