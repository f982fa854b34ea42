"""A writer typing through an input method (ibus, fcitx) while a proposal streams loses nothing.

The proposal is drawn in the editor's pre-edit area (studio/ui/pending.py), which is also where an input method
shows the text it is composing ("ni'hao" before it becomes 你好). Here the real window's editor gets the
QInputMethodEvents an input method sends (a pre-edit string with its underline and cursor, then a commit) while a
proposal streams from the generation controller (a scripted runner that waits after its first token), in both
orders, and each step checks the document, the proposal, and what the writer sees: the composing text, and the
proposal again once the composition is done.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QInputMethodEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication

from studio.domain import Action
from tests.ui.fakes import FakeRunner

_DISPLAY = str.maketrans({"\n": "\u2028"})  # how the overlay lays a proposal's line breaks out in one block


def settle() -> None:
    """Let the editor's zero-delay re-checks run (the overlay puts its text back after Qt's own handling)."""
    for _ in range(5):
        QApplication.processEvents()


def compose(editor: Any, preedit: str) -> None:
    """What an input method sends while the writer composes: the pre-edit text, underlined, caret at its end."""
    fmt = QTextCharFormat()
    fmt.setFontUnderline(True)
    attrs = [
        QInputMethodEvent.Attribute(QInputMethodEvent.AttributeType.TextFormat, 0, len(preedit), fmt),
        QInputMethodEvent.Attribute(QInputMethodEvent.AttributeType.Cursor, len(preedit), 1, None),
    ]
    QCoreApplication.sendEvent(editor, QInputMethodEvent(preedit, attrs))
    settle()


def commit(editor: Any, text: str) -> None:
    """The writer picks a candidate: the composition ends and ``text`` goes into the document."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QCoreApplication.sendEvent(editor, event)
    settle()


def preedit_at_caret(editor: Any) -> str:
    return editor.textCursor().block().layout().preeditAreaText()


def shown_proposal(editor: Any) -> str:
    """The pre-edit text of the block holding the proposal's insertion point."""
    block = editor.document().findBlock(editor.pending.position())
    return block.layout().preeditAreaText()


@pytest.fixture
def streaming(make_window, services, qtbot) -> Iterator[tuple[Any, Any, threading.Event]]:
    gate = threading.Event()
    runner = FakeRunner(block=gate, words=4)
    services.drafts.create("海", "prose", body="First.\nWaves.")
    win = make_window(runner=runner)
    win.editor.setFocus()
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    yield win, qtbot, gate
    gate.set()


def start_continue(win: Any, qtbot: Any) -> Any:
    """Continue at the caret, through the controller's own entry (what Ctrl+Return and the toolbar call)."""
    assert win.generation.start(Action.CONTINUE)
    qtbot.waitUntil(lambda: win.generation.run is not None and win.generation.run.text() != "", timeout=5000)
    settle()
    return win.generation.run


def finish(win: Any, qtbot: Any, gate: threading.Event) -> str:
    gate.set()
    qtbot.waitUntil(lambda: not win.generation.run.streaming, timeout=5000)
    settle()
    return win.generation.run.text()


def assert_proposal_intact(win: Any) -> None:
    ed = win.editor
    assert ed.pending.active and ed.pending.text == win.generation.run.text() != ""


def test_a_proposal_streams_then_the_writer_composes_at_it(streaming) -> None:
    win, qtbot, gate = streaming
    ed = win.editor
    run = start_continue(win, qtbot)
    first = run.text()
    assert shown_proposal(ed) == first.translate(_DISPLAY)

    compose(ed, "ni")
    assert ed.plain_text() == "First.\nWaves."  # a composition is not text yet
    assert_proposal_intact(win)
    assert "ni" in preedit_at_caret(ed), "the writer cannot see what they are composing"
    compose(ed, "ni'hao")
    assert "ni'hao" in preedit_at_caret(ed)

    proposal = finish(win, qtbot, gate)  # the rest streams in while the writer composes
    assert proposal.startswith(first) and len(proposal) > len(first)
    assert_proposal_intact(win)
    assert ed.plain_text() == "First.\nWaves."
    assert "ni'hao" in preedit_at_caret(ed)

    commit(ed, "你好")
    assert ed.plain_text() == "First.\nWaves.你好"
    assert_proposal_intact(win)
    assert win.generation.run.text() == proposal
    assert shown_proposal(ed) == proposal.translate(_DISPLAY)  # the proposal is shown again, after 你好
    assert win.generation.accept()
    assert ed.plain_text() == "First.\nWaves.你好" + proposal


def test_the_writer_composes_then_a_proposal_streams_in(streaming) -> None:
    win, qtbot, gate = streaming
    ed = win.editor
    compose(ed, "ni")
    assert preedit_at_caret(ed) == "ni"  # without a proposal, Qt shows the composition (the baseline)

    run = start_continue(win, qtbot)
    assert ed.plain_text() == "First.\nWaves."
    assert_proposal_intact(win)
    assert "ni" in preedit_at_caret(ed), "the first token of the proposal hid the writer's composition"
    compose(ed, "ni'hao")
    assert "ni'hao" in preedit_at_caret(ed)
    assert run.text() == ed.pending.text

    commit(ed, "你好")
    assert ed.plain_text() == "First.\nWaves.你好"
    assert_proposal_intact(win)
    proposal = finish(win, qtbot, gate)
    assert shown_proposal(ed) == proposal.translate(_DISPLAY)
    assert win.generation.accept()
    assert ed.plain_text() == "First.\nWaves.你好" + proposal


def test_composing_in_another_paragraph_leaves_both_visible(streaming) -> None:
    win, qtbot, gate = streaming
    ed = win.editor
    start_continue(win, qtbot)
    ed.moveCursor(QTextCursor.MoveOperation.Start)
    settle()

    compose(ed, "wo")
    assert ed.plain_text() == "First.\nWaves."
    assert_proposal_intact(win)
    assert preedit_at_caret(ed) == "wo", "the overlay cleared the composition in the first paragraph"
    proposal = finish(win, qtbot, gate)
    assert shown_proposal(ed) == proposal.translate(_DISPLAY)
    assert preedit_at_caret(ed) == "wo"

    commit(ed, "我")
    assert ed.plain_text() == "我First.\nWaves."
    assert preedit_at_caret(ed) == ""
    assert_proposal_intact(win)
    assert shown_proposal(ed) == proposal.translate(_DISPLAY)
    assert win.generation.accept()
    assert ed.plain_text() == "我First.\nWaves." + proposal


def test_a_composition_open_when_a_tab_accept_lands_commits_where_it_was_composed(streaming) -> None:
    win, qtbot, gate = streaming
    ed = win.editor
    start_continue(win, qtbot)
    qtbot.keyClick(ed, Qt.Key.Key_Tab)  # take what came: the run stops, and is accepted once the stop is confirmed
    assert win.generation.run is not None and win.generation.run.accept_when_done
    ed.moveCursor(QTextCursor.MoveOperation.Start)
    settle()
    compose(ed, "wo")  # the writer goes on, in the first paragraph, before the (slow) model has stopped
    gate.set()
    qtbot.waitUntil(lambda: win.generation.run is None, timeout=5000)
    settle()
    accepted = ed.plain_text()
    assert accepted.startswith("First.\nWaves. word0_0")
    commit(ed, "我")
    # The accept must not carry the open composition along to the end of the accepted text.
    assert ed.plain_text() == "我" + accepted
