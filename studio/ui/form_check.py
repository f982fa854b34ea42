"""Generate -> Check the form: a panel beside the editor that reads the poem at the cursor against a form, per line
(its count, rhyme letter and rhyme-book groups, the tones 平仄 of Chinese forms, or an English line's stresses) and
lists what does not fit, the warnings and the notes of the checker. It checks again a moment after the text or the
cursor changes, while it is open.

The check itself is the services' (studio.services.forms.check_poem, which `studio check` shares): this module
only shows it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.domain import StudioError
from studio.domain.i18n import QT_TRANSLATE_NOOP
from studio.services import forms
from studio.ui import widgets
from studio.ui.editor import DraftEditor
from studio.ui.i18n import error_text, format_number, shown
from studio.ui.textpos import to_index

log = logging.getLogger(__name__)

_DEBOUNCE_MS = 300
# The English forms' titles, translated where shown; the Chinese forms keep their own names (五言绝句).
FORM_TITLES = {
    "free-verse": QT_TRANSLATE_NOOP("FormCheckPanel", "Free verse"),
    "haiku": QT_TRANSLATE_NOOP("FormCheckPanel", "Haiku"),
    "sonnet": QT_TRANSLATE_NOOP("FormCheckPanel", "Sonnet"),
    "limerick": QT_TRANSLATE_NOOP("FormCheckPanel", "Limerick"),
}
COLUMNS = (
    QT_TRANSLATE_NOOP("FormCheckPanel", "Line"),
    QT_TRANSLATE_NOOP("FormCheckPanel", "Text"),
    QT_TRANSLATE_NOOP("FormCheckPanel", "Count"),
    QT_TRANSLATE_NOOP("FormCheckPanel", "Rhyme"),
    QT_TRANSLATE_NOOP("FormCheckPanel", "Tones / stresses"),
    QT_TRANSLATE_NOOP("FormCheckPanel", "Issues"),
)


def form_title(name: str, title: str) -> str:
    source = FORM_TITLES.get(name)
    return QCoreApplication.translate("FormCheckPanel", source) if source else title


class FormCheckPanel(QDialog):
    checked = Signal(object)  # PoemCheck (None when the check could not be made): after every check

    def __init__(self, editor: DraftEditor, default_form: Callable[[], str | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formCheckPanel")
        self.setWindowTitle(self.tr("Check the form"))
        self.setModal(False)
        self.resize(760, 420)
        self._editor = editor
        self._default_form = default_form
        self.last: forms.PoemCheck | None = None

        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.form_combo = QComboBox()
        self.form_combo.setAccessibleName(self.tr("Form"))
        self.form_combo.addItem(self.tr("As it is written (guessed)"), None)
        for choice in forms.form_choices():
            self.form_combo.addItem(form_title(choice.name, choice.title), choice.name)
        self.rhyme_combo = QComboBox()
        self.rhyme_combo.setAccessibleName(self.tr("Rhyme book"))
        for key, title in forms.rhyme_books():
            self.rhyme_combo.addItem(title, key)  # the books' own names: 平水韵, 中华新韵, 十三辙
        self.strict_box = QCheckBox(self.tr("Strict (tones and metre fail too)"))
        top.addWidget(QLabel(self.tr("Form:")))
        top.addWidget(self.form_combo, 1)
        top.addWidget(QLabel(self.tr("Rhyme book:")))
        top.addWidget(self.rhyme_combo)
        top.addWidget(self.strict_box)
        lay.addLayout(top)

        self.summary = QLabel("")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table, 3)
        self.problems = QListWidget()
        self.problems.setAccessibleName(self.tr("What does not fit, warnings and notes"))
        self.problems.setWordWrap(True)
        lay.addWidget(self.problems, 2)

        self._timer = widgets.single_shot_timer(self, _DEBOUNCE_MS, self.recheck)
        editor.textChanged.connect(self._schedule)
        editor.cursorPositionChanged.connect(self._schedule)
        self.form_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.rhyme_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.strict_box.toggled.connect(self._on_choice_changed)

    # -- opening -------------------------------------------------------------------------------------------
    def open_panel(self) -> None:
        """Show the panel for the poem at the cursor, on the form the draft's style holds when it holds one."""
        form = self._default_form()
        index = self.form_combo.findData(form) if form else 0
        self.form_combo.blockSignals(True)
        self.form_combo.setCurrentIndex(max(0, index))
        self.form_combo.blockSignals(False)
        self.show()
        self.raise_()
        self.recheck()

    # -- checking ------------------------------------------------------------------------------------------
    @Slot()
    def _schedule(self) -> None:
        if self.isVisible():
            self._timer.start()

    @Slot()
    def _on_choice_changed(self, *_: object) -> None:
        if self.isVisible():
            self.recheck()

    @Slot()
    def recheck(self) -> None:
        self._timer.stop()
        body = self._editor.plain_text()
        cursor = to_index(body, self._editor.textCursor().position())
        form = self.form_combo.currentData()
        try:
            check = forms.check_poem(body, form, cursor=cursor, rhyme=self.rhyme_combo.currentData(),
                                     strict=self.strict_box.isChecked())
        except StudioError as exc:
            self.last = None
            self.summary.setText(error_text(exc))
            self.table.setRowCount(0)
            self.problems.clear()
            self.checked.emit(None)
            return
        self.last = check
        self._show(check)
        self.checked.emit(check)

    def _show(self, check: forms.PoemCheck) -> None:
        r = check.result
        chinese = check.language == "zh"
        self.rhyme_combo.setEnabled(chinese)
        title = form_title(check.form, check.title)
        if not check.text.strip():
            self.summary.setText(widgets.arg(self.tr("Nothing to check yet: write the poem, then check it as %1."),
                                             title))
        elif r.ok:
            n = len(r.warnings)
            text = (self.tr("Fits %1.") if not n else self.tr("Fits %1, with one warning.") if n == 1
                    else self.tr("Fits %1, with %n warnings.", "", n))
            self.summary.setText(widgets.arg(text, title))
        else:
            n = len(r.deviations)
            text = self.tr("Does not fit %1: one deviation.") if n == 1 else self.tr(
                "Does not fit %1: %n deviations.", "", n)
            self.summary.setText(widgets.arg(text, title))
        self.table.setRowCount(len(r.lines))
        for row, line in enumerate(r.lines):
            editor_line = check.editor_line(line.line_no)
            count = format_number(line.count)
            if line.low != line.high:
                count = widgets.arg(self.tr("%1 (%2–%3)"), count, format_number(line.low), format_number(line.high))
            if line.expected is not None:
                lo, hi = line.expected
                want = format_number(lo) if lo == hi else f"{format_number(lo)}–{format_number(hi)}"
                count = widgets.arg(self.tr("%1 of %2"), count, want)
            rhyme = line.rhyme or ""
            if line.rhyme_groups:
                rhyme = f"{rhyme} {line.rhyme_char or ''} {'/'.join(line.rhyme_groups)}".strip()
            tones = line.tones or line.stress or ""
            if line.pattern and line.pattern_ok is False:
                tones = widgets.arg(self.tr("%1 (wants %2)"), tones, line.pattern)
            # The poem's own line numbers, as the checker's messages name them; the draft's line in the tooltip.
            cells = [format_number(line.line_no), line.text, count, rhyme, tones,
                     "\n".join(shown(issue) for issue in line.issues)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == len(cells) - 1 and line.issues:
                    item.setToolTip(text)
                if col == 0 and editor_line is not None:
                    item.setToolTip(widgets.arg(self.tr("Line %1 of the draft"), format_number(editor_line)))
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        self.problems.clear()
        for kind, items in ((self.tr("Does not fit"), r.deviations), (self.tr("Warning"), r.warnings),
                            (self.tr("Note"), r.notes)):
            for d in items:
                self.problems.addItem(widgets.arg(self.tr("%1: %2"), kind, shown(d.message)))
