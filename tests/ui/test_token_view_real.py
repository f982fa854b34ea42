"""The token view (issue 15) in the real window on the REAL default model: with View > Token probabilities on, a
Continue comes back with each token's top-k; hovering a token shows them; choosing one writes on from it as a new
alternative that begins with the proposal up to that token and the chosen text, kept in the history; the tint
marks an unlikely token and only while on; both toggles off ask the engine for nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from studio.ui import token_view
from studio.ui.textpos import u16len
from tests.ui.token_view_helpers import point_of, tinted

CTRL = Qt.KeyboardModifier.ControlModifier
RUN_TIMEOUT_MS = 120_000
BODY = "The lighthouse keeper climbed the stairs every evening. At the top, he lit the lamp and"


@pytest.fixture
def window(make_window: Any, services: Any, default_model_path: Path) -> Any:
    """The real window on the real ModelRunner and default model."""
    services.drafts.create("Lamp", "prose", body=BODY)
    win = make_window(runner_factory=services.new_window_runner, model=str(default_model_path))
    win.assistant.max_tokens.setValue(24)
    win.editor.setFocus()
    return win


def _continue(win: Any, qtbot: Any) -> Any:
    ed = win.editor
    ed.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(ed, Qt.Key.Key_Return, CTRL)
    run = win.generation.run
    assert run is not None
    qtbot.waitUntil(lambda: not run.streaming, timeout=RUN_TIMEOUT_MS)
    return run


def test_hover_then_choose_an_alternative_on_the_real_model(window: Any, qtbot: Any) -> None:
    win, view, ed = window, window.token_view, window.editor
    view.act_on.setChecked(True)
    view.act_tint.setChecked(False)
    run = _continue(win, qtbot)
    assert run.request.logprobs == token_view.DEFAULT_K
    text, tokens = run.text(), run.tokens[0]
    placed = [t for t in tokens if t.start is not None and t.end is not None and "\ufffd" not in t.text]
    assert text and len(placed) >= 3, (text, tokens)
    # A token past the first, whose text is not only spaces: hover it.
    token = next(t for t in placed[1:] if text[t.start:t.end].strip())
    assert token.start is not None
    point = point_of(ed, token.start + len(text[token.start:token.end]) - len(text[token.start:token.end].lstrip()))
    tip = view.tooltip_at(point)
    assert tip.count("<tr>") == token_view.DEFAULT_K
    assert token_view.visible(token.text) in tip.replace("&#x27;", "'") or token.text.strip() in tip
    # Click it and choose the likeliest alternative that was not written.
    qtbot.mouseClick(ed.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert view.menu is not None
    # The k alternatives, then (when it is not among them) the token written, after a separator.
    assert len(view.menu.actions()) == token_view.DEFAULT_K + (0 if token.text in dict(token.top) else 2)
    choice = next(i for i, (alt, _) in enumerate(token.top) if alt != token.text and "\ufffd" not in alt)
    prefix = text[:token.start] + token.top[choice][0]
    view.menu.actions()[choice].trigger()
    assert run.n == 2 and run.streaming
    qtbot.waitUntil(lambda: not run.streaming, timeout=RUN_TIMEOUT_MS)
    assert run.current == 1 and run.texts[0] == text
    assert run.text().startswith(prefix), (run.text(), prefix)
    assert run.request.forced_prefix == prefix
    draft = win.current_draft
    assert [len(r.alternatives) for r in win.services.history.runs(draft.id)][:1] == [2]


def test_the_tint_and_off_on_the_real_model(window: Any, qtbot: Any) -> None:
    win, view, ed = window, window.token_view, window.editor
    view.act_on.setChecked(False)
    view.act_tint.setChecked(True)
    win.assistant.max_tokens.setValue(40)
    run = _continue(win, qtbot)
    assert run.request.logprobs == token_view.DEFAULT_K  # the tint needs the probabilities
    tint = token_view._TINT[win.theme_manager.theme.dark]
    low = [t for t in run.tokens[0] if t.start is not None and t.prob < token_view.UNLIKELY]
    assert low, [t.prob for t in run.tokens[0]]
    start = ed.document().findBlock(ed.pending.position()).layout().preeditAreaPosition()
    text = run.text()
    marked = tinted(ed, tint)
    assert (start + u16len(text[:low[0].start]), u16len(text[low[0].start:low[0].end])) in marked
    assert len(marked) == len(low)
    view.act_tint.setChecked(False)
    assert tinted(ed, tint) == []
    win.generation.discard()
    run = _continue(win, qtbot)
    assert run.request.logprobs == 0 and run.tokens == [[]]  # off: the engine is asked for nothing
