"""GPU offload advice: the layers-that-fit arithmetic with given numbers, the sentence for each case (CPU-only
build, offload without a measurable GPU, a measured GPU), ggml's device API through the installed llama.cpp, and
each downloaded model's licence and layer count from its real GGUF header (checked against llama.cpp's own count)."""

from __future__ import annotations

from pathlib import Path

import psutil
import pytest

from studio.engine import machine
from studio.engine.machine import GpuMemory, MachineFacts, gpu_memory, gpu_offload_supported, layers_that_fit
from studio.services.models import ModelShop, offload_advice
from tests.engine.conftest import chat_model_path  # noqa: F401 - the SmolLM2 fixture

GB = 1_000_000_000


def facts(*, offload: bool, gpu: GpuMemory | None) -> MachineFacts:
    return MachineFacts(total_ram=16 * GB, available_ram=10 * GB, physical_cores=4, free_disk=100 * GB,
                        gpu_offload=offload, gpu=gpu)


@pytest.mark.parametrize(("free", "size", "layers", "fit"), [
    (8 * GB, 4 * GB, 32, 32),  # twice the file: every layer, never more than it has
    (2 * GB, 4 * GB, 32, 16),  # half the file: half the layers
    (3 * GB, 4 * GB, 30, 22),  # 3/4 of 30 is 22.5: a layer that does not fit whole does not count
    (4 * GB - 1, 4 * GB, 32, 31),  # a byte short of the file: not all of them
    (100_000_000, 4 * GB, 32, 0),  # less than one layer's share (125 MB)
    (0, 4 * GB, 32, 0),
    (8 * GB, 0, 32, 0),  # no size, no layer count: nothing to divide
    (8 * GB, 4 * GB, 0, 0),
])
def test_layers_that_fit_is_free_memory_over_the_size_of_a_layer(free: int, size: int, layers: int,
                                                                   fit: int) -> None:
    assert layers_that_fit(free, size, layers) == fit


def test_the_advice_for_a_cpu_only_build_says_so_whatever_the_model() -> None:
    cpu = facts(offload=False, gpu=None)
    for size, layers in ((4 * GB, 32), (0, None), (4 * GB, None)):
        text = offload_advice(cpu, size, layers)
        assert "CPU only" in text and "without GPU offload" in text


def test_the_advice_when_the_gpu_memory_cannot_be_measured() -> None:
    text = offload_advice(facts(offload=True, gpu=None), 4 * GB, 32)
    assert "can offload" in text and "cannot be measured" in text and "not known" in text


def test_the_advice_counts_the_layers_that_fit_on_a_measured_gpu() -> None:
    gpu = facts(offload=True, gpu=GpuMemory(("RTX 3060",), free=3 * GB, total=12 * GB))
    assert offload_advice(gpu, 4 * GB, 30) == "About 22 of its 30 layers fit in the 3.0 GB free on RTX 3060."
    assert offload_advice(gpu, 2 * GB, 28) == "All 28 layers fit in the 3.0 GB free on RTX 3060 (GPU layers: all)."
    # Not downloaded yet (no header to count layers in): the share of them that fits.
    assert offload_advice(gpu, 4 * GB) == "About 75% of its layers fit in the 3.0 GB free on RTX 3060."
    assert offload_advice(gpu, 1 * GB).startswith("All its layers fit")
    two = facts(offload=True, gpu=GpuMemory(("A", "B"), free=6 * GB, total=16 * GB))
    assert offload_advice(two, 8 * GB, 40) == "About 30 of its 40 layers fit in the 6.0 GB free on 2 GPUs (A, B)."


def test_this_machine_says_what_the_installed_llama_cpp_can_do(tmp_path: Path) -> None:
    here = machine.machine_facts(tmp_path)
    assert here.gpu_offload == gpu_offload_supported()
    if not here.gpu_offload:  # the CPU wheel of CI: no GPU memory to speak of
        assert here.gpu is None and gpu_memory() is None
        assert "CPU only" in offload_advice(here, 4 * GB, 32)
    else:
        assert here.gpu is None or 0 <= here.gpu.free <= here.gpu.total


def test_ggmls_device_api_is_really_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ctypes declarations against the library llama_cpp loaded: counted as a GPU, the CPU device answers
    with this machine's memory, so a wrong prototype or type id cannot pass unseen."""
    monkeypatch.setattr(machine, "_DEV_GPU", 0)  # GGML_BACKEND_DEVICE_TYPE_CPU
    measured = gpu_memory()
    assert measured is not None and measured.devices and all(measured.devices)
    total = psutil.virtual_memory().total
    assert 0 < measured.free <= measured.total
    assert abs(measured.total - total) < total * 0.05, (measured, total)


def test_downloaded_models_get_licence_and_layer_count_from_their_header(
        paths, default_model_path: Path, chat_model_path: Path) -> None:  # noqa: F811
    import llama_cpp

    from studio.engine.discovery import inspect_gguf

    shop = ModelShop(paths)
    infos = [inspect_gguf(default_model_path), inspect_gguf(chat_model_path)]
    details = shop.with_details(infos)
    assert [d.licence for d in details] == [shop.licence_of(default_model_path), shop.licence_of(chat_model_path)]
    assert [d.licence for d in details] == ["gemma", "apache-2.0"]
    for d in details:
        llm = llama_cpp.Llama(str(d.info.path), n_ctx=64, n_threads=1, verbose=False)
        try:
            assert d.layers == llama_cpp.llama_model_n_layer(llm.model) > 0
        finally:
            llm.close()
    broken = paths.models / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\0" * 16)
    [d] = shop.with_details([infos[0].__class__(path=broken, name="broken", architecture="llama", size_bytes=20)])
    assert d.layers is None and d.licence == ""  # an unreadable header is no layer count, not a failure
