"""The syllable gutter beside a lyrics or poetry draft: each visible line's syllable count (characters for Chinese)
and, for lyrics, its end-rhyme letter, like a line-number area.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QRect, QSize, Qt, QTimer, Slot
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QTextBlock
from PySide6.QtWidgets import QWidget

from studio.ui import operations
from studio.ui.highlighter import is_section_label
from studio.ui.theme import Theme

if TYPE_CHECKING:
    from studio.ui.editor import DraftEditor  # the editor owns its gutter

log = logging.getLogger(__name__)


class SyllableGutter(QWidget):
    """Syllable counts (and end-rhyme letters for lyrics) beside each visible line, like a line-number area.

    Only visible blocks are counted, each line once per distinct text, so scrolling a long poem stays cheap.
    """

    _ready = threading.Event()  # the pronunciation dictionary loads once, off the UI thread
    _warming = False

    def __init__(self, editor: DraftEditor) -> None:
        super().__init__(editor)
        self._editor = editor
        self._counts: OrderedDict[str, tuple[int, bool]] = OrderedDict()
        self._rhymes: OrderedDict[tuple[str, ...], list[str | None]] = OrderedDict()
        self._show_rhymes = False
        self._theme: Theme | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(100)
        self._poll.timeout.connect(self._on_poll_timeout)
        self._warm_up()

    # The CMU dictionary takes about a second to load; doing that on the UI thread at the first repaint would
    # freeze the window, so a background operation loads it and the gutter shows counts once it is ready.
    @classmethod
    def _warm_up(cls) -> None:
        if cls._ready.is_set() or cls._warming:
            return
        cls._warming = True

        def load() -> None:
            try:
                from studio.forms import counting

                counting.cmu_dict()
            except Exception:  # noqa: BLE001 - counts then fall back to estimates, which is no failure to report
                log.exception("pronunciation dictionary could not be loaded")
            finally:
                cls._ready.set()

        title = QCoreApplication.translate("SyllableGutter", "Syllable counts")
        operations.shared().run_in_background(load, key="cmudict-warm-up", title=title)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def set_show_rhymes(self, show: bool) -> None:
        self._show_rhymes = show
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.width_needed(), 0)

    def width_needed(self) -> int:
        fm = self.fontMetrics()
        return fm.horizontalAdvance("88 AB") + 14

    def showEvent(self, event: object) -> None:  # noqa: N802
        if not self._ready.is_set():
            self._poll.start()

    @Slot()
    def _on_poll_timeout(self) -> None:
        if self._ready.is_set():
            self._poll.stop()
            self.update()

    def _count(self, text: str) -> tuple[int, bool]:
        hit = self._counts.get(text)
        if hit is not None:
            self._counts.move_to_end(text)
            return hit
        from studio.forms.counting import count_line

        lc = count_line(text)
        value = (lc.syllables, lc.estimated)
        self._counts[text] = value
        if len(self._counts) > 4000:
            self._counts.popitem(last=False)
        return value

    def _stanza_rhymes(self, block: QTextBlock) -> dict[int, str]:
        """Rhyme letters for the stanza around ``block`` (lines between blank lines), keyed by block number."""
        from studio.forms.rhyme import rhyme_labels

        def in_stanza(b: QTextBlock) -> bool:
            return b.isValid() and bool(b.text().strip()) and not is_section_label(b.text())

        start = block
        while in_stanza(start.previous()):
            start = start.previous()
        lines: list[str] = []
        numbers: list[int] = []
        b = start
        while in_stanza(b) and len(lines) < 64:
            lines.append(b.text())
            numbers.append(b.blockNumber())
            b = b.next()
        key = tuple(lines)
        labels = self._rhymes.get(key)
        if labels is None:
            labels = rhyme_labels(lines)
            self._rhymes[key] = labels
            if len(self._rhymes) > 256:
                self._rhymes.popitem(last=False)
        return {n: lab for n, lab in zip(numbers, labels, strict=False) if lab}

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        theme = self._theme
        bg = theme.color("gutter_background") if theme else self.palette().window().color()
        fg = theme.color("gutter") if theme else self.palette().placeholderText().color()
        warn = theme.color("gutter_estimated") if theme else QColor("#c08a3e")
        painter.fillRect(event.rect(), bg)
        if not self._ready.is_set():
            return
        editor = self._editor
        block = editor.firstVisibleBlock()
        offset = editor.contentOffset()
        top = editor.blockBoundingGeometry(block).translated(offset).top()
        bottom = top + editor.blockBoundingRect(block).height()
        fm = self.fontMetrics()
        rhymes: dict[int, str] = {}
        while block.isValid() and top <= event.rect().bottom():
            text = block.text()
            if block.isVisible() and bottom >= event.rect().top() and text.strip() and not is_section_label(text):
                syllables, estimated = self._count(text)
                if self._show_rhymes and block.blockNumber() not in rhymes:
                    rhymes.update(self._stanza_rhymes(block))
                label = str(syllables) if syllables else ""
                letter = rhymes.get(block.blockNumber(), "")
                painter.setPen(warn if estimated else fg)
                layout = block.layout()
                line_h = int(layout.lineAt(0).height()) if layout is not None and layout.lineCount() else fm.height()
                # Centred on the block's first line, so the smaller gutter font sits level with the text.
                rect = QRect(0, int(top), self.width() - 6, line_h)
                painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                                 f"{label} {letter}".strip() if letter else label)
            block = block.next()
            top = bottom
            bottom = top + editor.blockBoundingRect(block).height()
