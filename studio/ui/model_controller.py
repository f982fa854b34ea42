"""The engine in use: which model file and settings to load, or which server to generate on; loading or connecting
on the engine thread; the settings and Connect dialogs; and what the status bar says about it (loading, ready,
generating, error, and whether text leaves this computer).

A choice made in a dialog is written to the settings only once that model has loaded or that server answered, so
a file that fails to load or a server that cannot be reached never becomes the one Studio tries at the next start.
A server is connected through the same load request as a model file (the worker's runner switches engines, and
keeps the previous one when the switch fails); every request gets exactly one answer from the worker, in order, so
the requests in flight are a queue.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from studio.domain import LoadSettings, ModelInfo, StudioError
from studio.domain.servers import KeyPlace, SavedServer, server_label
from studio.services.generation import ServerChoice
from studio.ui import messages, widgets
from studio.ui.connect_dialog import ConnectDialog
from studio.ui.dialogs import ModelChoice, ModelSettingsDialog
from studio.ui.operations import Operations
from studio.ui.statusbar import ModelState, StudioStatusBar
from studio.ui.worker import EngineHost, Failure

if TYPE_CHECKING:
    from studio.services import Services

log = logging.getLogger(__name__)

# Translated where it is shown (the language is chosen after import).
LEAVES_HINT = str(QT_TRANSLATE_NOOP("ModelController", "Text sent for generation leaves this computer"))


@dataclass(frozen=True)
class _Request:
    """One load request in flight: a local model (``choice`` None: what is stored) or a server."""

    choice: ModelChoice | None = None
    server: ServerChoice | None = None
    fallback: bool = False  # the saved server at start-up: if it cannot be reached, the local model instead
    from_dialog: bool = False  # asked in the Connect dialog: remembered once it worked, failures shown there


class ModelController(QObject):
    model_ready = Signal(object)  # ModelInfo
    model_failed = Signal(object)  # Failure
    model_changed = Signal(object)  # ModelInfo | None: the model runs are made with now
    state_changed = Signal(object, object, str)  # the model's name (None: unchanged), ModelState, detail
    remote_changed = Signal(str)  # the "text leaves this computer" hint while a server is in use, else ""
    message = Signal(str, int)  # a status line and how long it stays (ms)

    def __init__(self, host: EngineHost, services: Services, operations: Operations, owner: QWidget,
                 override: str | None = None, server: ServerChoice | None = None) -> None:
        super().__init__(owner)
        self._host = host
        self._generation = services.generation
        self._servers = services.servers
        self._shop_factory = services.model_shop  # Model settings lists licences and GPU offload through it
        self._ops = operations
        self._owner = owner  # parent of the dialogs
        self._override = override  # a file named on the command line wins over the stored one, until a choice
        # A server named on the command line (--server, $STUDIO_SERVER) wins over the saved one and the local model
        # at start-up, without being remembered: it is this run's, not the writer's choice in Connect.
        self._start_server = server
        self._info: ModelInfo | None = None
        self._server: ServerChoice | None = None  # the server in use (None: the local model)
        self._requests: deque[_Request] = deque()
        self._state = ModelState.NONE
        self._use_local: QAction | None = None
        self.settings_dialog = widgets.OneDialog[ModelSettingsDialog]()
        self.connect_dialog = widgets.OneDialog[ConnectDialog]()
        w = host.worker
        w.model_loading.connect(self._on_model_loading)
        w.model_loaded.connect(self._on_model_loaded)
        w.model_failed.connect(self._on_model_failed)

    @property
    def info(self) -> ModelInfo | None:
        return self._info

    @property
    def server(self) -> ServerChoice | None:
        """The server generation runs on now; None for the local model."""
        return self._server

    def show_in(self, status: StudioStatusBar) -> None:
        """Wire the status bar: the engine's name and state, the remote hint, and this part's messages."""
        self.state_changed.connect(status.set_model)
        self.remote_changed.connect(status.set_remote)
        self.message.connect(status.showMessage)

    def use_actions(self, settings: QAction, reload: QAction, connect: QAction, local: QAction) -> None:
        """The Model menu: settings, reload, Connect to a server..., Use the local model."""
        settings.triggered.connect(self.open_settings)
        reload.triggered.connect(lambda: self.load())
        connect.triggered.connect(self.open_connect)
        local.triggered.connect(self.use_local)
        self._use_local = local
        local.setEnabled(False)

    def _show(self, name: str | None, state: ModelState, detail: str = "") -> None:
        self._state = state
        self.state_changed.emit(name, state, detail)

    def _name(self, info: ModelInfo) -> str:
        if self._server is not None:
            return widgets.arg(self.tr("Server %1 - %2"), server_label(self._server.url), info.name)
        return info.name or Path(str(info.path)).name

    def _server_name(self, url: str) -> str:
        return widgets.arg(self.tr("Server %1"), server_label(url))

    def _set_server(self, server: ServerChoice | None) -> None:
        self._server = server
        hint = QCoreApplication.translate("ModelController", LEAVES_HINT)
        self.remote_changed.emit(hint if server is not None else "")
        if self._use_local is not None:
            self._use_local.setEnabled(server is not None)

    # -- loading -------------------------------------------------------------------------------------------
    def stored_choice(self) -> ModelChoice:
        try:
            path, ls = self._generation.stored_model()
        except StudioError as exc:  # an unreadable setting is never worth a dialog: the default model loads
            log.warning("reading the stored model failed: %s", exc)
            path, ls = None, LoadSettings()
        return ModelChoice(path=str(path) if path else None, n_ctx=ls.n_ctx, n_threads=ls.n_threads,
                           n_gpu_layers=ls.n_gpu_layers)

    def load(self, choice: ModelChoice | None = None) -> None:
        """Load in the background. ``choice`` (from the dialog) is written to settings only once it has loaded.
        Without one: the command line's server (at start-up, and again while it is the one in use), else what is
        stored: the saved server when it was in use, else the stored model file (a server that cannot be reached
        leaves the local model in use)."""
        start = self._start_server
        if choice is None and start is not None and (self._info is None or self._server == start):
            self._connect(start, fallback=True)
            return
        if choice is None and self._override is None:
            saved = self._saved_server()
            if saved is not None and saved.in_use:
                self._reconnect(saved)
                return
        self._load_local(choice)

    @Slot(str)
    def use_file(self, path: str) -> None:
        """Load the model file at ``path`` (one just downloaded) with the stored load settings."""
        self.load(replace(self.stored_choice(), path=path))

    def _load_local(self, choice: ModelChoice | None) -> None:
        self._requests.append(_Request(choice=choice))
        if choice is None:
            stored = self.stored_choice()
            path = self._override or stored.path
            settings = LoadSettings(n_ctx=stored.n_ctx, n_threads=stored.n_threads, n_gpu_layers=stored.n_gpu_layers)
        else:
            path = choice.path
            settings = LoadSettings(n_ctx=choice.n_ctx, n_threads=choice.n_threads, n_gpu_layers=choice.n_gpu_layers)
        self._show(Path(path).name if path else None, ModelState.LOADING)
        self._host.load(path, settings)

    def _saved_server(self) -> SavedServer | None:
        try:
            return self._servers.saved()
        except StudioError as exc:  # an unreadable setting: the local model loads
            log.warning("reading the saved server failed: %s", exc)
            return None

    def _reconnect(self, saved: SavedServer) -> None:
        """The saved server, its key read off the UI thread (a keychain may take a while), then connected."""
        self._show(self._server_name(saved.url), ModelState.LOADING, saved.url)
        servers = self._servers
        self._ops.run_in_background(lambda: servers.choice(saved), lambda c: self._connect(c, fallback=True),
                                    key="model-reconnect", title=self.tr("The saved server could not be used"),
                                    on_failed=lambda _exc: self._load_local(None))

    def _connect(self, server: ServerChoice, *, fallback: bool = False, from_dialog: bool = False) -> None:
        self._requests.append(_Request(server=server, fallback=fallback, from_dialog=from_dialog))
        self._show(self._server_name(server.url), ModelState.LOADING, server.url)
        self._host.load(server, LoadSettings())

    @Slot()
    def use_local(self) -> None:
        """Back to the local model (the stored file), in one choice; the server stays saved for Connect."""
        self._start_server = None
        self._load_local(None)

    @Slot(str)
    def _on_model_loading(self, _what: str) -> None:
        self._show(None, ModelState.LOADING)

    @Slot(object)
    def _on_model_loaded(self, info: ModelInfo) -> None:
        request = self._requests.popleft() if self._requests else _Request()
        was_server = self._server is not None
        self._set_server(request.server)
        self._info = info
        self.model_changed.emit(info)
        self._show(self._name(info), ModelState.READY, str(request.server.url if request.server else info.path))
        if request.server is not None:
            if request.from_dialog:
                self._start_server = None  # the writer's own choice from now on
                self._remember(request.server)
                if self.connect_dialog.current is not None:
                    self.connect_dialog.current.accept()
            self.model_ready.emit(info)
            return
        if was_server:
            self._forget_in_use()
        choice = request.choice
        if choice is not None:
            try:
                self._generation.remember_model(choice.path, LoadSettings(
                    n_ctx=choice.n_ctx, n_threads=choice.n_threads, n_gpu_layers=choice.n_gpu_layers))
            except StudioError as exc:
                log.warning("remembering the model failed: %s", exc)
            self._override = self._start_server = None
        self.model_ready.emit(info)

    def _remember(self, server: ServerChoice) -> None:
        """The server for the next start, its key in the keychain (off the UI thread: a keychain may ask)."""
        servers = self._servers

        def keep() -> KeyPlace:
            return servers.remember(server.url, model=server.model, verify=server.verify, in_use=True,
                                    api_key=server.api_key)

        def said(place: KeyPlace) -> None:
            if place is KeyPlace.SESSION:
                self.message.emit(self.tr("No keychain on this computer: the API key is kept until Studio closes."),
                                  15000)

        self._ops.run_in_background(keep, said, key="model-remember",
                                    title=self.tr("The server could not be remembered"))

    def _forget_in_use(self) -> None:
        try:
            self._servers.set_in_use(False)
        except StudioError as exc:
            log.warning("remembering the local model as the engine in use failed: %s", exc)

    @Slot(object, object)
    def _on_model_failed(self, failure: Failure, still_loaded: ModelInfo | None) -> None:
        request = self._requests.popleft() if self._requests else _Request()
        if still_loaded is None:
            self._set_server(None)
        self._info = still_loaded
        self.model_changed.emit(still_loaded)
        if still_loaded is not None:
            self._show(self._name(still_loaded), ModelState.READY, str(still_loaded.path))
        else:
            self._show(None, ModelState.ERROR, failure.message)
        self.model_failed.emit(failure)
        if request.server is not None and request.fallback:
            # The saved server is down at start-up: say so in one line, and write on the local model meanwhile.
            self.message.emit(widgets.arg(self.tr("%1 Studio uses the local model instead."), failure.message), 20000)
            self._load_local(None)
            return
        if request.from_dialog and self.connect_dialog.current is not None:
            self.connect_dialog.current.connect_failed(failure.message)  # the dialog stays open to fix the address
            return
        text = failure.message
        if still_loaded is not None:
            text += "\n\n" + widgets.arg(self.tr("Studio keeps using %1."), still_loaded.name)
        messages.show_error(self._owner, self.tr("The model could not be loaded"), text)

    # -- the dialogs: opened without blocking (tests drive them) ------------------------------------------
    @Slot()
    def open_settings(self) -> ModelSettingsDialog:
        """Load in the dialog starts a background load."""
        def make() -> ModelSettingsDialog:
            dlg = ModelSettingsDialog(self._host, self.stored_choice(), self._info, self._owner,
                                      shop=self._shop_factory(), operations=self._ops)
            dlg.accepted.connect(lambda: self.load(dlg.choice()))
            return dlg

        return self.settings_dialog.open(make)

    @Slot()
    def open_connect(self) -> ConnectDialog:
        """Connect in the dialog connects in the background."""
        def make() -> ConnectDialog:
            dlg = ConnectDialog(self._servers, self._ops, self._saved_server(), self._owner)
            dlg.connect_requested.connect(lambda server: self._connect(server, from_dialog=True))
            return dlg

        return self.connect_dialog.open(make)

    # -- runs ----------------------------------------------------------------------------------------------
    @Slot()
    def run_started(self) -> None:
        self._show(None, ModelState.GENERATING)

    def run_changed(self, streaming: bool) -> None:
        """A run changed; once nothing streams, the model is ready again (unless it is loading meanwhile)."""
        if self._state == ModelState.GENERATING and not streaming:
            self._show(None, ModelState.READY if self._info else ModelState.NONE)
