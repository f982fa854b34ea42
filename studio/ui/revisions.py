"""The revisions dialog: a draft's history, the word-level difference with the current text, and restore."""

from __future__ import annotations

import contextlib
import logging
import threading

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from studio.domain import Revision, RevisionReason, count_words
from studio.services.diffing import DiffOp, diff_stats, word_diff
from studio.ui.diff_view import diff_html
from studio.ui.theme import Theme

log = logging.getLogger(__name__)

REASON_LABELS = {
    RevisionReason.MANUAL: "kept by hand",
    RevisionReason.AUTOSAVE: "autosave",
    RevisionReason.BEFORE_REWRITE: "before a rewrite",
    RevisionReason.BEFORE_CONTINUE: "before a continue",
    RevisionReason.IMPORT: "imported",
    RevisionReason.BEFORE_RESTORE: "before a restore",
}


class _DiffBridge(QObject):
    """Carries a finished diff from the helper thread back to the UI thread (a queued signal)."""

    done = Signal(int, object)  # request number, list[DiffOp]


class RevisionsDialog(QDialog):
    """``restore_requested`` carries the revision; the window applies it as one undo step and saves."""

    restore_requested = Signal(object)  # Revision

    def __init__(
        self, revisions: list[Revision], current_text: str, theme: Theme, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Revisions")
        self.resize(900, 600)
        self._revisions = sorted(revisions, key=lambda r: (r.created_at is not None, r.created_at, r.id), reverse=True)
        self._current_text = current_text
        self._theme = theme
        self._request = 0
        self._bridge = _DiffBridge(self)
        self._bridge.done.connect(self._on_diff_done)
        lay = QVBoxLayout(self)
        split = QSplitter()
        self.list = QListWidget()
        self.list.setAccessibleName("Revisions")
        for rev in self._revisions:
            when = rev.created_at.astimezone().strftime("%d %b %Y, %H:%M") if rev.created_at else "?"
            reason = REASON_LABELS.get(rev.reason, rev.reason)
            item = QListWidgetItem(f"{when}\n{reason} · {count_words(rev.body):,} words")
            item.setData(Qt.ItemDataRole.UserRole, rev.id)
            self.list.addItem(item)
        split.addWidget(self.list)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel("Choose a revision to compare it with the draft as it is now.")
        self.summary.setWordWrap(True)
        rl.addWidget(self.summary)
        self.diff = QTextBrowser()
        self.diff.setAccessibleName("Difference")
        rl.addWidget(self.diff, 1)
        split.addWidget(right)
        split.setSizes([260, 640])
        lay.addWidget(split, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = buttons.addButton("&Restore this revision", QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.setEnabled(False)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        lay.addWidget(buttons)
        self.list.currentRowChanged.connect(self._on_row_changed)
        if self._revisions:
            self.list.setCurrentRow(0)
        else:
            self.summary.setText("This draft has no revisions yet. One is kept every few minutes while you write, "
                                 "and before every accepted rewrite.")

    def selected(self) -> Revision | None:
        row = self.list.currentRow()
        return self._revisions[row] if 0 <= row < len(self._revisions) else None

    @Slot(int)
    def _on_row_changed(self, row: int) -> None:
        rev = self.selected()
        self.restore_button.setEnabled(rev is not None)
        if rev is None:
            return
        self._request += 1
        request = self._request
        self.summary.setText("Comparing…")
        old, new = rev.body, self._current_text
        bridge = self._bridge

        # A word diff of a novel-length draft takes a moment; the window keeps responding meanwhile.
        def work() -> None:
            try:
                ops = word_diff(old, new)
            except Exception:  # noqa: BLE001
                log.exception("diff failed")
                ops = []
            with contextlib.suppress(RuntimeError):  # the dialog was closed first
                bridge.done.emit(request, ops)

        threading.Thread(target=work, name="studio-diff", daemon=True).start()

    @Slot(int, object)
    def _on_diff_done(self, request: int, ops: list[DiffOp]) -> None:
        if request != self._request:
            return
        inserted, deleted = diff_stats(ops)
        if not inserted and not deleted:
            self.summary.setText("Same as the draft now.")
        else:
            self.summary.setText(
                f"From this revision to now: <span style='color:{self._theme.color('diff_insert').name()}'>"
                f"+{inserted:,}</span> / <span style='color:{self._theme.color('diff_delete').name()}'>"
                f"−{deleted:,}</span> characters. Struck-through text is in the revision only; underlined text "
                "is in the draft only."
            )
        self.diff.setHtml(diff_html(ops, self._theme))

    @Slot()
    def _on_restore_clicked(self) -> None:
        rev = self.selected()
        if rev is not None:
            self.restore_requested.emit(rev)
            self.accept()
