"""Issue 13 in the window with the REAL default model (Gemma 3 270M) on its engine thread: every finished
alternative of a held 五言绝句 carries the checker's verdict and the bar shows it as the writer steps through them;
"Write a verse to this meter" on a Chinese song proposes a verse with the original's per-line counts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from studio.paths import Paths
from studio.services.forms import verses

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
MODEL_TIMEOUT_MS = 240_000
RUN_TIMEOUT_MS = 180_000


@pytest.fixture(scope="module")
def real(qapp: Any, tmp_path_factory: pytest.TempPathFactory, default_model_path: Path) -> Iterator[Any]:
    from studio.services import Services
    from studio.ui.main_window import MainWindow

    services = Services.open(Paths(tmp_path_factory.mktemp("real-forms")).ensure())
    services.drafts.create("秋夜", "poetry", body="秋夜\n\n")
    win = MainWindow(services, model=str(default_model_path))
    win.show()
    try:
        yield win
    finally:
        win.shutdown()
        services.close()


@pytest.fixture
def window(real: Any, qtbot: Any) -> Any:
    qtbot.waitUntil(lambda: real.model_info is not None, timeout=MODEL_TIMEOUT_MS)
    real.generation.discard()
    real.activateWindow()
    real.editor.setFocus()
    return real


def _finished(win: Any) -> bool:
    run = win.generation.run
    return run is not None and not run.streaming


def test_every_alternative_of_a_held_poem_is_checked_and_the_bar_marks_the_ones_that_fail(window, qtbot):
    win = window
    draft = next(s for s in win.sidebar.summaries() if s.title == "秋夜")
    win.open_draft(draft.id)
    combo = win.assistant.style_combo
    combo.setCurrentIndex(combo.findText("五言绝句"))
    win.assistant.alternatives.setValue(3)
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(win.editor, Qt.Key.Key_Return, CTRL | ALT)
    qtbot.waitUntil(lambda: _finished(win), timeout=RUN_TIMEOUT_MS)
    run = win.generation.run
    assert run.failure is None and run.request.hold_form == "wujue"
    assert set(run.verdicts) == set(range(3))
    marks = []
    for _ in range(3):
        text, verdict = run.text(), run.verdicts[run.current][0]
        assert verdict == win.services.generation.misfit(run.request, text)
        shown = win.proposal.counter.text()
        if verdict is None:
            assert shown == f"{run.current + 1} / 3 · fits"
        else:
            assert shown.startswith(f"{run.current + 1} / 3 · does not fit: ")
            assert win.proposal.counter.toolTip().startswith(verdict.message)
        marks.append(shown)
        win.generation.cycle(1)
    print("alternatives:", marks, [t.replace("\n", "/") for t in run.texts])
    win.generation.discard()


def test_a_verse_to_this_meter_from_the_real_model_keeps_each_lines_characters(window, qtbot):
    win = window
    song = "[主歌]\n月亮挂在天上\n照着我的家乡\n风儿轻轻吹过\n带走我的忧伤\n\n[副歌]\n啦啦啦\n"
    draft = win.services.drafts.create("歌", "lyrics", body=song)
    win.library_changed.emit()
    win.open_draft(draft.id)
    cursor = win.editor.textCursor()
    cursor.setPosition(song.index("家乡"))
    win.editor.setTextCursor(cursor)
    qtbot.keyClick(win.editor, Qt.Key.Key_M, CTRL | ALT)
    qtbot.waitUntil(lambda: _finished(win), timeout=RUN_TIMEOUT_MS)
    run = win.generation.run
    assert run.failure is None and run.request.meter is not None
    fit = run.verdicts[run.current][1]
    assert [ln.count for ln in fit.lines] == [6, 6, 6, 6], run.text()
    assert win.proposal.meter.text() == "Per line, new (original): 6 (6) · 6 (6) · 6 (6) · 6 (6)"
    assert win.generation.accept()
    body = win.editor.toPlainText()
    found = verses(body)
    assert len(found) == 3 and found[0].lines == verses(song)[0].lines and found[2].lines == ("啦啦啦",)
    assert found[1].lines == tuple(ln.text for ln in fit.lines)
