"""Paths a writer takes that no other test walks: the real window, the REAL default model (Gemma 3 270M) on its
engine thread, real SQLite files, driven with keys and mouse clicks; every check reads the editor and the database.

One window and one loaded model are shared by most tests here (loading per test costs seconds on a loaded
machine); the tests that close the window or put the data folder on a tiny disk build their own. Generations are
kept short (max_tokens 12-40) except where a run must still be streaming when the writer acts; those are stopped.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("llama_cpp")

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QInputMethodEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton

from studio.domain import Action, Form, RevisionReason, StopReason
from studio.paths import Paths
from studio.ui.dialogs import NewDraftDialog
from studio.ui.statusbar import SaveState

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
LEFT = Qt.MouseButton.LeftButton
MODEL_TIMEOUT_MS = 240_000
RUN_TIMEOUT_MS = 120_000
SAVE_TIMEOUT_MS = 30_000
LONG_RUN = 200  # tokens: long enough that the writer's action lands while it still streams (it is then stopped)

DATA = Path(__file__).resolve().parent.parent / "data"
HARBOUR = "The harbour was quiet that morning. Old Tom mended his nets"


# ---------------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(autouse=True)
def _recorded_dialogs(dialogs: Any) -> Any:
    """No modal box may block a test: every QMessageBox is recorded instead (see tests/ui/conftest.py)."""
    return dialogs


def _open_real_window(services: Any, model: Path) -> Any:
    from studio.ui.main_window import MainWindow

    win = MainWindow(services, model=str(model))  # the real ModelRunner on the engine thread
    win.show()
    win.activateWindow()
    return win


@pytest.fixture(scope="module")
def shared(qapp: Any, tmp_path_factory: pytest.TempPathFactory, default_model_path: Path) -> Iterator[Any]:
    from studio.services import Services

    paths = Paths(tmp_path_factory.mktemp("writer-paths")).ensure()
    services = Services.open(paths)
    win = _open_real_window(services, default_model_path)
    try:
        yield win
    finally:
        win.shutdown()
        services.close()


@pytest.fixture
def window(shared: Any, qtbot: Any) -> Iterator[Any]:
    win = shared
    qtbot.waitUntil(lambda: win.model_info is not None, timeout=MODEL_TIMEOUT_MS)
    _reset_assistant(win)
    win.activateWindow()
    win.editor.setFocus()
    yield win
    win.generation.discard()
    _reset_assistant(win)
    win.save_now()


def _reset_assistant(win: Any) -> None:
    win.generation.discard()
    a = win.assistant
    for b in a.quick_buttons:
        b.setChecked(False)
    a.instruction.clear()
    a.alternatives.setValue(1)
    a.max_tokens.setValue(24)
    a.continue_preset.setCurrentIndex(0)
    a.rewrite_preset.setCurrentIndex(0)


@pytest.fixture
def own_window(qtbot: Any, default_model_path: Path) -> Iterator[Callable[[Any], Any]]:
    """A real-model window over the given services, for tests that close it or break its disk."""
    made: list[Any] = []

    def build(services: Any) -> Any:
        win = _open_real_window(services, default_model_path)
        made.append(win)
        qtbot.waitUntil(lambda: win.model_info is not None, timeout=MODEL_TIMEOUT_MS)
        win.editor.setFocus()
        return win

    yield build
    for win in made:
        win.shutdown()


# ---------------------------------------------------------------------------------------------------- helpers
def _new_draft(win: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, title: str, form: Form, body: str = "") -> int:
    """Ctrl+N (the dialog answers), then the text pasted with Ctrl+V, then the autosave waited for."""
    monkeypatch.setattr(NewDraftDialog, "get", staticmethod(lambda parent, form_=Form.PROSE: (title, form)))
    qtbot.keyClick(win.editor, Qt.Key.Key_N, CTRL)
    draft = win.current_draft
    assert draft is not None and draft.title == title and draft.form == form
    if body:
        QApplication.clipboard().setText(body)
        qtbot.keyClick(win.editor, Qt.Key.Key_V, CTRL)
        assert win.editor.plain_text() == body
        _wait_saved(win, qtbot)
    return draft.id


def _db_body(win: Any, draft_id: int | None = None) -> str:
    return win.services.drafts.get(draft_id if draft_id is not None else win.current_draft.id).body


def _wait_saved(win: Any, qtbot: Any, expected: str | None = None) -> None:
    """Until the autosave (not a save forced by the test) has put what the editor shows on disk."""
    want = win.editor.plain_text() if expected is None else expected

    def done() -> bool:
        return (not win.is_dirty() and win.saver.in_flight is None and win.editor.plain_text() == want
                and _db_body(win) == want)

    qtbot.waitUntil(done, timeout=SAVE_TIMEOUT_MS)


def _caret_to_end(win: Any) -> str:
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    return win.editor.plain_text()


def _select(win: Any, word: str) -> int:
    text = win.editor.plain_text()
    start = text.index(word)
    cursor = win.editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(word), QTextCursor.MoveMode.KeepAnchor)
    win.editor.setTextCursor(cursor)
    return start


def _finished(win: Any) -> bool:
    run = win.generation.run
    return run is not None and not run.streaming


def _generate(win: Any, qtbot: Any, key: Qt.Key, mods: Any, attempts: int = 3) -> Any:
    """Start a run with ``key``; a tiny base model now and then writes nothing, so retry (Ctrl+R) a few times."""
    for attempt in range(attempts):
        if attempt == 0:
            qtbot.keyClick(win.editor, key, mods)
        else:
            qtbot.keyClick(win.editor, Qt.Key.Key_R, CTRL)
        run = win.generation.run
        assert run is not None, win.status.currentMessage()
        qtbot.waitUntil(lambda: _finished(win), timeout=RUN_TIMEOUT_MS)
        run = win.generation.run
        assert run.failure is None, run.failure.message
        if run.text().strip():
            return run
    pytest.fail(f"the model wrote nothing {attempts} times")


def _start_streaming(win: Any, qtbot: Any, key: Qt.Key = Qt.Key.Key_Return, mods: Any = CTRL,
                     attempts: int = 4) -> Any:
    """A run that is still streaming once some text has come: the base model now and then ends at once (its
    end-of-text token), and then the writer had no time to act; ask again."""
    win.assistant.max_tokens.setValue(LONG_RUN)
    for _attempt in range(attempts):
        qtbot.keyClick(win.editor, key, mods)
        run = win.generation.run
        assert run is not None, win.status.currentMessage()
        qtbot.waitUntil(lambda r=run: len(r.text().strip()) >= 2 or not r.streaming, timeout=RUN_TIMEOUT_MS)
        if run.streaming:
            return run
        qtbot.keyClick(win.editor, Qt.Key.Key_Escape)  # discard what it wrote
        assert win.generation.run is None
    pytest.fail(f"the model ended at once {attempts} times")


class JobLog(QObject):
    """What the engine thread reported per job. A QObject on the UI thread, so its slots run there, queued
    behind the token batches of the same job: once a job is here, everything it sent has been handled."""

    def __init__(self, win: Any) -> None:
        super().__init__()
        self.finished: dict[int, list[Any]] = {}
        self.previews: dict[int, Any] = {}
        self._worker = win.host.worker
        self._worker.generation_finished.connect(self._on_finished)
        self._worker.generation_failed.connect(self._on_failed)
        self._worker.preview_ready.connect(self._on_preview_ready)

    @Slot(int, object)
    def _on_finished(self, job: int, fins: list[Any]) -> None:
        self.finished[job] = list(fins)

    @Slot(int, object, object)
    def _on_failed(self, job: int, _failure: Any, fins: list[Any]) -> None:
        self.finished[job] = list(fins)

    @Slot(int, object)
    def _on_preview_ready(self, request_id: int, result: Any) -> None:
        self.previews[request_id] = result

    def close(self) -> None:
        self._worker.generation_finished.disconnect(self._on_finished)
        self._worker.generation_failed.disconnect(self._on_failed)
        self._worker.preview_ready.disconnect(self._on_preview_ready)


def _type_through_input_method(widget: Any, text: str) -> None:
    """Chinese arrives from an input method as committed text (QTest can only type ASCII keys)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _click(qtbot: Any, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), f"{button.text()!r} cannot be clicked"
    qtbot.mouseClick(button, LEFT)


# -------------------------------------------------------------------------------------------- 1. switching and closing
def test_switching_drafts_while_text_streams_keeps_the_writers_text_and_stops_the_run(window, qtbot, monkeypatch):
    win = window
    ed = win.editor
    letters = _new_draft(win, qtbot, monkeypatch, "Letters", Form.PROSE, "Dear Anna, the snow came early this year.")
    harbour = _new_draft(win, qtbot, monkeypatch, "Harbour", Form.PROSE, HARBOUR)
    jobs = JobLog(win)
    try:
        before = _caret_to_end(win)
        run = _start_streaming(win, qtbot)
        qtbot.keyClicks(ed, " and sang")  # the writer types on while the model writes
        assert run.streaming
        view = win.sidebar.view
        rect = view.visualRect(win.sidebar.model.index(win.sidebar.model.row_of(letters)))
        qtbot.mouseClick(view.viewport(), LEFT, pos=rect.center())

        assert win.current_draft.id == letters
        assert ed.plain_text() == "Dear Anna, the snow came early this year."
        assert win.generation.run is None and not ed.pending.active
        assert _db_body(win, harbour) == before + " and sang"  # saved before the switch, without the proposal
        qtbot.waitUntil(lambda: run.job in jobs.finished, timeout=RUN_TIMEOUT_MS)
        stopped = jobs.finished[run.job]
        # Saving before the switch lets queued events in; the model may have ended by itself just then.
        if run.streaming:  # it was still writing when the switch discarded it: the engine was told to stop
            assert stopped and stopped[0].stats.stop_reason == StopReason.CANCELLED
            assert stopped[0].stats.generated_tokens < LONG_RUN
        assert ed.plain_text() == "Dear Anna, the snow came early this year." and ed.pending.text == ""
        assert not win.is_dirty()

        # The engine is free again: the next draft's Continue streams and is accepted there.
        win.assistant.max_tokens.setValue(16)
        letter_text = _caret_to_end(win)
        proposal = _generate(win, qtbot, Qt.Key.Key_Return, CTRL).text()
        qtbot.keyClick(ed, Qt.Key.Key_Tab)
        assert ed.plain_text() == letter_text + proposal
        _wait_saved(win, qtbot, letter_text + proposal)
        assert _db_body(win, harbour) == before + " and sang"
    finally:
        jobs.close()


def test_closing_the_window_while_text_streams_saves_the_writers_text_and_stops_the_engine(
    services, own_window, qtbot
):
    draft = services.drafts.create("Harbour", Form.PROSE, body=HARBOUR)
    win = own_window(services)
    assert win.current_draft.id == draft.id
    jobs = JobLog(win)
    before = _caret_to_end(win)
    run = _start_streaming(win, qtbot)
    qtbot.keyClicks(win.editor, " at dawn")
    assert run.streaming and win.is_dirty()
    qtbot.keyClick(win.editor, Qt.Key.Key_Q, CTRL)  # Quit, while the model is still writing

    assert not win.isVisible()
    assert not win.host.running, "the engine thread is still running after the window closed"
    # The engine thread was waited for, so the stopped job had reported back before it ended.
    qtbot.waitUntil(lambda: run.job in jobs.finished, timeout=10_000)
    if run.streaming:  # discarded while writing (not ended by itself during the save on closing)
        assert jobs.finished[run.job][0].stats.stop_reason == StopReason.CANCELLED
    assert services.drafts.get(draft.id).body == before + " at dawn"  # the writer's text, not the proposal
    records = services.generation.history(draft.id)
    assert all(not r.accepted for r in records)


# ------------------------------------------------------------------------------------------ 2. editing under a rewrite
def test_typing_into_the_passage_while_a_rewrite_streams_is_never_overwritten_silently(window, qtbot, monkeypatch):
    win = window
    ed = win.editor
    _new_draft(win, qtbot, monkeypatch, "Harbour rewrite", Form.PROSE, HARBOUR)
    win.assistant.max_tokens.setValue(40)
    # A tiny base model now and then proposes nothing; each attempt rewrites another word, and every attempt's
    # typing must stay in the text.
    for word in ("quiet", "morning", "mended"):
        _select(win, word)
        qtbot.keyClick(ed, Qt.Key.Key_Return, CTRL | SHIFT)
        run = win.generation.run
        assert run is not None and run.streaming and run.request.selection == word
        # The caret sits at the passage's start now; the writer steps into it and types.
        qtbot.keyClick(ed, Qt.Key.Key_Right)
        qtbot.keyClick(ed, Qt.Key.Key_Right)
        qtbot.keyClicks(ed, "XY")
        assert run.streaming, "the rewrite ended before the writer typed; this test needs a longer run"
        typed = ed.plain_text()
        assert word[:2] + "XY" + word[2:] in typed
        qtbot.waitUntil(lambda: _finished(win), timeout=RUN_TIMEOUT_MS)
        if win.generation.run.text().strip():
            break
        qtbot.keyClick(ed, Qt.Key.Key_Escape)
    else:
        pytest.fail("the model proposed nothing three times")
    proposal = win.generation.run.text()
    edited = word[:2] + "XY" + word[2:]

    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    assert ed.plain_text() == typed, "Tab replaced the passage the writer had just edited"
    assert win.generation.run is not None  # the proposal is still there to retry or discard
    assert "changed" in win.status.currentMessage().lower()
    _wait_saved(win, qtbot, typed)

    # Retry rewrites the passage as it is now; accepting that one replaces the writer's edited passage,
    # and the text with the edit is kept as a revision first.
    win.assistant.max_tokens.setValue(24)
    for _attempt in range(3):
        qtbot.keyClick(ed, Qt.Key.Key_R, CTRL)
        qtbot.waitUntil(lambda: _finished(win), timeout=RUN_TIMEOUT_MS)
        if win.generation.run.text().strip():
            break
    run = win.generation.run
    assert run.request.selection == edited
    proposal = run.text()
    assert proposal.strip()
    start = typed.index(edited)
    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    assert ed.plain_text() == typed[:start] + proposal + typed[start + len(edited):]
    kept = [r.body for r in win.services.drafts.revisions(win.current_draft.id)
            if r.reason == RevisionReason.BEFORE_REWRITE]
    assert typed in kept
    _wait_saved(win, qtbot)


# ---------------------------------------------------------------------------------------------------- 3. redo
def test_redo_after_undoing_an_accepted_continue_brings_it_back_one_step_each(window, qtbot, monkeypatch):
    win = window
    ed = win.editor
    _new_draft(win, qtbot, monkeypatch, "Redo", Form.PROSE, HARBOUR)
    win.assistant.max_tokens.setValue(16)
    before = _caret_to_end(win)
    proposal = _generate(win, qtbot, Qt.Key.Key_Return, CTRL).text()
    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    after = before + proposal
    assert ed.plain_text() == after

    qtbot.keyClick(ed, Qt.Key.Key_Z, CTRL)  # at once, while the accept's autosave may still be running
    assert ed.plain_text() == before
    _wait_saved(win, qtbot, before)
    qtbot.keyClick(ed, Qt.Key.Key_Z, CTRL | SHIFT)
    assert ed.plain_text() == after  # all of the accepted text, in one step
    _wait_saved(win, qtbot, after)
    qtbot.keyClick(ed, Qt.Key.Key_Z, CTRL)
    assert ed.plain_text() == before
    _wait_saved(win, qtbot, before)
    qtbot.keyClick(ed, Qt.Key.Key_Y, CTRL)
    assert ed.plain_text() == after
    _wait_saved(win, qtbot, after)
    qtbot.keyClick(ed, Qt.Key.Key_Y, CTRL)  # nothing more to redo: nothing changes
    assert ed.plain_text() == after


# ------------------------------------------------------------------------------------------ 4. instruction and presets
def test_own_rewrite_instruction_and_chosen_presets_reach_the_engine_and_the_record(window, qtbot, monkeypatch):
    win = window
    ed = win.editor
    a = win.assistant
    draft_id = _new_draft(win, qtbot, monkeypatch, "Sailor", Form.PROSE, HARBOUR)
    win.assistant.max_tokens.setValue(24)

    qtbot.mouseClick(a.quick_buttons[1], LEFT)  # "Shorter"
    a.instruction.setFocus()
    qtbot.keyClicks(a.instruction, "in the voice of a sailor")
    assert a.rewrite_preset.count() >= 2 and a.continue_preset.count() >= 2
    qtbot.keyClick(a.rewrite_preset, Qt.Key.Key_Down)  # the second Rewrite preset
    rewrite_preset = a.rewrite_preset.currentData()
    assert a.rewrite_preset.currentIndex() == 1
    qtbot.keyClick(a.continue_preset, Qt.Key.Key_Down)  # the second Continue preset
    continue_preset = a.continue_preset.currentData()
    assert a.continue_preset.currentIndex() == 1

    ed.setFocus()
    _select(win, "quiet")
    run = _generate(win, qtbot, Qt.Key.Key_Return, CTRL | SHIFT)
    assert run.request.instruction == "Shorter, in the voice of a sailor"
    assert run.request.preset is not None and run.request.preset.id == rewrite_preset
    # The prompt the real engine builds for this very request says what the writer asked for.
    jobs = JobLog(win)
    try:
        request_id = win.host.preview(run.request)
        qtbot.waitUntil(lambda: request_id in jobs.previews, timeout=RUN_TIMEOUT_MS)
    finally:
        jobs.close()
    prompt = jobs.previews[request_id].prompt_text
    assert "voice of a sailor" in prompt and "quiet" in prompt
    qtbot.keyClick(ed, Qt.Key.Key_Escape)  # discard

    win.assistant.max_tokens.setValue(16)
    _caret_to_end(win)
    cont = _generate(win, qtbot, Qt.Key.Key_Return, CTRL)
    assert cont.request.preset is not None and cont.request.preset.id == continue_preset
    assert cont.request.instruction == ""  # a Continue carries no rewrite instruction
    qtbot.keyClick(ed, Qt.Key.Key_Escape)

    records = win.services.generation.history(draft_id)
    rewrites = [r for r in records if r.action == Action.REWRITE]
    continues = [r for r in records if r.action == Action.CONTINUE]
    assert rewrites and all(r.instruction == "Shorter, in the voice of a sailor" for r in rewrites)
    assert all(r.preset_id == rewrite_preset for r in rewrites)
    assert continues and all(r.preset_id == continue_preset and r.instruction == "" for r in continues)
    # The choices are remembered for the next session.
    assert win.services.library.setting("ui.rewrite_preset") == rewrite_preset
    assert win.services.library.setting("ui.continue_preset") == continue_preset


# ----------------------------------------------------------------------------------------------- 5. screenplay, lyrics
SCENE = """INT. FERRY TERMINAL - NIGHT

Rain needles the glass. MARA drags a suitcase toward the gate.

MARA
Is the ten-fifteen still here?

CLERK
"""

SONG = """[Verse 1]
I walked the river road at dawn,
the frost was on the wire,
"""


@pytest.mark.parametrize(("form", "title", "body", "style"), [
    (Form.SCREENPLAY, "Night Ferry", SCENE, "Tense thriller"),
    (Form.LYRICS, "River Road", SONG, "Folk ballad"),
])
def test_continue_with_a_built_in_style_streams_is_accepted_with_tab_and_saved(window, qtbot, monkeypatch, form,
                                                                               title, body, style):
    win = window
    ed = win.editor
    draft_id = _new_draft(win, qtbot, monkeypatch, title, form, body)
    combo = win.assistant.style_combo
    index = combo.findText(style)
    assert index > 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)  # what choosing it in the drop-down does
    style_id = combo.currentData()
    assert win.services.drafts.get(draft_id).style_id == style_id

    win.assistant.max_tokens.setValue(32)
    before = _caret_to_end(win)
    run = _generate(win, qtbot, Qt.Key.Key_Return, CTRL)
    assert run.request.style is not None and run.request.style.id == style_id
    assert run.request.form == form
    proposal = run.text()
    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    assert ed.plain_text() == before + proposal
    _wait_saved(win, qtbot, before + proposal)
    stored = win.services.drafts.get(draft_id)
    assert stored.form == form and stored.style_id == style_id
    accepted = [r for r in win.services.generation.history(draft_id) if r.accepted]
    assert [(r.output, r.style_id) for r in accepted] == [(proposal, style_id)]


# ---------------------------------------------------------------------------------------- 6. mouse on the proposal bar
def test_stop_retry_accept_and_the_alternative_arrows_work_with_the_mouse(window, qtbot, monkeypatch):
    win = window
    ed = win.editor
    bar = win.proposal
    draft_id = _new_draft(win, qtbot, monkeypatch, "Mouse", Form.PROSE, HARBOUR)
    before = _caret_to_end(win)

    run = _start_streaming(win, qtbot)
    assert bar.isVisible() and not bar.discard_button.isVisible()
    _click(qtbot, bar.stop_button)
    qtbot.waitUntil(lambda: _finished(win), timeout=10_000)
    fin = run.finished.get(0)
    assert fin is not None and fin.stats.stop_reason == StopReason.CANCELLED
    assert fin.stats.generated_tokens < LONG_RUN
    assert ed.plain_text() == before and ed.pending.text == run.text()
    assert bar.discard_button.isVisible() and not bar.stop_button.isVisible()

    win.assistant.max_tokens.setValue(16)
    for _attempt in range(3):
        _click(qtbot, bar.retry_button)
        retried = win.generation.run
        assert retried is not None and retried.job != run.job and retried.request.seed is not None
        qtbot.waitUntil(lambda: _finished(win), timeout=RUN_TIMEOUT_MS)
        if win.generation.run.text().strip():
            break
    retried = win.generation.run
    proposal = retried.text()
    assert proposal.strip()
    _click(qtbot, bar.accept_button)
    assert win.generation.run is None and not bar.isVisible()
    assert ed.plain_text() == before + proposal
    _wait_saved(win, qtbot, before + proposal)

    # Two alternatives: the arrows change the one shown, and Accept takes the one shown.
    win.assistant.max_tokens.setValue(12)
    win.assistant.alternatives.setValue(2)
    start = _caret_to_end(win)
    qtbot.keyClick(ed, Qt.Key.Key_Return, CTRL | ALT)
    for _attempt in range(3):  # both alternatives must have text, so that taking the second one shows
        qtbot.waitUntil(lambda: _finished(win), timeout=RUN_TIMEOUT_MS)
        if all(t.strip() for t in win.generation.run.texts):
            break
        _click(qtbot, bar.retry_button)
    alt = win.generation.run
    assert alt.n == 2 and sorted(alt.finished) == [0, 1]
    assert all(t.strip() for t in alt.texts), "the model left an alternative empty three times"
    first = alt.current
    assert bar.counter.text() == f"{first + 1} / 2"
    _click(qtbot, bar.next_button)
    assert alt.current != first and ed.pending.text == alt.texts[alt.current]
    assert bar.counter.text() == f"{alt.current + 1} / 2"
    _click(qtbot, bar.prev_button)
    assert alt.current == first and ed.pending.text == alt.texts[first]
    _click(qtbot, bar.next_button)
    chosen_index = alt.current
    chosen = alt.texts[chosen_index]
    _click(qtbot, bar.accept_button)
    assert ed.plain_text() == start + chosen
    records = win.services.generation.history(draft_id, group_id=alt.group_id)
    assert [r.alternative_index for r in records if r.accepted] == [chosen_index]


# ------------------------------------------------------------------------------------------- 8. export from the window
def _export(win: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, target: Path) -> Path:
    asked: list[str] = []

    def dialog(_parent: Any, _caption: str, default: str, _filters: str) -> tuple[str, str]:
        asked.append(default)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(dialog))
    with qtbot.waitSignal(win.commands.exported, timeout=10_000):  # the file is written off the UI thread
        qtbot.keyClick(win.editor, Qt.Key.Key_E, CTRL)
    assert asked, "Ctrl+E did not ask where to export"
    assert target.is_file()
    return Path(asked[0])


def test_a_screenplay_exports_from_the_window_as_fountain(window, qtbot, monkeypatch, tmp_path):
    win = window
    scene = (DATA / "corpus" / "scene.fountain").read_text(encoding="utf-8").rstrip("\n").split("\n\n", 1)[1]
    _new_draft(win, qtbot, monkeypatch, "The Night Ferry", Form.SCREENPLAY, scene)
    target = tmp_path / "ferry.fountain"
    suggested = _export(win, qtbot, monkeypatch, target)
    assert suggested.name == "The Night Ferry.fountain"  # a screenplay is offered as Fountain
    written = target.read_bytes().decode("utf-8")  # strict: the file is UTF-8
    assert written == (DATA / "export" / "screenplay.fountain").read_text(encoding="utf-8")


def test_a_chinese_poem_typed_in_the_window_exports_as_markdown_intact(window, qtbot, monkeypatch, tmp_path):
    win = window
    ed = win.editor
    draft_id = _new_draft(win, qtbot, monkeypatch, "静夜思", Form.POETRY)
    combo = win.assistant.style_combo
    combo.setCurrentIndex(combo.findText("五言绝句"))
    assert combo.currentText() == "五言绝句"
    lines = ["床前明月光，", "疑是地上霜。", "举头望明月，", "低头思故乡。"]
    for i, line in enumerate(lines):
        if i:
            qtbot.keyClick(ed, Qt.Key.Key_Return)
        _type_through_input_method(ed, line)
    assert ed.plain_text() == "\n".join(lines)
    target = tmp_path / "静夜思.md"
    suggested = _export(win, qtbot, monkeypatch, target)
    assert suggested.name == "静夜思.md"
    written = target.read_bytes().decode("utf-8")
    stored = win.services.drafts.get(draft_id)
    assert stored.body == "\n".join(lines)
    reference = (DATA / "export" / "poetry_zh.md").read_text(encoding="utf-8")
    # The reference was made with fixed dates; this draft has its own.
    dates = dict(re.findall(r"^(created|updated): (.+)$", written, flags=re.MULTILINE))
    assert datetime.fromisoformat(dates["created"]) == stored.created_at.replace(microsecond=0)
    assert datetime.fromisoformat(dates["updated"]) == stored.updated_at.replace(microsecond=0)
    expected = re.sub(r"^created: .+$", f"created: {dates['created']}", reference, flags=re.MULTILINE)
    expected = re.sub(r"^updated: .+$", f"updated: {dates['updated']}", expected, flags=re.MULTILINE)
    assert written == expected
    for line in lines:
        assert line in written


# ---------------------------------------------------------------------------------- 9. a full disk, a read-only folder
def _root_only() -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (CI runs as root, where this test runs)")


def _mount(*args: str, command: str = "mount") -> subprocess.CompletedProcess[str]:
    return subprocess.run([command, *args], check=False, capture_output=True, text=True)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real, small file system of its own (tmpfs), so it can really fill up and really turn read-only."""
    _root_only()
    mount = tmp_path / "disk"
    mount.mkdir()
    done = _mount("-t", "tmpfs", "-o", "size=4m,mode=0755", "tmpfs", str(mount))
    assert done.returncode == 0, done.stderr
    try:
        yield mount
    finally:
        _mount("-o", "remount,rw", str(mount))
        _mount("-l", str(mount), command="umount")


def _fill(folder: Path) -> Path:
    """Write a file until the disk refuses; returns it (remove it to make space again)."""
    filler = folder / "filler.bin"
    chunk = b"\0" * 4096
    with open(filler, "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(chunk)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
    return filler


def _close_all(services: Any) -> None:
    """Windows over ``services`` first (they save on closing), then the store."""
    for w in QApplication.topLevelWidgets():
        if getattr(w, "services", None) is services:
            w.shutdown()
    services.close()


def _paste_at_end(win: Any, qtbot: Any, text: str) -> None:
    _caret_to_end(win)
    QApplication.clipboard().setText(text)
    qtbot.keyClick(win.editor, Qt.Key.Key_V, CTRL)


def test_autosave_onto_a_full_disk_says_so_keeps_the_text_and_saves_when_space_comes_back(
    own_window, tiny_disk, qtbot, dialogs
):
    from studio.services import Services

    services = Services.open(Paths(tiny_disk / "studio").ensure())
    try:
        draft = services.drafts.create("Harbour", Form.PROSE, body=HARBOUR)
        win = own_window(services)
        _paste_at_end(win, qtbot, "\n\nThe gulls came in low. ")
        _wait_saved(win, qtbot)
        filler = _fill(tiny_disk)
        # More than the database's free pages and its write-ahead log can absorb.
        words = " ".join(f"wave{i}" for i in range(60_000))
        _paste_at_end(win, qtbot, words)
        typed = win.editor.plain_text()
        qtbot.waitUntil(lambda: win.status.save_state == SaveState.FAILED, timeout=SAVE_TIMEOUT_MS)
        assert dialogs.titles() == ["Your draft was not saved"]
        assert "full" in dialogs.texts()[0].lower()
        assert win.editor.plain_text() == typed and win.is_dirty()
        assert services.drafts.get(draft.id).body != typed
        failures: list[int] = []
        win.saver.save_failed.connect(lambda ticket, _exc: failures.append(ticket))
        qtbot.keyClicks(win.editor, " more")  # typing on while the disk is full
        typed += " more"
        qtbot.waitUntil(lambda: len(failures) >= 2, timeout=SAVE_TIMEOUT_MS)  # the window keeps trying...
        assert dialogs.titles() == ["Your draft was not saved"]  # ... and says so once, not at every pause
        assert win.status.save_state == SaveState.FAILED

        filler.unlink()  # space comes back; the window's own retry saves, nobody presses anything
        _wait_saved(win, qtbot, typed)
        assert win.status.save_state == SaveState.SAVED
        assert services.drafts.get(draft.id).body == typed
    finally:
        _close_all(services)


def test_autosave_into_a_folder_turned_read_only_says_so_and_saves_when_it_is_writable_again(
    own_window, tiny_disk, qtbot, dialogs
):
    from studio.services import Services

    services = Services.open(Paths(tiny_disk / "studio").ensure())
    try:
        draft = services.drafts.create("Harbour", Form.PROSE, body=HARBOUR)
        win = own_window(services)
        _paste_at_end(win, qtbot, " and the tide came in.")
        _wait_saved(win, qtbot)
        # Linux refuses to remount a file system read-only while files on it are open for writing, and the
        # store keeps idle connections open; letting them go is what a real remount (a failing USB disk, a
        # network share turned read-only) does to the next write, which then has to open the file again.
        services._store._engine.dispose()
        done = _mount("-o", "remount,ro", str(tiny_disk))
        assert done.returncode == 0, done.stderr
        _paste_at_end(win, qtbot, " Old Tom looked up.")
        typed = win.editor.plain_text()
        qtbot.waitUntil(lambda: win.status.save_state == SaveState.FAILED, timeout=SAVE_TIMEOUT_MS)
        assert dialogs.titles() == ["Your draft was not saved"]
        message = dialogs.texts()[0]
        assert str(services._store.path) in message and "write" in message  # which file, and what to check
        assert win.editor.plain_text() == typed and win.is_dirty()

        done = _mount("-o", "remount,rw", str(tiny_disk))
        assert done.returncode == 0, done.stderr
        _wait_saved(win, qtbot, typed)
        assert win.status.save_state == SaveState.SAVED
        assert services.drafts.get(draft.id).body == typed
    finally:
        _close_all(services)


# -------------------------------------------------------------------------------------------- the guard, in the window
_SPECIAL = re.compile(r"<[a-z_|/][^<>\s]{0,40}>|\[multimodal\]|<unused\d+>")
_NOT_CHINESE_VERSE = re.compile(r"[^\u3400-\u9fff\uf900-\ufaff，。！？；、：\s]")


def test_a_new_chinese_poem_in_the_window_is_clean_on_every_alternative(window, qtbot, monkeypatch):
    """The path that found the output guard's bugs (issue 9), in the window: a title line 秋夜 and a blank line,
    the 五言绝句 style chosen, Alternatives (Ctrl+Alt+Return). Every alternative is four lines of Han characters:
    no special token, no "* * *" break line, no letter of another script, no exemplar line; Tab takes one."""
    win = window
    draft_id = _new_draft(win, qtbot, monkeypatch, "秋夜", Form.POETRY, "秋夜\n\n")
    combo = win.assistant.style_combo
    combo.setCurrentIndex(combo.findText("五言绝句"))
    assert win.services.drafts.get(draft_id).style_id == combo.currentData()
    win.assistant.max_tokens.setValue(48)
    win.assistant.alternatives.setValue(3)
    before = _caret_to_end(win)
    qtbot.keyClick(win.editor, Qt.Key.Key_Return, CTRL | ALT)
    qtbot.waitUntil(lambda: _finished(win), timeout=RUN_TIMEOUT_MS)
    run = win.generation.run
    assert run.failure is None and run.request.hold_form == "wujue"
    assert len(run.texts) == 3
    for text in run.texts:
        assert not _SPECIAL.search(text) and "*" not in text and not _NOT_CHINESE_VERSE.search(text), text
        assert len([ln for ln in text.splitlines() if ln.strip()]) == 4, text
        assert not any(line in text for line in ("春眠不觉晓", "花落知多少", "千山鸟飞绝", "独钓寒江雪")), text
    shown = run.text()
    qtbot.keyClick(win.editor, Qt.Key.Key_Tab)
    _wait_saved(win, qtbot, before + shown)
