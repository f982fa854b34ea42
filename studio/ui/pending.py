"""Text the model proposes, shown inside the editor without being part of the document.

The proposal is drawn in the pre-edit area of the block layout at the insertion point, the mechanism input
methods use for text that is being composed. So it wraps and flows with the paragraph, but it is not in the
document: it is not saved, not counted, and never enters the undo stack (QTextDocument cannot take an edit out
of its undo history, and turning undo off clears the whole history). Accepting inserts the text for real as one
edit block, so one Ctrl+Z removes all of it.

The insertion point is a QTextCursor, so the writer can keep typing elsewhere and the point moves with the text.

Known limit: Qt maps caret positions in a block that holds pre-edit text as if the caret were inside the
composition, so a caret placed *after* the insertion point in the same paragraph would be drawn shifted. While
the writer's caret is there the proposal is hidden (see ``_caret_conflicts``) and it comes back when the caret
leaves.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator

from PySide6.QtGui import QSyntaxHighlighter, QTextBlock, QTextCharFormat, QTextCursor, QTextLayout
from PySide6.QtWidgets import QPlainTextEdit

from studio.ui import widgets
from studio.ui.textpos import u16len

log = logging.getLogger(__name__)

_LINE_SEPARATOR = "\u2028"  # a line break inside one layout (a real "\n" would need a new block)


class PendingOverlay:
    def __init__(self, editor: QPlainTextEdit, highlighter: Callable[[], QSyntaxHighlighter | None]) -> None:
        self._editor = editor
        self._highlighter = highlighter
        self._anchor: QTextCursor | None = None
        self._text = ""
        self._format = QTextCharFormat()
        # The block whose layout holds the pre-edit text, tracked by a cursor at its start: a QTextBlock kept
        # across edits can point at a block the document has since freed.
        self._shown_at: QTextCursor | None = None
        self._shown_text = ""
        self._busy = False  # our own layout changes also emit contentsChange; those are not edits
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
        layout = block.layout()
        rel = pos - block.position()
        if (
            self._shown_at is not None
            and self._shown_text == display
            and layout.preeditAreaPosition() == rel
            and layout.preeditAreaText() == display
        ):
            return
        layout.setPreeditArea(rel, display)
        rng = QTextLayout.FormatRange()
        rng.start = rel
        rng.length = u16len(display)
        rng.format = self._format
        layout.setFormats([rng])  # also asks the document layout to lay the block out again
        self._shown_at = QTextCursor(block)
        self._shown_text = display
        self._rehighlight(block)
        self._editor.viewport().update()

    def _hide(self) -> None:
        at = self._shown_at
        self._shown_at = None
        self._shown_text = ""
        if at is None:
            return
        block = at.block()
        layout = block.layout()
        if layout is not None and layout.preeditAreaText():
            layout.setPreeditArea(-1, "")
            layout.setFormats([])
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
                layout.setPreeditArea(-1, "")
                layout.setFormats([])
                if self._shown_at is not None and block == self._shown_at.block():
                    self._shown_at = None
                    self._shown_text = ""
            if block == end:
                break
            block = block.next()

    def _on_caret_moved(self) -> None:
        if self._anchor is not None:
            self._recheck.start()
