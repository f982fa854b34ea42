"""The context view in the assistant panel: exactly what the model would be given for a Continue now.

One preview at a time: behind a long generation on the engine thread, requests would otherwise pile up there.
An answer for a draft no longer shown is dropped, and one asked for meanwhile is made once the last one is in.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from studio.domain import Draft, GenerationRequest, ModelInfo, PromptPreview
from studio.ui.lorebook import describe_lore
from studio.ui.parts import WindowParts
from studio.ui.saver import DraftSaver
from studio.ui.worker import EngineHost, Failure


class ContextPreview(QObject):
    preview_shown = Signal()

    def __init__(
        self,
        host: EngineHost,
        saver: DraftSaver,
        parts: WindowParts,
        build_request: Callable[[], GenerationRequest | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._saver = saver
        self._panel = parts.assistant
        self._build_request = build_request
        self._draft_id: int | None = None  # the draft shown in the editor
        self._model_loaded = False
        self._request_id = 0
        self._in_flight = False
        self._again = False  # asked for while one was in flight: ask once more when it is in
        self._asked_for: int | None = None  # the draft the preview in flight is for
        self._after_save = False
        host.worker.preview_ready.connect(self._on_preview_ready)
        host.worker.preview_failed.connect(self._on_preview_failed)
        saver.saved.connect(self._on_save_landed)
        saver.save_failed.connect(self._on_save_landed)

    @property
    def in_flight(self) -> bool:
        return self._in_flight

    @Slot(object)
    def set_draft(self, draft: Draft | None) -> None:
        """Another draft is shown: what the view said was about the previous one."""
        self._draft_id = draft.id if draft else None
        self._panel.context.clear()
        self._panel.context_summary.setText("")

    @Slot(object)
    def set_model(self, info: ModelInfo | None) -> None:
        self._model_loaded = info is not None

    @Slot()
    def refresh(self) -> None:
        if self._draft_id is None:
            return
        if not self._model_loaded:
            self._panel.show_preview_message(self.tr("The context view needs the model; it is not loaded yet."))
            return
        if self._in_flight:
            self._again = True
            return
        if self._saver.in_flight is not None:
            # Building the request reads the store, and a save holds the store's write lock: wait for it
            # rather than freeze the window (the save thread answers within a second).
            self._after_save = True
            return
        request = self._build_request()
        if request is None:
            return
        self._in_flight = True
        self._again = False
        self._asked_for = self._draft_id
        self._request_id = self._host.preview(request)
        self._panel.show_preview_message(self.tr("Reading…"))

    @Slot(int, object)
    def _on_save_landed(self, *_: object) -> None:
        if self._after_save:
            self._after_save = False
            QTimer.singleShot(0, self.refresh)

    def _answered(self, request_id: int) -> bool:
        """Book-keeping for an answer; True when it is for the draft shown now (else it is dropped)."""
        if request_id != self._request_id:
            return False
        self._in_flight = False
        current = self._draft_id is not None and self._draft_id == self._asked_for
        if self._again or not current:
            QTimer.singleShot(0, self.refresh)
        return current and not self._again

    @Slot(int, object)
    def _on_preview_ready(self, request_id: int, result: PromptPreview) -> None:
        if self._answered(request_id):
            self._panel.show_preview(result)
            lore = describe_lore(result)  # which lorebook entries are in and why, and which had no room
            if lore:
                summary = self._panel.context_summary
                summary.setText(f"{summary.text()}\n{lore}" if summary.text() else lore)
            self.preview_shown.emit()

    @Slot(int, object)
    def _on_preview_failed(self, request_id: int, failure: Failure) -> None:
        if self._answered(request_id):
            self._panel.show_preview_message(failure.message)
