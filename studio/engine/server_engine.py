"""What the two server engines (remote.RemoteEngine for llama-server's own API, openai_engine.OpenAIEngine for
OpenAI-compatible servers) share around their HTTP: the address and timeouts they are made with, connecting and
probing once at ``load`` with every failure a ModelLoadError in words, one generation at a time (job.ServerJobs),
and a close that stops a running stream first. What each server speaks stays in its own engine."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TypedDict

import httpx

from studio.domain import EngineCapabilities, LoadSettings, ModelInfo, ModelLoadError
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.engine import job
from studio.engine.remote_support import CONNECT_TIMEOUT_S, IDLE_TIMEOUT_S, ServerFacts, ServerFailure, normalize_url


class ServerOptions(TypedDict, total=False):
    """ServerEngine's keyword arguments, for the subclasses' constructors to pass on checked."""

    api_key: str | None
    model: str | None
    connect_timeout: float
    idle_timeout: float
    verify: bool
    chat: bool | None


class ServerEngine(job.EngineBase):
    """An engine on a server (see the module docstring). Subclasses implement ``_connect`` (make the client),
    ``_probe`` (ask the server once; raise ServerFailure), ``_drop`` (disconnect, forget what was probed) and
    ``loaded``; ``_close_connected`` is what close does while connected (by default: ``_drop``)."""

    def __init__(self, url: str, *, api_key: str | None = None, model: str | None = None,
                 connect_timeout: float = CONNECT_TIMEOUT_S, idle_timeout: float = IDLE_TIMEOUT_S,
                 verify: bool = True, chat: bool | None = None) -> None:
        self.url = normalize_url(url)
        self._api_key = api_key or None
        self._model = model or None
        self._timeout = httpx.Timeout(connect=connect_timeout, read=idle_timeout, write=idle_timeout,
                                      pool=connect_timeout)
        self._idle = idle_timeout
        self._verify = verify
        self._chat_choice = chat  # None: decided from what the server says of its chat template
        self._info: ModelInfo | None = None
        self._facts: ServerFacts | None = None
        self._capabilities = EngineCapabilities()
        self._n_ctx = 0
        self._use_chat = False
        self._template = ""  # the server's chat template, where it shows it (what thinking_off reads)
        self._jobs = job.ServerJobs()

    @property
    def loaded(self) -> bool:
        raise NotImplementedError

    @property
    def facts(self) -> ServerFacts | None:
        return self._facts

    def load(self, path: Path, settings: LoadSettings | None = None) -> ModelInfo:
        """Connect to the server and probe it once. ``path`` is not sent anywhere: the server has its model (the
        constructor's ``model`` names it when the server lists several). ``settings.n_ctx`` may only shrink the
        server's context."""
        del path  # the server's model, not a local file
        settings = settings or LoadSettings()
        self.close()
        try:
            self._connect()
        except (httpx.HTTPError, ValueError) as exc:
            raise ModelLoadError(msg(QT_TRANSLATE_NOOP("messages", "{url} is not a server address Studio can use."),
                                     url=repr(self.url)),
                                 hint=msg(QT_TRANSLATE_NOOP("messages", "Use http://host:port or https://host.")),
                                 ) from exc
        try:
            self._probe(settings)
        except ServerFailure as exc:
            self._drop()
            raise ModelLoadError(exc.message, hint=exc.hint) from None
        except BaseException:
            self._drop()
            raise
        assert self._info is not None
        return self._info

    def close(self) -> None:
        """Disconnect. Safe to call twice; a running stream is stopped first (its socket is shut down)."""
        if not self.loaded:
            return
        self._jobs.close(self._close_connected, drop=self._drop)

    def _close_connected(self) -> None:
        self._drop()

    def _stopped(self, cancel: threading.Event) -> bool:
        return self._jobs.stopped(cancel)

    def _connect(self) -> None:
        raise NotImplementedError

    def _probe(self, settings: LoadSettings) -> None:
        raise NotImplementedError

    def _drop(self) -> None:
        raise NotImplementedError
