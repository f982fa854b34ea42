"""What this machine can do for llama.cpp: thread counts chosen by measurement, and a guard against CPU
features the build uses but the machine cannot run.

Threads (measured on a 2-core machine with the default model, ``bench/engine_bench.py --threads``; the figures
are in docs/benchmarks.md, "Engine"). Raw llama.cpp, 1 vs 2 threads:

* idle machine: 2 threads read the prompt 1.7x and generate 1.8x faster than 1;
* a UI-like competitor (30% of a core): 2 threads still win by ~1.4x;
* a competing busy process: 2 threads *collapse* below 1 (15 vs 25 tokens/s, 200 ms stalls): ggml's workers meet
  at a spinning barrier after every operation, and a descheduled worker stalls all of them.

So the default is every physical core (at most 8; generation is memory-bound beyond that), and before each job
the engine measures how many cores *other* processes kept busy since the last look (CpuContention) and uses only
the free ones. The writer's own UI thread is not "other": with two threads generating and a Python thread ticking
every 10 ms in the same process, the tick stayed within 4 ms (p99) of schedule. That needed the native abort
check in llama_engine (a Python abort callback takes the GIL hundreds of times per token: 1.6 tokens/s).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil

log = logging.getLogger(__name__)

_MAX_THREADS = 8


def logical_cpus() -> int:
    """Logical CPUs this process may run on: its affinity mask (taskset, cpusets, Windows affinity) where the
    system has one (macOS has none), else every logical CPU of the machine."""
    try:
        # macOS has no cpu_affinity (nor its stubs): the ignore is for type checks run there.
        return max(1, len(psutil.Process().cpu_affinity()))  # type: ignore[attr-defined, unused-ignore]
    except (AttributeError, NotImplementedError, OSError, psutil.Error):
        return max(1, psutil.cpu_count(logical=True) or os.cpu_count() or 1)


def physical_cores() -> int:
    """Physical cores among the logical CPUs this process may use: hyper-threads of one core share its units,
    so a second thread on them only adds a worker for ggml's barrier to wait on.

    The machine's physical share of its logical CPUs, applied to the ones this process may use (a hybrid CPU
    with 8 two-way and 8 one-way cores has 16 cores for 24 logical CPUs). psutil answers None for physical
    cores where the system hides its topology (some VMs and containers): then every logical CPU counts as one.
    """
    logical = logical_cpus()
    try:
        machine_logical = psutil.cpu_count(logical=True)
        machine_physical = psutil.cpu_count(logical=False)
    except (OSError, psutil.Error):
        return logical
    if not machine_logical or not machine_physical or machine_physical >= machine_logical:
        return logical
    return max(1, machine_physical * logical // machine_logical)


def total_ram_bytes() -> int | None:
    """Physical memory of this machine (Linux, Windows, macOS alike), or None when the system will not say:
    discovery then skips its too-big-for-memory check rather than refuse a model on a guess."""
    try:
        total = int(psutil.virtual_memory().total)
    except (OSError, ValueError, RuntimeError, psutil.Error):
        return None
    return total if total > 0 else None


def default_threads() -> tuple[int, int]:
    """(threads for generation, threads for reading the prompt) on an idle machine; see the module docstring."""
    cores = max(1, min(physical_cores(), _MAX_THREADS))
    return cores, cores


# ------------------------------------------------------------------------------------------ AMX guard

_PROBE_CODE = r"""
import sys, llama_cpp, llama_cpp.llama_cpp as C
from llama_cpp import Llama
llm = Llama(sys.argv[1], n_ctx=64, n_batch=32, n_threads=1, n_threads_batch=1, verbose=False)
toks = llm.tokenize(b"Once upon a time", add_bos=True)
for i, t in enumerate(llm.generate(toks, temp=0.0)):
    if i >= 2:
        break
print("ok")
"""


def extra_buffers_safe(model_path: Path, cache_dir: Path | None) -> bool:
    """Whether llama.cpp may use its "extra" weight buffers (CPU repacking and Intel AMX tiles).

    A build compiled for a CPU that advertises AMX uses AMX tiles for quantized matrix products; some virtual
    machines advertise AMX and accept the permission request but fault on the first tile instruction, which
    kills the process with SIGILL. When (and only when) the build has AMX and the CPU claims it, one child
    process tries a real decode once; the verdict is kept in ``cache_dir`` keyed by the llama.cpp build and the
    CPU. Without extra buffers the model runs with plain (AVX2/AVX-512) kernels instead.
    """
    if os.environ.get("STUDIO_LLAMA_EXTRA_BUFFERS") in ("0", "1"):
        return os.environ["STUDIO_LLAMA_EXTRA_BUFFERS"] == "1"
    info = _system_info()
    if "AMX_INT8 = 1" not in info or not _cpu_claims_amx():
        return True
    return _probe_cached(str(model_path), str(cache_dir) if cache_dir else "", _build_key(info))


@functools.lru_cache(maxsize=1)
def _system_info() -> str:
    import llama_cpp

    info: bytes = llama_cpp.llama_print_system_info()
    return info.decode("utf-8", errors="replace")


def _cpu_claims_amx() -> bool:
    try:
        return " amx_tile" in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return sys.platform == "win32"  # Windows enables AMX state for every process; trust the build


def _build_key(info: str) -> str:
    import llama_cpp

    lib_dir = Path(llama_cpp.__file__).parent / "lib"
    stamps = sorted(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in lib_dir.glob("*") if p.is_file())
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        cpu = [ln for ln in lines if ln.startswith(("model name", "flags"))][:2]
    except OSError:
        cpu = []
    raw = json.dumps([llama_cpp.__version__, info, stamps, cpu])
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


@functools.lru_cache(maxsize=8)
def _probe_cached(model_path: str, cache_dir: str, key: str) -> bool:
    stamp = Path(cache_dir) / f"cpu-probe-{key}.json" if cache_dir else None
    if stamp is not None:
        try:
            return bool(json.loads(stamp.read_text(encoding="utf-8"))["extra_buffers_safe"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    env = dict(os.environ, STUDIO_LLAMA_EXTRA_BUFFERS="1")
    try:
        proc = subprocess.run([sys.executable, "-c", _PROBE_CODE, model_path], capture_output=True, text=True,
                              timeout=180, env=env)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("Could not test AMX on this CPU (%s); running llama.cpp without its extra weight buffers.", exc)
        return False
    if proc.returncode > 0:
        # The probe model did not load or run (its own problem, reported when the engine loads it): no verdict.
        return True
    ok = proc.returncode == 0 and "ok" in proc.stdout
    detail = f"exit status {proc.returncode}"
    if not ok:
        log.warning("This CPU advertises AMX but a test decode with it failed (%s); "
                    "running llama.cpp without its extra weight buffers.", detail)
    if stamp is not None:
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            tmp = stamp.with_suffix(".tmp")
            tmp.write_text(json.dumps({"extra_buffers_safe": ok, "detail": detail}), encoding="utf-8")
            os.replace(tmp, stamp)
        except OSError as exc:
            log.debug("Could not record the CPU probe: %s", exc)
    return ok


# ------------------------------------------------------------------------------------------ contention


class CpuContention:
    """How many cores other processes (and, in a VM, other guests: steal time) used since the last look:
    machine-wide busy time (psutil's CPU times: /proc/stat on Linux, the kernel's counters on Windows and
    macOS) minus this process's own CPU time. None where the system gives no CPU times.

    The engine looks before each job and, unless the writer fixed the thread count, gives llama.cpp only the
    cores that are free: with a busy competitor on one of two cores, two threads ran slower than one.
    """

    _MIN_WINDOW_S = 0.25

    def __init__(self) -> None:
        self._last = self._sample()
        self._value: float | None = None

    @staticmethod
    def _sample() -> tuple[float, float, float] | None:
        try:
            busy = _busy_seconds(psutil.cpu_times())
        except (OSError, RuntimeError, psutil.Error):
            return None
        t = os.times()
        return time.monotonic(), busy, t.user + t.system

    def others_cores(self) -> float | None:
        now = self._sample()
        if now is None or self._last is None:
            return None
        wall = now[0] - self._last[0]
        if wall < self._MIN_WINDOW_S:
            return self._value
        others = ((now[1] - self._last[1]) - (now[2] - self._last[2])) / wall
        self._last = now
        self._value = max(0.0, others)
        return self._value


def _busy_seconds(times: Any) -> float:
    """CPU seconds all cores spent running something. Idle and I/O wait are free time; Linux's guest times are
    already inside user and nice, so they are not added twice. Fields a platform lacks count 0 (Windows reports
    user and system; its interrupt and DPC times are small and left out rather than risk counting them twice)."""
    return sum(float(getattr(times, name, 0.0)) for name in ("user", "nice", "system", "irq", "softirq", "steal"))


def threads_for(others: float | None, defaults: tuple[int, int]) -> tuple[int, int]:
    """Thread counts for the next job given the cores others are using (None: unknown, keep the defaults)."""
    gen, batch = defaults
    if others is None:
        return defaults
    free = max(1, round(physical_cores() - others))
    batch = max(1, min(batch, free))
    return max(1, min(gen, batch)), batch
