"""Finding a proposal's characters on screen, for the token view's tests (the inverse of PendingOverlay.index_at)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QPointF

from studio.ui.textpos import u16len


def point_of(editor: Any, index: int) -> QPoint:
    """The viewport point in the middle of character ``index`` of the shown proposal."""
    pending = editor.pending
    block = editor.document().findBlock(pending.position())
    layout = block.layout()
    pos = layout.preeditAreaPosition() + u16len(pending.text[:index])
    line = layout.lineForTextPosition(pos)
    left = _x(line.cursorToX(pos))
    right = _x(line.cursorToX(pos + 1))
    geometry = editor.blockBoundingGeometry(block).translated(editor.contentOffset())
    at = geometry.topLeft() + layout.position() + QPointF((left + right) / 2, line.y() + line.height() / 2)
    return at.toPoint()


def _x(value: Any) -> float:
    return float(value[0] if isinstance(value, tuple) else value)


def tinted(editor: Any, color: str) -> list[tuple[int, int]]:
    """The stretches of the proposal's block drawn on ``color`` (layout positions, start and length)."""
    block = editor.document().findBlock(editor.pending.position())
    return [(f.start, f.length) for f in block.layout().formats()
            if f.format.background().color().name() == color]
