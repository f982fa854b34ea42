"""Issue 13 in the window: Generate -> Check the form (Ctrl+Shift+K) reads the poem at the cursor per line and
checks again after an edit; the alternatives of a held form that do not fit are marked on the proposal bar (not
hidden); "Write a verse to this meter" (Ctrl+Alt+M) proposes a new verse after the one the cursor is in, with the
per-line counts beside the original's. A scripted runner stands in for the model here (UI logic); the real model's
side is tests/ui/test_form_check_real.py."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from studio.domain import Finished, GenerationEvent, GenerationRequest, GenerationStats, StopReason, TextDelta
from tests.ui.fakes import FakeRunner

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
CHUNXIAO_BROKEN = "春晓\n\n春眠不觉晓\n处处闻啼鸟\n夜来风雨声\n花落知多天\n"


class ScriptedRunner(FakeRunner):
    """Streams the given texts, one per alternative (cycling), in a few pieces each."""

    def __init__(self, texts: list[str]) -> None:
        super().__init__()
        self.texts = texts

    def _events(self, request: GenerationRequest, cancel: threading.Event) -> Iterator[GenerationEvent]:
        for index in range(request.n_alternatives):
            text = self.texts[index % len(self.texts)]
            for k in range(0, len(text), 4):
                yield TextDelta(text[k:k + 4], index)
            yield Finished(text, GenerationStats(generated_tokens=len(text), total_s=0.01, tokens_per_s=100.0,
                                                 stop_reason=StopReason.FORM), index)


def _poetry_window(make_window: Any, services: Any, body: str, runner: Any = None) -> Any:
    draft = services.drafts.create("春晓", "poetry", body=body)
    win = make_window(runner=runner)
    win.open_draft(draft.id)
    combo = win.assistant.style_combo
    combo.setCurrentIndex(combo.findText("五言绝句"))
    assert combo.currentText() == "五言绝句"
    return win


def test_the_check_panel_shows_groups_tones_and_the_failing_rhyme_and_follows_an_edit(make_window, services, qtbot):
    win = _poetry_window(make_window, services, CHUNXIAO_BROKEN)
    ed = win.editor
    assert win.menu_actions.act_check_form.isEnabled()
    panel = win.form_check
    with qtbot.waitSignal(panel.checked, timeout=5000):
        qtbot.keyClick(ed, Qt.Key.Key_K, CTRL | SHIFT)
    assert panel.isVisible()
    check = panel.last
    assert check is not None and check.form == "wujue" and check.first_line == 2  # the title line is not the poem
    assert panel.form_combo.currentData() == "wujue" and panel.rhyme_combo.currentData() == "pingshui"
    table = panel.table
    assert table.rowCount() == 4
    cells = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(4)]
    assert cells[1][1] == "处处闻啼鸟" and "上声十七筱" in cells[1][3] and cells[1][2] == "5 of 5"
    assert "下平一先" in cells[3][3] and "天" in cells[3][5]  # line 4's rhyme: the deviation is on its row
    assert all(len(row[4]) >= 5 for row in cells)  # 平仄 per character
    assert not check.result.ok and panel.summary.text().startswith("Does not fit 五言绝句")
    problems = [panel.problems.item(i).text() for i in range(panel.problems.count())]
    assert any(p.startswith("Does not fit: line 4: 天") for p in problems), problems

    # The writer mends line 4 (天 -> 少): the panel checks again on its own, a moment later.
    cursor = ed.textCursor()
    cursor.setPosition(ed.toPlainText().index("天"))
    cursor.setPosition(cursor.position() + 1, QTextCursor.MoveMode.KeepAnchor)
    ed.setTextCursor(cursor)
    with qtbot.waitSignal(panel.checked, timeout=5000):
        cursor.insertText("少")  # as an input method commits it (QTest cannot type Han characters)
    assert panel.last is not None and panel.last.result.ok, panel.last
    assert panel.summary.text().startswith("Fits 五言绝句")
    assert "上声十七筱" in table.item(3, 3).text()

    # Another rhyme book from the panel: 十三辙 (遥条) also takes 晓/鸟/少.
    with qtbot.waitSignal(panel.checked, timeout=5000):
        panel.rhyme_combo.setCurrentIndex(panel.rhyme_combo.findData("shisanzhe"))
    assert panel.last is not None and panel.last.result.rhyme_system == "shisanzhe" and panel.last.result.ok
    assert "遥条" in table.item(3, 3).text()


def test_a_prose_draft_has_no_form_check(make_window, services):
    draft = services.drafts.create("Harbour", "prose", body="The harbour was quiet.")
    win = make_window()
    win.open_draft(draft.id)
    assert not win.menu_actions.act_check_form.isEnabled() and not win.menu_actions.act_match_verse.isEnabled()


def test_an_alternative_that_breaks_the_held_form_is_marked_not_hidden(make_window, services, qtbot):
    good = "春眠不觉晓\n处处闻啼鸟\n夜来风雨声\n花落知多少"
    bad = "春眠不觉晓\n处处闻啼鸟\n夜来风雨声\n花落知多天"
    win = _poetry_window(make_window, services, "春晓\n\n", runner=ScriptedRunner([good, bad]))
    win.assistant.alternatives.setValue(2)
    ed = win.editor
    ed.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(ed, Qt.Key.Key_Return, CTRL | ALT)
    qtbot.waitUntil(lambda: win.generation.run is not None and not win.generation.run.streaming, timeout=10_000)
    run = win.generation.run
    assert run.request.hold_form == "wujue" and set(run.verdicts) == {0, 1}
    bar = win.proposal
    if run.current != 0:
        win.generation.cycle(1)
    assert bar.counter.text() == "1 / 2 · fits" and bar.counter.toolTip() == ""
    win.generation.cycle(1)
    assert run.current == 1
    assert bar.counter.text() == "2 / 2 · does not fit: line 4 rhyme", bar.counter.text()
    assert bar.counter.toolTip().startswith("line 4: 天 (下平一先) does not rhyme with")
    assert ed.pending.text == bad  # the failing one is shown like any other, and can be taken
    assert win.generation.accept()
    assert ed.toPlainText() == "春晓\n\n" + bad


def test_a_verse_to_this_meter_is_proposed_after_the_verse_with_its_counts(make_window, services, qtbot):
    song = "[Verse 1]\nThe night is cold and long\nI sing my little song\n\n[Chorus]\nOh oh oh\n"
    new = "\n\nThe wind is in the trees\nI hear it in the breeze"
    runner = ScriptedRunner([new])
    draft = services.drafts.create("Song", "lyrics", body=song)
    win = make_window(runner=runner)
    win.open_draft(draft.id)
    ed = win.editor
    cursor = ed.textCursor()
    cursor.setPosition(song.index("little"))
    ed.setTextCursor(cursor)
    assert win.menu_actions.act_match_verse.isEnabled()
    qtbot.keyClick(ed, Qt.Key.Key_M, CTRL | ALT)
    qtbot.waitUntil(lambda: win.generation.run is not None and not win.generation.run.streaming, timeout=10_000)
    run = win.generation.run
    meter = run.request.meter
    assert meter is not None and meter.counts == (6, 6) and meter.scheme == "AA" and meter.unit == "syllables"
    assert run.request.before == song[:song.index("\n\n[Chorus]")]  # the new verse comes right after verse 1
    assert win.proposal.meter.isVisible()
    assert win.proposal.meter.text() == "Per line, new (original): 6 (6) · 6 (6)"
    assert win.proposal.counter.text() == "fits"
    assert win.generation.accept()
    assert ed.toPlainText() == song.replace("song\n\n", "song" + new + "\n\n")
    # Retry asks for a verse to the same meter again, not a plain Continue.
    ed.undo()
    cursor.setPosition(song.index("little"))
    ed.setTextCursor(cursor)
    qtbot.keyClick(ed, Qt.Key.Key_M, CTRL | ALT)
    qtbot.waitUntil(lambda: win.generation.run is not None and not win.generation.run.streaming, timeout=10_000)
    assert win.generation.retry()
    qtbot.waitUntil(lambda: win.generation.run is not None and not win.generation.run.streaming, timeout=10_000)
    assert runner.requests[-1].meter == meter


def test_a_verse_that_misses_the_meter_is_marked_and_no_verse_says_so(make_window, services, qtbot):
    song = "月亮挂在天上\n照着我的家乡\n"
    runner = ScriptedRunner(["\n\n星星眨着眼睛\n"])  # one line where two are wanted, and 6 characters
    draft = services.drafts.create("歌", "lyrics", body=song)
    win = make_window(runner=runner)
    win.open_draft(draft.id)
    ed = win.editor
    ed.moveCursor(QTextCursor.MoveOperation.Start)
    assert win.generation.start_match_verse()
    qtbot.waitUntil(lambda: win.generation.run is not None and not win.generation.run.streaming, timeout=10_000)
    run = win.generation.run
    assert run.request.meter is not None and run.request.meter.unit == "characters"
    assert win.proposal.counter.text() == "does not fit: line count"
    assert win.proposal.meter.text() == "Per line, new (original): 6 (6) · – (6)"
    win.generation.discard()
    empty = services.drafts.create("空", "lyrics", body="")
    win.open_draft(empty.id)
    messages: list[str] = []
    win.generation.message.connect(messages.append)
    assert not win.generation.start_match_verse()
    assert messages and "verse" in messages[-1]
