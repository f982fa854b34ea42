"""The editor's highlighter on a real QTextDocument: what each line of prose and lyrics is drawn as, and the
blank/other state each line leaves for the next (the screenplay rules have their own tests with the window)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFont, QTextDocument

from studio.domain import Form
from studio.ui.highlighter import FormHighlighter, LineState
from studio.ui.theme import load_theme


def _lines(qtbot: Any, form: Form, text: str) -> list[tuple[int, bool, bool, int]]:
    """For each line: its state, whether its first character is bold, italic, and how many formatted ranges."""
    doc = QTextDocument()
    doc.setPlainText(text)
    highlighter = FormHighlighter(doc, form, load_theme("light"))
    highlighter.rehighlight()
    out = []
    block = doc.firstBlock()
    while block.isValid():
        ranges = block.layout().formats()
        first = next((r.format for r in ranges if r.start == 0), None)
        out.append((
            block.userState(),
            first is not None and first.fontWeight() == QFont.Weight.Bold,
            first is not None and first.fontItalic(),
            len(ranges),
        ))
        block = block.next()
    return out


def test_prose_headings_breaks_and_emphasis(qtbot: Any) -> None:
    text = "# 第一章 Harbour\n\nShe said *no* twice.\n* * *\nplain 平常的字"
    heading, blank, emphasis, scene_break, plain = _lines(qtbot, Form.PROSE, text)
    assert heading == (LineState.OTHER, True, False, 1)
    assert blank == (LineState.BLANK, False, False, 0)
    assert emphasis[0] == LineState.OTHER and emphasis[3] >= 1 and not emphasis[1]
    assert scene_break[0] == LineState.OTHER and scene_break[3] == 1
    assert plain == (LineState.OTHER, False, False, 0)


def test_lyrics_sections_headings_and_backing_vocals(qtbot: Any) -> None:
    text = "[Chorus]\n# Song\n(ooh, x2)\n   \n月亮代表我的心"
    section, heading, backing, blank, line = _lines(qtbot, Form.LYRICS, text)
    assert section == (LineState.OTHER, True, False, 1)
    assert heading == (LineState.OTHER, True, False, 1)
    assert backing == (LineState.OTHER, False, True, 1)
    assert blank == (LineState.BLANK, False, False, 0)  # white space only is blank too
    assert line == (LineState.OTHER, False, False, 0)
