"""The generation, model and download parts of the window in Chinese: the proposal bar, the generation and model
controllers' messages, the engine worker's failures, the Connect and Get a model dialogs, built on the real window
with a real QTranslator compiled by pyside6-lrelease from the Chinese .ts.

The .ts is the shipped one (resources/i18n/studio_zh_CN.ts); ``STUDIO_TR_TS`` names another (a translator's part
file before it is merged). The translator comes off the application after each test, so other tests read English.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication

from studio.domain import Action
from studio.engine.machine import GpuMemory, MachineFacts
from studio.services.models import Fit, Verdict
from studio.ui import get_model_dialog, model_controller
from studio.ui.worker import Failure
from tests.ui.ts_files import REAL_TS, lrelease

TS = Path(os.environ.get("STUDIO_TR_TS", str(REAL_TS)))
GB = 1_000_000_000


@pytest.fixture
def chinese(qapp: QApplication, tmp_path: Path) -> Iterator[QTranslator]:
    qm = tmp_path / "studio_zh_CN.qm"
    lrelease(TS, qm)
    translator = QTranslator()
    assert translator.load(str(qm)), qm
    qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)


def test_the_proposal_bar_and_the_generation_messages_read_chinese(chinese, make_window, services, qtbot) -> None:
    services.drafts.create("Rain", "prose", body="The rain had stopped.")
    win = make_window()
    bar = win.proposal
    assert bar.accept_button.text() == "接受  Tab"
    assert bar.stop_button.text() == "停止  Esc"
    assert bar.discard_button.text() == "舍弃  Esc"
    assert bar.retry_button.text() == "重试  Ctrl+R"
    assert bar.prev_button.toolTip() == "上一个备选（Alt+Left）"
    assert bar.next_button.toolTip() == "下一个备选（Alt+Right）"
    assert bar.diff.accessibleName() == "提议的改写"

    said: list[str] = []
    win.generation.message.connect(said.append)
    assert not win.generation.start(Action.REWRITE)  # nothing selected
    assert said[-1] == "请先选中要改写的段落。"

    states: list[str] = []
    win.generation.run_updated.connect(lambda: states.append(bar.label.text()))
    assert win.generation.start(Action.CONTINUE)
    assert not win.generation.start(Action.CONTINUE)  # one run at a time
    assert said[-1] == "正在生成：请先按 Esc 停止。"
    qtbot.waitUntil(lambda: win.generation.run is not None and not win.generation.run.streaming, timeout=10_000)
    assert states[0] == "续写：正在等待模型…", states
    assert "续写：正在写…" in states, states
    final = bar.label.text()
    assert final.startswith("续写：完成 · ") and final.endswith(" 词元/秒"), final
    win.generation.discard()


def test_the_model_controller_s_texts_read_chinese(chinese, make_window) -> None:
    win = make_window()
    hint = QCoreApplication.translate("ModelController", model_controller.LEAVES_HINT)
    assert hint == "送去生成的文字会离开这台电脑"
    assert win.model.tr("Server %1 - %2") == "服务器 %1 - %2"
    dlg = win.model.open_connect()
    assert dlg.windowTitle() == "连接到服务器"
    assert dlg.connect_button.text() == "连接(&C)"
    assert dlg.test_button.text() == "测试(&T)"
    dlg.reject()


def test_a_failure_on_the_engine_thread_is_said_in_chinese(chinese) -> None:
    failure = Failure.from_exception(RuntimeError("boom"))
    assert failure.message == "出了点问题：RuntimeError：boom"


def test_get_a_model_reads_chinese_with_numbers_units_and_fit_labels(chinese, make_window, qtbot) -> None:
    win = make_window()
    dlg = win.get_model.open()
    assert dlg.windowTitle() == "获取模型"
    assert dlg.download_button.text() == "下载"
    facts = MachineFacts(16 * GB, 10 * GB, 4, 100 * GB, gpu_offload=False)
    assert dlg.machine_text(facts).startswith(
        "这台电脑：内存 16 GB（当前可用 10 GB），4 个核心，磁盘可用 100 GB。此 llama.cpp 只能在 CPU 上运行")
    gpu = MachineFacts(16 * GB, None, 8, None, gpu_offload=True, gpu=GpuMemory(("Test GPU",), 2 * GB, 8 * GB))
    assert "Test GPU 上 8.0 GB 显存中可用 2.0 GB" in dlg.machine_text(gpu)
    assert dlg.fit_label(Fit(Verdict.SLOW, 4.83, "why", False)) == "较慢（约 4.8 词元/秒）"
    assert dlg.fit_label(Fit(Verdict.TOO_BIG, 0, "why", False)) == "太大"
    assert get_model_dialog._duration(3 * 60) == "3 分钟"
    qtbot.waitUntil(lambda: dlg.catalogue.rowCount() > 0, timeout=30_000)
    assert all(label.startswith(("运行流畅", "较慢", "太大")) for label in dlg.fit_labels()), dlg.fit_labels()
    languages = {dlg.catalogue.item(i, 2).text() for i in range(dlg.catalogue.rowCount())}
    assert "英文、中文" in languages, languages
    dlg.reject()


def test_in_english_the_dialog_s_fit_label_is_the_services_own(make_window: Any) -> None:
    # The dialog words the verdict itself (to translate it): in English it must say exactly what Fit.label says.
    win = make_window()
    dlg = win.get_model.open()
    for fit in (Fit(Verdict.RUNS_WELL, 23.4, "", True), Fit(Verdict.SLOW, 4.83, "", False),
                Fit(Verdict.SLOW, 9.96, "", False), Fit(Verdict.TOO_BIG, 0, "", False)):
        assert dlg.fit_label(fit) == fit.label
    dlg.reject()
