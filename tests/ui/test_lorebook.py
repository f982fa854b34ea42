"""The lorebook window (Generate -> Lorebook…) over a real data folder, and what "What the model sees" says about the
entries: in (and why) or left out for the budget. One test runs the real default model and reads its preview."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QInputMethodEvent, QTextCursor
from PySide6.QtWidgets import QMessageBox

from studio.domain import LoreHit, PromptPreview
from studio.ui.lorebook import LorebookDialog, describe_lore

MODEL_TIMEOUT_MS = 240_000


def _open(win: Any, qtbot: Any) -> LorebookDialog:
    win.menu_actions.act_lorebook.trigger()
    dlg = win.lorebook.dialog.current
    assert dlg is not None
    qtbot.waitExposed(dlg)
    return dlg


def _type_at_end(win: Any, qtbot: Any, text: str) -> None:
    """Typed as a writer does: Latin text as keys, Chinese committed by the input method."""
    win.editor.setFocus()
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    for piece in re.split(r"([^\x00-\x7f]+)", text):
        if piece.isascii():
            qtbot.keyClicks(win.editor, piece)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(piece)
            QCoreApplication.sendEvent(win.editor, event)


def test_add_edit_pin_and_remove_entries_in_the_window(make_window, services, dialogs, qtbot):
    draft = services.drafts.create("Gull Rock", "prose", body="The fog came in from the west.")
    win = make_window()
    win.open_draft(draft.id)
    dlg = _open(win, qtbot)
    assert draft.title in dlg.windowTitle()
    assert dlg.entries.count() == 0
    assert "no entry" in dlg.in_now.text()

    # A new entry, typed and added as a writer does.
    qtbot.keyClicks(dlg.keys, "Mara, ")
    dlg.keys.insert("玛拉")
    dlg.text.setPlainText("Mara keeps the lighthouse on Gull Rock.")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    [entry] = services.lore.list(draft.id)
    assert entry.keys == ("Mara", "玛拉") and entry.text == "Mara keeps the lighthouse on Gull Rock."
    assert dlg.entry_ids() == [entry.id] and "Mara, 玛拉" in dlg.entries.item(0).text()

    # Typing its key in the draft brings it in (the live line follows the text before the cursor).
    _type_at_end(win, qtbot, " 玛拉 climbed the stairs.")
    qtbot.waitUntil(lambda: "key “玛拉”" in dlg.in_now.text(), timeout=5000)

    # Edit: pinned, case-sensitive, whole words; saved over the same entry.
    dlg.entries.setCurrentRow(0)
    assert dlg.keys.text() == "Mara, 玛拉"
    dlg.pinned.setChecked(True)
    dlg.case_sensitive.setChecked(True)
    dlg.whole_word.setChecked(True)
    dlg.text.setPlainText("Mara, the keeper, is sixty and afraid of nothing.")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    [entry] = services.lore.list(draft.id)
    assert (entry.pinned, entry.case_sensitive, entry.whole_word) == (True, True, True)
    assert entry.text.startswith("Mara, the keeper")
    assert "pinned" in dlg.entries.item(0).text() and "pinned" in dlg.in_now.text()

    # Disabled: kept, never in.
    dlg.enabled.setChecked(False)
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert not services.lore.list(draft.id)[0].enabled
    assert "no entry" in dlg.in_now.text()

    # Remove asks first; "No" keeps the entry, "Yes" removes it.
    dialogs.answers["question"] = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    qtbot.mouseClick(dlg.remove_button, Qt.MouseButton.LeftButton)
    assert len(services.lore.list(draft.id)) == 1
    qtbot.mouseClick(dlg.remove_button, Qt.MouseButton.LeftButton)
    assert services.lore.list(draft.id) == [] and dlg.entries.count() == 0
    assert [k for k, _, _ in dialogs.shown] == ["question", "question"]


def test_refused_entries_are_shown_and_nothing_is_saved(make_window, services, dialogs, qtbot):
    draft = services.drafts.create("Gull Rock", "prose", body="The fog came in.")
    win = make_window()
    win.open_draft(draft.id)
    dlg = _open(win, qtbot)

    dlg.keys.setText(" , ，")
    dlg.text.setPlainText("Mara keeps the lighthouse.")
    assert not dlg.save_entry()
    dlg.keys.setText("Mara")
    dlg.text.setPlainText("   ")
    assert not dlg.save_entry()
    dlg.text.setPlainText("word " * 20_000)  # far beyond the default 8,192-token context
    assert not dlg.save_entry()
    assert services.lore.list(draft.id) == []
    titles, texts = dialogs.titles(), dialogs.texts()
    assert titles == ["The lore entry was not saved"] * 3
    assert "at least one key" in texts[0] and "needs a text" in texts[1] and "too large" in texts[2]
    assert dlg.keys.text() == "Mara"  # what the writer typed is still there to fix


def test_scan_depth_and_the_dialog_follows_the_open_draft(make_window, services, qtbot):
    a = services.drafts.create("A", "prose", body="Mara" + " and the sea" * 40)
    b = services.drafts.create("B", "prose", body="Nothing here.")
    services.lore.add(a.id, "Mara", "Mara keeps the lighthouse.")
    win = make_window()
    win.open_draft(a.id)
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    dlg = _open(win, qtbot)
    assert dlg.entries.count() == 1 and "key “Mara”" in dlg.in_now.text()

    dlg.scan_depth.setValue(100)  # "Mara" is further back than 100 characters
    dlg.scan_depth.editingFinished.emit()
    assert services.lore.scan_chars(a.id) == 100
    assert "no entry" in dlg.in_now.text()

    win.open_draft(b.id)
    assert dlg.draft_id == b.id and dlg.entries.count() == 0 and "B" in dlg.windowTitle()
    assert win.lorebook.dialog.current is dlg  # one lorebook window, re-pointed, not a second one


def test_the_menu_without_a_draft_says_to_open_one(make_window, dialogs, qtbot):
    win = make_window()
    assert win.current_draft is None
    win.menu_actions.act_lorebook.trigger()
    assert win.lorebook.dialog.current is None
    assert dialogs.titles() == ["Lorebook"]


def test_describe_lore_names_entries_in_and_left_out():
    preview = PromptPreview(
        prompt_text="", prompt_tokens=10, trimmed_chars=0, trimmed_preview="", fits=True,
        lore=(LoreHit(entry_id=1, text="Mara keeps the lighthouse.", key="玛拉"),
              LoreHit(entry_id=2, text="The sea is cold.", pinned=True)),
        lore_left_out=(LoreHit(entry_id=3, text="Jonas " * 30, key="Jonas"),))
    text = describe_lore(preview)
    lines = text.splitlines()
    assert lines[0] == "Lore in the prompt: Mara keeps the lighthouse. (key “玛拉”); The sea is cold. (pinned)"
    assert lines[1].startswith("Lore left out, no room in the context: Jonas Jonas") and "(key “Jonas”)" in lines[1]
    assert describe_lore(PromptPreview("", 0, 0, "", True)) == ""


def test_a_triggered_entry_appears_in_what_the_real_model_sees(make_window, services, dialogs, qtbot,
                                                                default_model_path: Path):
    draft = services.drafts.create("Gull Rock", "prose", body="The fog came in from the west.")
    services.lore.add(draft.id, "Mara,玛拉", "Mara is the lighthouse keeper; she has a grey cat called Pilot.")
    services.lore.add(draft.id, "Jonas", "Jonas runs the ferry.")
    win = make_window(runner_factory=services.new_window_runner, model=str(default_model_path),
                      wait_model=False)
    qtbot.waitUntil(lambda: win.model_info is not None, timeout=MODEL_TIMEOUT_MS)
    win.open_draft(draft.id)

    def preview_now() -> None:
        with qtbot.waitSignal(win.preview_shown, timeout=60_000):
            win.refresh_preview()

    preview_now()
    assert "Lore in" not in win.assistant.context_summary.text()
    assert "grey cat called Pilot" not in win.assistant.context.toPlainText()

    _type_at_end(win, qtbot, " Mara climbed the stairs.")
    preview_now()
    summary = win.assistant.context_summary.text()
    assert "Lore in the prompt: Mara is the lighthouse keeper" in summary and "(key “Mara”)" in summary
    assert "Jonas" not in summary
    prompt = win.assistant.context.toPlainText()
    assert "grey cat called Pilot" in prompt and "Jonas runs the ferry" not in prompt
    # The lore sits before the draft's text, in its fixed place.
    assert prompt.index("grey cat called Pilot") < prompt.index("Mara climbed the stairs")
    assert not dialogs.shown


def test_the_list_marks_the_entries_in_the_prompt_now(make_window, services, dialogs, qtbot):
    """A glance at the list says which entries the text near the cursor brings in: bold, with the reason."""
    draft = services.drafts.create("Gull Rock", "prose", body="The fog came in from the west.")
    mara = services.lore.add(draft.id, "Mara,玛拉", "Mara keeps the lighthouse.")
    tom = services.lore.add(draft.id, "Tom", "Tom mends nets.")
    win = make_window()
    win.open_draft(draft.id)
    dlg = _open(win, qtbot)

    def bold() -> dict[int, bool]:
        return {int(dlg.entries.item(i).data(Qt.ItemDataRole.UserRole)): dlg.entries.item(i).font().bold()
                for i in range(dlg.entries.count())}

    assert bold() == {mara.id: False, tom.id: False}
    _type_at_end(win, qtbot, " 玛拉 climbed the stairs.")
    qtbot.waitUntil(lambda: bold() == {mara.id: True, tom.id: False}, timeout=5000)
    row = dlg.entry_ids().index(mara.id)
    assert "key “玛拉”" in dlg.entries.item(row).toolTip()
