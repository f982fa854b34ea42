"""Text the model proposes, shown inside the editor without being part of the document.

The proposal is drawn in the pre-edit area of the block layout at the insertion point, the mechanism input
methods use for text that is being composed. So it wraps and flows with the paragraph, but it is not in the
document: it is not saved, not counted, and never enters the undo stack (QTextDocument cannot take an edit out
of its undo history, and turning undo off clears the whole history). Accepting inserts the text for real as one
edit block, so one Ctrl+Z removes all of it.

The insertion point is a QTextCursor, so the writer can keep typing elsewhere and the point moves with the text.

Input methods compose in the same pre-edit area (a Chinese writer types "ni'hao" there before it becomes 你好), one
per block. The editor records each composition (``DraftEditor.inputMethodEvent``) and tells the overlay while Qt
handles one (``input_method_edits``), so the two share a block instead of clobbering each other: a composition at
the insertion point is shown with the proposal after it (where the proposal lands once the composition is
committed); one elsewhere in the proposal's paragraph takes the pre-edit area, and the proposal waits until it is
committed; one in another paragraph is left alone.

Known limit: Qt maps caret positions in a block that holds pre-edit text as if the caret were inside the
composition, so a caret placed *after* the insertion point in the same paragraph would be drawn shifted. While
the writer's caret is there the proposal is hidden (see ``_caret_conflicts``) and it comes back when the caret
leaves.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from PySide6.QtCore import QPoint, QPointF
from PySide6.QtGui import QSyntaxHighlighter, QTextBlock, QTextCharFormat, QTextCursor, QTextLayout, QTextLine
from PySide6.QtWidgets import QPlainTextEdit

from studio.ui import widgets
from studio.ui.textpos import to_index, u16len

log = logging.getLogger(__name__)

_LINE_SEPARATOR = "\u2028"  # a line break inside one layout (a real "\n" would need a new block)


@dataclass
class Composition:
    """What an input method is composing: pre-edit text, not in the document yet, and where it will be committed."""

    # Keeps its position when text is inserted there (an accept at the same point), as Qt's pre-edit area does.
    at: QTextCursor
    text: str
    # Qt's formats for it (the underline), their starts counted from the composition's first character.
    formats: list[QTextLayout.FormatRange] = field(default_factory=list)

    def position(self) -> int:
        return self.at.position()

    def block(self) -> QTextBlock:
        return self.at.block()

    def formats_at(self, rel: int) -> list[QTextLayout.FormatRange]:
        return [_format_range(rel + f.start, f.length, f.format) for f in self.formats]


def _format_range(start: int, length: int, fmt: QTextCharFormat) -> QTextLayout.FormatRange:
    rng = QTextLayout.FormatRange()
    rng.start = start
    rng.length = length
    rng.format = fmt
    return rng


class PendingOverlay:
    def __init__(
        self,
        editor: QPlainTextEdit,
        highlighter: Callable[[], QSyntaxHighlighter | None],
        composition: Callable[[], Composition | None] = lambda: None,
    ) -> None:
        self._editor = editor
        self._highlighter = highlighter
        self._composition = composition
        self._anchor: QTextCursor | None = None
        self._text = ""
        self._format = QTextCharFormat()
        self._marks: list[tuple[int, int, QTextCharFormat]] = []  # stretches of the text drawn apart (token_view)
        # The block whose layout holds the pre-edit text, tracked by a cursor at its start: a QTextBlock kept
        # across edits can point at a block the document has since freed.
        self._shown_at: QTextCursor | None = None
        self._shown_text = ""  # all of that pre-edit text: a composition shown before the proposal included
        self._busy = False  # our own layout changes also emit contentsChange; those are not edits
        # While Qt handles an input-method event the composition is not recorded yet: changes then are only noted,
        # and dealt with once the editor has recorded what Qt did (see input_method_edits).
        self._qt_depth = 0
        self._touched: tuple[int, int] | None = None
        doc = editor.document()
        doc.contentsChange.connect(self._on_contents_change)
        editor.cursorPositionChanged.connect(self._on_caret_moved)
        # The editor's own input-method handling clears a pre-edit area when the caret is clicked or set
        # programmatically; checking again after the event has been handled puts the proposal back.
        self._recheck = widgets.single_shot_timer(editor, 0, self.refresh)

    # -- state ---------------------------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self._anchor is not None

    @property
    def text(self) -> str:
        return self._text

    def position(self) -> int:
        return self._anchor.position() if self._anchor is not None else -1

    def set_format(self, fmt: QTextCharFormat) -> None:
        self._format = QTextCharFormat(fmt)
        self._shown_text = ""  # force a redraw with the new colours
        self.refresh()

    def set_marks(self, marks: list[tuple[int, int, QTextCharFormat]]) -> None:
        """Stretches ``[start, end)`` of the proposal's text drawn with their own format over the proposal's."""
        if marks != self._marks:
            self._marks = marks
            self._shown_text = ""
            self.refresh()

    def index_at(self, point: QPoint) -> int | None:
        """The index in the proposal's text of the character under ``point`` (viewport coordinates), if any."""
        at = self._shown_at
        if at is None:
            return None
        block = at.block()
        layout = block.layout()
        geometry = self._editor.blockBoundingGeometry(block).translated(self._editor.contentOffset())
        local = QPointF(point) - geometry.topLeft() - layout.position()
        comp = self._composition()
        first = layout.preeditAreaPosition() + (u16len(comp.text) if comp is not None and comp.block() == block
                                                else 0)
        display = self._text.replace("\r\n", "\n")
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            if not (line.y() <= local.y() < line.y() + line.height()
                    and line.x() <= local.x() < line.x() + line.naturalTextWidth()):
                continue
            offset = line.xToCursor(local.x(), QTextLine.CursorPosition.CursorOnCharacter) - first
            return to_index(display, offset) if 0 <= offset < u16len(display) else None
        return None

    def start(self, position: int) -> None:
        self.clear()
        cursor = QTextCursor(self._editor.document())
        cursor.setPosition(max(0, min(position, self._editor.document().characterCount() - 1)))
        self._anchor = cursor
        self._text = ""

    def set_text(self, text: str) -> None:
        self._text = text
        self.refresh()

    def clear(self) -> None:
        with self._own_changes():
            self._hide()
        self._anchor = None
        self._text = ""
        self._marks = []

    # -- drawing -------------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _own_changes(self) -> Iterator[None]:
        """Our own layout changes emit contentsChange too; inside this block they are not taken for edits."""
        self._busy = True
        try:
            yield
        finally:
            self._busy = False

    def refresh(self) -> None:
        with self._own_changes():
            self._refresh()

    @contextlib.contextmanager
    def input_method_edits(self) -> Iterator[None]:
        """Around Qt's own handling of an input-method event (or a click, which may end a composition).

        Before: the caret's paragraph shows only the writer's composition, which is what Qt compares the event
        with and replaces. During: the pre-edit changes Qt makes are noted, not undone (the composition is not
        recorded yet). After (the editor has recorded it): blocks the changes touched are checked, and the
        proposal is shown again beside the composition.
        """
        if self._qt_depth == 0:
            at = self._shown_at
            if at is not None and at.block() == self._editor.textCursor().block():
                with self._own_changes():
                    self._hide()
        self._qt_depth += 1
        try:
            yield
        finally:
            self._qt_depth -= 1
            if self._qt_depth == 0:
                touched, self._touched = self._touched, None
                if touched is not None:
                    doc = self._editor.document()
                    target = doc.findBlock(self.position()) if self._anchor is not None else QTextBlock()
                    with self._own_changes():
                        self._clear_stale(doc.findBlock(touched[0]), doc.findBlock(touched[1]), target)
                self.refresh()

    def _refresh(self) -> None:
        if self._anchor is None:
            self._hide()
            return
        pos = self._anchor.position()
        block = self._editor.document().findBlock(pos)
        display = self._text.replace("\r\n", "\n").replace("\n", _LINE_SEPARATOR)
        if not display or self._caret_conflicts(block, pos):
            self._hide()
            return
        if self._shown_at is not None and self._shown_at.block() != block:
            self._hide()
        comp = self._composition()
        if comp is not None and comp.block() != block:
            comp = None
        if comp is not None and comp.position() != pos:
            # One pre-edit area per block: the writer's composition has it until it is committed.
            self._hide()
            return
        prefix = comp.text if comp is not None else ""
        full = prefix + display
        layout = block.layout()
        rel = pos - block.position()
        if (
            self._shown_at is not None
            and self._shown_text == full
            and layout.preeditAreaPosition() == rel
            and layout.preeditAreaText() == full
        ):
            return
        layout.setPreeditArea(rel, full)
        formats = comp.formats_at(rel) if comp is not None else []
        formats.append(_format_range(rel + u16len(prefix), u16len(display), self._format))
        source = self._text.replace("\r\n", "\n")
        for start, end, fmt in self._marks:
            mark = QTextCharFormat(self._format)
            mark.merge(fmt)
            formats.append(_format_range(rel + u16len(prefix) + u16len(source[:start]), u16len(source[start:end]),
                                         mark))
        layout.setFormats(formats)  # also asks the document layout to lay the block out again
        self._shown_at = QTextCursor(block)
        self._shown_text = full
        self._rehighlight(block)
        self._editor.viewport().update()

    def _hide(self) -> None:
        at = self._shown_at
        self._shown_at = None
        self._shown_text = ""
        if at is not None:
            self._take_out(at.block())

    def _take_out(self, block: QTextBlock) -> None:
        """Remove the proposal from ``block``'s pre-edit area; the writer's composition, if it is there, stays."""
        layout = block.layout()
        if layout is None:
            return
        comp = self._composition()
        if comp is not None and comp.block() == block:
            rel = comp.position() - block.position()
            if layout.preeditAreaText() == comp.text and layout.preeditAreaPosition() == rel:
                return
            layout.setPreeditArea(rel, comp.text)
            layout.setFormats(comp.formats_at(rel))
        elif layout.preeditAreaText():
            layout.setPreeditArea(-1, "")
            layout.setFormats([])
        else:
            return
        self._rehighlight(block)
        self._editor.viewport().update()

    def _rehighlight(self, block: QTextBlock) -> None:
        hl = self._highlighter()
        if hl is not None:
            hl.rehighlightBlock(block)  # keeps our range (inside the pre-edit area), shifts its own past it

    def _caret_conflicts(self, block: QTextBlock, pos: int) -> bool:
        caret = self._editor.textCursor()
        start, end = block.position(), block.position() + block.length()
        return any(start <= p < end and p > pos for p in (caret.position(), caret.anchor()))

    # -- keeping up with edits -----------------------------------------------------------------------------
    def _on_contents_change(self, position: int, removed: int, added: int) -> None:
        if self._busy or (self._anchor is None and self._shown_at is None):
            return
        if self._qt_depth:
            lo, hi = position, position + max(added, 0)
            if self._touched is not None:
                lo, hi = min(lo, self._touched[0]), max(hi, self._touched[1])
            self._touched = (lo, hi)
            return
        # A split or merge can leave the pre-edit text on a block that no longer holds the insertion point;
        # only blocks touched by this edit can be affected, so only those are checked.
        doc = self._editor.document()
        block = doc.findBlock(position)
        end = doc.findBlock(position + max(added, 0))
        target = doc.findBlock(self.position()) if self._anchor is not None else QTextBlock()
        with self._own_changes():
            self._clear_stale(block, end, target)
        self._recheck.start()

    def _clear_stale(self, block: QTextBlock, end: QTextBlock, target: QTextBlock) -> None:
        while block.isValid():
            layout = block.layout()
            if layout is not None and layout.preeditAreaText() and block != target:
                self._take_out(block)
                if self._shown_at is not None and block == self._shown_at.block():
                    self._shown_at = None
                    self._shown_text = ""
            if block == end:
                break
            block = block.next()

    def _on_caret_moved(self) -> None:
        if self._anchor is not None:
            self._recheck.start()
