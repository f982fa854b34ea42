"""The draft open in the editor and whether what the writer sees is on disk.

The session owns the current draft, the dirty flag, the autosave timer and the saving thread (DraftSaver). It
saves after a pause in typing (in the background), and on demand on this thread (``save_now``: switching drafts,
export, close). When another window changed the draft it asks the writer which text stays, and loses neither.

It speaks in signals; the window wires them to the status bar, the title, the drafts list and the other parts.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QObject, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from studio.domain import ConflictError, Draft, Form, NotFoundError, StudioError
from studio.services.drafts import KeepText, TextEdit
from studio.ui import messages, widgets
from studio.ui.assistant import AssistantPanel
from studio.ui.editor import DraftEditor
from studio.ui.saver import DraftSaver
from studio.ui.statusbar import SaveState

if TYPE_CHECKING:
    from studio.services import DraftService

log = logging.getLogger(__name__)

AUTOSAVE_DELAY_MS = 1000


class DraftSession(QObject):
    draft_changed = Signal(object)  # Draft | None: another draft is open; the editor holds its text now
    meta_changed = Signal(object)  # Draft: the open draft's title or style changed in the store
    save_state_changed = Signal(object, str)  # SaveState, detail (the error, when it failed)
    draft_saved = Signal(int)  # the text the editor shows (and the notes) are on disk now
    edited = Signal()  # the writer changed the text or the notes
    drafts_changed = Signal()  # the list of drafts may read differently (a save, a copy kept after a conflict)
    discard_run_requested = Signal()  # about to show another draft: a run on this one must end first
    message = Signal(str, int)  # for the status bar, with how long to show it (ms)
    # A save gave the draft another style (a Chinese default once its text became Chinese, services'
    # language_defaults): the assistant's style box shows it.
    style_set_by_save = Signal(object)  # Draft

    def __init__(self, drafts: DraftService, editor: DraftEditor, notes: AssistantPanel, owner: QWidget) -> None:
        super().__init__(owner)
        self._drafts = drafts
        self._editor = editor
        self._notes = notes
        self._owner = owner  # parent of the dialogs it shows
        self._draft: Draft | None = None
        self._dirty = False
        self._save_failing = False
        self._loading = False
        self._closed = False
        self._edit_serial = 0  # bumped by every edit; tells whether a background save caught the latest text
        self._save_serial = 0
        self._undo_steps = (0, 0)  # the editor's undo/redo depth at the last change seen (see _on_contents_changed)

        self.saver = DraftSaver(drafts, self)
        self.autosave = widgets.single_shot_timer(self, AUTOSAVE_DELAY_MS, self.save_in_background)
        self.saver.saved.connect(self._on_background_saved)
        self.saver.save_failed.connect(self._on_background_save_failed)
        editor.document().contentsChanged.connect(self._on_contents_changed)
        editor.focus_lost.connect(self.save_in_background)  # which saves only what is not saved yet
        notes.notes_edited.connect(self._on_notes_edited)

    # -- what is open --------------------------------------------------------------------------------------
    @property
    def draft(self) -> Draft | None:
        return self._draft

    def is_dirty(self) -> bool:
        return self._dirty

    def open(self, draft_id: int) -> bool:
        """Save the draft shown, then show ``draft_id``. False when it stays (not saved, or not readable)."""
        if self._draft is not None and self._draft.id == draft_id:
            return True
        if not self.save_now():
            return False
        self.discard_run_requested.emit()
        with messages.reported(self._owner, self.tr("The draft could not be opened")) as attempt:
            draft = self._drafts.get(draft_id)
        if attempt.failed:
            self.drafts_changed.emit()
            return False
        self.show(draft)
        return True

    def show(self, draft: Draft | None) -> None:
        """Put ``draft`` (as stored) in the editor; nothing of the previous one is saved here (see ``open``)."""
        self._loading = True
        try:
            self._draft = draft
            self._dirty = False
            self.autosave.stop()
            self._editor.load(draft.body if draft else "", draft.form if draft else Form.PROSE)
            self._notes.set_notes(draft.notes if draft else "")
            self.save_state_changed.emit(SaveState.SAVED if draft else SaveState.NONE, "")
        finally:
            self._loading = False
        self.draft_changed.emit(draft)

    def adopt_stored(self, stored: Draft) -> None:
        """The open draft's title (and version) changed in the store; unsaved text stays the writer's."""
        if self._draft is None or self._draft.id != stored.id:
            return
        self._draft = stored if not self._dirty else replace(self._draft, title=stored.title, version=stored.version)
        self.meta_changed.emit(self._draft)

    @Slot(object)
    def set_style(self, style_id: int | None) -> None:
        if self._draft is None or not self.save_now():
            return
        with messages.reported(self._owner, self.tr("The style was not saved")) as attempt:
            self._draft = self._drafts.update_meta(self._draft.id, style_id=style_id)
        if attempt.failed:
            return
        self.meta_changed.emit(self._draft)

    # -- edits ---------------------------------------------------------------------------------------------
    @Slot()
    def _on_contents_changed(self) -> None:
        doc = self._editor.document()
        # Qt also reports layout-only changes here (the proposal overlay, re-highlighting); those leave the undo
        # stack alone. An edit either leaves the state of the last save ("modified") or moves the undo stack: an
        # undo back to that state still counts, because a save in flight may be writing the text it undid.
        steps = (doc.availableUndoSteps(), doc.availableRedoSteps())
        moved, self._undo_steps = steps != self._undo_steps, steps
        if self._loading or self._draft is None:
            return
        if not doc.isModified() and not moved:
            return
        self._mark_dirty()

    @Slot()
    def _on_notes_edited(self) -> None:
        if not self._loading and self._draft is not None:
            self._mark_dirty()

    def _mark_dirty(self) -> None:
        self._edit_serial += 1
        self._dirty = True
        self.save_state_changed.emit(SaveState.UNSAVED, "")
        self.autosave.start()
        self.edited.emit()

    # -- saving --------------------------------------------------------------------------------------------
    @Slot()
    def save_in_background(self) -> None:
        """Autosave: hand a copy of the text to the save thread; the window stays responsive meanwhile."""
        self.autosave.stop()
        if self._draft is None or not self._dirty or self._closed:
            return
        if self.saver.in_flight is not None:
            self.autosave.start()  # one save at a time: the next one needs the version this one makes
            return
        edit = TextEdit(body=self._editor.plain_text(), notes=self._notes.notes_text(),
                        expected_version=self._draft.version)
        self._save_serial = self._edit_serial
        self.save_state_changed.emit(SaveState.SAVING, "")
        self.saver.submit(self._draft.id, edit)

    @Slot(int, object)
    def _on_background_saved(self, _ticket: int, saved: Draft) -> None:
        if self._draft is None or saved.id != self._draft.id:
            return
        if self._edit_serial == self._save_serial:
            self._mark_saved(saved)
            return
        # Typed on while it saved: that version is on disk, the newer text is not yet. (draft_saved is kept for
        # "what the editor shows is on disk", so it waits for the save that catches up.)
        self._save_failing = False
        self._adopt_saved(saved)
        self.save_state_changed.emit(SaveState.UNSAVED, "")
        self.autosave.start()

    @Slot(int, object)
    def _on_background_save_failed(self, _ticket: int, exc: BaseException) -> None:
        if self._draft is None:
            return
        body, notes = self._editor.plain_text(), self._notes.notes_text()
        if isinstance(exc, ConflictError):
            self._resolve_conflict(body, notes, exc)
        elif isinstance(exc, NotFoundError):
            self._keep_as_new_draft(body, notes, self._gone(exc))
        else:
            self._save_failed(exc)

    def _save_failed(self, exc: BaseException) -> None:
        log.warning("save failed: %s", exc)
        self.save_state_changed.emit(SaveState.FAILED, messages.error_text(exc))
        if not self._save_failing:  # one dialog per failing streak, not one per pause in typing
            self._save_failing = True
            messages.show_error(self._owner, self.tr("Your draft was not saved"), exc)
        self.autosave.start()  # keep trying: the disk may come back

    def _wait_for_background_save(self) -> None:
        """Let a save in progress land (its handlers run here) before saving or switching on the UI thread."""
        if self.saver.in_flight is None:
            return
        loop = QEventLoop()
        self.saver.saved.connect(loop.quit)
        self.saver.save_failed.connect(loop.quit)
        try:
            if self.saver.in_flight is not None:
                loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        finally:
            self.saver.saved.disconnect(loop.quit)
            self.saver.save_failed.disconnect(loop.quit)

    def save_now(self) -> bool:
        """Write the draft now, on this thread (switching drafts, export, close). True when nothing is left
        unsaved (the writer may have chosen how, after a conflict)."""
        self.autosave.stop()
        self._wait_for_background_save()
        self.autosave.stop()
        if self._draft is None or not self._dirty:
            return True
        draft = self._draft
        body = self._editor.plain_text()
        notes = self._notes.notes_text()
        self.save_state_changed.emit(SaveState.SAVING, "")
        try:
            saved = self._drafts.save(draft.id, body=body, notes=notes, expected_version=draft.version)
        except ConflictError as exc:
            return self._resolve_conflict(body, notes, exc)
        except NotFoundError as exc:
            return self._keep_as_new_draft(body, notes, self._gone(exc))
        except StudioError as exc:
            self._save_failed(exc)
            return False
        self._mark_saved(saved)
        return True

    def _gone(self, exc: BaseException) -> str:
        return self.tr("This draft no longer exists (%1).").replace("%1", messages.error_text(exc))

    def _adopt_saved(self, saved: Draft) -> None:
        before = self._draft
        self._draft = saved
        if before is not None and before.id == saved.id and before.style_id != saved.style_id:
            self.meta_changed.emit(saved)
            self.style_set_by_save.emit(saved)

    def _mark_saved(self, saved: Draft) -> None:
        self._save_failing = False
        self._adopt_saved(saved)
        self._dirty = False
        self._editor.document().setModified(False)  # the undo stack's "clean" point is what is on disk now
        self.save_state_changed.emit(SaveState.SAVED, "")
        self.drafts_changed.emit()
        self.draft_saved.emit(saved.id)

    def _resolve_conflict(self, body: str, notes: str, exc: ConflictError) -> bool:
        """Another window changed the draft. Nothing is overwritten without the writer, and nothing is lost."""
        assert self._draft is not None
        draft = self._draft
        box = QMessageBox.question(
            self._owner,
            self.tr("This draft changed elsewhere"),
            self.tr(
                "“%1” was changed in another window since you opened it.\n\n"
                "Yes: keep your text here, and save the other version as a new draft.\n"
                "No: load the other version here, and save your text as a new draft."
            ).replace("%1", draft.title),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        keep = KeepText.THEIRS if box == QMessageBox.StandardButton.No else KeepText.MINE
        try:
            outcome = self._drafts.resolve_conflict(draft, body, notes, keep)
        except StudioError as err:
            self.save_state_changed.emit(SaveState.FAILED, messages.error_text(err))
            messages.show_error(self._owner, self.tr("Your draft was not saved"), err)
            return False
        if keep is KeepText.THEIRS:
            self.show(outcome.draft)
            self.drafts_changed.emit()
            self.message.emit(self.tr("Your text is kept as “%1”.").replace("%1", outcome.copy.title), 8000)
            return True
        self._mark_saved(outcome.draft)
        self.message.emit(self.tr("The other version is kept as “%1”.").replace("%1", outcome.copy.title), 8000)
        return True

    def _keep_as_new_draft(self, body: str, notes: str, why: str) -> bool:
        assert self._draft is not None
        with messages.reported(self._owner, self.tr("Your draft was not saved")) as attempt:
            mine = self._drafts.create(self._draft.title, self._draft.form, body=body, notes=notes)
        if attempt.failed:
            return False
        messages.show_error(self._owner, self.tr("Saved as a new draft"),
                            self.tr("%1 Your text is kept as a new draft.").replace("%1", why))
        self.show(mine)
        self.drafts_changed.emit()
        return True

    # -- shutdown ------------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """After the engine thread: no save starts from now on, and the one in flight lands first."""
        self._closed = True
        self.autosave.stop()
        self.saver.shutdown()
