"""Model -> Get a model... in the real window: the catalogue with fit labels and the machine's facts (GPU offload
included), an owner/repo listed with the quant to take, a download cancelled from the window (partial kept,
nothing among the models, the UI turning all along), resumed, and the switch to the new model on the real engine."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from studio.hub.download import PARTIAL_DIR
from tests.hub.conftest import FILE, REPO, default_model_sha, hub  # noqa: F401 - fixtures used below
from tests.hub.stand_in_hub import StandInHub


def open_dialog(win: Any, qtbot: Any) -> Any:
    win.menu_actions.act_get_model.trigger()
    dlg = win.get_model.dialog.current
    assert dlg is not None and dlg.isVisible()
    qtbot.waitUntil(lambda: dlg.catalogue.rowCount() > 0, timeout=30_000)
    return dlg


def test_the_catalogue_shows_fit_labels_and_what_this_llama_cpp_can_do(make_window: Any, qtbot: Any) -> None:
    win = make_window()
    assert "Get a model" in win.menu_actions.act_get_model.text().replace("&", "")
    dlg = open_dialog(win, qtbot)
    labels = dlg.fit_labels()
    assert len(labels) >= 8
    assert all(lab.startswith(("runs well", "slow", "too big")) for lab in labels), labels
    assert "tokens/s" in labels[0]
    text = dlg.machine_label.text()
    assert "cores" in text and "GB memory" in text
    assert ("CPU only" in text) != dlg.facts.gpu_offload  # what llama.cpp itself says, through the engine layer
    assert dlg.catalogue.item(0, 4).toolTip().count("\n") == 1  # repo:file, then the reason


def test_cancel_from_the_window_keeps_the_partial_then_resume_and_switch(
        make_window: Any, qtbot: Any, services: Any, hub: StandInHub, default_model_path: Path) -> None:  # noqa: F811
    win = make_window(runner_factory=services.new_model_runner)
    dlg = open_dialog(win, qtbot)
    qtbot.keyClicks(dlg.repo_edit, REPO)
    qtbot.mouseClick(dlg.list_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.files.rowCount() == 1, timeout=30_000)
    assert dlg.files.item(0, 0).text() == f"★ {FILE}" and dlg.files.item(0, 2).text() == "Q4_K_M"
    assert dlg.download_button.isEnabled()

    hub.bytes_per_s = 20e6
    qtbot.mouseClick(dlg.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.progress.value() >= 100, timeout=60_000)  # 10%
    assert "MB/s" in dlg.status.text() and "left" in dlg.status.text()
    # The UI thread keeps turning while bytes arrive: a 10 ms timer fires on time.
    started = time.monotonic()
    qtbot.wait(200)
    assert time.monotonic() - started < 1.0
    with qtbot.waitSignal(dlg.download_stopped, timeout=30_000) as stopped:
        qtbot.mouseClick(dlg.cancel_button, Qt.MouseButton.LeftButton)
    assert "Cancelled" in stopped.args[0] and not dlg.downloading
    models = services.paths.models
    [part] = (models / PARTIAL_DIR).glob("*.part")
    kept = part.stat().st_size
    assert kept > 0 and not list(models.glob("*.gguf"))

    hub.bytes_per_s = None
    with qtbot.waitSignal(dlg.download_finished, timeout=120_000) as done:
        qtbot.mouseClick(dlg.download_button, Qt.MouseButton.LeftButton)
    assert Path(done.args[0]) == models / FILE
    assert hub.byte_requests()[-1].range == f"bytes={kept}-"
    assert dlg.use_button.isVisible() and "Switch to it now" in dlg.status.text()
    with qtbot.waitSignal(win.model_ready, timeout=120_000, check_params_cb=lambda info: Path(str(info.path)).name
                          == FILE):
        qtbot.mouseClick(dlg.use_button, Qt.MouseButton.LeftButton)
    assert Path(str(win.model_info.path)) == models / FILE
    qtbot.waitUntil(lambda: win.get_model.dialog.current is None)


def test_a_refused_repo_says_so_in_the_dialog(make_window: Any, qtbot: Any, hub: StandInHub,  # noqa: F811
                                              dialogs: Any) -> None:
    win = make_window()
    dlg = open_dialog(win, qtbot)
    qtbot.keyClicks(dlg.repo_edit, "studio-test/gated-GGUF")
    qtbot.keyClick(dlg.repo_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "HTTP 401" in dlg.repo_note.text(), timeout=30_000)
    assert "HF_TOKEN" in dlg.repo_note.text() and dlg.files.isHidden()
