"""What the writer does to drafts as a whole: create, rename, duplicate, trash, restore, purge, import, export,
and revisions (keep one now, look through them, bring one back).

The commands read the open draft and save it through the two callables the window hands in (the draft session's
``draft`` and ``save_now``), and ask for everything else in signals: which draft to show, that the drafts list
reads differently, that a run must end. So they know nothing of the session or the window.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from studio.domain import Draft, Form, Revision, RevisionReason, StudioError
from studio.domain.i18n import QT_TRANSLATE_NOOP
from studio.ui import messages, widgets
from studio.ui.dialogs import NewDraftDialog
from studio.ui.i18n import error_text
from studio.ui.operations import Op, Operations
from studio.ui.parts import WindowParts
from studio.ui.revisions import RevisionsDialog

if TYPE_CHECKING:
    from studio.services import DraftService

# File dialog filters: the names are translated where the dialog opens, the patterns in brackets stay as they are.
EXPORT_FILTERS = QT_TRANSLATE_NOOP(
    "DraftCommands", "Markdown (*.md);;Fountain screenplay (*.fountain);;Web page (*.html);;Plain text (*.txt)"
)
IMPORT_FILTERS = QT_TRANSLATE_NOOP("DraftCommands", "Drafts (*.md *.markdown *.txt *.fountain);;All files (*)")
FILES_KEY = "draft-files"  # imports and exports: the newest one's result is the one shown

_T = TypeVar("_T")


class DraftCommands(QObject):
    show_requested = Signal(object)  # Draft | None: put this draft (as stored) in the editor
    open_requested = Signal(int)  # save the open draft, then open this one
    renamed = Signal(object)  # Draft as stored after a rename
    library_changed = Signal()  # the drafts list reads differently (the window refreshes the sidebar once)
    discard_run_requested = Signal()  # the text a run works on is about to go
    message = Signal(str, int)  # for the status bar, with how long to show it (ms)
    exported = Signal(list)  # list[Path]: the files an export wrote, once its result is on the UI thread
    imported = Signal(list)  # list[Draft]: the drafts an import made (maybe none), likewise

    def __init__(
        self,
        drafts: DraftService,
        parts: WindowParts,
        current: Callable[[], Draft | None],
        save_now: Callable[[], bool],
        owner: QWidget,
        operations: Operations,
    ) -> None:
        super().__init__(owner)
        self._drafts = drafts
        self._parts = parts  # the drafts list, the editor and the theme (for the revisions' diff)
        self._current = current
        self._save_now = save_now
        self._owner = owner  # parent of the dialogs
        self._ops = operations  # imports and exports run off the UI thread; failures go to its presenter
        self._files_lock = threading.Lock()
        self._unlisted_imports = False  # an import ran whose drafts the list has not been asked to show

    def _is_open(self, draft_id: int) -> bool:
        draft = self._current()
        return draft is not None and draft.id == draft_id

    def _leave_trash(self) -> None:
        if self._parts.sidebar.showing_trash:
            self._parts.sidebar.tabs.setCurrentIndex(0)

    # -- the drafts list -----------------------------------------------------------------------------------
    def create_draft(self, title: str, form: Form, body: str = "") -> Draft | None:
        if not self._save_now():
            return None
        with messages.reported(self._owner, self.tr("The draft was not created")) as attempt:
            draft = self._drafts.create(title, form, body=body)
        if attempt.failed:
            return None
        self.library_changed.emit()
        self.discard_run_requested.emit()
        self.show_requested.emit(draft)
        self.library_changed.emit()
        return draft

    @Slot()
    def new_draft(self) -> None:
        current = self._current()
        form = current.form if current else (self._parts.sidebar.form() or Form.PROSE)
        answer = NewDraftDialog.get(self._owner, form)
        if answer is not None:
            title, chosen = answer
            self._leave_trash()
            self.create_draft(title, chosen)

    @Slot(int)
    def rename_draft(self, draft_id: int) -> None:
        with messages.reported(self._owner, self.tr("The draft could not be renamed")) as attempt:
            stored = self._drafts.get(draft_id)
            title, ok = QInputDialog.getText(self._owner, self.tr("Rename draft"), self.tr("Title:"), text=stored.title)
            if not ok or not title.strip() or title.strip() == stored.title:
                return
            renamed = self._drafts.rename(draft_id, title)
        if attempt.failed:
            return
        self.renamed.emit(renamed)
        self.library_changed.emit()

    @Slot(int)
    def duplicate_draft(self, draft_id: int) -> None:
        if not self._save_now():
            return
        with messages.reported(self._owner, self.tr("The draft could not be duplicated")) as attempt:
            copy = self._drafts.duplicate(draft_id)
        if attempt.failed:
            return
        self.library_changed.emit()
        self.open_requested.emit(copy.id)

    @Slot(int)
    def trash_draft(self, draft_id: int) -> None:
        was_open = self._is_open(draft_id)
        if was_open:
            if not self._save_now():
                return
            self.discard_run_requested.emit()
        with messages.reported(self._owner, self.tr("The draft could not be moved to the Trash")) as attempt:
            self._drafts.trash(draft_id)
        if attempt.failed:
            return
        self.message.emit(self.tr("Moved to the Trash. Restore it from the Trash tab."), 5000)
        if was_open:
            self.show_requested.emit(None)
        self.library_changed.emit()
        left = self._parts.sidebar.summaries()
        if self._current() is None and left and not self._parts.sidebar.showing_trash:
            self.open_requested.emit(left[0].id)

    @Slot(int)
    def restore_draft(self, draft_id: int) -> None:
        with messages.reported(self._owner, self.tr("The draft could not be restored")) as attempt:
            restored = self._drafts.restore(draft_id)
        if attempt.failed:
            return
        self._parts.sidebar.tabs.setCurrentIndex(0)
        self.library_changed.emit()
        self.open_requested.emit(restored.id)

    @Slot(int)
    def purge_draft(self, draft_id: int) -> None:
        if not messages.ask(self._owner, self.tr("Delete forever"),
                            self.tr("Delete this draft and all its revisions for good?"), default_yes=False):
            return
        with messages.reported(self._owner, self.tr("The draft could not be deleted")) as attempt:
            self._drafts.purge(draft_id)
        if attempt.failed:
            return
        self.library_changed.emit()

    # -- files ---------------------------------------------------------------------------------------------
    # Reading and writing files runs off the UI thread and nothing waits for it: the writer types on meanwhile.
    # Every file command shares one key, so a newer one makes an older one's result stale: its message, and
    # opening what it imported, would answer a request the writer has moved past. The work itself runs one command
    # at a time (the lock), so by the time the newest command's result lands, every older command's files and
    # drafts are written: an export to the same path keeps the last choice, and the refresh the newest one asks
    # for lists every imported draft, stale or not.
    @Slot()
    def export_current(self) -> Op | None:
        """Export the open draft to a file the writer picks; the ``Op`` (for scripts and tests) is done once the
        result reached the UI thread, and ``exported`` carries the path."""
        if self._current() is None or not self._save_now():
            return None
        draft = self._current()
        assert draft is not None
        ext = ".fountain" if draft.form == Form.SCREENPLAY else ".md"
        default = str(Path.home() / f"{file_stem(draft.title)}{ext}")
        path, _ = QFileDialog.getSaveFileName(self._owner, self.tr("Export draft"), default, self.tr(EXPORT_FILTERS))
        if not path:
            return None
        export, draft_id = self._drafts.export, draft.id

        def exported(out: Path) -> None:
            self.message.emit(widgets.arg(self.tr("Exported to %1"), out), 8000)
            self.exported.emit([Path(out)])

        return self._run_file_command(lambda: export(draft_id, path), exported,
                                      self.tr("The draft was not exported"))

    @Slot()
    def export_all(self) -> Op | None:
        if not self._save_now():
            return None
        folder = QFileDialog.getExistingDirectory(self._owner, self.tr("Export all drafts to a folder"),
                                                  str(Path.home()))
        if not folder:
            return None
        export_all = self._drafts.export_all

        def exported(paths: list[Path]) -> None:
            # Two texts: without a translation (English) Qt fills the plural text in as it is.
            n = len(paths)
            text = self.tr("Exported %n draft to %1", "", n) if n == 1 else self.tr("Exported %n drafts to %1", "", n)
            self.message.emit(widgets.arg(text, folder), 8000)
            self.exported.emit([Path(p) for p in paths])

        return self._run_file_command(lambda: export_all(folder), exported,
                                      self.tr("The drafts were not exported"))

    @Slot()
    def import_files(self) -> Op | None:
        paths, _ = QFileDialog.getOpenFileNames(self._owner, self.tr("Import drafts"), str(Path.home()),
                                                self.tr(IMPORT_FILTERS))
        if not paths or not self._save_now():
            return None
        import_file = self._drafts.import_file

        def work() -> tuple[list[Draft], list[str]]:
            imported: list[Draft] = []
            problems: list[str] = []
            for p in paths:
                try:
                    imported.append(import_file(p))
                except StudioError as exc:  # one bad file does not stop the others
                    problems.append(f"{Path(p).name}: {error_text(exc)}")
            return imported, problems

        self._unlisted_imports = True
        return self._run_file_command(work, self._on_imported, self.tr("The files were not imported"))

    def _run_file_command(self, work: Callable[[], _T], on_done: Callable[[_T], None], title: str) -> Op:
        lock = self._files_lock

        def one_at_a_time() -> _T:
            with lock:
                return work()

        def done(result: _T) -> None:
            self._list_imports()  # first, so the draft an import opens is in the list it selects from
            on_done(result)

        return self._ops.run_in_background(one_at_a_time, done, key=FILES_KEY, title=title,
                                           on_failed=lambda _exc: self._list_imports())

    def _list_imports(self) -> None:
        # An import, this one or an older one whose result went stale, may have added drafts.
        if self._unlisted_imports:
            self._unlisted_imports = False
            self.library_changed.emit()

    def _on_imported(self, outcome: tuple[list[Draft], list[str]]) -> None:
        imported, problems = outcome
        self._leave_trash()
        if imported:
            self.open_requested.emit(imported[-1].id)
            n = len(imported)
            self.message.emit(self.tr("Imported %n file.", "", n) if n == 1 else self.tr("Imported %n files.", "", n),
                              6000)
        self.imported.emit(imported)
        if problems:
            self._ops.report(self.tr("Some files were not imported"), "\n".join(problems))

    # -- revisions -----------------------------------------------------------------------------------------
    @Slot()
    def keep_revision(self) -> None:
        if self._current() is None or not self._save_now():
            return
        draft = self._current()
        assert draft is not None
        with messages.reported(self._owner, self.tr("The revision was not kept")) as attempt:
            self._drafts.snapshot(draft.id, RevisionReason.MANUAL, body=self._parts.editor.plain_text())
        if attempt.failed:
            return
        self.message.emit(self.tr("Revision kept."), 3000)

    @Slot()
    def show_revisions(self) -> RevisionsDialog | None:
        if self._current() is None or not self._save_now():
            return None
        draft = self._current()
        assert draft is not None
        with messages.reported(self._owner, self.tr("Revisions could not be read")) as attempt:
            revisions = self._drafts.revisions(draft.id)
        if attempt.failed:
            return None
        ui = self._parts
        dlg = RevisionsDialog(revisions, ui.editor.plain_text(), ui.themes.theme, self._owner, self._ops)
        dlg.restore_requested.connect(self.restore_revision)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg

    @Slot(object)
    def restore_revision(self, revision: Revision) -> None:
        """Bring a revision back as an edit (so Ctrl+Z undoes it), keeping the current text as a revision first."""
        draft = self._current()
        if draft is None or revision.draft_id != draft.id:
            return
        self.discard_run_requested.emit()
        with messages.reported(self._owner, self.tr("The revision was not restored")) as attempt:
            restored = self._drafts.keep_before_restore(revision.id, self._parts.editor.plain_text())
        if attempt.failed:
            return
        editor = self._parts.editor
        editor.insert_as_one_step(0, restored.body, replace_to=editor.document().characterCount() - 1)
        self._save_now()
        self.message.emit(self.tr("Revision restored. Ctrl+Z brings the previous text back."), 8000)


def file_stem(title: str) -> str:
    """A file name from a title: characters no file system takes become _, at most 120 characters."""
    bad = '<>:"/\\|?*\0'
    stem = "".join("_" if c in bad or ord(c) < 32 else c for c in title).strip(" .")
    return stem[:120] or QCoreApplication.translate("DraftCommands", "untitled")
