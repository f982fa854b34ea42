"""The window with the REAL default model (Gemma 3 270M) on its engine thread, driven with keys.

One window and one loaded model are shared by this module (loading per test would cost seconds each); every
generation is kept short (max_tokens 12-24) because the test machine has two cores shared with others.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFileDialog

from studio.domain import RevisionReason, StopReason
from studio.paths import Paths

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
MODEL_TIMEOUT_MS = 240_000
RUN_TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def real(qapp: Any, tmp_path_factory: pytest.TempPathFactory, default_model_path: Path) -> Iterator[Any]:
    from studio.services import Services
    from studio.ui.main_window import MainWindow

    paths = Paths(tmp_path_factory.mktemp("real-window")).ensure()
    services = Services.open(paths)
    services.drafts.create("Harbour", "prose", body="The harbour was quiet that morning. Old Tom mended his nets")
    win = MainWindow(services, model=str(default_model_path))  # the real ModelRunner
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


def test_continue_streams_from_the_real_model_while_the_loop_runs_and_escape_tab_ctrl_z_work(window, qtbot):
    win = window
    ed = win.editor
    win.assistant.max_tokens.setValue(200)  # long enough that Escape lands mid-run
    ed.moveCursor(QTextCursor.MoveOperation.End)
    before = ed.plain_text()
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    qtbot.keyClick(ed, Qt.Key.Key_Return, CTRL)
    run = win.generation.run
    assert run is not None
    qtbot.waitUntil(lambda: len(run.text().strip()) >= 3, timeout=RUN_TIMEOUT_MS)
    first_text_at = time.monotonic()
    ticks_before = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) >= ticks_before + 5, timeout=5000)  # the loop ticks while tokens stream
    assert run.streaming
    assert ed.plain_text() == before  # streamed text is a proposal, not in the document
    qtbot.keyClick(ed, Qt.Key.Key_Escape)
    stop_pressed = time.monotonic()
    qtbot.waitUntil(lambda: _finished(win), timeout=10_000)
    timer.stop()
    stopped_after = time.monotonic() - stop_pressed
    fin = run.finished.get(0)
    assert fin is not None and fin.stats.stop_reason == StopReason.CANCELLED
    assert fin.stats.generated_tokens < 200
    assert stopped_after < 2.0, f"stop took {stopped_after:.2f}s"
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False) if a >= first_text_at]
    assert gaps and max(gaps) < 0.5  # no long freeze of the UI thread while streaming

    proposal = run.text()
    assert proposal
    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    assert win.generation.run is None
    assert ed.plain_text() == before + proposal
    qtbot.keyClick(ed, Qt.Key.Key_Z, CTRL)
    assert ed.plain_text() == before
    win.save_now()


def test_rewrite_with_the_real_model_proposes_first_and_replaces_only_on_accept(window, qtbot):
    win = window
    ed = win.editor
    win.assistant.max_tokens.setValue(16)
    text = ed.plain_text()
    start = text.index("quiet")
    cursor = ed.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len("quiet"), QTextCursor.MoveMode.KeepAnchor)
    ed.setTextCursor(cursor)
    win.assistant.quick_buttons[0].setChecked(True)  # "More vivid"
    try:
        for _attempt in range(3):  # a tiny base model now and then proposes nothing; ask again
            if win.generation.run is None:
                qtbot.keyClick(ed, Qt.Key.Key_Return, CTRL | SHIFT)
            else:
                qtbot.keyClick(ed, Qt.Key.Key_R, CTRL)
            qtbot.waitUntil(lambda: _finished(win), timeout=RUN_TIMEOUT_MS)
            if win.generation.run.text().strip():
                break
        run = win.generation.run
        proposal = run.text()
        assert proposal.strip(), "the model proposed nothing three times"
        assert run.request.selection == "quiet"
        assert ed.plain_text() == text  # nothing replaced before accept
        assert win.proposal.diff.isVisible()
        qtbot.keyClick(ed, Qt.Key.Key_Tab)
        assert ed.plain_text() == text[:start] + proposal + text[start + len("quiet"):]
        draft_id = win.current_draft.id
        kept = [r.body for r in win.services.drafts.revisions(draft_id) if r.reason == RevisionReason.BEFORE_REWRITE]
        assert text in kept
        qtbot.keyClick(ed, Qt.Key.Key_Z, CTRL)
        assert ed.plain_text() == text
    finally:
        win.assistant.quick_buttons[0].setChecked(False)
        win.save_now()


def _shown(ed: Any) -> str:
    """The proposal as the editor draws it: the pre-edit text of the block at the insertion point."""
    block = ed.document().findBlock(ed.pending.position())
    return block.layout().preeditAreaText().replace("\u2028", "\n")


def test_alternatives_from_the_real_model_cycle_with_alt_arrows(window, qtbot):
    win = window
    ed = win.editor
    win.assistant.max_tokens.setValue(12)
    win.assistant.alternatives.setValue(2)
    ed.moveCursor(QTextCursor.MoveOperation.End)
    before = ed.plain_text()
    qtbot.keyClick(ed, Qt.Key.Key_Return, CTRL | ALT)
    qtbot.waitUntil(lambda: _finished(win), timeout=RUN_TIMEOUT_MS)
    run = win.generation.run
    assert run.n == 2 and sorted(run.finished) == [0, 1]
    # Two real alternatives (their own seeds), so showing the other one is visible in the editor.
    assert run.texts[0].strip() and run.texts[1].strip() and run.texts[0] != run.texts[1], run.texts
    first = run.current
    second = 1 - first
    assert ed.pending.text == run.texts[first] and _shown(ed) == run.texts[first]
    qtbot.keyClick(ed, Qt.Key.Key_Right, ALT)
    assert run.current == second and win.proposal.counter.text() == f"{second + 1} / 2"
    assert ed.pending.text == run.texts[second] and _shown(ed) == run.texts[second]
    qtbot.keyClick(ed, Qt.Key.Key_Left, ALT)
    assert run.current == first and win.proposal.counter.text() == f"{first + 1} / 2"
    assert ed.pending.text == run.texts[first] and _shown(ed) == run.texts[first]
    qtbot.keyClick(ed, Qt.Key.Key_Right, ALT)
    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    assert ed.plain_text() == before + run.texts[second]
    records = win.services.generation.history(win.current_draft.id, group_id=run.group_id)
    assert len(records) == 2 and [r.alternative_index for r in records if r.accepted] == [second]
    assert sorted((r.alternative_index, r.output) for r in records) == [(0, run.texts[0]), (1, run.texts[1])]
    assert all(r.model_file.endswith(".gguf") and r.generated_tokens > 0 for r in records)
    ed.undo()
    win.save_now()


def test_context_view_shows_the_real_prompt(window, qtbot):
    win = window
    with qtbot.waitSignal(win.preview_shown, timeout=RUN_TIMEOUT_MS):
        qtbot.keyClick(win.editor, Qt.Key.Key_F5)
    assert "Old Tom" in win.assistant.context.toPlainText()
    assert "prompt tokens" in win.assistant.context_summary.text()


def test_a_broken_gguf_gives_a_dialog_and_the_real_model_keeps_working(window, qtbot, monkeypatch, tmp_path, dialogs):
    win = window
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"\x00garbage, not a model\xff" * 4096)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(broken), "")))
    dlg = win.open_model_settings()
    dlg.browse.click()
    with qtbot.waitSignal(win.model_failed, timeout=RUN_TIMEOUT_MS):
        dlg.accept()
    assert dialogs.titles() == ["The model could not be loaded"]
    assert "broken.gguf" in dialogs.texts()[0] or "GGUF" in dialogs.texts()[0]
    assert win.model_info is not None  # the loaded model is still there
    win.assistant.max_tokens.setValue(8)
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(win.editor, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: _finished(win), timeout=RUN_TIMEOUT_MS)
    assert win.generation.run.failure is None
    qtbot.keyClick(win.editor, Qt.Key.Key_Escape)  # discard
    assert win.generation.run is None
