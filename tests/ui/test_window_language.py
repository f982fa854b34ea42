"""The window's language, wired through the real window (issue 14): View > Language kept in the settings and the
next window built in it, the status bar's 字/words, the editor's CJK fallback font, the quick rewrite buttons in
the selection's language, the style box following a Chinese default style a save chose, and errors shown
translated.

Chinese comes from the shipped translation source (resources/i18n/studio_zh_CN.ts) compiled into a test folder;
STUDIO_EXTRA_TS (paths joined by ":") adds part files not merged into it yet. Every test that installs a
translator takes it off again (the ``chinese`` fixture), so the other tests see English.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QFontDatabase, QTextCursor
from PySide6.QtWidgets import QApplication

from studio import ui
from studio.domain import Form, StorageError
from studio.domain.counts import text_counts
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.services.library import quick_rewrite_buttons
from studio.ui import i18n, messages
from tests.ui.ts_files import LRELEASE, REAL_TS, write_ts

CHINESE_POEM = "床前明月光，\n疑是地上霜。"  # 10 字
ENGLISH_LINE = "The moon is bright."  # 4 words
SAVE_FAILED = QT_TRANSLATE_NOOP("messages", "The test folder {name} is read-only.")


def _sources(tmp: Path) -> list[Path]:
    extra = [Path(p) for p in os.environ.get("STUDIO_EXTRA_TS", "").split(":") if p]
    # One message of the services' kind ("messages" context, a Msg with a value), for the error test.
    sample = write_ts(tmp / "sample.ts", "zh_CN", {"messages": [(SAVE_FAILED, "测试文件夹 {name} 是只读的。")]})
    return [REAL_TS, *extra, sample]


@pytest.fixture
def zh_folder(tmp_path: Path) -> Path:
    """A folder holding studio_zh_CN.qm compiled from the translation sources (no .ts beside it: taken as it is)."""
    folder = tmp_path / "i18n"
    folder.mkdir()
    subprocess.run([str(LRELEASE), "-silent", *map(str, _sources(tmp_path)), "-qm", str(folder / "studio_zh_CN.qm")],
                   check=True, capture_output=True, timeout=120)
    return folder


@pytest.fixture
def chinese(qapp: QApplication, zh_folder: Path) -> Iterator[Callable[..., i18n.Translations]]:
    """Install the Chinese window (or what a setting asks for); every install is taken off at the end."""
    made: list[i18n.Translations] = []

    def install(setting: str | None = i18n.CHINESE, services: Any = None) -> i18n.Translations:
        if services is not None:
            t = ui.install_language(qapp, services, directory=zh_folder)
        else:
            t = i18n.install_translations(qapp, setting, directory=zh_folder)
        made.append(t)
        return t

    yield install
    for t in made:
        i18n.remove_translations(qapp, t)
    i18n.install_translations(qapp, i18n.ENGLISH)  # the window language and the locale back to English


def _wait_label(qtbot: Any, win: Any, text: str) -> None:
    qtbot.waitUntil(lambda: win.status.words_label.text() == text, timeout=3000)


# -- View > Language -------------------------------------------------------------------------------------------


def test_the_language_chosen_in_the_menu_is_kept_and_the_next_window_starts_in_it(
    make_window, services, dialogs, chinese, qtbot
) -> None:
    win = make_window()
    assert i18n.window_language() == i18n.ENGLISH
    assert win.menu_actions.language_actions[i18n.ENGLISH].isChecked()
    assert [a.text() for a in win.menu_actions.language_group.actions()] == ["English", "简体中文"]

    win.menu_actions.language_actions[i18n.CHINESE].trigger()
    assert services.library.setting(i18n.SETTING) == i18n.CHINESE
    assert win.menu_actions.language_actions[i18n.CHINESE].isChecked()
    assert dialogs.shown[-1] == ("information", "Language", "Studio will be in 简体中文 the next time it starts.")
    win.shutdown()

    installed = chinese(services=services)  # what launch() does before it builds the window
    assert installed.language == i18n.CHINESE and i18n.window_language() == i18n.CHINESE
    again = make_window()
    assert again.menu_actions.language_actions[i18n.CHINESE].isChecked()
    assert again.assistant.refresh_context.text() == "刷新"
    assert again.empty_page.new_button.text() == "新建草稿…"
    assert again.status.save_label.text() in ("", "已保存")
    assert again.status.words_label.text() == "0 字"  # no draft: the Chinese window's own unit

    # Back to English from the Chinese window: kept, and said in Chinese.
    again.menu_actions.language_actions[i18n.ENGLISH].trigger()
    assert services.library.setting(i18n.SETTING) == i18n.ENGLISH
    assert dialogs.shown[-1] == ("information", "语言", "Studio 下次启动时将改用这种语言：English。")


def test_launch_s_language_follows_the_setting_and_without_one_the_system(services, chinese, qapp) -> None:
    services.library.set_setting(i18n.SETTING, "klingon")  # unknown: as if none
    t = chinese(services=services)
    assert t.wanted == i18n.choose_language(None)
    services.library.set_setting(i18n.SETTING, i18n.CHINESE)
    assert chinese(services=services).language == i18n.CHINESE


# -- the status bar's counts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "english", "zh"),
    [
        (CHINESE_POEM, "10 Chinese characters", "10 字"),
        (ENGLISH_LINE, "4 words", "4 词"),
        (CHINESE_POEM + "\n" + ENGLISH_LINE, "10 Chinese characters · 4 words", "10 字 · 4 词"),
        ("", "0 words", "0 字"),
    ],
)
def test_the_status_bar_counts_chinese_in_zi_english_in_words_and_both_when_mixed(
    make_window, services, chinese, qtbot, body: str, english: str, zh: str
) -> None:
    services.drafts.create("Mixed", "prose", body=body)
    win = make_window()
    _wait_label(qtbot, win, english)
    assert english == text_counts(body).label("en")  # the domain's own label says the same
    win.editor.moveCursor(QTextCursor.MoveOperation.End)
    win.editor.textCursor().insertText(" 月")  # the editor's own count, after an edit
    _wait_label(qtbot, win, text_counts(body + " 月").label("en"))
    win.shutdown()

    chinese()
    again = make_window()
    again.editor.moveCursor(QTextCursor.MoveOperation.End)
    _wait_label(qtbot, again, text_counts(again.editor.plain_text()).label("zh"))
    again.editor.setPlainText(body)
    _wait_label(qtbot, again, zh)


# -- the editor's font ------------------------------------------------------------------------------------


def test_the_editor_falls_back_to_the_installed_cjk_font(make_window, services, qtbot) -> None:
    cjk = i18n.cjk_font_family()
    assert cjk is not None, "no CJK font installed (fonts-noto-cjk): scripts/setup installs one"
    services.drafts.create("静夜思", "poetry", body=CHINESE_POEM)
    win = make_window()
    families = win.editor.font().families()
    general = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()
    assert families[0] == general and families[-1] == cjk  # Latin in the writer's face, Han in the CJK one
    win.editor.zoom_by(3)
    assert win.editor.font().families()[-1] == cjk  # zoom keeps it


# -- the quick rewrite buttons ------------------------------------------------------------------------------


def _select(win: Any, start: int, end: int) -> None:
    cursor = QTextCursor(win.editor.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    win.editor.setTextCursor(cursor)


def test_quick_buttons_read_and_ask_in_chinese_for_a_chinese_selection(make_window, services, qtbot) -> None:
    # The language is the engine's judgement of the selection and the text before it (what it prompts in): the
    # English passage is long enough to outweigh the poem before it.
    english_passage = "The moon is bright over the quiet lake, and the birds fly home at dusk. " * 3
    services.drafts.create("月", "prose", body=CHINESE_POEM + "\n\n" + english_passage)
    win = make_window()
    a = win.assistant
    english = [t for _k, t in quick_rewrite_buttons("en")]
    chinese_texts = [t for _k, t in quick_rewrite_buttons("zh")]
    assert [b.text() for b in a.quick_buttons] == english  # no selection, English window

    _select(win, 0, 5)  # 床前明月光
    assert [b.text() for b in a.quick_buttons] == chinese_texts == ["更生动", "更简洁", "更丰富", "更浅白", "更正式"]
    a.quick_buttons[0].setChecked(True)
    a.quick_buttons[1].setChecked(True)
    assert a.instruction_text() == "更生动、更简洁"
    assert win.rewrite_selection()
    qtbot.waitUntil(lambda: win.generation.run is not None and not win.generation.run.streaming, timeout=5000)
    assert win.generation.run.request.instruction == "更生动、更简洁"
    assert win.generation.retry()  # the selection has gone: a retry still asks in the passage's language
    assert win.generation.run.request.instruction == "更生动、更简洁"
    win.generation.discard()

    start = len(CHINESE_POEM) + 2
    _select(win, start, start + len(english_passage))
    assert [b.text() for b in a.quick_buttons] == english
    assert a.instruction_text() == "More vivid, shorter"
    _select(win, 0, 0)
    assert [b.text() for b in a.quick_buttons] == english


def test_without_a_selection_the_quick_buttons_read_in_the_window_s_language(make_window, services, chinese) -> None:
    chinese()
    services.drafts.create("Moon", "prose", body=ENGLISH_LINE)
    win = make_window()
    assert [b.text() for b in win.assistant.quick_buttons] == [t for _k, t in quick_rewrite_buttons("zh")]


# -- the style box follows a Chinese default style ----------------------------------------------------------


def test_the_style_box_follows_the_chinese_style_a_save_gives_the_draft(make_window, services, qtbot) -> None:
    draft = services.drafts.create("Untitled", "prose")
    sanwen = next(s for s in services.library.styles(Form.PROSE) if s.builtin_key == "prose.zh-sanwen")
    win = make_window()
    assert win.current_draft.id == draft.id
    before = win.assistant.style_combo.currentData()
    assert before == draft.style_id != sanwen.id
    win.editor.setFocus()
    win.editor.textCursor().insertText("我们走在湖边，看见了很多飞鸟。")  # QTest types ASCII only
    assert win.save_now()
    assert services.drafts.get(draft.id).style_id == sanwen.id  # the service chose it at the save
    assert win.assistant.style_combo.currentData() == sanwen.id
    assert win.assistant.style_combo.currentText() == sanwen.name
    assert win.current_draft.style_id == sanwen.id
    assert win.assistant.choices().style_id == sanwen.id  # the next run uses it


# -- errors -----------------------------------------------------------------------------------------------


def test_an_error_from_below_the_window_is_shown_translated(make_window, services, dialogs, chinese) -> None:
    chinese()
    win = make_window()
    error = StorageError(msg(SAVE_FAILED, name="/tmp/x"))
    assert str(error) == "The test folder /tmp/x is read-only."  # the log and the CLI read English
    with messages.reported(win, win.session.tr("Your draft was not saved")):
        raise error
    assert dialogs.shown[-1] == ("warning", "你的草稿未能保存", "测试文件夹 /tmp/x 是只读的。")
    win.session._save_failed(error)
    assert win.status.save_label.text() == "未能保存"
    assert win.status.save_label.toolTip() == "测试文件夹 /tmp/x 是只读的。"


def test_built_in_presets_and_styles_read_in_the_window_s_language(make_window, services, chinese) -> None:
    from studio.ui import builtin_names

    # Every shipped English name is translatable (a new built-in without an entry would stay English in Chinese).
    shipped = {p.name for p in services.library.presets() if p.builtin_key} | {
        s.name for s in services.library.styles() if s.builtin_key}
    english = {n for n in shipped if not any("\u4e00" <= ch <= "\u9fff" for ch in n)}
    assert english and english <= builtin_names.SHIPPED, english - builtin_names.SHIPPED

    services.drafts.create("Poem", "poetry", body="")
    chinese()
    win = make_window()
    a = win.assistant
    names = [a.continue_preset.itemText(i) for i in range(a.continue_preset.count())]
    assert "续写" in names and "Continue" not in names
    styles = [a.style_combo.itemText(i) for i in range(a.style_combo.count())]
    assert "俳句" in styles and "五言绝句" in styles
    # Stored as shipped: the database and the CLI keep the English name.
    assert any(p.name == "Continue" for p in services.library.presets())
    # A built-in the writer renamed shows the writer's name.
    assert builtin_names.shown_name("My Continue", "continue.default") == "My Continue"
