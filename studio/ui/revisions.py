"""The revisions dialog: a draft's history, the word-level difference with the current text, and restore."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
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
from studio.domain.i18n import QT_TRANSLATE_NOOP
from studio.services.diffing import DiffOp, diff_stats, word_diff
from studio.ui import widgets
from studio.ui.diff_view import diff_html
from studio.ui.i18n import format_date, format_number
from studio.ui.operations import Operations
from studio.ui.theme import Theme

# Why a revision was kept, marked here and translated where the list is filled.
REASON_LABELS = {
    RevisionReason.MANUAL: QT_TRANSLATE_NOOP("RevisionsDialog", "kept by hand"),
    RevisionReason.AUTOSAVE: QT_TRANSLATE_NOOP("RevisionsDialog", "autosave"),
    RevisionReason.BEFORE_REWRITE: QT_TRANSLATE_NOOP("RevisionsDialog", "before a rewrite"),
    RevisionReason.BEFORE_CONTINUE: QT_TRANSLATE_NOOP("RevisionsDialog", "before a continue"),
    RevisionReason.IMPORT: QT_TRANSLATE_NOOP("RevisionsDialog", "imported"),
    RevisionReason.BEFORE_RESTORE: QT_TRANSLATE_NOOP("RevisionsDialog", "before a restore"),
}


class RevisionsDialog(QDialog):
    """``restore_requested`` carries the revision; the window applies it as one undo step and saves."""

    restore_requested = Signal(object)  # Revision

    def __init__(
        self,
        revisions: list[Revision],
        current_text: str,
        theme: Theme,
        parent: QWidget | None = None,
        operations: Operations | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Revisions"))
        self.resize(900, 600)
        self._revisions = sorted(revisions, key=lambda r: (r.created_at is not None, r.created_at, r.id), reverse=True)
        self._current_text = current_text
        self._theme = theme
        # The window's operations, so a failed diff reaches its one error presenter.
        self._ops = operations if operations is not None else Operations(self)
        self._diff_key = f"revision-diff-{id(self)}"  # a newer choice of revision makes an older diff stale
        ops, key = self._ops, self._diff_key  # not self: the closure must outlive the dialog

        def drop_diffs(*_: object) -> None:
            ops.drop(key)

        self.finished.connect(drop_diffs)  # a diff that lands after the dialog closed has nowhere to go
        self.destroyed.connect(drop_diffs)
        lay = QVBoxLayout(self)
        split = QSplitter()
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Revisions"))
        for rev in self._revisions:
            when = format_date(rev.created_at) if rev.created_at else "?"
            label = REASON_LABELS.get(rev.reason)
            reason = self.tr(label) if label else str(rev.reason)
            n = count_words(rev.body)
            # Two texts: without a translation (English) Qt fills the plural text in as it is.
            words = self.tr("%Ln word", "", n) if n == 1 else self.tr("%Ln words", "", n)
            item = QListWidgetItem(f"{when}\n{reason} · {words}")
            item.setData(Qt.ItemDataRole.UserRole, rev.id)
            self.list.addItem(item)
        split.addWidget(self.list)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel(self.tr("Choose a revision to compare it with the draft as it is now."))
        self.summary.setWordWrap(True)
        rl.addWidget(self.summary)
        self.diff = QTextBrowser()
        self.diff.setAccessibleName(self.tr("Difference"))
        rl.addWidget(self.diff, 1)
        split.addWidget(right)
        split.setSizes([260, 640])
        lay.addWidget(split, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = buttons.addButton(self.tr("&Restore this revision"),
                                                QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.setEnabled(False)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        lay.addWidget(buttons)
        self.list.currentRowChanged.connect(self._on_row_changed)
        if self._revisions:
            self.list.setCurrentRow(0)
        else:
            self.summary.setText(self.tr("This draft has no revisions yet. One is kept every few minutes while you "
                                         "write, and before every accepted rewrite."))

    def selected(self) -> Revision | None:
        row = self.list.currentRow()
        return self._revisions[row] if 0 <= row < len(self._revisions) else None

    @Slot(int)
    def _on_row_changed(self, row: int) -> None:
        rev = self.selected()
        self.restore_button.setEnabled(rev is not None)
        if rev is None:
            return
        self.summary.setText(self.tr("Comparing…"))
        old, new = rev.body, self._current_text
        # A word diff of a novel-length draft takes a moment; the window keeps responding meanwhile.
        self._ops.run_in_background(lambda: word_diff(old, new), self._on_diff_done, key=self._diff_key,
                                    title=self.tr("The revision could not be compared"), on_failed=self._on_diff_failed)

    def _on_diff_failed(self, _error: BaseException) -> None:
        self.summary.setText(self.tr("The difference could not be shown."))
        self.diff.clear()

    def _on_diff_done(self, ops: list[DiffOp]) -> None:
        inserted, deleted = diff_stats(ops)
        if not inserted and not deleted:
            self.summary.setText(self.tr("Same as the draft now."))
        else:
            added = f"<span style='color:{self._theme.color('diff_insert').name()}'>+{format_number(inserted)}</span>"
            removed = f"<span style='color:{self._theme.color('diff_delete').name()}'>−{format_number(deleted)}</span>"
            self.summary.setText(widgets.arg(
                self.tr("From this revision to now: %1 / %2 characters. Struck-through text is in the revision only; "
                        "underlined text is in the draft only."), added, removed))
        self.diff.setHtml(diff_html(ops, self._theme))

    @Slot()
    def _on_restore_clicked(self) -> None:
        rev = self.selected()
        if rev is not None:
            self.restore_requested.emit(rev)
            self.accept()
