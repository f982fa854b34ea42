"""The HTTP side of the remote engine (studio/engine/remote.py): one llama-server's client, its JSON answers and
SSE chunks read or refused in words (remote_support's ServerFailure), and requests that a Stop can cut while the
server is still silent (a watcher thread shuts the socket down)."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import httpx_sse

from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.engine.remote_support import ServerFailure, describe_failure, endpoint_name, status_failure

log = logging.getLogger(__name__)

SLOT_ACTION_TIMEOUT_S = 10.0
Stopped = Callable[[], bool]


class ServerClient:
    """One connected llama-server (see the module docstring)."""

    def __init__(self, url: str, *, api_key: str | None, timeout: httpx.Timeout, idle_s: float,
                 verify: bool) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.url = url
        self.idle_s = idle_s
        self._client = httpx.Client(base_url=url, headers=headers, timeout=timeout, verify=verify)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._client.close()

    def failure(self, exc: httpx.HTTPError) -> ServerFailure:
        return describe_failure(exc, self.url, self.idle_s)

    def answer(self, resp: httpx.Response, what: str) -> dict[str, Any]:
        if resp.status_code != 200:
            raise status_failure(resp, self.url, what)
        try:
            data = resp.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            data = None
        if not isinstance(data, dict):
            raise ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} sent an answer Studio cannot "
                                                                  "read ({what})."),
                                    url=self.url, what=endpoint_name(what)),
                                msg(QT_TRANSLATE_NOOP("messages", "Is it a llama.cpp llama-server?")))
        return data

    def get(self, endpoint: str, what: str) -> dict[str, Any]:
        try:
            return self.answer(self._client.get(endpoint), what)
        except httpx.HTTPError as exc:
            raise self.failure(exc) from None

    def post(self, endpoint: str, body: dict[str, Any], what: str) -> dict[str, Any]:
        try:
            return self.answer(self._client.post(endpoint, json=body), what)
        except httpx.HTTPError as exc:
            raise self.failure(exc) from None

    def tokenize(self, text: str, *, special: bool, add_special: bool = False) -> list[int]:
        data = self.post("/tokenize", {"content": text, "add_special": add_special, "parse_special": special},
                         "tokenizer (/tokenize)")
        tokens = data.get("tokens")
        if not isinstance(tokens, list) or not all(isinstance(t, int) for t in tokens):
            raise ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} sent tokens Studio cannot read."),
                                    url=self.url))
        return tokens

    def slot_saving(self) -> bool:
        """llama-server answers any slot action with 501 unless it runs with ``--slot-save-path``; an action that
        does not exist is answered 400 there, and touches no slot."""
        try:
            return self._client.post("/slots/0?action=studio-probe", json={}).status_code == 400
        except httpx.HTTPError:
            return False

    def slot_action(self, slot: int, action: str, filename: str) -> bool:
        """Save or restore a slot file. A failure costs only a re-read of a draft: logged, not raised."""
        try:
            resp = self._client.post(f"/slots/{slot}?action={action}", json={"filename": filename},
                                     timeout=SLOT_ACTION_TIMEOUT_S)
        except httpx.HTTPError as exc:
            log.warning("Slot %s on %s failed: %s", action, self.url, self.failure(exc).message)
            return False
        if resp.status_code != 200:
            # restore: 400 when the draft was never saved on this server (or was saved by another model)
            log.debug("Slot %s of slot %d on %s: HTTP %d", action, slot, self.url, resp.status_code)
            return False
        return True

    def complete(self, body: dict[str, Any], stopped: Stopped) -> dict[str, Any] | None:
        """One non-streamed ``/completion`` that a Stop still cuts. None: stopped."""
        try:
            with self._client.stream("POST", "/completion", json=body) as resp, self.watching(resp, stopped):
                resp.read()
                if stopped():
                    return None
                return self.answer(resp, "completion endpoint (/completion)")
        except httpx.HTTPError as exc:
            if stopped():
                return None
            raise self.failure(exc) from None

    @contextlib.contextmanager
    def events(self, body: dict[str, Any], stopped: Stopped) -> Iterator[Iterator[httpx_sse.ServerSentEvent]]:
        """A streamed ``/completion``'s events, cut by the watcher when ``stopped()`` turns true."""
        with httpx_sse.connect_sse(self._client, "POST", "/completion", json=body) as source:
            resp = source.response
            if resp.status_code != 200:
                resp.read()
                raise status_failure(resp, self.url, "completion endpoint (/completion)")
            with self.watching(resp, stopped):
                yield source.iter_sse()

    @contextlib.contextmanager
    def watching(self, resp: httpx.Response, stopped: Stopped) -> Iterator[None]:
        done = threading.Event()
        threading.Thread(target=watch_for_stop, args=(resp, stopped, done), daemon=True, name="remote-stop").start()
        try:
            yield
        finally:
            done.set()

    def chunk(self, data: str) -> dict[str, Any]:
        return parse_chunk(data, self.url, msg(QT_TRANSLATE_NOOP("messages", "Is it a llama.cpp llama-server?")))

def parse_chunk(data: str, url: str, hint: str) -> dict[str, Any]:
    """One SSE event's JSON (llama-server's and OpenAI-compatible servers' alike); a server error inside the
    stream is a ServerFailure in the server's words. ``hint``: what to check when the stream is not JSON."""
    try:
        chunk = json.loads(data)
    except json.JSONDecodeError:
        chunk = None
    if not isinstance(chunk, dict):
        raise ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} sent a stream Studio cannot read."),
                                url=url),
                            hint)
    if "error" in chunk:
        err = chunk["error"]
        detail = str(err.get("message", "") if isinstance(err, dict) else err)[:200]
        raise ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} reported an error while writing: "
                                                              "{detail}."), url=url, detail=detail),
                            msg(QT_TRANSLATE_NOOP("messages", "Check the server.")))
    return chunk


def watch_for_stop(resp: httpx.Response, stopped: Stopped, done: threading.Event) -> None:
    """Stop while the reading thread waits for the server (a long prompt, a slow token): shut the socket down,
    which wakes the read and tells the server the client is gone. Runs until ``done`` is set."""
    while not done.wait(0.02):
        if stopped():
            stream = resp.extensions.get("network_stream")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if isinstance(sock, socket.socket):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            return
