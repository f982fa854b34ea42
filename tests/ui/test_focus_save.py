"""Leaving the editor saves what is not saved yet, at once, without waiting for the autosave pause."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication

from studio.ui.statusbar import SaveState


def _leave(editor, reason: Qt.FocusReason) -> None:
    QApplication.sendEvent(editor, QFocusEvent(QFocusEvent.Type.FocusOut, reason))


def test_leaving_the_editor_saves_the_unsaved_text_and_an_idle_leave_saves_nothing(make_window, services, qtbot):
    draft = services.drafts.create("Letter", "prose", body="")
    win = make_window()
    win.session.autosave.setInterval(60_000)  # so only leaving the editor can save within the test
    qtbot.keyClicks(win.editor, "Dear friend")
    assert win.status.save_state == SaveState.UNSAVED
    with qtbot.waitSignal(win.draft_saved, timeout=5000):
        _leave(win.editor, Qt.FocusReason.TabFocusReason)
    assert services.drafts.get(draft.id).body == "Dear friend"
    version = services.drafts.get(draft.id).version

    _leave(win.editor, Qt.FocusReason.TabFocusReason)  # nothing new: no save, no new version
    assert win.saver.in_flight is None and win.status.save_state == SaveState.SAVED
    assert services.drafts.get(draft.id).version == version


def test_a_popup_taking_focus_is_not_leaving(make_window, services, qtbot):
    draft = services.drafts.create("Letter", "prose", body="")
    win = make_window()
    win.session.autosave.setInterval(60_000)
    qtbot.keyClicks(win.editor, "Dear")
    _leave(win.editor, Qt.FocusReason.PopupFocusReason)
    assert win.saver.in_flight is None and win.status.save_state == SaveState.UNSAVED
    assert services.drafts.get(draft.id).body == ""
