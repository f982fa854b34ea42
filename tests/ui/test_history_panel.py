"""Generate -> History in the real window offscreen (a scripted runner, a real data folder): runs with their
alternatives, search, Restore as proposal (then Tab inserts exactly that text, Escape drops it), Delete after a
question."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QTextCursor
from PySide6.QtWidgets import QMessageBox

from tests.ui.fakes import FakeRunner

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def _finished(win) -> bool:
    run = win.generation.run
    return run is not None and not run.streaming


def _generate(win, qtbot, *, alternatives: int = 1) -> list[str]:
    """A Continue (or Alternatives) at the end of the text, left as a proposal and discarded: it stays in the
    history only."""
    win.assistant.alternatives.setValue(alternatives)
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    assert win.ask_alternatives() if alternatives > 1 else win.continue_at_cursor()
    qtbot.waitUntil(lambda: _finished(win) and len(win.generation.run.finished) == alternatives, timeout=10_000)
    texts = list(win.generation.run.texts)
    win.generation.discard()
    return texts


def _open(win, qtbot):
    win.menu_actions.act_history.trigger()
    panel = win.history.dialog.current
    assert panel is not None and panel.isVisible()
    return panel


def test_history_lists_runs_with_alternatives_and_restore_then_tab_inserts_exactly_that(make_window, services, qtbot):
    draft = services.drafts.create("Sea", "prose", body="The sea was calm.")
    win = make_window()
    first = _generate(win, qtbot)
    pair = _generate(win, qtbot, alternatives=2)
    assert win.menu_actions.act_history.shortcut() == QKeySequence("Ctrl+Alt+H")
    clashes = [a.text() for a in win.actions() if a is not win.menu_actions.act_history
               and QKeySequence("Ctrl+Alt+H") in a.shortcuts()]
    assert clashes == []

    panel = _open(win, qtbot)
    tree = panel.tree
    assert tree.topLevelItemCount() == 2  # newest first: the two alternatives, then the single Continue
    newest, older = tree.topLevelItem(0), tree.topLevelItem(1)
    assert newest.childCount() == 2 and older.childCount() == 1
    shown = [newest.child(i).text(2) for i in range(2)]  # one line each, cut with … when long
    assert all(" ".join(t.split()).startswith(s.removesuffix("…")) and s for s, t in zip(shown, pair, strict=True))
    assert newest.text(1) == "Continue" and newest.text(6) == "not accepted"
    assert newest.text(3) == win.generation.model_file and newest.text(4)  # the model and the preset's name

    assert panel.select_output(panel.runs[0].alternatives[1].id)
    assert panel.output.toPlainText() == pair[1]
    body = win.editor.plain_text()
    assert panel.restore_button.isEnabled() and panel.restore_selected()
    assert win.history.dialog.current is None or not panel.isVisible()  # closed: Tab and Escape reach the editor
    assert win.editor.pending.text == pair[1] and win.proposal.isVisible()
    assert win.editor.plain_text() == body  # a proposal, not yet the draft's
    win.activateWindow()
    win.editor.setFocus()
    qtbot.keyClick(win.editor, Qt.Key.Key_Tab)
    assert win.generation.run is None
    assert win.editor.plain_text() == body + pair[1]
    qtbot.waitUntil(lambda: services.drafts.get(draft.id).body == body + pair[1], timeout=5000)
    assert [a.accepted for a in services.history.runs(draft.id)[0].alternatives] == [False, True]

    # The older run's output, restored and dropped with Escape: the draft keeps what it had.
    panel = _open(win, qtbot)
    assert panel.tree.topLevelItem(0).text(6) == "accepted"
    assert panel.select_output(panel.runs[1].alternatives[0].id)
    assert panel.restore_selected() and win.editor.pending.text == first[0]
    qtbot.keyClick(win.editor, Qt.Key.Key_Escape)
    assert win.generation.run is None and win.editor.plain_text() == body + pair[1]


def test_search_filters_runs_and_says_when_nothing_matches(make_window, services, qtbot):
    services.drafts.create("Sea", "prose", body="The sea was calm.")
    win = make_window()
    _generate(win, qtbot, alternatives=2)  # outputs " word0_0 …" and " word1_0 …"
    _generate(win, qtbot)
    panel = _open(win, qtbot)
    assert panel.tree.topLevelItemCount() == 2
    qtbot.keyClicks(panel.search, "WORD1_0")
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 1, timeout=3000)
    assert panel.tree.topLevelItem(0).childCount() == 2  # the run comes whole
    panel.search.setText("玛拉")
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 0, timeout=3000)
    assert "玛拉" in panel.note.text() and not panel.restore_button.isEnabled()
    panel.search.clear()
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 2, timeout=3000)
    panel.reject()


def test_delete_asks_first_and_removes_the_run_with_its_alternatives(make_window, services, dialogs, qtbot):
    draft = services.drafts.create("Sea", "prose", body="The sea was calm.")
    win = make_window()
    _generate(win, qtbot)
    _generate(win, qtbot, alternatives=3)
    panel = _open(win, qtbot)
    panel.select_output(panel.runs[0].alternatives[2].id)

    dialogs.answers["question"] = [QMessageBox.StandardButton.No]  # the writer says No: nothing goes
    assert not panel.delete_selected()
    assert len(services.history.runs(draft.id)) == 2 and panel.tree.topLevelItemCount() == 2
    kind, title, text = dialogs.shown[-1]
    assert kind == "question" and "3 output(s)" in text and "does not change" in text

    dialogs.answers["question"] = [QMessageBox.StandardButton.Yes]
    panel.delete_button.click()
    runs = services.history.runs(draft.id)
    assert len(runs) == 1 and len(runs[0].alternatives) == 1
    assert panel.tree.topLevelItemCount() == 1 and panel.tree.topLevelItem(0).childCount() == 1
    assert services.drafts.get(draft.id).body == "The sea was calm." == win.editor.plain_text()
    panel.reject()


def test_restore_while_a_run_streams_is_refused_with_the_reason(make_window, services, qtbot):
    gate = threading.Event()
    services.drafts.create("Sea", "prose", body="Waves.")
    win = make_window(runner=FakeRunner(block=gate, words=40))
    gate.set()
    _generate(win, qtbot)
    gate.clear()
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    assert win.continue_at_cursor()
    qtbot.waitUntil(lambda: win.generation.run is not None and win.generation.run.text() != "", timeout=5000)
    panel = _open(win, qtbot)
    panel.select_output(panel.runs[-1].alternatives[0].id)
    assert not panel.restore_selected()
    assert panel.isVisible() and "Escape" in panel.note.text()
    assert win.generation.run.streaming  # the run goes on untouched
    panel.reject()
    gate.set()
    qtbot.waitUntil(lambda: _finished(win), timeout=5000)
    win.generation.discard()


def test_with_no_draft_open_history_says_what_to_do(make_window, qtbot):
    win = make_window()
    messages: list[str] = []
    win.generation.message.connect(messages.append)
    win.menu_actions.act_history.trigger()
    assert win.history.dialog.current is None and any("Open or create a draft" in m for m in messages)


def test_restore_with_a_selection_replaces_it_and_keeps_the_passage_as_a_revision(make_window, services, qtbot):
    from studio.domain import RevisionReason

    draft = services.drafts.create("Sea", "prose", body="The sea was calm. Gulls.")
    win = make_window()
    texts = _generate(win, qtbot)
    cursor = win.editor.textCursor()
    cursor.setPosition(len("The sea was calm. "))
    cursor.setPosition(len("The sea was calm. Gulls."), QTextCursor.MoveMode.KeepAnchor)
    win.editor.setTextCursor(cursor)
    panel = _open(win, qtbot)
    assert panel.restore_selected()
    assert win.generation.run.original == "Gulls." and win.editor.pending.text == texts[0]
    win.editor.setFocus()
    qtbot.keyClick(win.editor, Qt.Key.Key_Tab)
    assert win.editor.plain_text() == "The sea was calm. " + texts[0]
    kept = services.drafts.revisions(draft.id)
    assert any(r.reason == RevisionReason.BEFORE_REWRITE and r.body == "The sea was calm. Gulls." for r in kept)
