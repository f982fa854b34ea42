"""The background-operation helper (studio/ui/operations.py) on real Qt threads and signals, and the one
``library_changed`` signal that refreshes the drafts list once per burst."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog

from studio.domain import StorageError
from studio.ui.operations import GENERIC_FAILURE, Operations


@pytest.fixture
def ops(qtbot: Any) -> Any:
    o = Operations()
    yield o
    o.shutdown()


def test_the_work_runs_off_the_ui_thread_and_the_result_lands_on_it(ops, qtbot):
    main = threading.get_ident()
    seen: dict[str, Any] = {}

    def work() -> int:
        seen["work"] = threading.get_ident()
        return 42

    def done(result: int) -> None:
        seen["done"] = threading.get_ident()
        seen["result"] = result

    op = ops.run_in_background(work, done)
    qtbot.waitUntil(lambda: op.done, timeout=5000)
    assert seen == {"work": seen["work"], "done": main, "result": 42}
    assert seen["work"] != main
    assert op.ok and op.result == 42 and not op.stale


def test_a_newer_operation_with_the_same_key_drops_the_older_result(ops, qtbot):
    release = threading.Event()
    delivered: list[str] = []
    presented: list[tuple[str, str]] = []
    ops.failed.connect(lambda title, text: presented.append((title, text)))

    def slow() -> str:
        release.wait(10)
        return "old"

    def slow_failure() -> str:
        release.wait(10)
        raise StorageError("the old one failed")

    first = ops.run_in_background(slow, delivered.append, key="diff")
    failing = ops.run_in_background(slow_failure, delivered.append, key="other")
    ops.run_in_background(lambda: None, None, key="other")  # supersedes the failing one
    second = ops.run_in_background(lambda: "new", delivered.append, key="diff")
    qtbot.waitUntil(lambda: second.done, timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: first.done and failing.done, timeout=5000)
    assert delivered == ["new"]
    assert first.stale and not first.ok and first.result is None
    assert failing.stale and presented == []  # a stale failure is not shown either
    # Without a key nothing is stale: both land.
    both: list[int] = []
    a = ops.run_in_background(lambda: 1, both.append)
    b = ops.run_in_background(lambda: 2, both.append)
    qtbot.waitUntil(lambda: a.done and b.done, timeout=5000)
    assert sorted(both) == [1, 2]


def test_failures_reach_the_one_presenter_as_a_sentence_never_a_traceback(ops, qtbot, caplog):
    presented: list[tuple[str, str]] = []
    ops.failed.connect(lambda title, text: presented.append((title, text)))
    cleaned: list[BaseException] = []
    done: list[Any] = []

    readable = ops.run_in_background(lambda: (_ for _ in ()).throw(StorageError("The disk is full.")), done.append,
                                     title="The draft was not exported", on_failed=cleaned.append)
    qtbot.waitUntil(lambda: readable.done, timeout=5000)

    def bug() -> None:
        raise KeyError("internal detail")

    with caplog.at_level(logging.ERROR, logger="studio.ui.operations"):
        buggy = ops.run_in_background(bug, done.append, title="The revision could not be compared")
        qtbot.waitUntil(lambda: buggy.done, timeout=5000)
    assert presented == [("The draft was not exported", "The disk is full."),
                         ("The revision could not be compared", GENERIC_FAILURE)]
    assert all("Traceback" not in text and "KeyError" not in text for _, text in presented)
    assert done == [] and len(cleaned) == 1 and isinstance(cleaned[0], StorageError)
    assert not readable.ok and isinstance(buggy.error, KeyError)
    # The bug is in the log, in full, for whoever reads it.
    assert any(r.exc_info and r.exc_info[0] is KeyError for r in caplog.records)


def test_a_result_after_shutdown_is_dropped_and_the_thread_is_a_daemon(ops, qtbot):
    release = threading.Event()
    delivered: list[str] = []
    op = ops.run_in_background(lambda: release.wait(10) and "late", delivered.append, key="x")
    threads = [t for t in threading.enumerate() if t.name == "studio-op-x"]
    assert threads and all(t.daemon for t in threads)  # quitting never waits for it
    ops.shutdown()
    release.set()
    qtbot.waitUntil(lambda: op.done, timeout=5000)
    assert delivered == [] and op.stale


def test_the_application_quits_cleanly_with_an_operation_in_flight(tmp_path: Path) -> None:
    """A real process: Qt application, an operation that never finishes, quit. It must exit at once, with 0 and
    nothing on stderr (a non-daemon worker would keep the interpreter alive; a late signal would crash)."""
    script = textwrap.dedent("""
        import sys, threading, time
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QWidget
        from studio.ui.operations import Operations

        app = QApplication(sys.argv)
        window = QWidget()
        ops = Operations(window)
        started = threading.Event()

        def forever():
            started.set()
            threading.Event().wait()  # never returns

        def late():
            started.set()
            time.sleep(0.3)  # lands after the window is gone
            return "late"

        ops.run_in_background(forever, print, key="a")
        ops.run_in_background(late, print, key="b")
        started.wait(5)

        def close():
            ops.shutdown()
            window.deleteLater()
            QTimer.singleShot(500, app.quit)

        QTimer.singleShot(50, close)
        sys.exit(app.exec())
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr and "late" not in run.stdout, run.stderr


# --------------------------------------------------------------------------------------------- in the window
def test_an_export_that_fails_shows_one_readable_message(make_window, services, monkeypatch, tmp_path, dialogs,
                                                          qtbot):
    services.drafts.create("Blocked", "prose", body="words")
    win = make_window()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(blocker / "x.md"), "")))
    op = win.export_current()
    qtbot.waitUntil(lambda: op.done, timeout=10_000)
    assert not op.ok and op.result is None
    assert dialogs.titles() == ["The draft was not exported"]
    assert "Traceback" not in dialogs.texts()[0] and dialogs.texts()[0]


def test_a_burst_of_library_changes_reads_the_drafts_list_once(make_window, services, qtbot, monkeypatch):
    services.drafts.create("First", "prose", body="one")
    win = make_window()
    reads: list[int] = []
    real_list = services.drafts.list

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(1)
        return real_list(*args, **kwargs)

    monkeypatch.setattr(services.drafts, "list", counted)
    services.drafts.create("Second", "prose", body="two")
    services.drafts.create("Third", "prose", body="three")
    win.library_changed.emit()
    win.commands.library_changed.emit()
    win.session.drafts_changed.emit()
    win.library_changed.emit()
    assert reads == []  # nothing read inside the burst
    qtbot.waitUntil(lambda: len(reads) >= 1, timeout=3000)
    qtbot.wait(50)
    assert len(reads) == 1
    assert sorted(s.title for s in win.sidebar.summaries()) == ["First", "Second", "Third"]
    assert len(reads) == 1  # the list is fresh: reading it does not query again

    # Read before the timer fires, the list is brought up to date at once.
    services.drafts.create("Fourth", "prose", body="four")
    win.library_changed.emit()
    assert "Fourth" in {s.title for s in win.sidebar.summaries()}
    qtbot.wait(50)
    assert len(reads) == 2
