"""Imports and exports from the real window run in the background: the window keeps working while a large file is
read, a newer file command (or closing the window) drops an older one's result, failures reach the one presenter,
and nothing the writer typed or imported is lost. Real files, real SQLite, real Qt (offscreen)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QInputMethodEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from studio.domain import Draft
from studio.ui.draft_commands import FILES_KEY

PARAGRAPH = "The harbour lights came on one by one. 港口的灯一盏一盏亮起来，像一行慢慢写下的字。\n\n"


@pytest.fixture
def big_file(tmp_path: Path) -> Path:
    """A long manuscript, Chinese and English: large enough that reading and storing it takes a while."""
    path = tmp_path / "harbour.md"
    count = 3 * 1024 * 1024 // len(PARAGRAPH.encode("utf-8"))
    path.write_text("# Harbour Book\n\n" + PARAGRAPH * count, encoding="utf-8")
    return path


@pytest.fixture
def pick(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[Path]]]:
    """The answers the Open dialog gives, one list of files per call."""
    answers: list[list[Path]] = []

    def dialog(*_args: Any, **_kwargs: Any) -> tuple[list[str], str]:
        return [str(p) for p in answers.pop(0)], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(dialog))
    yield answers
    assert answers == [], "an Open dialog answer was not used"


def _file_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == f"studio-op-{FILES_KEY}"]


def _commit_text(widget: QWidget, text: str) -> None:
    """Chinese arrives from an input method as committed text (QTest types ASCII keys only)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _titles(win: Any) -> set[str]:
    return {s.title for s in win.sidebar.summaries()}


def test_a_large_import_leaves_the_window_working_and_loses_nothing_typed(make_window, services, qtbot, big_file,
                                                                          pick, dialogs):
    first = services.drafts.create("Open draft", "prose", body="Before.")
    win = make_window()
    shown: list[list[Draft]] = []
    win.commands.imported.connect(shown.append)
    opened: list[int] = []
    win.commands.open_requested.connect(opened.append)
    ticks: list[bool] = []  # one entry per turn of the event loop: was the import still running?
    timer = QTimer()
    timer.setInterval(0)
    op: Any = None
    timer.timeout.connect(lambda: ticks.append(op is not None and not op.done))
    timer.start()

    pick.append([big_file])
    op = win.import_files()
    assert opened == [], "the command returned only once the import had finished"
    assert op is not None and not op.done  # it returned while the file is still being read
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(win.editor, " Typed meanwhile.")
    _commit_text(win.editor, " 边导入边写。")
    qtbot.waitUntil(lambda: op.done, timeout=60_000)
    timer.stop()

    assert any(ticks), "the event loop did not turn while the import ran"
    assert op.ok and not op.stale and dialogs.shown == []
    [made] = op.result[0]
    assert shown == [[made]]
    stored = services.drafts.get(made.id)
    assert stored.title == "Harbour Book"
    assert stored.body.count("港口的灯") == big_file.read_text(encoding="utf-8").count("港口的灯") > 10_000
    # The imported draft is open, and what was typed meanwhile went into the draft it was typed in.
    qtbot.waitUntil(lambda: win.current_draft is not None and win.current_draft.id == made.id, timeout=10_000)
    assert services.drafts.get(first.id).body == "Before. Typed meanwhile. 边导入边写。"
    qtbot.waitUntil(lambda: _titles(win) == {"Open draft", "Harbour Book"}, timeout=10_000)


def test_a_newer_import_drops_the_older_result_but_both_drafts_are_kept(make_window, services, qtbot, big_file,
                                                                        pick, tmp_path, dialogs):
    services.drafts.create("Open draft", "prose", body="words")
    win = make_window()
    messages: list[str] = []
    win.commands.message.connect(lambda text, _ms: messages.append(text))
    small = tmp_path / "短诗.txt"
    small.write_text("静夜思\n\n床前明月光，\n疑是地上霜。\n", encoding="utf-8")

    pick.extend([[big_file], [small]])
    older = win.import_files()
    newer = win.import_files()  # before the older one's result could land
    qtbot.waitUntil(lambda: older.done and newer.done, timeout=60_000)

    assert messages == ["Imported 1 file."]  # only the newer one speaks
    assert older.stale and older.result is None
    assert newer.ok and [d.title for d in newer.result[0]] == ["短诗"]
    qtbot.waitUntil(lambda: win.current_draft is not None and win.current_draft.title == "短诗", timeout=10_000)
    assert {d.title for d in services.drafts.list()} == {"Open draft", "Harbour Book", "短诗"}
    qtbot.waitUntil(lambda: _titles(win) == {"Open draft", "Harbour Book", "短诗"}, timeout=10_000)
    assert dialogs.shown == []


def test_an_export_after_an_import_shows_and_the_stale_import_still_reaches_the_list(make_window, services, qtbot,
                                                                                    big_file, pick, tmp_path,
                                                                                    monkeypatch, dialogs):
    services.drafts.create("Open draft", "prose", body="Exported words. 导出的字。")
    win = make_window()
    target = tmp_path / "out.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))

    pick.append([big_file])
    imported = win.import_files()
    exported = win.export_current()
    assert imported is not None and exported is not None
    qtbot.waitUntil(lambda: imported.done and exported.done, timeout=60_000)

    assert imported.stale and exported.ok and exported.result == target
    assert "导出的字" in target.read_text(encoding="utf-8")
    assert win.current_draft is not None and win.current_draft.title == "Open draft"  # the stale import opened nothing
    qtbot.waitUntil(lambda: _titles(win) == {"Open draft", "Harbour Book"}, timeout=10_000)
    assert dialogs.shown == []


def test_closing_the_window_during_an_import_drops_the_result_and_keeps_the_draft(make_window, services, qtbot,
                                                                                 big_file, pick, dialogs):
    services.drafts.create("Open draft", "prose", body="words")
    win = make_window()
    opened: list[int] = []
    win.commands.open_requested.connect(opened.append)
    pick.append([big_file])
    op = win.import_files()
    assert op is not None and not op.done
    win.close()
    qtbot.waitUntil(lambda: not _file_threads(), timeout=60_000)
    qtbot.wait(50)  # let a late result reach the event loop, where it must be dropped
    assert not op.ok and opened == [] and dialogs.shown == []
    assert {d.title for d in services.drafts.list()} == {"Open draft", "Harbour Book"}  # it is kept all the same


def test_an_import_of_only_bad_files_reports_them_once_and_changes_nothing(make_window, services, qtbot, pick,
                                                                         tmp_path, dialogs):
    services.drafts.create("Open draft", "prose", body="words")
    win = make_window()
    model = tmp_path / "weights.gguf"
    model.write_bytes(b"GGUF" + bytes(4096))
    gone = tmp_path / "deleted.md"
    pick.append([model, gone])
    op = win.import_files()
    qtbot.waitUntil(lambda: op.done, timeout=10_000)
    assert op.ok and op.result[0] == []
    assert dialogs.titles() == ["Some files were not imported"]
    text = dialogs.texts()[0]
    assert "weights.gguf" in text and "deleted.md" in text and "Traceback" not in text
    assert win.current_draft is not None and win.current_draft.title == "Open draft"
    assert [d.title for d in services.drafts.list()] == ["Open draft"]


def test_an_export_all_that_fails_goes_to_the_one_presenter(make_window, services, qtbot, monkeypatch, tmp_path,
                                                           dialogs):
    services.drafts.create("One", "prose", body="first")
    win = make_window()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(blocker / "sub")))
    done: list[list[Path]] = []
    win.commands.exported.connect(done.append)
    op = win.export_all()
    qtbot.waitUntil(lambda: op.done, timeout=10_000)
    assert not op.ok and done == []
    assert dialogs.titles() == ["The drafts were not exported"]
    assert dialogs.texts()[0] and "Traceback" not in dialogs.texts()[0]
