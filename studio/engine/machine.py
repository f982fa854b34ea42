"""What this machine offers a model, for the fit advice of Model -> Get a model...: memory (total and free now),
physical cores, free disk where models go, and whether the installed llama.cpp can offload layers to a GPU.

GPU offload is asked of llama.cpp itself (``llama_supports_gpu_offload``: true for CUDA, Vulkan, Metal, ROCm
builds, false for the default CPU wheel), so the answer is about the installed build, not about the hardware.
"""

from __future__ import annotations

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
    return MachineFacts(total_ram=total_ram_bytes(), available_ram=available, physical_cores=physical_cores(),
                        free_disk=free, gpu_offload=gpu_offload_supported())


@functools.lru_cache(maxsize=1)
def gpu_offload_supported() -> bool:
    """Whether the installed llama.cpp was built with a GPU backend (asked once: it cannot change while running)."""
    try:
        import llama_cpp

        return bool(llama_cpp.llama_supports_gpu_offload())
    except Exception as exc:  # noqa: BLE001 - a broken install answers "no GPU", the load reports the rest
        log.info("could not ask llama.cpp about GPU offload: %s", exc)
        return False
