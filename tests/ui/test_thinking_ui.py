"""A model that thinks before it answers, in the window: the proposal bar says "thinking…" while the reasoning
streams (the runner is a fake that sends Thinking events, the UI logic is what is tested here; the engines' side
runs on real models in tests/engine/test_thinking.py), the reasoning never reaches the proposal or the draft, and
it stays folded in the bar's tooltip."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from studio.domain import Action, GenerationEvent, GenerationRequest, Thinking
from tests.ui.fakes import FakeRunner

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
REASONING = ["The writer wants ", "it more vivid; ", "keep the night."]


class ThinkingRunner(FakeRunner):
    """Reasons first (Thinking pieces), waits at ``gate`` while the window shows it, then answers as FakeRunner."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.thought = threading.Event()

    def _events(self, request: GenerationRequest, cancel: threading.Event) -> Iterator[GenerationEvent]:
        for piece in REASONING:
            yield Thinking(piece, 0)
        self.thought.set()
        self.gate.wait(10)
        yield from super()._events(request, cancel)


def test_the_bar_says_thinking_while_the_model_reasons_and_the_reasoning_never_lands(make_window, services, qtbot):
    draft = services.drafts.create("Storm", "prose", body="The night was dark and full of rain.")
    runner = ThinkingRunner()
    win = make_window(runner=runner)
    ed = win.editor
    cursor = ed.textCursor()
    cursor.setPosition(4)
    cursor.setPosition(9, QTextCursor.MoveMode.KeepAnchor)  # "night"
    ed.setTextCursor(cursor)
    qtbot.keyClick(ed, Qt.Key.Key_Return, CTRL | SHIFT)
    try:
        qtbot.waitUntil(lambda: win.proposal.label.text() == "Rewrite: thinking…", timeout=5000)
        run = win.generation.run
        assert run is not None and run.action == Action.REWRITE
        # Batched like text (worker.EMIT_INTERVAL_S): the first piece at once, the rest with the next batch.
        assert run.thought() and "".join(REASONING).startswith(run.thought()) and run.text() == ""
        assert ed.pending.text == "" and not win.proposal.diff.toPlainText()
        assert run.thought().strip() in win.proposal.label.toolTip()
    finally:
        runner.gate.set()
    qtbot.waitUntil(lambda: not win.generation.run.streaming, timeout=5000)
    assert win.proposal.label.text().startswith("Rewrite: done"), win.proposal.label.text()
    assert win.generation.run.text() == "Alt0 rewritten: NIGHT" == ed.pending.text
    assert win.generation.run.thought() == "".join(REASONING)
    assert "keep the night." in win.proposal.label.toolTip()
    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    assert ed.plain_text() == "The Alt0 rewritten: NIGHT was dark and full of rain."
    assert not any(word in ed.plain_text() for word in ("writer wants", "vivid", "keep the"))
    (record,) = services.generation.history(draft.id)
    assert record.accepted and record.output == "Alt0 rewritten: NIGHT"


def test_before_the_first_token_the_bar_waits_rather_than_claims_thinking(make_window, services, qtbot):
    services.drafts.create("Storm", "prose", body="The night was dark.")
    runner = FakeRunner()
    runner.block = threading.Event()  # holds the run after its first piece
    win = make_window(runner=runner)
    ed = win.editor
    ed.moveCursor(QTextCursor.MoveOperation.End)
    states: list[str] = []
    win.generation.run_updated.connect(lambda: states.append(win.proposal.label.text()))
    qtbot.keyClick(ed, Qt.Key.Key_Return, CTRL)
    try:
        qtbot.waitUntil(lambda: win.proposal.label.text() == "Continue: writing…", timeout=5000)
    finally:
        runner.block.set()
    qtbot.waitUntil(lambda: not win.generation.run.streaming, timeout=5000)
    assert "Continue: thinking…" not in states, states  # a model that does not reason never "thinks"
    assert states[0] == "Continue: waiting for the model…", states
