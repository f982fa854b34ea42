"""Generate -> History: every run the model made for the open draft (time, action, instruction, model, preset,
style, whether one of its outputs was taken) with its alternatives, a search over outputs and instructions, Restore
as proposal and Delete.

Restore hands the chosen output to the generation controller (GenerationController.propose), which shows it in
the editor exactly as a finished generation: Tab takes it, Escape drops it, Retry asks the model anew. The runs
are the services' (studio.services.history, which `studio history` shares): this module only shows them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.domain import Draft, GenerationRecord
from studio.domain.i18n import QT_TRANSLATE_NOOP
from studio.services.history import HistoryRun, HistoryService
from studio.ui import messages, widgets
from studio.ui.i18n import format_date

if TYPE_CHECKING:
    from studio.ui.generation import GenerationController

log = logging.getLogger(__name__)

_SEARCH_DEBOUNCE_MS = 250
_ID = Qt.ItemDataRole.UserRole
ACTION_LABELS = {
    "continue": QT_TRANSLATE_NOOP("HistoryPanel", "Continue"),
    "rewrite": QT_TRANSLATE_NOOP("HistoryPanel", "Rewrite"),
    "ask": QT_TRANSLATE_NOOP("HistoryPanel", "Ask"),  # the assistant's answers are kept with the history
}
COLUMNS = (
    QT_TRANSLATE_NOOP("HistoryPanel", "When"),
    QT_TRANSLATE_NOOP("HistoryPanel", "Action"),
    QT_TRANSLATE_NOOP("HistoryPanel", "Output / instruction"),
    QT_TRANSLATE_NOOP("HistoryPanel", "Model"),
    QT_TRANSLATE_NOOP("HistoryPanel", "Preset"),
    QT_TRANSLATE_NOOP("HistoryPanel", "Style"),
    QT_TRANSLATE_NOOP("HistoryPanel", "Accepted"),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("HistoryPanel", text)


def _one_line(text: str, width: int = 80) -> str:
    one = " ".join(text.split())
    return one if len(one) <= width else one[: width - 1] + "…"


class HistoryPanel(QDialog):
    """One draft's runs. Top-level rows are runs, their children the alternatives (ids in UserRole: a run's row
    holds its first output's id, so Restore on a run takes the first alternative)."""

    def __init__(self, history: HistoryService, draft: Draft, propose: Callable[[GenerationRecord], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPanel")
        self.setWindowTitle(widgets.arg(self.tr("History of “%1”"), draft.title))
        self.resize(980, 560)
        self._history = history
        self._draft = draft
        self._propose = propose
        self.runs: list[HistoryRun] = []
        self._outputs: dict[int, GenerationRecord] = {}
        self._items: dict[int, QTreeWidgetItem] = {}  # each output's row

        lay = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setObjectName("historySearch")
        self.search.setPlaceholderText(self.tr("Search the outputs and instructions"))
        self.search.setAccessibleName(self.tr("Search the history"))
        self.search.setClearButtonEnabled(True)
        lay.addWidget(self.search)
        split = QSplitter(Qt.Orientation.Vertical)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(self.tr("Runs"))
        self.tree.setHeaderLabels([_tr(c) for c in COLUMNS])
        self.tree.setColumnWidth(0, 150)
        self.tree.setColumnWidth(2, 330)
        split.addWidget(self.tree)
        self.output = widgets.read_only_text(self.tr("Output"))
        split.addWidget(self.output)
        split.setSizes([360, 160])
        lay.addWidget(split, 1)
        self.note = QLabel()
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = buttons.addButton(self.tr("&Restore as proposal"),
                                                QDialogButtonBox.ButtonRole.ActionRole)
        self.delete_button = buttons.addButton(self.tr("&Delete run…"), QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self.restore_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        lay.addWidget(buttons)
        self._search_timer = widgets.single_shot_timer(self, _SEARCH_DEBOUNCE_MS, self.reload)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.tree.currentItemChanged.connect(self._on_current_changed)
        self.tree.itemDoubleClicked.connect(lambda _item, _col: self.restore_selected())
        self.reload()

    # -- the list ------------------------------------------------------------------------------------------
    @Slot()
    def reload(self) -> None:
        """Read the draft's runs again (with the search as it is now); the chosen output stays chosen if it is
        still there."""
        self._search_timer.stop()
        keep = self.selected_id()
        search = self.search.text().strip()
        with messages.reported(self, self.tr("The history could not be read")) as attempt:
            self.runs = self._history.runs(self._draft.id, search=search)
        if attempt.failed:
            self.runs = []
        self._outputs = {a.id: a for r in self.runs for a in r.alternatives if a.id is not None}
        self.tree.clear()
        self._items = {}
        tops = [self._run_item(run) for run in self.runs]
        self.tree.addTopLevelItems(tops)
        for run, top in zip(self.runs, tops, strict=True):
            top.setExpanded(len(run.alternatives) > 1)
        if tops:
            self.tree.setCurrentItem(self._items.get(keep or -1, tops[0]))
            self.note.setText("")
        else:
            self.output.clear()
            self.note.setText(widgets.arg(self.tr("No run holds “%1”."), search) if search else self.tr(
                "Nothing generated for this draft yet. Every Continue and Rewrite is kept here, taken or not."))
        self._update_buttons()

    def _run_item(self, run: HistoryRun) -> QTreeWidgetItem:
        action = ACTION_LABELS.get(run.action.value)
        summary = (run.instruction if run.instruction else _one_line(run.alternatives[0].output))
        item = QTreeWidgetItem([
            format_date(run.created_at) if run.created_at else "?",
            _tr(action) if action else run.action.value,
            summary,
            run.model_file,
            run.preset,
            run.style,
            self.tr("accepted") if run.accepted else self.tr("not accepted"),
        ])
        item.setData(0, _ID, run.alternatives[0].id)
        if run.instruction:
            item.setToolTip(2, run.instruction)
        for alt in run.alternatives:
            child = QTreeWidgetItem([widgets.arg(self.tr("Alternative %1"), str(alt.alternative_index + 1)), "",
                                     _one_line(alt.output) or self.tr("(empty)"), "", "", "",
                                     self.tr("accepted") if alt.accepted else ""])
            child.setData(0, _ID, alt.id)
            item.addChild(child)
            if alt.id is not None:
                self._items[alt.id] = child
        return item

    def selected_id(self) -> int | None:
        item = self.tree.currentItem()
        value = item.data(0, _ID) if item is not None else None
        return int(value) if value is not None else None

    def selected_run(self) -> HistoryRun | None:
        gid = self.selected_id()
        return next((r for r in self.runs if any(a.id == gid for a in r.alternatives)), None)

    def select_output(self, generation_id: int) -> bool:
        """Choose the row of one output (False when it is not listed)."""
        item = self._items.get(generation_id)
        if item is not None:
            self.tree.setCurrentItem(item)
        return item is not None

    @Slot()
    def _on_current_changed(self, *_: object) -> None:
        rec = self._outputs.get(self.selected_id() or -1)
        self.output.setPlainText(rec.output if rec is not None else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        rec = self._outputs.get(self.selected_id() or -1)
        self.restore_button.setEnabled(rec is not None and bool(rec.output.strip()))
        self.delete_button.setEnabled(rec is not None)

    # -- verbs ---------------------------------------------------------------------------------------------
    @Slot()
    def restore_selected(self) -> bool:
        """Propose the chosen output in the editor (the window's proposal bar); the panel closes so Tab and
        Escape reach the editor. False (the reason shown here) when it cannot."""
        gid = self.selected_id()
        if gid is None:
            return False
        with messages.reported(self, self.tr("The output could not be restored")) as attempt:
            rec = self._history.restore(gid)
        if attempt.failed:
            self.reload()  # deleted meanwhile (another window, the command line): show what is there now
            return False
        if not self._propose(rec):
            return False
        self.accept()
        return True

    @Slot()
    def delete_selected(self) -> bool:
        run = self.selected_run()
        if run is None:
            return False
        n = len(run.alternatives)
        when = format_date(run.created_at) if run.created_at else "?"
        text = (self.tr("Delete the run of %1 and its %Ln output(s) from the history? The draft's text does not "
                        "change.", "", n)).replace("%1", when)
        if not messages.ask(self, self.tr("Delete this run?"), text, default_yes=False):
            return False
        with messages.reported(self, self.tr("The run could not be deleted")) as attempt:
            self._history.delete(run.id)
        self.reload()
        return not attempt.failed


class OpenDraft(Protocol):
    """Where the open draft is known (the window's DraftSession)."""

    @property
    def draft(self) -> Draft | None: ...


class HistoryPart(QObject):
    """Opens the History panel for the open draft and restores through the generation controller."""

    def __init__(self, history: HistoryService, action: QAction, generation: GenerationController,
                 session: OpenDraft, parent: QWidget) -> None:
        super().__init__(parent)
        self._history = history
        self._generation = generation
        self._session = session
        self._owner = parent
        self.dialog: widgets.OneDialog[HistoryPanel] = widgets.OneDialog()
        action.triggered.connect(self.open_panel)

    @Slot()
    def open_panel(self) -> HistoryPanel | None:
        draft = self._session.draft
        if draft is None:
            self._generation.message.emit(self.tr("Open or create a draft first (Ctrl+N)."))
            return None
        return self.dialog.open(lambda: HistoryPanel(self._history, draft, self._propose, self._owner))

    def _propose(self, rec: GenerationRecord) -> bool:
        panel = self.dialog.current
        reasons: list[str] = []

        def heard(text: str) -> None:  # why the controller refused (a run streaming...), said in the panel too
            reasons.append(text)

        self._generation.message.connect(heard)
        try:
            done = self._generation.propose(rec.output, record_id=rec.id)
        finally:
            self._generation.message.disconnect(heard)
        if not done and panel is not None:
            panel.note.setText(reasons[-1] if reasons else self.tr("The output could not be proposed."))
        return done


__all__ = ["HistoryPanel", "HistoryPart"]
