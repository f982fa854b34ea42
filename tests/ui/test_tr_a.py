"""The menus, the drafts panel, the find bar, the draft commands, the library editors, the revisions and model
settings dialogs and the background operations speak Chinese under a Chinese translation, and English again once
it is taken off.

The translation is Studio's real one (resources/i18n/studio_zh_CN.ts, compiled by pyside6-lrelease as
scripts/build_translations does) installed in a real QTranslator on the test's QApplication before the real window
is built. ``STUDIO_TEST_TS`` names another .ts to use instead: a translation part before it is merged.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication

from studio.domain import DraftSummary, Form, ModelInfo, RevisionReason
from studio.ui.dialogs import NewDraftDialog, describe_model
from studio.ui.library_dialogs import PresetEditor, StyleEditor
from studio.ui.operations import failure_text
from studio.ui.revisions import RevisionsDialog
from studio.ui.sidebar import DraftListModel, form_label
from tests.ui.ts_files import REAL_TS, lrelease

TS = Path(os.environ.get("STUDIO_TEST_TS") or REAL_TS)


@pytest.fixture
def chinese(qapp: QApplication, tmp_path: Path) -> Iterator[QTranslator]:
    """The Chinese translation on the application for one test; taken off after it so other tests see English."""
    qm = tmp_path / "studio_zh_CN.qm"
    lrelease(TS, qm)
    translator = QTranslator()
    assert translator.load(str(qm)), qm
    qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)


def _menu_titles(win: Any) -> list[str]:
    return [a.text() for a in win.menuBar().actions()]


def test_the_window_menus_panel_and_find_bar_read_chinese(
        chinese: QTranslator, make_window: Any, services: Any, qtbot: Any) -> None:
    services.drafts.create("港口", "prose", body="船和海鸥")
    win = make_window()
    assert _menu_titles(win)[:3] == ["文件(&F)", "编辑(&E)", "视图(&V)"]
    acts = win.menu_actions
    assert acts.act_undo.text() == "撤销(&U)\tCtrl+Z"  # the key stays after the tab
    assert acts.act_accept.text() == "接受(&E)\tTab"
    assert acts.act_continue.text() == "续写(&C)" and acts.act_rewrite.text() == "改写选中的文字(&R)"
    assert [a.text() for a in acts.theme_group.actions()] == ["跟随系统(&S)", "浅色(&L)", "深色(&D)"]

    panel = win.sidebar
    assert [panel.tabs.tabText(i) for i in range(panel.tabs.count())] == ["草稿", "回收站"]
    assert panel.search.placeholderText() == "搜索标题和正文…"
    assert [panel.form_filter.itemText(i) for i in range(panel.form_filter.count())] == \
        ["所有体裁", "散文", "剧本", "歌词", "诗歌"]
    assert panel.trash_button.toolTip() == "将草稿移到回收站（Delete）"
    tip = panel.model.data(panel.model.index(0), 3)  # ToolTipRole
    assert tip == "港口\n散文 · 4 字", tip

    win.find_bar.open_bar(replace=True)
    assert win.find_bar.find_field.placeholderText() == "查找"
    assert win.find_bar.replace_all_button.text() == "全部替换"
    win.editor.setPlainText("海鸥 海鸥 海鸥")
    win.find_bar.find_field.setText("海鸥")
    assert win.find_bar.count.text() == "找到 3 处"
    win.find_bar.replace_field.setText("鸥")
    assert win.find_bar.replace_all() == 3 and win.find_bar.count.text() == "已替换 3 处"


def test_the_dialogs_read_chinese(chinese: QTranslator, services: Any, qtbot: Any) -> None:
    new = NewDraftDialog(None, Form.POETRY)
    qtbot.addWidget(new)
    assert new.windowTitle() == "新建草稿" and new.form.currentText() == "诗歌"
    assert new.values() == ("未命名", Form.POETRY)  # an empty title is named in the window's language

    presets = PresetEditor(services.library)
    qtbot.addWidget(presets)
    assert presets.windowTitle() == "预设" and presets.new_button.text() == "新建(&N)"
    assert presets.action.itemText(0) == "续写" and presets.list.accessibleName() == "预设"
    assert presets._new_name() == "新预设"  # a whole translated name, not "New " + a translated kind
    builtin = next(i for i in range(presets.list.count()) if "内置" in presets.list.item(i).text())
    presets.list.setCurrentRow(builtin)
    assert presets.badge.text() == "<i>内置</i>"
    styles = StyleEditor(services.library, form=Form.POETRY)
    qtbot.addWidget(styles)
    assert styles.windowTitle() == "风格" and styles.style_form.itemText(3) == "诗歌"

    draft = services.drafts.create("诗", "poetry", body="床前明月光")
    services.drafts.snapshot(draft.id, RevisionReason.MANUAL, body="床前明月光")
    revisions = services.drafts.revisions(draft.id)
    from studio.ui.theme import load_theme

    dlg = RevisionsDialog(revisions, "床前明月光，疑是地上霜。", load_theme("light"))
    qtbot.addWidget(dlg)
    assert dlg.windowTitle() == "历史版本" and dlg.restore_button.text() == "恢复此版本(&R)"
    assert dlg.list.item(0).text().endswith("\n手动保留 · 5 字"), dlg.list.item(0).text()
    qtbot.waitUntil(lambda: "从此版本到现在" in dlg.summary.text(), timeout=10_000)

    info = ModelInfo(path=Path("m.gguf"), name="m.gguf", architecture="gemma3", size_bytes=250_000_000,
                     quantization="Q4_K_M",
                     context_length=32768, has_chat_template=True, source="data")
    assert describe_model(info, "") == "m.gguf  (Q4_K_M, 250 MB, 上下文 32768, 对话, 数据文件夹, 未注明许可证)"
    assert failure_text(RuntimeError("boom")) == "出了点问题。详细信息记录在 Studio 的日志里。"


def test_counts_and_times_are_chinese_plurals(chinese: QTranslator, qapp: QApplication) -> None:
    model = DraftListModel()
    now = datetime(2024, 5, 3, 12, 0, tzinfo=UTC)
    assert model.word_count_text(1) == "1 字" and model.word_count_text(1234) == "1234 字"
    assert [model.relative_time(now - timedelta(seconds=s), now) for s in (5, 180, 7200, 2 * 86400)] == \
        ["刚刚", "3 分钟前", "2 小时前", "2 天前"]
    assert form_label("screenplay") == "剧本" and form_label("odd") == "odd"


def test_without_the_translation_the_same_widgets_read_english(qapp: QApplication, services: Any,
                                                               qtbot: Any) -> None:
    model = DraftListModel()
    # English has two plural forms and no translation file: the singular text is its own, not "1 words".
    assert (model.word_count_text(1), model.word_count_text(2)) == ("1 word", "2 words")
    summary = DraftSummary(id=1, title="Harbour", form=Form.PROSE, word_count=3)
    model.set_items([summary])
    assert model.data(model.index(0), 3) == "Harbour\nProse · 3 words"
    new = NewDraftDialog(None, Form.LYRICS)
    qtbot.addWidget(new)
    assert new.windowTitle() == "New draft" and new.form.currentText() == "Lyrics"
    presets = PresetEditor(services.library)
    qtbot.addWidget(presets)
    assert presets._new_name() == "New preset" and presets.windowTitle() == "Presets"
