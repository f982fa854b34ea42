"""Find and replace under the editor (Ctrl+F, Ctrl+H). Uses QTextDocument.find, which runs in C++."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget

from studio.ui import widgets
from studio.ui.editor import DraftEditor

MAX_HIGHLIGHTS = 500  # more would cost more than it shows


class FindBar(QWidget):
    opened = Signal()
    closed = Signal()

    def __init__(self, editor: DraftEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        self.find_field = widgets.field(self.tr("Find"))
        self.replace_field = widgets.field(self.tr("Replace with"))
        self.case = QCheckBox(self.tr("&Match case"))
        self.words = QCheckBox(self.tr("Whole &words"))
        self.prev_button = widgets.tool_button("↑", self.tr("Previous (Shift+Enter)"), self.find_previous)
        self.next_button = widgets.tool_button("↓", self.tr("Next (Enter, F3)"), self.find_next)
        self.replace_button = widgets.push_button(self.tr("Replace"), self.replace_one)
        self.replace_all_button = widgets.push_button(self.tr("Replace all"), self.replace_all)
        self.count = QLabel("")
        close = widgets.tool_button("✕", self.tr("Close (Escape)"), self.close_bar)
        for w in (self.find_field, self.prev_button, self.next_button, self.replace_field, self.replace_button,
                  self.replace_all_button, self.case, self.words, self.count):
            lay.addWidget(w)
        lay.addStretch(1)
        lay.addWidget(close)
        # Typing, or changing what counts as a match, searches again; Enter goes on as the buttons beside it do.
        for changed in (self.find_field.textChanged, self.case.toggled, self.words.toggled):
            changed.connect(self._on_query_changed)
        self.find_field.returnPressed.connect(self.find_next)
        self.replace_field.returnPressed.connect(self.replace_one)
        self.hide()

    def open_bar(self, *, replace: bool) -> None:
        cursor = self._editor.textCursor()
        if cursor.hasSelection() and "\u2029" not in cursor.selectedText():
            self.find_field.setText(cursor.selectedText())
        self.replace_field.setVisible(replace)
        self.replace_button.setVisible(replace)
        self.replace_all_button.setVisible(replace)
        self.show()
        self.find_field.setFocus()
        self.find_field.selectAll()
        self._highlight()
        self.opened.emit()

    @Slot()
    def close_bar(self) -> None:
        self._editor.set_find_selections([], self.palette().highlight().color())
        self.hide()
        self._editor.setFocus()
        self.closed.emit()

    def _flags(self, backward: bool = False) -> QTextDocument.FindFlag:
        flags = QTextDocument.FindFlag(0)
        if self.case.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        if self.words.isChecked():
            flags |= QTextDocument.FindFlag.FindWholeWords
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        return flags

    @Slot()
    def find_next(self) -> bool:
        return self._find(backward=False)

    @Slot()
    def find_previous(self) -> bool:
        return self._find(backward=True)

    def _find(self, *, backward: bool) -> bool:
        query = self.find_field.text()
        if not query:
            return False
        doc = self._editor.document()
        found = doc.find(query, self._editor.textCursor(), self._flags(backward))
        if found.isNull():  # wrap around
            start = QTextCursor(doc)
            if backward:
                start.movePosition(QTextCursor.MoveOperation.End)
            found = doc.find(query, start, self._flags(backward))
        if found.isNull():
            self.count.setText(self.tr("Not found"))
            return False
        self._editor.setTextCursor(found)
        self._editor.ensureCursorVisible()
        return True

    @Slot()
    def replace_one(self) -> None:
        cursor = self._editor.textCursor()
        query = self.find_field.text()
        if cursor.hasSelection() and _same(cursor.selectedText(), query, self.case.isChecked()):
            cursor.insertText(self.replace_field.text())
        self.find_next()
        self._highlight()

    @Slot()
    def replace_all(self) -> int:
        query = self.find_field.text()
        if not query:
            return 0
        doc = self._editor.document()
        cursor = QTextCursor(doc)
        edit = QTextCursor(doc)
        edit.beginEditBlock()  # one Ctrl+Z undoes the whole replace-all
        n = 0
        while True:
            cursor = doc.find(query, cursor, self._flags())
            if cursor.isNull():
                break
            cursor.insertText(self.replace_field.text())
            n += 1
        edit.endEditBlock()
        self._highlight()
        self.count.setText(self.tr("%n replaced", "", n))  # after the highlight, whose count would hide it
        return n

    @Slot()
    def _on_query_changed(self, *_: object) -> None:
        self._highlight()

    def _highlight(self) -> None:
        query = self.find_field.text()
        doc = self._editor.document()
        matches: list[QTextCursor] = []
        if query:
            cursor = QTextCursor(doc)
            while len(matches) < MAX_HIGHLIGHTS:
                cursor = doc.find(query, cursor, self._flags())
                if cursor.isNull():
                    break
                matches.append(QTextCursor(cursor))
        theme = getattr(self._editor, "_theme", None)
        color = theme.color("find_match") if theme is not None else self.palette().highlight().color()
        self._editor.set_find_selections(matches, color)
        if not query:
            self.count.setText("")
        elif not matches:
            self.count.setText(self.tr("Not found"))
        elif len(matches) >= MAX_HIGHLIGHTS:  # counting stopped there
            self.count.setText(self.tr("%n+ found", "", len(matches)))
        else:
            self.count.setText(self.tr("%n found", "", len(matches)))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:  # the line edits leave Escape to us
            self.close_bar()
            return
        shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and shift:
            self.find_previous()
            return
        super().keyPressEvent(event)


def _same(a: str, b: str, case: bool) -> bool:
    return a == b if case else a.casefold() == b.casefold()
