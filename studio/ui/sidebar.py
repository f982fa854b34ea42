"""The drafts sidebar: search (titles and text), a form filter, the Trash, and a list with last-edited first."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QFont, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.domain import DraftSummary, Form
from studio.domain.i18n import QT_TRANSLATE_NOOP
from studio.ui import widgets
from studio.ui.i18n import format_date

if TYPE_CHECKING:
    from studio.services import Services

log = logging.getLogger(__name__)

# The English names, marked for translation; what a widget shows is form_label(form), in the window's language.
FORM_LABELS = {
    Form.PROSE: QT_TRANSLATE_NOOP("Forms", "Prose"),
    Form.SCREENPLAY: QT_TRANSLATE_NOOP("Forms", "Screenplay"),
    Form.LYRICS: QT_TRANSLATE_NOOP("Forms", "Lyrics"),
    Form.POETRY: QT_TRANSLATE_NOOP("Forms", "Poetry"),
}
SummaryRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2
InfoRole = Qt.ItemDataRole.UserRole + 3  # the muted second line: form, length, when it was last edited


def form_label(form: Form | str) -> str:
    """A form's name in the window's language (an unknown form as it is stored)."""
    label = FORM_LABELS.get(Form(form)) if form in Form._value2member_map_ else None
    return QCoreApplication.translate("Forms", label) if label else str(form)


class DraftListModel(QAbstractListModel):
    """The drafts, and the texts about each that the list shows (its plurals are tr()'s: pyside6-lupdate marks a
    text as a plural only in a tr() call, so they live on a QObject rather than in module functions)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[DraftSummary] = []

    def set_items(self, items: list[DraftSummary]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def items(self) -> list[DraftSummary]:
        return list(self._items)

    def row_of(self, draft_id: int) -> int:
        for i, s in enumerate(self._items):
            if s.id == draft_id:
                return i
        return -1

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        s = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return s.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{s.title}\n{form_label(s.form)} · {self.word_count_text(s.word_count)}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{s.title}, {form_label(s.form)}, {self.word_count_text(s.word_count)}"
        if role == InfoRole:
            when = self.relative_time(s.deleted_at if s.deleted else s.updated_at)
            return f"{form_label(s.form)} · {self.word_count_text(s.word_count)}" + (f" · {when}" if when else "")
        if role == SummaryRole:
            return s
        if role == IdRole:
            return s.id
        return None

    def word_count_text(self, n: int) -> str:
        """A stored word count (every word and every Han character) with its unit, digits grouped by the locale."""
        # Two texts, not one: without a translation (the English window) Qt fills the plural text in as it is.
        return self.tr("%Ln word", "", n) if n == 1 else self.tr("%Ln words", "", n)

    def relative_time(self, when: datetime | None, now: datetime | None = None) -> str:
        if when is None:
            return ""
        now = now or datetime.now(UTC)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        secs = max(0, int((now - when).total_seconds()))
        # Worked out before the tr() calls: inside one, pyside6-lupdate reads "//" as a C++ comment and loses the text.
        minutes, hours, days = secs // 60, secs // 3600, secs // 86400
        if secs < 60:
            return self.tr("just now")
        if secs < 3600:
            return self.tr("%n min ago", "", minutes)
        if secs < 86400:
            return self.tr("%n h ago", "", hours)
        if days < 7:
            return self.tr("%n d ago", "", days)
        return format_date(when.astimezone().date())


class DraftDelegate(QStyledItemDelegate):
    """Title on the first line; form, word count and when it was last edited, muted, on the second."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        fm = option.fontMetrics
        return QSize(200, fm.height() * 2 + 14)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        s: DraftSummary | None = index.data(SummaryRole)
        if s is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        fg = pal.highlightedText().color() if selected else pal.text().color()
        muted = pal.placeholderText().color() if not selected else fg
        r: QRect = option.rect.adjusted(10, 6, -8, -6)
        fm = option.fontMetrics
        painter.save()
        title_font = QFont(option.font)
        title_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(title_font)
        painter.setPen(fg)
        title = painter.fontMetrics().elidedText(s.title, Qt.TextElideMode.ElideRight, r.width())
        painter.drawText(QRect(r.left(), r.top(), r.width(), fm.height()), Qt.AlignmentFlag.AlignLeft, title)
        painter.setFont(option.font)
        painter.setPen(muted)
        info = fm.elidedText(str(index.data(InfoRole) or ""), Qt.TextElideMode.ElideRight, r.width())
        second = QRect(r.left(), r.top() + fm.height() + 2, r.width(), fm.height())
        painter.drawText(second, Qt.AlignmentFlag.AlignLeft, info)
        painter.restore()


class DraftsPanel(QWidget):
    """Shows drafts; says what the writer asked for. The window does the work (it saves first, asks for names)."""

    draft_selected = Signal(int)
    new_requested = Signal()
    rename_requested = Signal(int)
    duplicate_requested = Signal(int)
    trash_requested = Signal(int)
    restore_requested = Signal(int)
    purge_requested = Signal(int)
    filter_changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._current: int | None = None
        self._suppress = False
        self.setMinimumWidth(200)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(4)

        self.tabs = QTabBar()
        self.tabs.addTab(self.tr("Drafts"))
        self.tabs.addTab(self.tr("Trash"))
        self.tabs.setExpanding(True)
        self.tabs.setDrawBase(False)
        lay.addWidget(self.tabs)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search titles and text…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search drafts"))
        lay.addWidget(self.search)

        row = QHBoxLayout()
        self.form_filter = QComboBox()
        self.form_filter.addItem(self.tr("All forms"), None)
        for form in FORM_LABELS:
            self.form_filter.addItem(form_label(form), form.value)
        self.form_filter.setAccessibleName(self.tr("Form filter"))
        row.addWidget(self.form_filter, 1)
        self.new_button = QToolButton()
        self.new_button.setText(self.tr("New"))
        self.new_button.setToolTip(self.tr("New draft (Ctrl+N)"))
        row.addWidget(self.new_button)
        lay.addLayout(row)

        self.model = DraftListModel(self)
        self.view = QListView()
        self.view.setObjectName("draftList")
        self.view.setModel(self.model)
        self.view.setItemDelegate(DraftDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.setAccessibleName(self.tr("Drafts"))
        lay.addWidget(self.view, 1)

        buttons = QHBoxLayout()
        buttons.setSpacing(3)
        self.rename_button = self._button(self.tr("Rename"), self.tr("Rename the draft (F2)"), self.rename_requested)
        self.duplicate_button = self._button(self.tr("Duplicate"), self.tr("Make a copy of the draft"),
                                             self.duplicate_requested)
        self.trash_button = self._button(self.tr("Trash"), self.tr("Move the draft to the Trash (Delete)"),
                                         self.trash_requested)
        self.restore_button = self._button(self.tr("Restore"), self.tr("Bring the draft back from the Trash"),
                                           self.restore_requested)
        self.purge_button = self._button(self.tr("Delete forever"), self.tr("Delete the draft and its history"),
                                         self.purge_requested)
        for b in (self.rename_button, self.duplicate_button, self.trash_button, self.restore_button, self.purge_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay.addLayout(buttons)

        self._search_timer = widgets.single_shot_timer(self, 200, self.refresh)
        # Changes to the library come in bursts (a create announces itself before and after the draft is shown,
        # an import of many files once per batch): marked stale, the list is read again once, at the next turn
        # of the event loop, or at once by anything that reads it before then.
        self._stale = False
        self._stale_timer = widgets.single_shot_timer(self, 0, self._refresh_if_stale)

        self.search.textChanged.connect(self._search_timer.start)
        self.form_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.tabs.currentChanged.connect(self._on_filter_changed)
        self.new_button.clicked.connect(self.new_requested)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.view.customContextMenuRequested.connect(self._on_context_menu)

        self._add_view_action(self.tr("Rename"), QKeySequence(Qt.Key.Key_F2), self._emit_for(self.rename_requested))
        self._add_view_action(self.tr("Move to Trash"), QKeySequence(QKeySequence.StandardKey.Delete),
                              self._trash_or_purge)

    def _button(self, text: str, tip: str, signal: Any) -> QToolButton:
        b = QToolButton()
        b.setText(text)
        b.setToolTip(tip)
        b.clicked.connect(self._emit_for(signal))
        return b

    def _update_buttons(self) -> None:
        trash = self.showing_trash
        has = self.selected_id() is not None
        for b in (self.rename_button, self.duplicate_button, self.trash_button):
            b.setVisible(not trash)
            b.setEnabled(has)
        for b in (self.restore_button, self.purge_button):
            b.setVisible(trash)
            b.setEnabled(has)

    def _add_view_action(self, text: str, key: QKeySequence, slot: Any) -> None:
        act = QAction(text, self.view)
        act.setShortcut(key)
        act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        act.triggered.connect(slot)
        self.view.addAction(act)

    # -- state ---------------------------------------------------------------------------------------------
    @property
    def showing_trash(self) -> bool:
        return self.tabs.currentIndex() == 1

    def form(self) -> Form | None:
        value = self.form_filter.currentData()
        return Form(value) if value else None

    def set_form_filter(self, form: Form | None) -> None:
        idx = self.form_filter.findData(form.value if form else None)
        self.form_filter.setCurrentIndex(max(0, idx))

    def selected_id(self) -> int | None:
        self._refresh_if_stale()
        idx = self.view.currentIndex()
        return idx.data(IdRole) if idx.isValid() else None

    def summaries(self) -> list[DraftSummary]:
        self._refresh_if_stale()
        return self.model.items()

    def set_current(self, draft_id: int | None) -> None:
        """Select ``draft_id`` in the list without announcing it (the window already opened it)."""
        self._current = draft_id
        if self._stale:
            self.refresh()  # which selects it
            return
        row = self.model.row_of(draft_id) if draft_id is not None else -1
        self._suppress = True
        try:
            if row >= 0:
                self.view.setCurrentIndex(self.model.index(row))
            else:
                self.view.clearSelection()
                self.view.setCurrentIndex(QModelIndex())
        finally:
            self._suppress = False

    @Slot()
    def library_changed(self) -> None:
        """The drafts changed somewhere: read the list again soon, once however many changes come together."""
        self._stale = True
        self._stale_timer.start()

    @Slot()
    def _refresh_if_stale(self) -> None:
        if self._stale:
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Query the drafts again (a short read: summaries only, never bodies)."""
        self._stale = False
        self._stale_timer.stop()
        try:
            items = self._services.drafts.list(
                form=self.form(), search=self.search.text().strip() or None, trashed=self.showing_trash
            )
        except Exception as exc:  # noqa: BLE001 - a failed listing should not take the window down
            log.warning("listing drafts failed: %s", exc)
            items = []
        items.sort(key=lambda s: _sort_key(s.deleted_at if self.showing_trash else s.updated_at), reverse=True)
        self.model.set_items(items)
        self.set_current(self._current)
        self._update_buttons()

    # -- slots ---------------------------------------------------------------------------------------------
    @Slot()
    def _on_filter_changed(self, *_: object) -> None:
        self.refresh()
        self.filter_changed.emit()

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()
        if self._suppress or not current.isValid():
            return
        draft_id = current.data(IdRole)
        if draft_id is not None and not self.showing_trash:
            self.draft_selected.emit(int(draft_id))

    def _emit_for(self, signal: Any) -> Any:
        def fire() -> None:
            draft_id = self.selected_id()
            if draft_id is not None:
                signal.emit(int(draft_id))

        return fire

    @Slot()
    def _trash_or_purge(self) -> None:
        draft_id = self.selected_id()
        if draft_id is None:
            return
        (self.purge_requested if self.showing_trash else self.trash_requested).emit(int(draft_id))

    @Slot(object)
    def _on_context_menu(self, pos: Any) -> None:
        idx = self.view.indexAt(pos)
        menu = QMenu(self)
        if idx.isValid():
            self.view.setCurrentIndex(idx)
            did = int(idx.data(IdRole))
            if self.showing_trash:
                menu.addAction(self.tr("Restore"), lambda: self.restore_requested.emit(did))
                menu.addAction(self.tr("Delete forever…"), lambda: self.purge_requested.emit(did))
            else:
                menu.addAction(self.tr("Rename…"), lambda: self.rename_requested.emit(did))
                menu.addAction(self.tr("Duplicate"), lambda: self.duplicate_requested.emit(did))
                menu.addAction(self.tr("Move to Trash"), lambda: self.trash_requested.emit(did))
        if not self.showing_trash:
            menu.addSeparator()
            menu.addAction(self.tr("New draft…"), self.new_requested.emit)
        menu.exec(self.view.viewport().mapToGlobal(pos))


def _sort_key(when: datetime | None) -> float:
    if when is None:
        return 0.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()
