"""The assistant's Ask tab in the real window (offscreen): an answer streams into the tab through the engine thread
and never into the draft; Insert puts the chosen line (or the whole answer) at the cursor as one undo step; rhymes
come from the tables without the model; answers are kept per draft. The last test asks the real default model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from studio.domain import Action, Form, GenerationRequest
from tests.ui.fakes import FakeRunner

BODY = "The boats came in at dusk. Mara climbed the stairs of the lighthouse."
LINES = ["1. The Keeper", "2. Fog Over Harbour", "3. The Missing Boat"]


class AskingRunner(FakeRunner):
    """Answers an ask with a numbered list, a line at a time (one delta per word)."""

    def _pieces(self, request: GenerationRequest, index: int) -> list[str]:
        if request.action is not Action.ASK:
            return super()._pieces(request, index)
        text = "\n".join(LINES)
        return [w + " " for w in text.split(" ")[:-1]] + [text.split(" ")[-1]]


def _open(win: Any, services: Any, body: str = BODY) -> Any:
    draft = services.drafts.create("Harbour", Form.PROSE, body=body)
    win.library_changed.emit()
    assert win.open_draft(draft.id)
    return draft


def _tab(win: Any) -> Any:
    tabs = win.assistant.tabs
    tabs.setCurrentIndex(tabs.indexOf(win.ask.tab))
    return win.ask.tab


def test_the_answer_streams_into_the_tab_and_insert_puts_a_line_at_the_cursor(make_window, services, qtbot):
    runner = AskingRunner(delay=0.01)
    win = make_window(runner=runner)
    draft = _open(win, services)
    tab = _tab(win)
    assert win.assistant.tabs.tabText(win.assistant.tabs.indexOf(tab)) == "Ask"
    seen: list[str] = []
    win.ask.tab.answer.textChanged.connect(lambda: seen.append(tab.answer.toPlainText()))
    qtbot.keyClicks(tab.question, "Five titles for this")
    with qtbot.waitSignal(win.ask.answered, timeout=10_000) as got:
        qtbot.keyClick(tab.question, Qt.Key.Key_Return)
    assert got.args == ["\n".join(LINES)] and tab.answer.toPlainText() == "\n".join(LINES)
    assert len({s for s in seen if s}) > 3  # it came in pieces, not at the end
    assert win.editor.plain_text() == BODY and not win.is_dirty()  # the document was never touched
    assert win.generation.run is None  # not a proposal either
    asked = [r for r in runner.requests if r.action is Action.ASK]
    assert asked and asked[0].instruction == "Five titles for this" and asked[0].before + asked[0].after == BODY

    # Insert the second line after "dusk." with the editor's cursor there; one undo takes it back.
    at = BODY.index(" Mara")
    cursor = QTextCursor(win.editor.document())
    cursor.setPosition(at)
    win.editor.setTextCursor(cursor)
    caret = QTextCursor(tab.answer.document().findBlockByNumber(1))
    tab.answer.setTextCursor(caret)
    qtbot.mouseClick(tab.insert_line, Qt.MouseButton.LeftButton)
    assert win.editor.plain_text() == BODY[:at] + LINES[1] + BODY[at:]
    assert win.editor.textCursor().position() == at + len(LINES[1])
    win.editor.undo()
    assert win.editor.plain_text() == BODY
    qtbot.mouseClick(tab.insert_answer, Qt.MouseButton.LeftButton)
    assert win.editor.plain_text() == BODY[:at] + "\n".join(LINES) + BODY[at:]

    # Kept with the draft's history, offered again under Earlier answers.
    kept = services.ask.answers(draft.id)
    assert [(a.instruction, a.output) for a in kept] == [("Five titles for this", "\n".join(LINES))]
    assert tab.earlier.count() == 1 and tab.earlier.itemText(0) == "Five titles for this"


def test_rhymes_come_from_the_tables_and_quick_asks_follow_the_draft(make_window, services, qtbot):
    runner = AskingRunner()
    win = make_window(runner=runner)
    _open(win, services, body="床前明月光")
    tab = _tab(win)
    assert [b.text() for b in tab.quick_buttons][0] == "五个标题"  # a Chinese draft asks in Chinese
    rhymes = next(b for b in tab.quick_buttons if b.property("quickAsk") == "rhymes")
    cursor = QTextCursor(win.editor.document())
    cursor.movePosition(QTextCursor.MoveOperation.End)
    win.editor.setTextCursor(cursor)
    with qtbot.waitSignal(win.ask.answered, timeout=5_000) as got:
        qtbot.mouseClick(rhymes, Qt.MouseButton.LeftButton)
    assert tab.question.text() == "光的韵脚"
    assert "十三辙 江阳：" in got.args[0] and "霜" in got.args[0]
    assert not [r for r in runner.requests if r.action is Action.ASK]  # the model was not asked
    assert win.editor.plain_text() == "床前明月光"

    _open(win, services, body="The night was bright")
    assert [b.text() for b in tab.quick_buttons][0] == "Five titles for this"
    tab.question.clear()
    qtbot.keyClicks(tab.question, "rhymes for 'light'")
    with qtbot.waitSignal(win.ask.answered, timeout=5_000) as got:
        qtbot.mouseClick(tab.ask_button, Qt.MouseButton.LeftButton)
    assert "night" in got.args[0] and "kite" in got.args[0]
    assert tab.earlier.count() == 1  # this draft's own answers only


def test_the_tab_asks_the_real_model(make_window, services, qtbot, default_model_path: Path):
    from studio.services.generation import ModelRunner

    win = make_window(runner_factory=lambda: ModelRunner(services.paths), model=str(default_model_path),
                      wait_model=False)
    qtbot.waitUntil(lambda: win.model_info is not None, timeout=240_000)
    draft = _open(win, services)
    tab = _tab(win)
    qtbot.keyClicks(tab.question, "Names for a lighthouse keeper")
    with qtbot.waitSignal(win.ask.answered, timeout=180_000) as got:
        qtbot.mouseClick(tab.ask_button, Qt.MouseButton.LeftButton)
    answer = got.args[0]
    assert answer.startswith("1.") and len(answer.strip()) > 3, answer
    assert tab.answer.toPlainText() == answer
    assert win.editor.plain_text() == BODY and services.drafts.get(draft.id).body == BODY
    kept = services.ask.answers(draft.id)
    assert kept and kept[0].output == answer and kept[0].model_file == default_model_path.name


def test_the_ask_tab_fits_the_panel_in_both_languages(make_window, services, qtbot):
    """The quick asks are whole questions: in one row they pushed the tab wider than the panel, so the answer and
    the buttons were cut off behind a sideways scroll bar (seen in the Ask screenshot at 1280x800)."""
    win = make_window()
    win.resize(1280, 800)
    for body in (BODY, "灯塔在海边。玛拉爬上楼梯，风很大。"):
        _open(win, services, body=body)
        tab = _tab(win)
        qtbot.wait(50)
        panel = win.assistant
        assert len(tab.quick_buttons) == 5
        assert panel.horizontalScrollBar().maximum() == 0, "the Ask tab is wider than the assistant panel"
        right = panel.viewport().width()
        for b in tab.quick_buttons:
            assert b.isVisible() and b.mapTo(panel.viewport(), b.rect().topRight()).x() <= right, b.text()
