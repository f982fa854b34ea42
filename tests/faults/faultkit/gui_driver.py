"""A child process running the real window (offscreen) for the crash test, in one of three modes:

- ``type``: a writer types a line at the end of the draft every few milliseconds and the window's own autosave
  (its timer shortened to 40 ms) saves it. The model runner is tests/ui/fakes.FakeRunner: this mode is about
  saving, not generating.
- ``stream``: the REAL default model continues a story (Ctrl+Return); the parent kills the window while the
  tokens stream in.
- ``accept``: the same, then Tab accepts the proposal (while it streams, or once it finished); the parent kills
  the window just after the accept, while the accepted text is on its way to the disk.

Progress goes to the parent through faultkit.trace (the phases of Studio's own saves, plus the lines below), so
the parent chooses its kill point from what this process is doing:
``SAVING`` as an autosave starts and ``SAVED autosave <draft_id> <step>`` after it;
``SAVED created <draft_id> <digest>``; ``READY`` (typing starts) or ``READY <draft_id> <digest>`` (the model is
loaded; the draft open in the window, as it is on disk); ``BEGIN streaming`` /
``TOKENS <chars>`` / ``RESULT streaming <s>``; ``BEGIN after-accept <draft_id> <digest before> <digest after>``
and ``RESULT after-accept <s>`` plus ``SAVED draft <draft_id> <digest>`` once the accepted text is on disk;
``PROBLEM <what>`` for anything a writer would have noticed (a dialog, a save of text that was never typed).

Run: python gui_driver.py MODE SEED [MODEL]
"""

from __future__ import annotations

import os
import random
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from faultkit import trace
from faultkit.autosave_driver import AUTOSAVE_TITLE, autosave_body, digest, step_of

STREAM_TITLE = "Streamed story"
STREAM_START = ("The harbour was quiet that morning. Old Tom mended his nets while the gulls argued over the "
                "boats, and his granddaughter asked him again about the storm of the year she was born.")
MAX_TOKENS = 48


def main() -> int:
    mode, seed = sys.argv[1], int(sys.argv[2])
    model = sys.argv[3] if len(sys.argv) > 3 else None
    rng = random.Random(seed)
    trace.install()
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMessageBox

    from studio.paths import resolve_paths
    from studio.services import Services
    from studio.ui.main_window import MainWindow

    # A modal box would stop the event loop (and this test) without saying why: report it and go on instead.
    def no_box(parent, title, text, *a, **k):
        trace.emit(f"PROBLEM dialog {title}: {text}")
        return QMessageBox.StandardButton.Ok

    for name in ("warning", "critical", "information", "question"):
        setattr(QMessageBox, name, staticmethod(no_box))

    app = QApplication(sys.argv[:1])
    services = Services.open(resolve_paths())
    title = AUTOSAVE_TITLE if mode == "type" else STREAM_TITLE
    existing = [s for s in services.drafts.list() if s.title == title]
    if existing:
        draft = services.drafts.get(existing[0].id)
    else:
        draft = services.drafts.create(title, "prose", body=autosave_body(0) if mode == "type" else STREAM_START)
        if mode != "type":  # the typed draft is checked by its step instead (it changes from the first save)
            trace.emit(f"SAVED created {draft.id} {digest(draft.title, draft.body)}")

    if mode == "type":
        from tests.ui.fakes import FakeRunner

        # The parent aims its kills at the autosaves (not the window's small settings writes): say when one starts.
        save = services.drafts.save

        def announced_save(*args, **kwargs):
            trace.emit("SAVING")
            return save(*args, **kwargs)

        services.drafts.save = announced_save  # type: ignore[method-assign]

        window = MainWindow(services, runner_factory=FakeRunner, load_model=False)
    else:
        if mode == "accept":
            # From Tab to the accepted text on disk is 2-25 ms here; a parent on a loaded machine reads the BEGIN
            # line and kills later than that, and all its aimed kills missed now and then (0 of 2 landed, in a
            # full suite run beside CI). The save waits 100 ms first, as behind a slow disk, so the kill lands
            # while the accepted text is on its way; what is checked (the draft whole, before or after) is unchanged.
            slow_save = services.drafts.save

            def slow_disk_save(*args, **kwargs):
                time.sleep(0.1)
                return slow_save(*args, **kwargs)

            services.drafts.save = slow_disk_save  # type: ignore[method-assign]
        window = MainWindow(services, model=model)  # the real ModelRunner on its engine thread
    window.show()
    window.open_draft(draft.id)
    editor = window.editor
    keep: list[object] = []  # timers that must live as long as the event loop

    if mode == "type":
        step = step_of(draft.body)
        if step is None:
            trace.emit(f"PROBLEM corrupt-autosave {draft.id}")
            return 1
        window.session.autosave.setInterval(40)  # a writer who pauses every 40 ms
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
            s = step_of(editor.plain_text())
            trace.emit(f"SAVED autosave {draft_id} {s}" if s is not None else f"PROBLEM odd-save {draft_id}")

        window.draft_saved.connect(on_saved)
        timer = QTimer()
        timer.timeout.connect(type_line)
        timer.start(20)
        keep.append(timer)
        trace.emit("READY")
        return int(app.exec())

    # stream / accept: the real model continues the story at its end.
    gen = window.generation
    window.assistant.max_tokens.setValue(MAX_TOKENS)
    on_screen = editor.plain_text()
    if on_screen != draft.body:
        trace.emit(f"PROBLEM the window shows {len(on_screen)} characters, the draft on disk has {len(draft.body)}")
    before = digest(draft.title, on_screen)
    tab_while_streaming = mode == "accept" and rng.random() < 0.5
    state = {"started": 0.0, "chars": 0, "accepted_at": 0.0, "after": "", "tries": 0, "tabbed": False}

    def press(key: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        editor.setFocus()
        QTest.keyClick(editor, key, mods)

    def go() -> None:
        cursor = editor.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        editor.setTextCursor(cursor)
        state["tries"] += 1
        state["started"] = time.perf_counter()
        trace.emit("BEGIN streaming")
        press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        if gen.run is None:
            trace.emit("PROBLEM Ctrl+Return started no run")

    def on_updated() -> None:
        run = gen.run
        if run is None or not run.streaming:
            return
        n = len(run.text())
        if n > state["chars"]:
            state["chars"] = n
            trace.emit(f"TOKENS {n}")
            if tab_while_streaming and not state["tabbed"] and n >= 8:
                state["tabbed"] = True
                press(Qt.Key.Key_Tab)  # accept while it streams: stops, then takes what is there

    def on_finished(_job: int, _finished: object) -> None:
        trace.emit(f"RESULT streaming {time.perf_counter() - state['started']:.6f}")
        QTimer.singleShot(0, after_run)

    def after_run() -> None:
        if mode == "stream":
            # The run ended before the parent's kill point (a short proposal): discard it and Continue again,
            # as a writer would, so the tokens keep coming. The draft itself is never touched.
            if state["tries"] >= 10:
                trace.emit("PROBLEM ten runs ended before the kill point")
                return
            press(Qt.Key.Key_Escape)
            state["chars"] = 0
            go()
            return
        if state["accepted_at"]:
            return
        run = gen.run
        if run is not None and not run.text().strip():
            if state["tries"] >= 4:
                trace.emit("PROBLEM the model proposed nothing four times")
                return
            gen.discard()  # a tiny base model now and then proposes nothing: ask again
            state["chars"] = 0
            state["tabbed"] = False
            go()
            return
        if run is not None:
            press(Qt.Key.Key_Tab)

    def on_accepted() -> None:
        state["accepted_at"] = time.perf_counter()
        after = editor.plain_text()
        state["after"] = after
        if not after.startswith(on_screen) or after == on_screen:
            trace.emit("PROBLEM the accepted text is not the draft plus the proposal")
        trace.emit(f"BEGIN after-accept {draft.id} {before} {digest(draft.title, after)}")

    def on_saved(draft_id: int) -> None:
        if state["accepted_at"] and editor.plain_text() == state["after"]:
            trace.emit(f"RESULT after-accept {time.perf_counter() - state['accepted_at']:.6f}")
            trace.emit(f"SAVED draft {draft_id} {digest(draft.title, state['after'])}")
            state["accepted_at"] = -1.0  # reported once

    gen.run_updated.connect(on_updated)
    gen.text_accepted.connect(on_accepted)
    window.host.worker.generation_finished.connect(on_finished)
    window.draft_saved.connect(on_saved)

    def on_model(_info: object) -> None:
        trace.emit(f"READY {draft.id} {before}")
        QTimer.singleShot(0, go)

    def on_model_failed(failure: object) -> None:
        trace.emit(f"PROBLEM the model did not load: {getattr(failure, 'message', failure)}")

    window.model_ready.connect(on_model)
    window.model_failed.connect(on_model_failed)
    if window.model_info is not None:
        on_model(window.model_info)
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
