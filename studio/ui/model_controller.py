"""The model: which file and settings to load, loading it on the engine thread, the settings dialog, and what the
status bar says about it (loading, ready, generating, error).

A choice made in the dialog is written to the settings only once that model has loaded, so a file that fails to
load never becomes the one Studio tries at the next start.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from studio.domain import LoadSettings, ModelInfo, StudioError
from studio.services.generation import GenerationService
from studio.ui import messages
from studio.ui.dialogs import ModelChoice, ModelSettingsDialog
from studio.ui.statusbar import ModelState
from studio.ui.worker import EngineHost, Failure

log = logging.getLogger(__name__)


class ModelController(QObject):
    model_ready = Signal(object)  # ModelInfo
    model_failed = Signal(object)  # Failure
    model_changed = Signal(object)  # ModelInfo | None: the model runs are made with now
    state_changed = Signal(object, object, str)  # the model's name (None: unchanged), ModelState, detail

    def __init__(self, host: EngineHost, generation: GenerationService, owner: QWidget,
                 override: str | None = None) -> None:
        super().__init__(owner)
        self._host = host
        self._generation = generation
        self._owner = owner  # parent of the dialogs
        self._override = override  # a file named on the command line wins over the stored one, until a choice
        self._info: ModelInfo | None = None
        self._pending: ModelChoice | None = None
        self._state = ModelState.NONE
        self.dialog: ModelSettingsDialog | None = None
        w = host.worker
        w.model_loading.connect(self._on_model_loading)
        w.model_loaded.connect(self._on_model_loaded)
        w.model_failed.connect(self._on_model_failed)

    @property
    def info(self) -> ModelInfo | None:
        return self._info

    def _show(self, name: str | None, state: ModelState, detail: str = "") -> None:
        self._state = state
        self.state_changed.emit(name, state, detail)

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
        """Load in the background. ``choice`` (from the dialog) is written to settings only once it has loaded."""
        self._pending = choice
        if choice is None:
            stored = self.stored_choice()
            path = self._override or stored.path
            settings = LoadSettings(n_ctx=stored.n_ctx, n_threads=stored.n_threads, n_gpu_layers=stored.n_gpu_layers)
        else:
            path = choice.path
            settings = LoadSettings(n_ctx=choice.n_ctx, n_threads=choice.n_threads, n_gpu_layers=choice.n_gpu_layers)
        self._show(Path(path).name if path else None, ModelState.LOADING)
        self._host.load(path, settings)

    @Slot(str)
    def _on_model_loading(self, _what: str) -> None:
        self._show(None, ModelState.LOADING)

    @Slot(object)
    def _on_model_loaded(self, info: ModelInfo) -> None:
        self._info = info
        self.model_changed.emit(info)
        self._show(info.name or Path(str(info.path)).name, ModelState.READY, str(info.path))
        choice, self._pending = self._pending, None
        if choice is not None:
            try:
                self._generation.remember_model(choice.path, LoadSettings(
                    n_ctx=choice.n_ctx, n_threads=choice.n_threads, n_gpu_layers=choice.n_gpu_layers))
            except StudioError as exc:
                log.warning("remembering the model failed: %s", exc)
            self._override = None
        self.model_ready.emit(info)

    @Slot(object, object)
    def _on_model_failed(self, failure: Failure, still_loaded: ModelInfo | None) -> None:
        self._pending = None
        self._info = still_loaded
        self.model_changed.emit(still_loaded)
        if still_loaded is not None:
            self._show(still_loaded.name, ModelState.READY, str(still_loaded.path))
        else:
            self._show(None, ModelState.ERROR, failure.message)
        self.model_failed.emit(failure)
        text = failure.message
        if still_loaded is not None:
            text += f"\n\nStudio keeps using {still_loaded.name}."
        messages.show_error(self._owner, "The model could not be loaded", text)

    # -- the settings dialog -------------------------------------------------------------------------------
    @Slot()
    def open_settings(self) -> ModelSettingsDialog:
        """Opens the dialog without blocking (tests drive it); Load starts a background load."""
        if self.dialog is not None:
            self.dialog.raise_()
            return self.dialog
        dlg = ModelSettingsDialog(self._host, self.stored_choice(), self._info, self._owner)
        self.dialog = dlg
        dlg.accepted.connect(lambda: self.load(dlg.choice()))
        dlg.finished.connect(self._on_dialog_finished)
        dlg.open()
        return dlg

    @Slot(int)
    def _on_dialog_finished(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None

    # -- runs ----------------------------------------------------------------------------------------------
    @Slot()
    def run_started(self) -> None:
        self._show(None, ModelState.GENERATING)

    def run_changed(self, streaming: bool) -> None:
        """A run changed; once nothing streams, the model is ready again (unless it is loading meanwhile)."""
        if self._state == ModelState.GENERATING and not streaming:
            self._show(None, ModelState.READY if self._info else ModelState.NONE)
