"""The History panel with the REAL default model (Gemma 3 270M) on its engine thread: a real Continue, left as a
proposal and discarded, is in the history under the model's file; restored, Tab puts exactly that text in the
draft and marks it accepted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from studio.paths import Paths

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
MODEL_TIMEOUT_MS = 240_000
RUN_TIMEOUT_MS = 180_000


def test_a_real_continue_is_in_the_history_and_restores(qapp: Any, qtbot: Any, tmp_path: Path,
                                                        default_model_path: Path) -> None:
    from studio.services import Services
    from studio.ui.main_window import MainWindow

    services = Services.open(Paths(tmp_path / "real-history").ensure())
    body = "The boats came in at dusk. Mara climbed the stairs of the lighthouse and"
    draft = services.drafts.create("Harbour", "prose", body=body)
    win = MainWindow(services, model=str(default_model_path))
    win.show()
    try:
        qtbot.waitUntil(lambda: win.model_info is not None, timeout=MODEL_TIMEOUT_MS)
        win.activateWindow()
        win.assistant.max_tokens.setValue(16)
        win.editor.setFocus()
        win.editor.moveCursor(QTextCursor.MoveOperation.End)
        qtbot.keyClick(win.editor, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: win.generation.run is not None and not win.generation.run.streaming,
                        timeout=RUN_TIMEOUT_MS)
        run = win.generation.run
        assert run.failure is None and run.text().strip(), run.text()
        written = run.text()
        qtbot.keyClick(win.editor, Qt.Key.Key_Escape)  # dropped: only the history keeps it
        assert win.generation.run is None and win.editor.plain_text() == body

        qtbot.keyClick(win.editor, Qt.Key.Key_H, CTRL | ALT)
        qtbot.waitUntil(lambda: win.history.dialog.current is not None, timeout=5000)
        panel = win.history.dialog.current
        assert len(panel.runs) == 1
        stored = panel.runs[0]
        assert stored.alternatives[0].output == written and not stored.accepted
        assert stored.model_file == default_model_path.name and stored.alternatives[0].generated_tokens > 0
        assert panel.tree.topLevelItem(0).text(3) == default_model_path.name
        assert panel.restore_selected()
        assert win.editor.pending.text == written
        win.activateWindow()
        win.editor.setFocus()
        qtbot.keyClick(win.editor, Qt.Key.Key_Tab)
        assert win.editor.plain_text() == body + written
        qtbot.waitUntil(lambda: services.drafts.get(draft.id).body == body + written, timeout=10_000)
        assert services.history.runs(draft.id)[0].accepted
    finally:
        win.shutdown()
        services.close()
