"""More of the input-method cases (tests/ui/test_input_method.py has the first four): a composition at the
proposal's insertion point when a Tab accept lands, and one elsewhere in the proposal's own paragraph, where Qt has a
single pre-edit area for both."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from tests.ui import test_input_method
from tests.ui.test_input_method import commit, compose, finish, preedit_at_caret, settle, shown_proposal, start_continue

streaming = test_input_method.streaming  # the same fixture: a window whose proposal streams until the gate opens


def test_a_composition_at_the_insertion_point_commits_before_the_accepted_text(streaming) -> None:
    win, qtbot, gate = streaming
    ed = win.editor
    start_continue(win, qtbot)
    proposal = finish(win, qtbot, gate)
    compose(ed, "ni")
    assert preedit_at_caret(ed).startswith("ni")  # shown first: where it will go
    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    assert win.generation.run is None
    assert ed.plain_text() == "First.\nWaves." + proposal
    assert preedit_at_caret(ed) == "ni"  # still open, still the writer's
    commit(ed, "你")
    assert ed.plain_text() == "First.\nWaves.你" + proposal


def test_a_composition_earlier_in_the_proposal_s_paragraph_has_the_pre_edit_area_until_committed(streaming) -> None:
    win, qtbot, gate = streaming
    ed = win.editor
    start_continue(win, qtbot)
    proposal = finish(win, qtbot, gate)
    caret = ed.textCursor()
    caret.movePosition(QTextCursor.MoveOperation.StartOfBlock)
    ed.setTextCursor(caret)
    settle()
    assert shown_proposal(ed) == proposal  # the caret before the insertion point: the proposal stays shown

    compose(ed, "hai")
    assert preedit_at_caret(ed) == "hai"  # one pre-edit area per paragraph: the composition has it
    assert ed.pending.active and ed.pending.text == proposal
    commit(ed, "海")
    assert ed.plain_text() == "First.\n海Waves."
    assert shown_proposal(ed) == proposal
    assert win.generation.accept()
    assert ed.plain_text() == "First.\n海Waves." + proposal
