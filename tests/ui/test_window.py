"""The window as a writer uses it: drafts, saving, files, dialogs, view settings (scripted model runner)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog

from studio.domain import Form, RevisionReason
from studio.ui.dialogs import NewDraftDialog
from studio.ui.statusbar import ModelState, SaveState
from tests.ui.fakes import FakeRunner

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def test_empty_data_folder_shows_the_empty_page_and_ctrl_n_creates_a_draft(make_window, services, qtbot, monkeypatch):
    win = make_window()
    assert win.current_draft is None and win.stack.currentIndex() == 0
    answer = ("Night song", Form.LYRICS)
    monkeypatch.setattr(NewDraftDialog, "get", staticmethod(lambda parent, form=Form.PROSE: answer))
    qtbot.keyClick(win, Qt.Key.Key_N, CTRL)
    assert win.current_draft is not None and win.current_draft.title == "Night song"
    assert win.current_draft.form == Form.LYRICS
    assert win.stack.currentIndex() == 1
    assert [s.title for s in win.sidebar.summaries()] == ["Night song"]


def test_autosave_after_a_pause_and_the_text_survives_closing_and_reopening(make_window, services, qtbot):
    draft = services.drafts.create("Diary", "prose", body="")
    win = make_window()
    assert win.status.save_state == SaveState.SAVED
    with qtbot.waitSignal(win.draft_saved, timeout=5000):
        qtbot.keyClicks(win.editor, "Dear diary, today")
        assert win.status.save_state == SaveState.UNSAVED
    assert win.status.save_state == SaveState.SAVED
    assert services.drafts.get(draft.id).body == "Dear diary, today"
    qtbot.keyClicks(win.editor, " it rained.")
    win.close()  # closing saves what the timer had not yet
    assert services.drafts.get(draft.id).body == "Dear diary, today it rained."

    again = make_window()
    assert again.current_draft.id == draft.id  # the last draft comes back
    assert again.editor.plain_text() == "Dear diary, today it rained."


def test_a_failing_disk_is_reported_once_and_the_text_stays_in_the_editor(make_window, services, qtbot, dialogs,
                                                                         monkeypatch):
    from studio.domain import StorageError

    draft = services.drafts.create("Fragile", "prose", body="")
    win = make_window()
    real_save = services.drafts.save

    def failing(*a, **k):
        raise StorageError("The disk is full.", hint="Free some space.")

    monkeypatch.setattr(services.drafts, "save", failing)
    qtbot.keyClicks(win.editor, "precious words")
    assert not win.save_now()
    assert not win.save_now()
    assert dialogs.titles() == ["Your draft was not saved"]
    assert win.status.save_state == SaveState.FAILED
    assert win.editor.plain_text() == "precious words"
    monkeypatch.setattr(services.drafts, "save", real_save)
    with qtbot.waitSignal(win.draft_saved, timeout=5000):
        pass  # the autosave keeps trying
    assert services.drafts.get(draft.id).body == "precious words"
    assert win.status.save_state == SaveState.SAVED


def test_layout_only_changes_do_not_mark_the_draft_unsaved(make_window, services, qtbot):
    services.drafts.create("Calm", "screenplay", body="INT. ROOM - DAY\n\nMARA\nHello.")
    win = make_window()
    win.editor.pending.start(5)
    win.editor.pending.set_text("proposal text")
    win.set_theme_mode("dark")
    win.set_theme_mode("light")
    assert not win.is_dirty() and win.status.save_state == SaveState.SAVED
    win.editor.pending.clear()


def test_switching_drafts_saves_first(make_window, services, qtbot):
    a = services.drafts.create("A", "prose", body="alpha")
    b = services.drafts.create("B", "prose", body="beta")
    win = make_window()
    win.open_draft(a.id)
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(win.editor, " one")
    win.open_draft(b.id)
    assert services.drafts.get(a.id).body == "alpha one"
    assert win.editor.plain_text() == "beta"
    # Undo never crosses into the previous draft.
    assert not win.editor.document().isUndoAvailable()


def test_notes_are_saved_with_the_draft(make_window, services, qtbot):
    draft = services.drafts.create("Noted", "prose", body="x")
    win = make_window()
    with qtbot.waitSignal(win.draft_saved, timeout=5000):
        qtbot.keyClicks(win.assistant.notes, "Mara is the narrator.")
    assert services.drafts.get(draft.id).notes == "Mara is the narrator."


def test_a_change_from_another_window_is_never_overwritten_or_lost(make_window, services, qtbot, dialogs):
    draft = services.drafts.create("Shared", "prose", body="original")
    win = make_window()
    services.drafts.save(draft.id, body="changed elsewhere", expected_version=draft.version)
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(win.editor, " mine")
    assert win.save_now()
    assert "changed elsewhere" in " ".join(dialogs.titles()) or any("another window" in t for t in dialogs.texts())
    assert services.drafts.get(draft.id).body == "original mine"
    bodies = {s.title: services.drafts.get(s.id).body for s in services.drafts.list()}
    assert bodies["Shared (other window)"] == "changed elsewhere"


def test_an_autosave_that_meets_a_change_from_elsewhere_asks_and_keeps_both(make_window, services, qtbot, dialogs):
    draft = services.drafts.create("Shared", "prose", body="original")
    win = make_window()
    services.drafts.save(draft.id, body="changed elsewhere", expected_version=draft.version)
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    with qtbot.waitSignal(win.draft_saved, timeout=10_000):
        qtbot.keyClicks(win.editor, " mine")  # the autosave runs on the save thread and meets the conflict
    assert dialogs.titles() == ["This draft changed elsewhere"]
    assert services.drafts.get(draft.id).body == "original mine"
    titles = {s.title for s in services.drafts.list()}
    assert "Shared (other window)" in titles


def test_typing_on_while_a_slow_save_runs_loses_nothing(make_window, services, qtbot, monkeypatch):
    import threading
    import time

    draft = services.drafts.create("Slow", "prose", body="")
    win = make_window()
    real_save = services.drafts.save
    started = threading.Event()

    def slow_save(*args, **kwargs):
        started.set()
        time.sleep(0.3)  # on the save thread: a slow disk
        return real_save(*args, **kwargs)

    monkeypatch.setattr(services.drafts, "save", slow_save)
    qtbot.keyClicks(win.editor, "first")
    win.save_in_background()
    qtbot.waitUntil(started.is_set, timeout=5000)
    qtbot.keyClicks(win.editor, " second")  # the window answers while the save thread works
    assert win.editor.plain_text() == "first second"
    qtbot.waitUntil(lambda: services.drafts.get(draft.id).body == "first second", timeout=10_000)
    qtbot.waitUntil(lambda: win.status.save_state == SaveState.SAVED, timeout=5000)
    assert not win.is_dirty()


def test_conflict_can_take_the_other_version_and_keep_mine_as_a_copy(make_window, services, qtbot, dialogs):
    from PySide6.QtWidgets import QMessageBox

    draft = services.drafts.create("Shared", "prose", body="original")
    win = make_window()
    services.drafts.save(draft.id, body="theirs", expected_version=draft.version)
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(win.editor, " mine")
    dialogs.answers["question"] = [QMessageBox.StandardButton.No]
    assert win.save_now()
    assert win.editor.plain_text() == "theirs"
    bodies = {s.title: services.drafts.get(s.id).body for s in services.drafts.list()}
    assert bodies["Shared (my copy)"] == "original mine" and bodies["Shared"] == "theirs"


def test_a_conflict_that_cannot_be_resolved_says_so_and_leaves_nothing_half_done(make_window, services, qtbot,
                                                                                  dialogs, monkeypatch):
    from studio.domain import StorageError
    from studio.storage.repositories.drafts import DraftRepository

    draft = services.drafts.create("Shared", "prose", body="original")
    win = make_window()
    services.drafts.save(draft.id, body="theirs", expected_version=draft.version)
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(win.editor, " mine")
    win.session.autosave.stop()

    real_update = DraftRepository.update
    calls = []

    def full_disk_after_the_conflict(self, *args, **kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            return real_update(self, *args, **kwargs)  # the save that meets the other window's version
        raise StorageError("The disk is full.")  # keeping mine, after the copy of theirs was written

    monkeypatch.setattr(DraftRepository, "update", full_disk_after_the_conflict)
    assert not win.save_now()
    monkeypatch.setattr(DraftRepository, "update", real_update)
    assert len(calls) == 2
    assert "Your draft was not saved" in dialogs.titles()
    assert win.editor.plain_text() == "original mine" and win.is_dirty()
    assert [s.title for s in services.drafts.list()] == ["Shared"]  # no copy of theirs left behind
    assert services.drafts.get(draft.id).body == "theirs"


def test_rename_duplicate_trash_and_restore_from_the_sidebar(make_window, services, qtbot, monkeypatch, dialogs):
    draft = services.drafts.create("Old title", "poetry", body="a poem")
    win = make_window()
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("New title", True)))
    win.sidebar.view.setFocus()
    qtbot.keyClick(win.sidebar.view, Qt.Key.Key_F2)
    assert services.drafts.get(draft.id).title == "New title"
    assert win.windowTitle().startswith("New title")

    win.sidebar.duplicate_button.click()
    titles = sorted(s.title for s in win.sidebar.summaries())
    assert len(titles) == 2 and titles[0] == "New title"
    copy_id = win.current_draft.id
    assert copy_id != draft.id

    win.sidebar.trash_button.click()
    assert [s.id for s in win.sidebar.summaries()] == [draft.id]
    win.sidebar.tabs.setCurrentIndex(1)  # the Trash
    assert [s.id for s in win.sidebar.summaries()] == [copy_id]
    win.sidebar.view.setCurrentIndex(win.sidebar.model.index(0))
    assert win.current_draft.id != copy_id  # selecting in the Trash does not open it
    win.sidebar.restore_button.click()
    assert not win.sidebar.showing_trash
    assert {s.id for s in win.sidebar.summaries()} == {draft.id, copy_id}
    assert win.current_draft.id == copy_id


def test_sidebar_searches_text_and_filters_by_form_last_edited_first(make_window, services, qtbot):
    services.drafts.create("Harbour", "prose", body="boats and gulls")
    services.drafts.create("Verse", "lyrics", body="[Chorus]\nla la gulls")
    services.drafts.create("Scene", "screenplay", body="INT. ROOM - DAY")
    win = make_window()
    assert [s.title for s in win.sidebar.summaries()] == ["Scene", "Verse", "Harbour"]
    qtbot.keyClicks(win.sidebar.search, "gulls")
    qtbot.waitUntil(lambda: len(win.sidebar.summaries()) == 2, timeout=3000)
    win.sidebar.set_form_filter(Form.LYRICS)
    assert [s.title for s in win.sidebar.summaries()] == ["Verse"]
    index = win.sidebar.model.index(0)
    assert "words" in win.sidebar.model.data(index, Qt.ItemDataRole.ToolTipRole)


def test_export_writes_the_file(make_window, services, qtbot, monkeypatch, tmp_path):
    services.drafts.create("Export me", "prose", body="Plain words.")
    win = make_window()
    target = tmp_path / "out" / "export-me.md"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(win.editor, " More.")
    with qtbot.waitSignal(win.commands.exported, timeout=10_000):  # the file is written off the UI thread
        qtbot.keyClick(win.editor, Qt.Key.Key_E, CTRL)
    assert target.exists()
    assert "Plain words. More." in target.read_text(encoding="utf-8")


def test_export_all_and_import_with_a_bad_file_reported(make_window, services, qtbot, monkeypatch, tmp_path, dialogs):
    services.drafts.create("One", "prose", body="first")
    win = make_window()
    folder = tmp_path / "all"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder)))
    op = win.export_all()  # runs off the UI thread; the Op says when its result landed
    qtbot.waitUntil(lambda: op.done, timeout=10_000)
    paths = op.result
    assert op.ok and len(paths) == 1 and paths[0].exists()

    good = tmp_path / "scene.fountain"
    good.write_text("INT. KITCHEN - NIGHT\n\nMARA\nWho's there?\n", encoding="utf-8")
    bad = tmp_path / "photo.txt"
    bad.write_bytes(bytes(range(256)) * 20)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(good), str(bad)], "")))
    op = win.import_files()
    qtbot.waitUntil(lambda: op.done, timeout=10_000)
    imported = op.result[0]
    assert [d.form for d in imported] == [Form.SCREENPLAY]
    assert win.current_draft.id == imported[0].id
    assert "MARA" in win.editor.plain_text()
    assert dialogs.titles() == ["Some files were not imported"]
    assert "photo.txt" in dialogs.texts()[0]


def test_a_broken_model_file_gives_a_dialog_and_the_window_keeps_working(make_window, services, qtbot, monkeypatch,
                                                                         tmp_path, dialogs):
    services.drafts.create("Still here", "prose", body="Words.")
    win = make_window()
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"this is not a model at all" * 100)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(broken), "")))
    dlg = win.open_model_settings()
    qtbot.waitUntil(lambda: dlg.models.count() > 1, timeout=5000)  # discovery answered from the engine thread
    dlg.browse.click()
    assert dlg.choice().path == str(broken)
    with qtbot.waitSignal(win.model_failed, timeout=10_000):
        dlg.accept()
    assert dialogs.titles() == ["The model could not be loaded"]
    assert "broken.gguf" in dialogs.texts()[0]
    assert win.status.model_state == ModelState.READY  # the previous model is still in use
    assert services.library.setting("model.path") in (None, "")  # a failed choice is not remembered
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    win.continue_at_cursor()
    qtbot.waitUntil(lambda: win.generation.run is not None and not win.generation.run.streaming, timeout=5000)
    qtbot.keyClick(win.editor, Qt.Key.Key_Tab)
    assert win.editor.plain_text().startswith("Words. word0_0")


def test_a_good_model_choice_is_saved_in_settings(make_window, services, qtbot, tmp_path):
    runner = FakeRunner()
    win = make_window(runner=runner)
    good = tmp_path / "tiny.gguf"
    good.write_bytes(b"GGUF" + b"\0" * 64)
    dlg = win.open_model_settings()
    dlg.choose_file(str(good))
    dlg.n_ctx.setValue(4096)
    dlg.threads.setValue(2)
    with qtbot.waitSignal(win.model_ready, timeout=5000):
        dlg.accept()
    assert services.library.setting("model.path") == str(good)
    assert services.library.setting("model.n_ctx") == 4096
    assert services.library.setting("model.threads") == 2
    assert win.model_info.path == good


def test_model_loads_on_the_engine_thread_and_close_stops_it_in_order(make_window, services, qtbot):
    runner = FakeRunner()
    win = make_window(runner=runner)
    assert runner.threads == {"Dummy-1"} or all("Main" not in t for t in runner.threads)
    win.close()
    assert not win.host.running
    assert runner.closed == 1 and not runner.loaded


def test_zoom_keys_change_the_editor_font_and_are_remembered(make_window, services, qtbot):
    services.drafts.create("Zoom", "prose", body="text")
    win = make_window()
    size = win.editor.point_size
    qtbot.keyClick(win.editor, Qt.Key.Key_Equal, CTRL)
    qtbot.keyClick(win.editor, Qt.Key.Key_Equal, CTRL)
    assert win.editor.point_size == size + 2
    qtbot.keyClick(win.editor, Qt.Key.Key_Minus, CTRL)
    assert win.editor.point_size == size + 1
    assert win.editor.font().pointSize() == size + 1
    win.close()
    assert services.library.setting("ui.zoom") == size + 1


def test_focus_mode_hides_the_panels_and_escape_brings_them_back(make_window, services, qtbot):
    services.drafts.create("Focus", "prose", body="text")
    win = make_window()
    qtbot.keyClick(win.editor, Qt.Key.Key_F11)
    assert win.focus_mode and not win.sidebar.isVisible() and not win.assistant.isVisible()
    qtbot.keyClick(win.editor, Qt.Key.Key_Escape)
    assert not win.focus_mode and win.sidebar.isVisible() and win.assistant.isVisible()


def test_theme_can_be_switched_and_is_remembered(make_window, services, qtbot):
    win = make_window()
    win.set_theme_mode("dark")
    assert win.theme_manager.theme.dark
    assert QApplication.palette().base().color().lightness() < 80
    win.toggle_theme()
    assert not win.theme_manager.theme.dark
    win.set_theme_mode("dark")
    win.close()
    again = make_window()
    assert again.theme_manager.mode == "dark" and again.theme_actions["dark"].isChecked()
    again.set_theme_mode("system")


def test_find_and_replace_all_is_one_undo_step(make_window, services, qtbot):
    services.drafts.create("Find", "prose", body="cat sat on the cat mat; Cat!")
    win = make_window()
    qtbot.keyClick(win.editor, Qt.Key.Key_H, CTRL)
    assert win.find_bar.isVisible()
    qtbot.keyClicks(win.find_bar.find_field, "cat")
    assert win.find_bar.count.text() == "3 found"
    win.find_bar.replace_field.setText("dog")
    assert win.find_bar.replace_all() == 3
    assert win.editor.plain_text() == "dog sat on the dog mat; dog!"
    win.editor.undo()
    assert win.editor.plain_text() == "cat sat on the cat mat; Cat!"
    qtbot.keyClick(win.find_bar.find_field, Qt.Key.Key_Escape)
    assert not win.find_bar.isVisible()


def test_word_count_counts_chinese_per_character(make_window, services, qtbot):
    services.drafts.create("静夜思", "poetry", body="床前明月光，\n疑是地上霜。")
    win = make_window()
    qtbot.waitUntil(lambda: win.status.words == 10, timeout=3000)
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(win.editor, " moon light")
    qtbot.waitUntil(lambda: win.status.words == 12, timeout=3000)
    assert win.status.words_label.text() == "10 Chinese characters · 2 words"  # 字 and words apart (issue 14)


def test_revisions_dialog_shows_the_difference_and_restores_as_one_undo_step(make_window, services, qtbot):
    draft = services.drafts.create("History", "prose", body="The first version.")
    services.drafts.snapshot(draft.id, RevisionReason.MANUAL)
    win = make_window()
    win.editor.selectAll()
    qtbot.keyClicks(win.editor, "A second version entirely.")
    dlg = win.show_revisions()
    assert dlg is not None and dlg.list.count() >= 2  # the hand-kept one and the autosave just made
    dlg.list.setCurrentRow(next(i for i, r in enumerate(dlg._revisions) if r.reason == RevisionReason.MANUAL))
    qtbot.waitUntil(lambda: "second" in dlg.diff.toPlainText(), timeout=5000)
    assert "first" in dlg.diff.toPlainText()
    dlg.restore_button.click()
    assert win.editor.plain_text() == "The first version."
    assert services.drafts.get(draft.id).body == "The first version."
    reasons = [r.reason for r in services.drafts.revisions(draft.id)]
    assert RevisionReason.BEFORE_RESTORE in reasons
    win.editor.undo()
    assert win.editor.plain_text() == "A second version entirely."


def test_preset_and_style_editors_create_duplicate_edit_and_delete(make_window, services, qtbot, dialogs):
    win = make_window()
    presets = win.edit_presets()
    before = presets.list.count()
    presets.new_button.click()
    assert presets.list.count() == before + 1
    presets.name.setText("My sea preset")
    presets.template_base.setPlainText("{notes}\n\nSea: {before}")
    presets.sampler["temperature"].setValue(1.1)
    presets.save()
    saved = services.library.preset_by_name("My sea preset")
    assert saved.sampler.temperature == 1.1 and "Sea:" in saved.template_base
    presets.duplicate_button.click()
    assert presets.list.count() == before + 2
    presets.delete_button.click()  # the question is answered Yes by the recorder
    assert presets.list.count() == before + 1
    presets.close()

    styles = win.edit_styles()
    n = styles.list.count()
    assert n > 0
    styles.list.setCurrentRow(0)
    original = styles.current()
    styles.duplicate_button.click()
    assert styles.list.count() == n + 1
    copy = styles.current()
    assert copy.id != original.id and copy.form == original.form
    styles.guidance.setPlainText("Short lines. Salt.")
    styles.exemplars.setPlainText("one\n---\ntwo")
    styles.save()
    assert services.library.style(copy.id).exemplars == ("one", "two")
    styles.close()


def test_built_in_style_can_be_edited_and_reset(make_window, services, qtbot):
    win = make_window()
    styles = win.edit_styles()
    row = next(i for i in range(styles.list.count()) if styles._items[i].builtin)
    styles.list.setCurrentRow(row)
    item = styles.current()
    styles.guidance.setPlainText("Edited guidance.")
    styles.save()
    assert services.library.style(item.id).guidance == "Edited guidance."
    styles.list.setCurrentRow(next(i for i, s in enumerate(styles._items) if s.id == item.id))
    styles.reset_button.click()
    assert services.library.style(item.id).guidance != "Edited guidance."
    styles.close()


def test_style_picker_offers_only_the_draft_forms_styles(make_window, services, qtbot):
    draft = services.drafts.create("Song", "lyrics", body="la")
    win = make_window()
    names = [win.assistant.style_combo.itemText(i) for i in range(1, win.assistant.style_combo.count())]
    lyric_styles = {s.name for s in services.library.styles(Form.LYRICS)}
    assert names and set(names) <= lyric_styles
    win.assistant.style_combo.setCurrentIndex(win.assistant.style_combo.count() - 1)
    assert services.drafts.get(draft.id).style_id == win.assistant.style_combo.currentData()


def test_gutter_shows_syllables_for_lyrics(make_window, services, qtbot):
    services.drafts.create("Song", "lyrics", body="[Verse]\nI walk alone tonight\nbeneath the silver light")
    win = make_window()
    assert win.editor.gutter.isVisible()
    qtbot.waitUntil(win.editor.gutter._ready.is_set, timeout=30_000)
    assert win.editor.gutter._count("I walk alone tonight")[0] == 6
    labels = win.editor.gutter._stanza_rhymes(win.editor.document().findBlockByNumber(1))
    assert labels.get(1) == labels.get(2)  # tonight / light rhyme
    services.drafts.create("Prose", "prose", body="x")
    win.sidebar.refresh()
    win.open_draft(win.sidebar.summaries()[0].id)
    assert not win.editor.gutter.isVisible()


def test_window_geometry_and_panels_are_remembered(make_window, services, qtbot):
    win = make_window()
    win.resize(760, 520)  # inside the offscreen screen (800x600): a restore is clamped to the screen
    win.splitter.setSizes([180, 400, 180])
    sizes = win.splitter.sizes()
    win.close()
    again = make_window()
    assert again.splitter.sizes()[0] == sizes[0]
    assert (again.width(), again.height()) == (760, 520)


def test_ctrl_q_quits(make_window, services, qtbot):
    win = make_window()
    qtbot.keyClick(win, Qt.Key.Key_Q, CTRL)
    assert not win.isVisible() and not win.host.running


def test_keep_a_revision_by_hand(make_window, services, qtbot):
    draft = services.drafts.create("Keep", "prose", body="v1")
    win = make_window()
    qtbot.keyClick(win.editor, Qt.Key.Key_S, CTRL | SHIFT)
    assert [r.reason for r in services.drafts.revisions(draft.id)].count(RevisionReason.MANUAL) == 1


def test_startup_error_box_is_shown(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    import studio.ui

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    studio.ui.show_startup_error("Studio cannot open its database", "The file is damaged.", "details")
    assert shown == ["The file is damaged."]


def test_launch_runs_the_loop_and_returns_the_exit_code(services, qtbot, monkeypatch):
    import studio.ui
    from studio.ui import main_window

    monkeypatch.setattr(main_window.MainWindow, "__init__", _fake_runner_init(main_window.MainWindow.__init__))
    monkeypatch.setattr(QApplication, "exec", lambda self: _close_all_and_return(7))
    assert studio.ui.launch(services) == 7


def _fake_runner_init(original):
    def init(self, services, runner_factory=None, model=None, **kw):
        runner = FakeRunner()
        original(self, services, runner_factory=lambda: runner, model=model, **kw)

    return init


def _close_all_and_return(code: int) -> int:
    for w in QApplication.topLevelWidgets():
        w.close()
    return code


def test_large_draft_keeps_typing_cheap(make_window, services, qtbot, monkeypatch):
    import time

    para = "The quick brown fox jumps over the lazy dog and keeps on running far away. " * 5
    body = "\n".join(para for _ in range(2700))  # ~200,000 words
    services.drafts.create("Novel", "prose", body=body)
    win = make_window()
    qtbot.waitUntil(lambda: win.status.words > 190_000, timeout=30_000)
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    t0 = time.perf_counter()
    qtbot.keyClicks(win.editor, "abcdefghij")
    per_key = (time.perf_counter() - t0) / 10
    assert per_key < 0.05, f"{per_key * 1000:.1f} ms per keystroke"
    words = win.status.words
    qtbot.waitUntil(lambda: win.status.words == words + 1, timeout=10_000)

    # Autosaving it (the store counts 200,000 words) happens on the save thread: the UI thread keeps ticking
    # while the save runs. Counted as ticks inside the save's own time window, which holds on a busy machine.
    from PySide6.QtCore import QTimer

    real_save = services.drafts.save
    window: list[float] = []

    def timed_save(*args, **kwargs):
        window.append(time.perf_counter())
        try:
            return real_save(*args, **kwargs)
        finally:
            window.append(time.perf_counter())

    monkeypatch.setattr(services.drafts, "save", timed_save)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    with qtbot.waitSignal(win.draft_saved, timeout=30_000):
        qtbot.keyClicks(win.editor, "k")
    timer.stop()
    began, ended = window[0], window[1]
    inside = [t for t in ticks if began < t < ended]
    assert ended - began > 0.05  # a real save of a novel, not a no-op
    assert len(inside) >= 3, f"{len(inside)} ticks during a {1000 * (ended - began):.0f} ms save: UI thread blocked"


def test_f6_moves_between_panes_and_ctrl_shift_o_searches(make_window, services, qtbot):
    services.drafts.create("Panes", "prose", body="text")
    win = make_window()
    win.editor.setFocus()
    qtbot.keyClick(win.editor, Qt.Key.Key_F6)
    assert win.assistant.notes.hasFocus()
    qtbot.keyClick(win.assistant.notes, Qt.Key.Key_F6)
    assert win.sidebar.view.hasFocus()
    qtbot.keyClick(win.sidebar.view, Qt.Key.Key_F6)
    assert win.editor.hasFocus()
    qtbot.keyClick(win.editor, Qt.Key.Key_O, CTRL | SHIFT)
    assert win.sidebar.search.hasFocus()


def test_context_previews_do_not_pile_up_behind_each_other(make_window, services, qtbot):
    services.drafts.create("Ctx", "prose", body="Once upon a time.")
    win = make_window()
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    asked: list[object] = []
    win.host.preview_requested.connect(lambda rid, req: asked.append(rid))
    for _ in range(5):
        win.refresh_preview()
    assert len(asked) == 1
    qtbot.waitUntil(lambda: len(asked) == 2 and not win.preview.in_flight, timeout=5000)
    assert "Once upon a time." in win.assistant.context.toPlainText()


def test_the_writers_picks_survive_a_restart_whatever_the_alternatives_count(make_window, services, qtbot):
    """A preset chosen with an alternatives count other than the default comes back after a restart (restoring the
    count must not write the not-yet-loaded preset boxes over the stored picks)."""
    win = make_window()
    panel = win.assistant
    assert panel.continue_preset.count() > 1, "needs a second Continue preset to choose"
    panel.continue_preset.setCurrentIndex(panel.continue_preset.count() - 1)
    chosen = panel.continue_preset.currentData()
    panel.alternatives.setValue(2)
    panel.max_tokens.setValue(64)
    win.shutdown()

    again = make_window()
    p = again.assistant
    assert p.continue_preset.currentData() == chosen
    assert p.alternatives.value() == 2 and p.max_tokens.value() == 64
