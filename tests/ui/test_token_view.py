"""The token view's window logic (issue 15) with a scripted runner that reports token probabilities: the toggles
and what a run asks for, the hover text, the list a click opens, a chosen alternative written on from as a new
alternative of the run, the tint, and tokens kept through the worker's batching. The real model drives the same
paths in tests/ui/test_token_view_real.py."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip

from studio.domain import (
    EngineCapabilities,
    Finished,
    GenerationEvent,
    GenerationRequest,
    GenerationStats,
    StopReason,
    TextDelta,
    TokenAlternatives,
)
from studio.ui import token_view
from studio.ui.worker import _merge
from tests.ui.fakes import FakeRunner
from tests.ui.token_view_helpers import point_of, tinted

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
WORDS = [(" The", 0.9), (" lamp", 0.04), (" flickered", 0.6), (".", 0.95)]


class TokenRunner(FakeRunner):
    """Streams WORDS (after a forced prefix), each token with its probability, three alternatives and its span."""

    capabilities = EngineCapabilities(logprobs=True)

    def _events(self, request: GenerationRequest, cancel: threading.Event) -> Iterator[GenerationEvent]:
        text = request.forced_prefix
        tokens: list[TokenAlternatives] = []
        for n, (word, prob) in enumerate(WORDS):
            start = len(text)
            text += word
            top = ((word, prob), (" alt", 0.1), (" \ufffd", 0.05)) if request.logprobs else ()
            token = (TokenAlternatives(word, prob, top, start, len(text)),) if request.logprobs else ()
            tokens.extend(token)
            yield TextDelta((request.forced_prefix if n == 0 else "") + word, 0, token)
            if n == 0 and self.block is not None:
                self.block.wait(10)
        yield Finished(text, GenerationStats(generated_tokens=len(WORDS), stop_reason=StopReason.STOP), 0,
                       tuple(tokens))


def _run(win: Any, qtbot: Any) -> Any:
    ed = win.editor
    ed.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(ed, Qt.Key.Key_Return, CTRL)
    run = win.generation.run
    qtbot.waitUntil(lambda: not run.streaming, timeout=5000)
    return run


def test_the_toggles_decide_what_a_run_asks_for_and_are_kept(make_window, services, qtbot) -> None:
    services.drafts.create("Lamp", "prose", body="The keeper climbed the stairs.")
    runner = TokenRunner()
    win = make_window(runner=runner)
    view = win.token_view
    assert not view.act_on.isChecked() and not view.act_tint.isChecked()
    run = _run(win, qtbot)
    assert runner.requests[-1].logprobs == 0 and run.tokens == [[]]  # off: nothing asked, nothing kept
    view.act_on.setChecked(True)
    assert win.settings.get(token_view.KEY_ON) is True
    _run(win, qtbot)
    assert runner.requests[-1].logprobs == token_view.DEFAULT_K
    win.settings.set(token_view.KEY_K, 25)
    _run(win, qtbot)
    assert runner.requests[-1].logprobs == 10  # k up to 10
    view.act_on.setChecked(False)
    view.act_tint.setChecked(True)  # the tint needs the probabilities too
    _run(win, qtbot)
    assert runner.requests[-1].logprobs == 10
    view.act_tint.setChecked(False)
    _run(win, qtbot)
    assert runner.requests[-1].logprobs == 0
    # An engine that cannot say is not asked.
    type(runner).capabilities = EngineCapabilities(logprobs=False)
    try:
        view.act_on.setChecked(True)
        _run(win, qtbot)
        assert runner.requests[-1].logprobs == 0
    finally:
        type(runner).capabilities = EngineCapabilities(logprobs=True)


def test_hover_shows_the_token_and_its_alternatives_while_streaming_and_after(make_window, services, qtbot) -> None:
    services.drafts.create("Lamp", "prose", body="The keeper climbed the stairs.")
    block = threading.Event()
    win = make_window(runner=TokenRunner(block=block))
    win.token_view.act_on.setChecked(True)
    ed = win.editor
    ed.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(ed, Qt.Key.Key_Return, CTRL)
    run = win.generation.run
    qtbot.waitUntil(lambda: run.text() == " The", timeout=5000)
    assert run.streaming
    streaming_tip = win.token_view.tooltip_at(point_of(ed, 1))
    assert "The" in streaming_tip and "90.0%" in streaming_tip
    block.set()
    qtbot.waitUntil(lambda: not run.streaming, timeout=5000)
    point = point_of(ed, run.text().index("lamp") + 1)
    tip = win.token_view.tooltip_at(point)
    assert "lamp" in tip and "4.0%" in tip and "alt" in tip and "10.0%" in tip
    # The real tooltip event shows the same text.
    QApplication.sendEvent(ed.viewport(), QHelpEvent(QEvent.Type.ToolTip, point, ed.viewport().mapToGlobal(point)))
    assert "lamp" in QToolTip.text()
    assert win.token_view.tooltip_at(QPoint(2, 2)) == ""  # the writer's own text has no tokens
    win.token_view.act_on.setChecked(False)
    assert win.token_view.tooltip_at(point) == ""


def test_choosing_an_alternative_writes_on_from_it_as_a_new_alternative(make_window, services, qtbot) -> None:
    draft = services.drafts.create("Lamp", "prose", body="The keeper climbed the stairs.")
    runner = TokenRunner()
    win = make_window(runner=runner)
    win.token_view.act_on.setChecked(True)
    run = _run(win, qtbot)
    ed = win.editor
    first = run.text()
    assert first == " The lamp flickered."
    qtbot.mouseClick(ed.viewport(), Qt.MouseButton.LeftButton, pos=point_of(ed, first.index("lamp")))
    menu = win.token_view.menu
    assert menu is not None
    actions = menu.actions()
    assert [a.isChecked() for a in actions] == [True, False, False]
    assert not actions[2].isEnabled()  # half a character: nothing to write on from
    assert ed.textCursor().position() == len(draft.body)  # the click did not move the caret
    actions[1].trigger()
    qtbot.waitUntil(lambda: len(runner.requests) == 2, timeout=5000)  # the engine thread takes it
    assert runner.requests[-1].forced_prefix == " The alt"
    qtbot.waitUntil(lambda: not run.streaming, timeout=5000)
    assert win.generation.run is run and run.n == 2 and run.current == 1
    assert run.text().startswith(" The alt") and run.texts[0] == first
    assert [t.start for t in run.tokens[1]][0] == len(" The alt")
    kept = services.history.runs(draft.id)[0].alternatives  # kept in the history like any alternative
    assert [(r.alternative_index, r.output) for r in kept] == [(0, first), (1, run.text())]
    qtbot.keyClick(ed, Qt.Key.Key_Left, ALT)
    assert run.current == 0 and ed.pending.text == first
    qtbot.keyClick(ed, Qt.Key.Key_Right, ALT)
    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    assert ed.plain_text() == draft.body + " The alt" + first  # the fake writes its words after the prefix


def test_the_list_names_the_token_written_when_it_is_not_among_the_k(make_window, services, qtbot) -> None:
    """On the real model a clicked token was often not among its top 5 (seen in the token screenshot): the list
    then ends with the token written and its probability, checked and not choosable."""
    services.drafts.create("Lamp", "prose", body="The keeper climbed the stairs.")
    win = make_window(runner=TokenRunner())
    win.token_view.act_on.setChecked(True)
    run = _run(win, qtbot)
    token = next(t for t in run.tokens[0] if t.text == " lamp")
    outside = TokenAlternatives(token.text, token.prob, ((" alt", 0.5), (" oil", 0.2)), token.start, token.end)
    menu = win.token_view.open_list(outside, win.editor.mapToGlobal(QPoint(10, 10)))
    actions = menu.actions()
    assert [a.isSeparator() for a in actions] == [False, False, True, False]
    assert [a.isChecked() for a in actions[:2]] == [False, False]
    written = actions[3]
    assert "lamp" in written.text() and "4.0%" in written.text() and written.isChecked()
    assert not written.isEnabled()
    menu.close()
    # A token that itself reads "%2" stays as written (one pass over the placeholders, as QString.arg).
    odd = TokenAlternatives("%2x", 0.04, ((" alt", 0.5),), token.start, token.end)
    menu = win.token_view.open_list(odd, win.editor.mapToGlobal(QPoint(10, 10)))
    assert menu.actions()[-1].text() == "%2x\t4.0% (written)"
    menu.close()


def test_the_tint_marks_unlikely_tokens_only_when_on(make_window, services, qtbot) -> None:
    services.drafts.create("Lamp", "prose", body="The keeper climbed the stairs.")
    win = make_window(runner=TokenRunner())
    win.token_view.act_on.setChecked(True)
    run = _run(win, qtbot)
    tint = token_view._TINT[win.theme_manager.theme.dark]
    assert tinted(win.editor, tint) == []
    win.token_view.act_tint.setChecked(True)
    start = win.editor.document().findBlock(win.editor.pending.position()).layout().preeditAreaPosition()
    assert tinted(win.editor, tint) == [(start + run.text().index(" lamp"), len(" lamp"))]  # 4%: below 5%
    win.token_view.act_tint.setChecked(False)
    assert tinted(win.editor, tint) == []


def test_batched_deltas_keep_their_tokens() -> None:
    a, b = TokenAlternatives("A", 0.5, (), 0, 1), TokenAlternatives("b", 0.4, (), 1, 2)
    merged = _merge([TextDelta("A", 0, (a,)), TextDelta("b", 0, (b,)), TextDelta("x", 1)])
    assert merged == [TextDelta("Ab", 0, (a, b)), TextDelta("x", 1)]
