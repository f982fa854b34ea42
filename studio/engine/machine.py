"""What this machine offers a model, for the fit advice of Model -> Get a model...: memory (total and free now),
physical cores, free disk where models go, and whether the installed llama.cpp can offload layers to a GPU.

GPU offload is asked of llama.cpp itself (``llama_supports_gpu_offload``: true for CUDA, Vulkan, Metal, ROCm
builds, false for the default CPU wheel), so the answer is about the installed build, not about the hardware.
The GPUs' free memory comes from ggml's backend device API (``ggml_backend_dev_*``), the devices llama.cpp
itself offloads to; llama-cpp-python 0.3.36 has no Python wrappers for it, but the ggml library it loads exports
the functions, so they are declared here with ctypes on that same library (and any surprise reads "cannot be
measured", never a crash of the fit advice).
"""

from __future__ import annotations

import ctypes
import functools
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

import psutil

from studio.engine.hardware import physical_cores, total_ram_bytes

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MachineFacts:
    total_ram: int | None  # bytes; None when the system will not say
    available_ram: int | None  # bytes free for a new program now (page cache counts as free)
    physical_cores: int
    free_disk: int | None  # bytes free where models are stored
    gpu_offload: bool  # this llama.cpp build can put layers on a GPU
    gpu: GpuMemory | None = None  # the offload devices' memory; None: no offload, or it cannot be measured


@dataclass(frozen=True)
class GpuMemory:
    """What the GPUs llama.cpp offloads to have: its layers are split over all of them, so the sums count."""

    devices: tuple[str, ...]  # each device's description, as ggml names it
    free: int  # bytes
    total: int  # bytes


def machine_facts(models_dir: Path) -> MachineFacts:
    try:
        available: int | None = int(psutil.virtual_memory().available)
    except (OSError, RuntimeError, psutil.Error):
        available = None
    folder = models_dir
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # the folder may not exist yet: the disk it will be on
    try:
        free: int | None = shutil.disk_usage(folder).free
    except OSError:
        free = None
    offload = gpu_offload_supported()
    return MachineFacts(total_ram=total_ram_bytes(), available_ram=available, physical_cores=physical_cores(),
                        free_disk=free, gpu_offload=offload, gpu=gpu_memory() if offload else None)


@functools.lru_cache(maxsize=1)
def gpu_offload_supported() -> bool:
    """Whether the installed llama.cpp was built with a GPU backend (asked once: it cannot change while running)."""
    try:
        import llama_cpp

        return bool(llama_cpp.llama_supports_gpu_offload())
    except Exception as exc:  # noqa: BLE001 - a broken install answers "no GPU", the load reports the rest
        log.info("could not ask llama.cpp about GPU offload: %s", exc)
        return False


# enum ggml_backend_dev_type in the vendored ggml-backend.h: CPU, GPU, IGPU, ACCEL, META.
_DEV_GPU, _DEV_IGPU = 1, 2


def layers_that_fit(free_bytes: int, model_bytes: int, layer_count: int) -> int:
    """How many of a model's layers fit in ``free_bytes`` of GPU memory: free / (file size / layer count), at most
    every layer. An estimate: it spreads the whole file over the layers (embeddings and output included) and leaves
    out the KV cache each offloaded layer also takes, so it errs towards more layers than fit at a long context."""
    if layer_count <= 0 or model_bytes <= 0 or free_bytes <= 0:
        return 0
    return min(layer_count, free_bytes * layer_count // model_bytes)


def gpu_memory() -> GpuMemory | None:
    """Free and total memory of the GPUs this llama.cpp would offload to (dedicated GPUs, else integrated ones, as
    llama.cpp picks them); None when there is none or the API is not there to ask. Asked anew each time: the free
    memory changes while other programs run."""
    try:
        from llama_cpp import _ggml

        lib = _ggml.libggml
        count, get, kind = lib.ggml_backend_dev_count, lib.ggml_backend_dev_get, lib.ggml_backend_dev_type
        memory, describe = lib.ggml_backend_dev_memory, lib.ggml_backend_dev_description
        count.argtypes, count.restype = [], ctypes.c_size_t
        get.argtypes, get.restype = [ctypes.c_size_t], ctypes.c_void_p
        kind.argtypes, kind.restype = [ctypes.c_void_p], ctypes.c_int
        describe.argtypes, describe.restype = [ctypes.c_void_p], ctypes.c_char_p
        memory.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t), ctypes.POINTER(ctypes.c_size_t)]
        memory.restype = None
        devices: dict[int, list[tuple[str, int, int]]] = {_DEV_GPU: [], _DEV_IGPU: []}
        for i in range(int(count())):
            dev = get(i)
            t = int(kind(dev))
            if not dev or t not in devices:
                continue
            free, total = ctypes.c_size_t(0), ctypes.c_size_t(0)
            memory(dev, ctypes.byref(free), ctypes.byref(total))
            name = (describe(dev) or b"GPU").decode("utf-8", "replace")
            devices[t].append((name, int(free.value), int(total.value)))
    except Exception as exc:  # noqa: BLE001 - bindings without the API: the advice says it cannot measure
        log.info("could not ask ggml about GPU memory: %s", exc)
        return None
    found = devices[_DEV_GPU] or devices[_DEV_IGPU]
    if not found or not any(total for _, _, total in found):
        return None
    return GpuMemory(tuple(n for n, _, _ in found), sum(f for _, f, _ in found), sum(t for _, _, t in found))
