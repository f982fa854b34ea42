"""Autosave off the UI thread. Saving a novel-length draft costs the store about half a second (it counts the
words, keeps a revision now and then); done on the UI thread that would freeze the window at every pause in
typing. One long-lived thread saves, one draft at a time; the window hands it a copy of the text.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from studio.ui.threads import WorkerThread

if TYPE_CHECKING:
    from studio.services import DraftService
    from studio.services.drafts import TextEdit

log = logging.getLogger(__name__)


class SaveWorker(QObject):
    saved = Signal(int, object)  # ticket, Draft
    save_failed = Signal(int, object)  # ticket, the exception (a StudioError, or a bug)

    def __init__(self, drafts: DraftService) -> None:
        super().__init__()
        self._drafts = drafts

    @Slot(int, int, object)
    def _on_save_requested(self, ticket: int, draft_id: int, edit: TextEdit) -> None:
        try:
            draft = self._drafts.save(draft_id, **edit)
        except Exception as exc:  # noqa: BLE001 - the window decides what the writer is told
            log.warning("background save failed: %s", exc)
            self.save_failed.emit(ticket, exc)
            return
        self.saved.emit(ticket, draft)


class DraftSaver(QObject):
    """The UI thread's side: ``submit`` a save, hear ``saved`` / ``save_failed`` back on the UI thread."""

    save_requested = Signal(int, int, object)  # ticket, draft id, TextEdit (a copy of the text: strings)
    saved = Signal(int, object)
    save_failed = Signal(int, object)

    def __init__(self, drafts: DraftService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = WorkerThread("studio-save", SaveWorker(drafts))
        self.worker = self._thread.worker
        self.save_requested.connect(self.worker._on_save_requested)
        # Relayed through this object so that every handler, and a wait on them, runs on the UI thread.
        self.worker.saved.connect(self._on_worker_saved)
        self.worker.save_failed.connect(self._on_worker_save_failed)
        self._ticket = 0
        self.in_flight: int | None = None
        self._thread.start()

    def submit(self, draft_id: int, edit: TextEdit) -> int:
        self._ticket += 1
        self.in_flight = self._ticket
        self.save_requested.emit(self._ticket, draft_id, edit)
        return self._ticket

    @Slot(int, object)
    def _on_worker_saved(self, ticket: int, draft: object) -> None:
        if ticket == self.in_flight:
            self.in_flight = None
        self.saved.emit(ticket, draft)

    @Slot(int, object)
    def _on_worker_save_failed(self, ticket: int, exc: object) -> None:
        if ticket == self.in_flight:
            self.in_flight = None
        self.save_failed.emit(ticket, exc)

    def shutdown(self) -> None:
        """Let a save in progress finish (it holds the writer's words), then stop the thread."""
        self._thread.stop()
