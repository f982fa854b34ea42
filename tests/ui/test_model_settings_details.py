"""Model settings lists the models found with size, quant and licence (as `studio models` does), and its GPU layers
row, like Get a model, says whether the installed llama.cpp can offload and how many of the model's layers fit.

On the real window, real discovery and the two real GGUFs (the embedded default and SmolLM2 in the data folder).
This machine's llama.cpp is the CPU wheel, so the CPU-only sentence is what the real thing shows; the count of
layers on a GPU is UI logic over given facts (a GPU stated by the test) and the real files' layer counts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from studio.engine.gguf_header import read_header
from studio.engine.machine import GpuMemory, MachineFacts, gpu_offload_supported, layers_that_fit
from studio.services.models import ModelShop
from tests.engine.conftest import chat_model_path  # noqa: F401 - the SmolLM2 fixture

GB = 1_000_000_000


def _open_settings(win: Any, qtbot: Any) -> Any:
    dlg = win.open_model_settings()
    with qtbot.waitSignal(dlg.details_shown, timeout=60_000):
        pass
    return dlg


def _item_for(dlg: Any, path: Path) -> Any:
    for i in range(dlg.models.count()):
        item = dlg.models.item(i)
        if item.data(Qt.ItemDataRole.UserRole) and Path(item.data(Qt.ItemDataRole.UserRole)).resolve() == \
                path.resolve():
            return item
    raise AssertionError(f"{path} is not listed: {[dlg.models.item(i).text() for i in range(dlg.models.count())]}")


@pytest.fixture
def window_with_two_models(make_window: Any, services: Any, chat_model_path: Path) -> Any:  # noqa: F811
    (services.paths.models / chat_model_path.name).symlink_to(chat_model_path)
    return make_window(runner_factory=services.new_model_runner)


def test_the_list_shows_size_quant_and_licence_of_each_model_found(
        window_with_two_models: Any, qtbot: Any, services: Any, default_model_path: Path,
        chat_model_path: Path) -> None:  # noqa: F811
    dlg = _open_settings(window_with_two_models, qtbot)
    shop = services.model_shop()
    for path, quant in ((default_model_path, "Q4_K_M"), (chat_model_path, "Q4_1")):
        text = _item_for(dlg, path).text()
        size = f"{path.stat().st_size / 1e6:,.0f} MB"
        licence = shop.licence_of(path)  # the call `studio models` lists licences through
        assert licence and f"licence: {licence}" in text, text
        assert quant in text and size in text, text
    assert "licence: apache-2.0" in _item_for(dlg, chat_model_path).text()
    assert "licence: gemma" in _item_for(dlg, default_model_path).text()


def test_the_gpu_layers_row_says_what_the_installed_llama_cpp_can_offload(
        window_with_two_models: Any, qtbot: Any, chat_model_path: Path) -> None:  # noqa: F811
    dlg = _open_settings(window_with_two_models, qtbot)
    note = dlg.gpu_note
    assert note.isVisible()
    if not gpu_offload_supported():  # this machine's CPU wheel
        assert "CPU only" in note.text() and "GPU layers are not used" in note.text()
        dlg.models.setCurrentItem(_item_for(dlg, chat_model_path))
        assert "CPU only" in note.text()
    else:
        assert "can offload" in note.text()
    dlg.reject()


def test_a_measured_gpu_gives_the_chosen_models_layers_that_fit(
        window_with_two_models: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, default_model_path: Path,
        chat_model_path: Path) -> None:  # noqa: F811
    gpu = GpuMemory(("Test GPU",), free=60_000_000, total=8 * GB)  # room for part of either model

    def with_gpu(self: ModelShop) -> MachineFacts:
        return MachineFacts(16 * GB, 10 * GB, 4, 100 * GB, gpu_offload=True, gpu=gpu)

    monkeypatch.setattr(ModelShop, "machine", with_gpu)
    dlg = _open_settings(window_with_two_models, qtbot)
    for path, arch in ((chat_model_path, "llama"), (default_model_path, "gemma3")):
        layers = read_header(path).metadata[f"{arch}.block_count"]
        fit = layers_that_fit(gpu.free, path.stat().st_size, layers)
        assert 0 < fit < layers
        dlg.models.setCurrentItem(_item_for(dlg, path))
        assert dlg.gpu_note.text() == f"About {fit} of its {layers} layers fit in the 60 MB free on Test GPU."
    dlg.models.setCurrentRow(0)  # "Automatic": the model it would load, the first usable one
    assert dlg.models.currentItem().data(Qt.ItemDataRole.UserRole) is None
    assert "of its 30 layers" in dlg.gpu_note.text()  # SmolLM2 in the data folder comes before the embedded one
    dlg.reject()


def test_get_a_model_states_the_gpus_free_memory_and_the_share_that_fits(
        make_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    gpu = GpuMemory(("Test GPU",), free=2 * GB, total=8 * GB)
    monkeypatch.setattr(ModelShop, "machine",
                        lambda self: MachineFacts(64 * GB, 60 * GB, 8, 500 * GB, gpu_offload=True, gpu=gpu))
    win = make_window()
    win.menu_actions.act_get_model.trigger()
    dlg = win.get_model.dialog.current
    qtbot.waitUntil(lambda: dlg.catalogue.rowCount() > 0, timeout=30_000)
    assert "2.0 GB free of 8.0 GB on Test GPU" in dlg.machine_label.text()
    sizes = [c.entry.size_bytes for c in dlg._choices]
    big = max(range(len(sizes)), key=sizes.__getitem__)
    dlg.catalogue.selectRow(big)
    share = min(gpu.free / sizes[big], 1.0)
    assert f"About {share:.0%} of its layers fit in the 2.0 GB free on Test GPU." in dlg.status.text()
    dlg.reject()
