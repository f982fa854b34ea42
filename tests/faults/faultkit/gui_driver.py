"""A child process running the real window (offscreen) while a writer types: every few milliseconds a line is
typed at the end of the draft, and the window's own autosave timer (shortened to 40 ms) saves it. After each
save (the window's draft_saved signal) it prints ``autosave <draft_id> <step>`` and flushes, for the crash test.

The model runner is tests/ui/fakes.FakeRunner (no model load); the test is about saving, not generating.
Run: python gui_driver.py SEED
"""

from __future__ import annotations

import os
import random
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from faultkit.autosave_driver import AUTOSAVE_TITLE, autosave_body, step_of  # noqa: E402


def main() -> int:
    rng = random.Random(int(sys.argv[1]))
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QApplication, QMessageBox

    from studio.paths import resolve_paths
    from studio.services import Services
    from studio.ui.main_window import MainWindow
    from tests.ui.fakes import FakeRunner

    # A modal box would stop the event loop (and this test) without saying why: print and go on instead.
    def no_box(parent, title, text, *a, **k):  # noqa: ANN001, ANN002, ANN003
        print(f"dialog {title}: {text}".replace("\n", " "), flush=True)
        return QMessageBox.StandardButton.Ok

    for name in ("warning", "critical", "information", "question"):
        setattr(QMessageBox, name, staticmethod(no_box))

    app = QApplication(sys.argv[:1])
    services = Services.open(resolve_paths())
    existing = [s for s in services.drafts.list() if s.title == AUTOSAVE_TITLE]
    draft = services.drafts.get(existing[0].id) if existing else services.drafts.create(AUTOSAVE_TITLE, "prose")
    step = step_of(draft.body)
    if step is None:
        print(f"corrupt-autosave {draft.id}", flush=True)
        return 1
    window = MainWindow(services, runner_factory=FakeRunner, load_model=False)
    window.show()
    window.open_draft(draft.id)
    window._autosave.setInterval(40)  # noqa: SLF001 - a writer who pauses every 40 ms
    editor = window.editor
    typed = {"step": step}

    def type_line() -> None:
        text = autosave_body(typed["step"] + 1)[len(autosave_body(typed["step"])):]
        cursor = editor.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        editor.setTextCursor(cursor)
        editor.insertPlainText(text)
        typed["step"] += 1
        timer.setInterval(rng.randrange(5, 120))

    def on_saved(draft_id: int) -> None:
        body = editor.plain_text()
        s = step_of(body)
        print(f"autosave {draft_id} {s}" if s is not None else f"odd-save {draft_id} {len(body)}", flush=True)

    window.draft_saved.connect(on_saved)
    timer = QTimer()
    timer.timeout.connect(type_line)
    timer.start(20)
    print("ready", flush=True)
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
