"""The draft editor: a QPlainTextEdit (its layout is per block, so 200,000 words stay smooth) with a syllable
gutter for lyrics and poetry, zoom, a centred writing column, a debounced count (字 and words), a CJK fallback
font, and the overlay that shows a model's proposal before it is accepted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QRect, Qt, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontDatabase,
    QInputMethodEvent,
    QKeyEvent,
    QMouseEvent,
    QResizeEvent,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextLayout,
    QWheelEvent,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from studio.domain import Form
from studio.domain.counts import TextCounts, text_counts
from studio.ui import i18n, widgets
from studio.ui.gutter import SyllableGutter
from studio.ui.highlighter import FormHighlighter
from studio.ui.pending import Composition, PendingOverlay
from studio.ui.textpos import u16len
from studio.ui.theme import Theme

log = logging.getLogger(__name__)

DEFAULT_POINT_SIZE = 13
MIN_POINT_SIZE = 7
MAX_POINT_SIZE = 40
COLUMN_CHARS = 76  # a comfortable line length; the column is centred when the window is wider
WORD_COUNT_DELAY_MS = 300
_SEPARATORS = {0x2029: "\n", 0x2028: "\n"}  # paragraph / line separators as stored in a QTextDocument
_COUNT_SLICE = 400  # blocks counted per event-loop turn, so a huge draft never freezes the window
_NOTHING = TextCounts(0, 0)


class WordCounter:
    """Counts a document's words (Han characters and other words apart) after typing pauses, a slice of blocks per
    event-loop turn.

    Each block's count is cached by its text, so after an edit only the changed paragraphs are counted again;
    walking the blocks of a 200,000-word draft then costs a few milliseconds per slice.
    """

    def __init__(self, document: QTextDocument, on_count: Callable[[TextCounts], None]) -> None:
        self._doc = document
        self._on_count = on_count
        self._cache: dict[str, TextCounts] = {}
        self._next: dict[str, TextCounts] = {}
        self._block = QTextBlock()
        self._total = _NOTHING
        self._generation = 0
        # Parented to the document: they must not outlive it (a late tick would walk freed blocks).
        self._debounce = widgets.single_shot_timer(document, WORD_COUNT_DELAY_MS, self._start)
        self._slice = widgets.single_shot_timer(document, 0, self._step)
        self.last = 0
        self.last_counts = _NOTHING

    def schedule(self) -> None:
        self._slice.stop()  # a walk in progress is stale now
        self._debounce.start()

    def count_now(self) -> int:
        self._debounce.stop()
        self._slice.stop()
        self._start()
        while self._slice.isActive():
            self._slice.stop()
            self._step()
        return self.last

    def stop(self) -> None:
        self._debounce.stop()
        self._slice.stop()

    def _start(self) -> None:
        self._block = self._doc.firstBlock()
        self._total = _NOTHING
        self._next = {}
        self._step()

    def _step(self) -> None:
        block = self._block
        cache, nxt = self._cache, self._next
        total = self._total
        for _ in range(_COUNT_SLICE):
            if not block.isValid():
                break
            text = block.text()
            n = nxt.get(text)
            if n is None:
                n = cache.get(text)
                if n is None:
                    n = text_counts(text)
                nxt[text] = n
            total += n
            block = block.next()
        self._total = total
        self._block = block
        if block.isValid():
            self._slice.start()
            return
        self._cache = nxt  # only texts still in the document are kept
        self._next = {}
        self.last = total.total
        self.last_counts = total
        self._on_count(total)


def with_cjk_fallback(font: QFont) -> QFont:
    """``font`` with the installed CJK family (i18n.cjk_font_family) after it: Latin text keeps the writer's face, and
    Chinese is drawn in one face at one line height instead of whatever fontconfig picks per run of characters."""
    cjk = i18n.cjk_font_family()
    families = font.families() or [font.family()]
    if cjk is None or cjk in families:
        return font
    out = QFont(font)
    out.setFamilies([*families, cjk])
    return out


class DraftEditor(QPlainTextEdit):
    """Keyboard-first editor. The window decides what generation keys do through ``key_handler``."""

    word_count_changed = Signal(int)  # every Han character and every other word (count_words)
    counts_changed = Signal(object)  # TextCounts: the same, Han characters and other words apart
    zoom_changed = Signal(int)  # point size
    focus_lost = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editor")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(False)
        self.setCenterOnScroll(False)
        # Lines wrap at the column; a proposal's pre-edit text can make Qt think a line is wider than it is.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._form = Form.PROSE
        self._theme: Theme | None = None
        self._highlighter: FormHighlighter | None = None
        self._point_size = DEFAULT_POINT_SIZE
        self._find_selections: list[QTextEdit.ExtraSelection] = []
        self._marked_range: QTextCursor | None = None
        self._marked_format = QTextCharFormat()
        self.key_handler: Callable[[QKeyEvent], bool] | None = None
        self.gutter = SyllableGutter(self)
        self.gutter.hide()
        self._composition: Composition | None = None
        self.pending = PendingOverlay(self, lambda: self._highlighter, lambda: self._composition)
        self.words = WordCounter(self.document(), self._on_words_counted)
        self.document().contentsChanged.connect(self.words.schedule)
        self.updateRequest.connect(self._on_update_request)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
        font.setPointSize(self._point_size)
        self.setFont(with_cjk_fallback(font))
        self._update_margins()

    # -- content -------------------------------------------------------------------------------------------
    def load(self, text: str, form: Form) -> None:
        """Show a draft: a fresh document state, so undo never crosses from one draft into another."""
        self.pending.clear()
        self._composition = None  # a new document has no pre-edit text
        self.clear_mark()
        self._find_selections = []
        self._apply_extra_selections()
        self.set_form(form)
        # setPlainText resets the undo stack and the modified flag; the highlighter runs once over the text.
        self.setPlainText(text)
        self.document().setModified(False)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    @property
    def form(self) -> Form:
        return self._form

    def set_form(self, form: Form) -> None:
        self._form = form
        if self._highlighter is None:
            if self._theme is not None:
                self._highlighter = FormHighlighter(self.document(), form, self._theme)
        else:
            self._highlighter.set_form(form)
        show_gutter = form in (Form.LYRICS, Form.POETRY)
        self.gutter.setVisible(show_gutter)
        self.gutter.set_show_rhymes(form == Form.LYRICS)
        self._update_margins()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        if self._highlighter is None:
            self._highlighter = FormHighlighter(self.document(), self._form, theme)
        else:
            self._highlighter.set_theme(theme)
        self.gutter.set_theme(theme)
        fmt = QTextCharFormat()
        fmt.setForeground(theme.color("pending"))
        fmt.setBackground(theme.color("pending_background"))
        self.pending.set_format(fmt)
        self._marked_format = QTextCharFormat()
        self._marked_format.setForeground(theme.color("rewrite_original"))
        self._marked_format.setBackground(theme.color("rewrite_original_background"))
        self._marked_format.setFontStrikeOut(True)
        self._apply_extra_selections()

    def highlighter(self) -> FormHighlighter | None:
        return self._highlighter

    # -- marks: the passage a rewrite would replace, find results ------------------------------------------
    def mark_range(self, cursor: QTextCursor) -> None:
        self._marked_range = QTextCursor(cursor)
        self._apply_extra_selections()

    def clear_mark(self) -> None:
        self._marked_range = None
        self._apply_extra_selections()

    def set_find_selections(self, cursors: list[QTextCursor], color: QColor) -> None:
        sels = []
        for c in cursors:
            sel = QTextEdit.ExtraSelection()
            sel.cursor = c
            sel.format.setBackground(color)
            sels.append(sel)
        self._find_selections = sels
        self._apply_extra_selections()

    def _apply_extra_selections(self) -> None:
        sels = list(self._find_selections)
        if self._marked_range is not None and self._marked_range.hasSelection():
            sel = QTextEdit.ExtraSelection()
            sel.cursor = self._marked_range
            sel.format = self._marked_format
            sel.format.setProperty(QTextFormat.Property.FullWidthSelection, False)
            sels.append(sel)
        self.setExtraSelections(sels)

    # -- zoom ----------------------------------------------------------------------------------------------
    @property
    def point_size(self) -> int:
        return self._point_size

    def set_point_size(self, size: int) -> None:
        size = max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, int(size)))
        if size == self._point_size and self.font().pointSize() == size:
            return
        self._point_size = size
        font = QFont(self.font())
        font.setPointSize(size)
        self.setFont(font)
        gfont = QFont(font)
        gfont.setPointSize(max(MIN_POINT_SIZE, size - 3))
        self.gutter.setFont(gfont)
        self._update_margins()
        self.zoom_changed.emit(size)

    def zoom_by(self, steps: int) -> None:
        self.set_point_size(self._point_size + steps)

    def reset_zoom(self) -> None:
        self.set_point_size(DEFAULT_POINT_SIZE)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1 if event.angleDelta().y() > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    # -- layout of the writing column ----------------------------------------------------------------------
    def _update_margins(self) -> None:
        gutter_w = self.gutter.width_needed() if self.gutter.isVisibleTo(self) else 0
        column = self.fontMetrics().averageCharWidth() * COLUMN_CHARS
        free = self.contentsRect().width() - gutter_w - column - self.verticalScrollBar().sizeHint().width()
        pad = max(12, free // 2)
        self.setViewportMargins(pad + gutter_w, 8, pad, 0)
        cr = self.contentsRect()
        self.gutter.setGeometry(QRect(cr.left() + pad, cr.top() + 8, gutter_w, cr.height() - 8))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._update_margins()

    @Slot(QRect, int)
    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if not self.gutter.isVisible():
            return
        if dy:
            self.gutter.scroll(0, dy)
        else:
            self.gutter.update(0, rect.y(), self.gutter.width(), rect.height())

    # -- keys and focus ------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self.key_handler is not None and self.key_handler(event):
            event.accept()
            return
        super().keyPressEvent(event)

    # -- input methods -------------------------------------------------------------------------------------
    def composition(self) -> Composition | None:
        """What an input method is composing now (not in the document yet), or None."""
        return self._composition

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:  # noqa: N802
        # Qt keeps the composition only in the caret block's pre-edit area, which the proposal overlay draws in
        # too: recording it lets the overlay show both, and lets the proposal come back once it is committed.
        with self.pending.input_method_edits():
            super().inputMethodEvent(event)
            self._composition = self._read_composition()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        # A click outside the composition commits or drops it (Qt clears the pre-edit area itself).
        with self.pending.input_method_edits():
            super().mousePressEvent(event)
            comp = self._composition
            if comp is not None:
                layout = comp.block().layout()
                if layout is None or comp.text not in layout.preeditAreaText():
                    self._composition = None

    def held_caret(self) -> tuple[QTextCursor, QTextCursor] | None:
        """While a composition is open, the caret's anchor and position as cursors that text inserted at them does
        not move (else None): an input method commits at the caret, and an accept that moved it would carry the
        writer's typing along. Two cursors: Qt's keepPositionOnInsert holds a cursor's position, not its anchor."""
        if self._composition is None:
            return None
        caret = self.textCursor()
        held = []
        for pos in (caret.anchor(), caret.position()):
            c = QTextCursor(self.document())
            c.setPosition(pos)
            c.setKeepPositionOnInsert(True)
            held.append(c)
        return held[0], held[1]

    def restore_caret(self, held: tuple[QTextCursor, QTextCursor]) -> None:
        caret = QTextCursor(self.document())
        caret.setPosition(held[0].position())
        caret.setPosition(held[1].position(), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(caret)

    def _read_composition(self) -> Composition | None:
        """The pre-edit text Qt has just put in the caret's block (the overlay stepped aside: it is all Qt's)."""
        block = self.textCursor().block()
        layout = block.layout()
        text = layout.preeditAreaText() if layout is not None else ""
        if not text:
            return None
        rel = layout.preeditAreaPosition()
        at = QTextCursor(self.document())
        at.setPosition(block.position() + rel)
        at.setKeepPositionOnInsert(True)
        end = rel + u16len(text)
        formats = []
        for r in layout.formats():
            if r.start >= rel and r.start + r.length <= end:  # the highlighter's own ranges lie outside it
                own = QTextLayout.FormatRange()
                own.start, own.length, own.format = r.start - rel, r.length, r.format
                formats.append(own)
        return Composition(at, text, formats)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        # A popup (completer, context menu) taking focus is not the writer leaving the editor.
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.focus_lost.emit()

    def _on_words_counted(self, counts: TextCounts) -> None:
        self.word_count_changed.emit(counts.total)
        self.counts_changed.emit(counts)

    # -- helpers for the window ----------------------------------------------------------------------------
    def plain_text(self) -> str:
        """The draft as saved. Not toPlainText(), which turns non-breaking spaces into plain ones."""
        return self.document().toRawText().translate(_SEPARATORS)

    def insert_as_one_step(self, position: int, text: str, replace_to: int | None = None) -> QTextCursor:
        """Insert (or replace [position, replace_to)) as one undo step; returns a cursor over the new text."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        if replace_to is not None and replace_to != position:
            cursor.setPosition(replace_to, QTextCursor.MoveMode.KeepAnchor)
        cursor.beginEditBlock()
        start = cursor.selectionStart() if cursor.hasSelection() else cursor.position()
        cursor.insertText(text)
        cursor.endEditBlock()
        result = QTextCursor(self.document())
        result.setPosition(start)
        result.setPosition(start + u16len(text), QTextCursor.MoveMode.KeepAnchor)
        return result
