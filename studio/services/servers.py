"""Use cases around model servers: the server the writer chose (kept in the settings), its API key (kept in the
operating system's keychain), testing a server before using it, and the window's runner that switches between the
local model and a server.

The API key never goes into SQLite, the settings, a log line or an error message: it lives in the keychain through
``keyring`` (service "studio-writer", user = the server's address). Where no usable keychain exists (keyring's
``fail`` or ``null`` backend: a headless Linux without Secret Service), the key is kept in memory for this session
only, and the dialog says so.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from studio.domain import (
    EngineCapabilities,
    GenerationEvent,
    GenerationRequest,
    LoadSettings,
    ModelInfo,
    PromptPreview,
    StudioError,
)
from studio.domain.servers import Keychain, KeyPlace, SavedServer, ServerCheck, ServerReport
from studio.engine.remote_support import normalize_url
from studio.engine.server_models import check_api_key, list_server_models
from studio.services.generation import ModelRunner, ServerChoice
from studio.storage import Store

log = logging.getLogger(__name__)

KEYRING_SERVICE = "studio-writer"
SETTING_SERVER = "server.saved"  # {"url", "model", "verify", "in_use"}: never the key

RunnerFactory = Callable[[ServerChoice | None], ModelRunner]


def keychain_state() -> Keychain:
    """Whether keyring has a backend that really keeps secrets (asked each time: tests and the writer's desktop
    session can change it)."""
    # keyring is imported only here, where a key is needed: it takes ~90 ms, which every CLI command would pay.
    import keyring
    import keyring.backends.chainer
    import keyring.backends.fail
    import keyring.backends.null

    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - a broken keyring configuration is "no keychain", not a crash
        log.warning("no keychain: %s", exc)
        return Keychain(False, "", "The keychain could not be opened.")
    name = str(getattr(backend, "name", type(backend).__name__))
    if isinstance(backend, keyring.backends.fail.Keyring | keyring.backends.null.Keyring) or (
            isinstance(backend, keyring.backends.chainer.ChainerBackend) and not backend.backends):
        return Keychain(False, name, "No keychain is available on this computer (on Linux: no Secret Service).")
    if _plain_text_default(backend):
        return Keychain(False, name, "No keychain is available on this computer (only a plain-text file, where a "
                                     "key would be readable; on Linux: no Secret Service).")
    return Keychain(True, name)


def _plain_text_default(backend: object) -> bool:
    """keyrings.alt's plain-text file, which keyring picks by itself when that package is installed and no OS keychain
    is (the test extra brings it). Exactly that class: a backend someone configured deliberately is theirs to choose."""
    try:
        from keyrings.alt.file import PlaintextKeyring  # type: ignore[import-untyped]
    except ImportError:
        return False
    return type(backend) is PlaintextKeyring


class ServerService:
    """The saved server and its key. Safe to call from a background thread (the window tests and remembers off
    the UI thread, since a keychain may take a while to answer)."""

    def __init__(self, store: Store, new_runner: RunnerFactory) -> None:
        self._store = store
        self._new_runner = new_runner
        self._session_keys: dict[str, str] = {}  # url -> key, where no keychain could take it
        self._lock = threading.Lock()

    # -- the saved server ----------------------------------------------------------------------------------
    def saved(self) -> SavedServer | None:
        """The server the writer chose last, or None (also for a setting that cannot be read: said in the log)."""
        with self._store.unit_of_work(readonly=True) as uow:
            value = uow.settings.get(SETTING_SERVER)
        if value is None:
            return None
        try:
            url, model = value["url"], value.get("model")
            verify, in_use = value.get("verify", True), value.get("in_use", False)
            if not (isinstance(url, str) and url and isinstance(verify, bool) and isinstance(in_use, bool)
                    and (model is None or isinstance(model, str))):
                raise TypeError("wrong types")
        except (TypeError, KeyError, AttributeError) as exc:
            log.warning("the saved server setting cannot be read (%s); ignoring it", exc)
            return None
        return SavedServer(url=url, model=model or None, verify=verify, in_use=in_use)

    def remember(self, url: str, *, model: str | None, verify: bool, in_use: bool,
                 api_key: str | None) -> KeyPlace:
        """Keep the server for the next start, and its key in the keychain (an empty key removes a kept one).
        Returns where the key went."""
        url = normalize_url(url)
        with self._store.unit_of_work() as uow:
            uow.settings.set(SETTING_SERVER, {"url": url, "model": model or None, "verify": verify, "in_use": in_use})
        return self.keep_key(url, api_key)

    def set_in_use(self, in_use: bool) -> None:
        """Say whether the saved server is the engine in use (the local model was chosen instead, or again)."""
        saved = self.saved()
        if saved is None or saved.in_use == in_use:
            return
        with self._store.unit_of_work() as uow:
            uow.settings.set(SETTING_SERVER, {"url": saved.url, "model": saved.model, "verify": saved.verify,
                                              "in_use": in_use})

    def forget(self) -> None:
        """Forget the saved server and its key (keychain and session)."""
        saved = self.saved()
        with self._store.unit_of_work() as uow:
            uow.settings.delete(SETTING_SERVER)
        if saved is not None:
            self.keep_key(saved.url, None)

    # -- the key -------------------------------------------------------------------------------------------
    def keychain(self) -> Keychain:
        return keychain_state()

    def keep_key(self, url: str, api_key: str | None) -> KeyPlace:
        """The key for ``url`` into the keychain, or into this session's memory when there is none (None or ""
        removes it from both)."""
        url = normalize_url(url)
        with self._lock:
            self._session_keys.pop(url, None)
        usable = keychain_state().usable
        import keyring
        import keyring.errors

        if not api_key:
            if usable:
                try:
                    keyring.delete_password(KEYRING_SERVICE, url)
                except keyring.errors.PasswordDeleteError:
                    pass  # there was none
                except Exception as exc:  # noqa: BLE001 - a keychain that fails must not stop Studio
                    log.warning("removing the API key of %s from the keychain failed: %s", url, type(exc).__name__)
            return KeyPlace.NONE
        if usable:
            try:
                keyring.set_password(KEYRING_SERVICE, url, api_key)
                return KeyPlace.KEYCHAIN
            except Exception as exc:  # noqa: BLE001 - a locked or broken keychain: keep it for the session instead
                # The exception's class only: a backend's message could quote what it was given.
                log.warning("the keychain did not take the API key of %s (%s); keeping it for this session",
                            url, type(exc).__name__)
        with self._lock:
            self._session_keys[url] = api_key
        return KeyPlace.SESSION

    def api_key(self, url: str) -> str | None:
        """The key kept for ``url`` (this session's first, then the keychain), or None."""
        url = normalize_url(url)
        with self._lock:
            if url in self._session_keys:
                return self._session_keys[url]
        if not keychain_state().usable:
            return None
        import keyring

        try:
            return keyring.get_password(KEYRING_SERVICE, url) or None
        except Exception as exc:  # noqa: BLE001 - no key is better than no window
            log.warning("reading the API key of %s from the keychain failed: %s", url, type(exc).__name__)
            return None

    def choice(self, saved: SavedServer) -> ServerChoice:
        """What the runner connects to for a saved server, with its kept key (reads the keychain: may be slow)."""
        return ServerChoice(url=saved.url, api_key=self.api_key(saved.url), model=saved.model, verify=saved.verify)

    # -- before connecting ---------------------------------------------------------------------------------
    def list_models(self, url: str, *, api_key: str | None, verify: bool) -> ServerCheck:
        """The server's models and how fast it answered; a failure is the check's one readable line."""
        base = normalize_url(url)
        if not base:
            return ServerCheck(url, False, error="Type the server's address first, for example http://127.0.0.1:8080.")
        try:
            latency, models = list_server_models(base, api_key=api_key or None, verify=verify)
        except StudioError as exc:
            return ServerCheck(base, False, error=str(exc))
        return ServerCheck(base, True, latency_ms=latency, models=models)

    def test_connection(self, url: str, *, api_key: str | None, model: str | None, verify: bool) -> ServerCheck:
        """Connect as generating would (the same engine the runner picks), then disconnect: latency, models,
        context size and what the server supports, or the one line that says why it cannot be used."""
        listed = self.list_models(url, api_key=api_key, verify=verify)
        if not listed.ok:
            return listed
        runner = self._new_runner(ServerChoice(url=listed.url, api_key=api_key or None, model=model or None,
                                               verify=verify))
        try:
            info = runner.load(None, LoadSettings())
            caps = runner.capabilities
            report = runner.server_report
        except StudioError as exc:
            return ServerCheck(listed.url, False, latency_ms=listed.latency_ms, models=listed.models, error=str(exc))
        finally:
            runner.close()
        return ServerCheck(listed.url, True, latency_ms=listed.latency_ms, models=listed.models, model=info.name,
                           n_ctx=caps.n_ctx, supports=caps.describe(),
                           unavailable=report.unavailable if report is not None else ())


class SwitchingRunner:
    """The window's runner: the local model or a server, one at a time, switched by what ``load`` is given (a
    ``ServerChoice``, or a model file / None for the local model). Like ModelRunner it belongs to one thread.

    Switching engines connects or loads the new one first and drops the old one only once that worked, so a
    failed connect leaves the previous engine in use. Loading another local file while local is done by the local
    runner itself, which frees the old model first (two local models may not fit in memory)."""

    def __init__(self, new_runner: RunnerFactory) -> None:
        self._new_runner = new_runner
        self._active = new_runner(None)

    @property
    def server(self) -> ServerChoice | None:
        """The server in use, None for the local model."""
        return self._active.server

    def load(self, chosen: str | Path | ServerChoice | None, settings: LoadSettings) -> ModelInfo:
        if isinstance(chosen, ServerChoice):
            check_api_key(chosen.api_key)
            return self._switch(self._new_runner(chosen), None, settings)
        if self._active.server is not None:
            return self._switch(self._new_runner(None), chosen, settings)
        return self._active.load(chosen, settings)

    def _switch(self, runner: ModelRunner, chosen: str | Path | None, settings: LoadSettings) -> ModelInfo:
        try:
            info = runner.load(chosen, settings)
        except BaseException:
            runner.close()
            raise
        old, self._active = self._active, runner
        old.close()
        return info

    # -- the rest is the engine in use ---------------------------------------------------------------------
    def discover(self, chosen: str | Path | None = None) -> list[ModelInfo]:
        return self._active.discover(chosen)

    def stream(self, request: GenerationRequest, cancel: threading.Event) -> Iterator[GenerationEvent]:
        return self._active.stream(request, cancel)

    def preview(self, request: GenerationRequest) -> PromptPreview:
        return self._active.preview(request)

    def close(self) -> None:
        self._active.close()

    @property
    def info(self) -> ModelInfo | None:
        return self._active.info

    @property
    def loaded(self) -> bool:
        return self._active.loaded

    @property
    def model_file(self) -> str:
        return self._active.model_file

    @property
    def capabilities(self) -> EngineCapabilities:
        return self._active.capabilities

    @property
    def server_report(self) -> ServerReport | None:
        return self._active.server_report
