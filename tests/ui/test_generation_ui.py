"""Continue / Rewrite / Alternatives driven by keys in the real window, with a scripted runner (fast, exact)."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCursor

from studio.domain import ContextOverflowError, RevisionReason
from studio.ui.generation import Phase
from studio.ui.worker import EMIT_INTERVAL_S
from tests.ui.fakes import FakeRunner

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def _finished(win) -> bool:
    run = win.generation.run
    return run is not None and not run.streaming


def _end(editor) -> None:
    editor.moveCursor(QTextCursor.MoveOperation.End)


def test_continue_streams_as_proposal_then_tab_accepts_and_ctrl_z_removes_it_all(make_window, services, qtbot):
    draft = services.drafts.create("Sea", "prose", body="The sea was calm.")
    win = make_window()
    ed = win.editor
    _end(ed)
    qtbot.keyClicks(ed, " Then")
    typed = "The sea was calm. Then"
    qtbot.keyClick(ed, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: _finished(win), timeout=5000)
    proposal = win.generation.run.text()
    assert proposal.startswith(" word0_0") and proposal.endswith(".")
    # Pending text is shown but is not part of the draft: not in the document, not saved.
    assert ed.plain_text() == typed
    assert ed.pending.text == proposal
    assert win.proposal.isVisible()

    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    assert win.generation.run is None
    assert ed.plain_text() == typed + proposal
    # An accept is saved at once (on the save thread).
    qtbot.waitUntil(lambda: services.drafts.get(draft.id).body == typed + proposal, timeout=5000)
    records = services.generation.history(draft.id)
    assert len(records) == 1 and records[0].accepted and records[0].output == proposal

    qtbot.keyClick(ed, Qt.Key.Key_Z, CTRL)
    assert ed.plain_text() == typed  # the whole insertion, in one step
    qtbot.keyClick(ed, Qt.Key.Key_Z, CTRL)
    assert ed.plain_text() != typed  # the writer's own typing is a separate, earlier step


def test_escape_stops_within_a_token_and_a_second_escape_discards(make_window, services, qtbot):
    gate = threading.Event()
    runner = FakeRunner(block=gate, words=50)
    services.drafts.create("Sea", "prose", body="Waves.")
    win = make_window(runner=runner)
    ed = win.editor
    _end(ed)
    qtbot.keyClick(ed, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: win.generation.run is not None and win.generation.run.text() != "", timeout=5000)
    qtbot.keyClick(ed, Qt.Key.Key_Escape)
    gate.set()
    qtbot.waitUntil(lambda: _finished(win), timeout=5000)
    run = win.generation.run
    assert run.stopped and run.text().count("word") < 5  # stopped long before 50 words
    assert win.proposal.discard_button.isVisible()
    qtbot.keyClick(ed, Qt.Key.Key_Escape)
    assert win.generation.run is None
    assert ed.plain_text() == "Waves."
    assert not ed.pending.active


def test_writer_keeps_typing_elsewhere_while_a_run_streams(make_window, services, qtbot):
    gate = threading.Event()
    runner = FakeRunner(block=gate, words=4)
    services.drafts.create("Two", "prose", body="First paragraph.\nSecond paragraph.")
    win = make_window(runner=runner)
    ed = win.editor
    _end(ed)
    qtbot.keyClick(ed, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: win.generation.run is not None and win.generation.run.text() != "", timeout=5000)
    ed.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.keyClicks(ed, "Intro. ")
    gate.set()
    qtbot.waitUntil(lambda: _finished(win), timeout=5000)
    proposal = win.generation.run.text()
    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    assert ed.plain_text() == "Intro. First paragraph.\nSecond paragraph." + proposal


def test_the_event_loop_keeps_running_while_streaming(make_window, services, qtbot):
    runner = FakeRunner(delay=0.01, words=40)
    services.drafts.create("Loop", "prose", body="Tick.")
    win = make_window(runner=runner)
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    _end(win.editor)
    qtbot.keyClick(win.editor, Qt.Key.Key_Return, CTRL)
    # Waiting on UI-side state, not on the worker's signal: that one is delivered on the engine thread first.
    qtbot.waitUntil(lambda: _finished(win), timeout=10_000)
    timer.stop()
    assert len(ticks) >= 10  # ~0.4 s of streaming: a 10 ms timer fired all along


def _record_batches(win) -> list[tuple[float, list]]:
    batches: list[tuple[float, list]] = []
    # No context object: called on the engine thread as each batch is emitted, so the times are the emit times.
    win.host.worker.tokens_received.connect(lambda job, deltas: batches.append((time.monotonic(), deltas)))
    return batches


def test_a_fast_stream_arrives_in_frame_sized_batches(make_window, services, qtbot):
    # The worker emits at most one batch per EMIT_INTERVAL_S (the first at once, the last with the end of the
    # alternative): a signal per token would cost the UI thread a repaint per token.
    assert 0.010 <= EMIT_INTERVAL_S <= 0.040  # about a frame (design.md: 16-33 ms)
    runner = FakeRunner(delay=0.0005, words=400)
    services.drafts.create("Fast", "prose", body="Go.")
    win = make_window(runner=runner)
    batches = _record_batches(win)
    _end(win.editor)
    win.continue_at_cursor()
    qtbot.waitUntil(lambda: _finished(win), timeout=10_000)
    run = win.generation.run
    assert run.text().count("word0_") == 400
    assert "".join(d.text for _, b in batches for d in b) == run.text()
    assert all(len(deltas) == 1 for _, deltas in batches)  # one alternative: each batch merged into one delta
    times = [t for t, _ in batches][:-1]  # the flush at the end of the alternative may come early
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert all(gap >= EMIT_INTERVAL_S for gap in gaps), sorted(gaps)[:5]
    streamed = run.finished[0].stats.total_s
    assert 2 <= len(batches) <= 2 + streamed / EMIT_INTERVAL_S, (len(batches), streamed)
    assert len(batches) <= 400 / 4  # several tokens a batch (~0.5 ms a token: about 30)


def test_a_slow_stream_is_shown_as_it_comes(make_window, services, qtbot):
    # Tokens further apart than the interval each go out at once: batching must not hold text back.
    runner = FakeRunner(delay=0.06, words=10)
    services.drafts.create("Slow", "prose", body="Go.")
    win = make_window(runner=runner)
    batches = _record_batches(win)
    _end(win.editor)
    win.continue_at_cursor()
    qtbot.waitUntil(lambda: win.generation.run is not None and win.generation.run.text() != "", timeout=5000)
    assert win.generation.run.streaming and win.editor.pending.text == win.generation.run.text()  # shown mid-run
    qtbot.waitUntil(lambda: _finished(win), timeout=10_000)
    assert win.generation.run.text().count("word0_") == 10
    assert len(batches) >= 8, [d[0].text for _, d in batches]  # ~one a token, not one at the end
    assert batches[-1][0] - batches[0][0] >= 0.3  # spread over the run


def test_rewrite_shows_a_proposal_and_replaces_only_on_accept(make_window, services, qtbot):
    draft = services.drafts.create("Storm", "prose", body="The night was dark and full of rain.")
    win = make_window()
    ed = win.editor
    cursor = ed.textCursor()
    cursor.setPosition(4)
    cursor.setPosition(9, QTextCursor.MoveMode.KeepAnchor)  # "night"
    ed.setTextCursor(cursor)
    win.assistant.quick_buttons[0].setChecked(True)  # "More vivid"
    qtbot.keyClick(ed, Qt.Key.Key_Return, CTRL | SHIFT)
    qtbot.waitUntil(lambda: _finished(win), timeout=5000)
    run = win.generation.run
    assert run.request.selection == "night"
    assert run.request.instruction == "More vivid"
    assert run.text() == "Alt0 rewritten: NIGHT"
    assert ed.plain_text() == "The night was dark and full of rain."  # nothing replaced yet
    qtbot.waitUntil(lambda: win.proposal.diff.isVisible(), timeout=2000)
    assert "NIGHT" in win.proposal.diff.toPlainText() and "night" in win.proposal.diff.toPlainText()

    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    assert ed.plain_text() == "The Alt0 rewritten: NIGHT was dark and full of rain."
    before = [r for r in services.drafts.revisions(draft.id) if r.reason == RevisionReason.BEFORE_REWRITE]
    assert [r.body for r in before] == ["The night was dark and full of rain."]
    qtbot.keyClick(ed, Qt.Key.Key_Z, CTRL)
    assert ed.plain_text() == "The night was dark and full of rain."


def test_rewrite_without_a_selection_says_so(make_window, services, qtbot):
    services.drafts.create("Storm", "prose", body="Rain.")
    win = make_window()
    qtbot.keyClick(win.editor, Qt.Key.Key_Return, CTRL | SHIFT)
    assert win.generation.run is None
    assert "Select the passage" in win.status.currentMessage()


def test_alternatives_can_be_cycled_and_the_chosen_one_is_recorded(make_window, services, qtbot):
    draft = services.drafts.create("Alts", "poetry", body="Moon over water")
    win = make_window()
    win.assistant.alternatives.setValue(3)
    ed = win.editor
    _end(ed)
    qtbot.keyClick(ed, Qt.Key.Key_Return, CTRL | ALT)
    qtbot.waitUntil(lambda: _finished(win), timeout=5000)
    run = win.generation.run
    assert run.n == 3 and len(run.finished) == 3
    shown = [ed.pending.text]
    qtbot.keyClick(ed, Qt.Key.Key_Right, ALT)
    shown.append(ed.pending.text)
    qtbot.keyClick(ed, Qt.Key.Key_Right, ALT)
    shown.append(ed.pending.text)
    assert len(set(shown)) == 3
    qtbot.keyClick(ed, Qt.Key.Key_Left, ALT)
    assert ed.pending.text == shown[1]
    assert win.proposal.counter.text() == f"{run.current + 1} / 3"
    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    assert ed.plain_text() == "Moon over water" + shown[1]
    records = services.generation.history(draft.id)
    assert len(records) == 3 and len({r.group_id for r in records}) == 1
    assert [r.alternative_index for r in records if r.accepted] == [run.current]


def test_retry_asks_again_with_a_new_seed(make_window, services, qtbot):
    runner = FakeRunner()
    services.drafts.create("Again", "prose", body="Once.")
    win = make_window(runner=runner)
    _end(win.editor)
    win.continue_at_cursor()
    qtbot.waitUntil(lambda: _finished(win), timeout=5000)
    qtbot.keyClick(win.editor, Qt.Key.Key_R, CTRL)
    qtbot.waitUntil(lambda: _finished(win) and len(runner.requests) == 2, timeout=5000)
    assert runner.requests[1].seed is not None and runner.requests[1].before == "Once."


def test_a_failed_generation_shows_a_message_and_leaves_the_draft_alone(make_window, services, qtbot):
    runner = FakeRunner(fail_generate=ContextOverflowError("The selection is too long for the model's context.",
                                                           hint="Select less text."))
    draft = services.drafts.create("Long", "prose", body="Some text.")
    win = make_window(runner=runner)
    _end(win.editor)
    win.continue_at_cursor()
    qtbot.waitUntil(lambda: win.generation.run is not None and win.generation.run.phase == Phase.FAILED, timeout=5000)
    assert "too long" in win.proposal.label.text()
    assert "too long" in win.status.currentMessage()
    assert win.editor.plain_text() == "Some text."
    qtbot.keyClick(win.editor, Qt.Key.Key_Escape)
    assert win.generation.run is None
    assert services.drafts.get(draft.id).body == "Some text."


def test_tab_while_streaming_stops_and_accepts_what_came(make_window, services, qtbot):
    gate = threading.Event()
    runner = FakeRunner(block=gate, words=30)
    services.drafts.create("Tab", "prose", body="Start")
    win = make_window(runner=runner)
    ed = win.editor
    _end(ed)
    win.continue_at_cursor()
    qtbot.waitUntil(lambda: win.generation.run is not None and win.generation.run.text() != "", timeout=5000)
    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    gate.set()
    qtbot.waitUntil(lambda: win.generation.run is None, timeout=5000)
    assert ed.plain_text().startswith("Start word0_0")
    assert ed.plain_text().count("word") < 30


def test_a_generation_with_emoji_lands_at_the_right_place(make_window, services, qtbot):
    services.drafts.create("Emoji", "lyrics", body="🌙 moon song 🌊\nsecond line")
    win = make_window()
    ed = win.editor
    cursor = ed.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    ed.setTextCursor(cursor)
    win.continue_at_cursor()
    qtbot.waitUntil(lambda: _finished(win), timeout=5000)
    assert win.generation.run.request.before == "🌙 moon song 🌊"
    proposal = win.generation.run.text()
    qtbot.keyClick(ed, Qt.Key.Key_Tab)
    assert ed.plain_text() == "🌙 moon song 🌊" + proposal + "\nsecond line"


def test_context_view_shows_what_the_model_will_read(make_window, services, qtbot):
    services.drafts.create("Ctx", "prose", body="Once upon a time.", notes="A fable about a fox.")
    win = make_window()
    with qtbot.waitSignal(win.preview_shown, timeout=5000):
        qtbot.keyClick(win.editor, Qt.Key.Key_F5)
    assert "A fable about a fox." in win.assistant.context.toPlainText()
    assert "prompt tokens" in win.assistant.context_summary.text()
