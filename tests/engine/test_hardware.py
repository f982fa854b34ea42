"""What the engine learns about the machine through psutil (physical cores, CPU contention, total memory), the
thread policy built on it, and the native abort check. Each rule is checked twice: against a fake psutil with
known numbers, so the arithmetic is pinned, and against this machine's own facts, so the real calls are too."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest

from studio.domain import ModelLoadError
from studio.engine import discovery, hardware

GiB = 2**30


def test_threads_follow_the_free_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hardware, "physical_cores", lambda: 2)
    assert hardware.default_threads() == (2, 2)
    assert hardware.threads_for(None, (2, 2)) == (2, 2)  # unknown: keep the defaults
    assert hardware.threads_for(0.3, (2, 2)) == (2, 2)  # a light competitor: both cores still pay
    assert hardware.threads_for(1.0, (2, 2)) == (1, 1)  # a busy process: never fight it for a core
    assert hardware.threads_for(5.0, (2, 2)) == (1, 1)
    monkeypatch.setattr(hardware, "physical_cores", lambda: 32)
    assert hardware.default_threads() == (8, 8)  # generation is memory-bound past 8 threads


# ---------------------------------------------------------------------------------------------- physical cores


def _fake_topology(monkeypatch: pytest.MonkeyPatch, *, logical: int, physical: int | None,
                   affinity: list[int] | None) -> None:
    def cpu_count(logical: bool = True) -> int | None:
        return machine_logical if logical else physical

    machine_logical = logical

    class FakeProcess:
        def cpu_affinity(self) -> list[int]:
            if affinity is None:
                raise AttributeError("no affinity API here (macOS)")
            return affinity

    monkeypatch.setattr(psutil, "cpu_count", cpu_count)
    monkeypatch.setattr(psutil, "Process", FakeProcess)


@pytest.mark.parametrize(
    ("logical", "physical", "affinity", "expected"),
    [
        (8, 4, list(range(8)), 4),  # two hyper-threads per core: one thread per core
        (8, 4, [0, 1, 2, 3], 2),  # taskset to half the CPUs: half the cores
        (8, 4, [0], 1),  # never 0
        (24, 16, list(range(24)), 16),  # hybrid CPU: 8 cores with two threads, 8 with one
        (4, 4, list(range(4)), 4),  # no SMT
        (8, None, list(range(8)), 8),  # topology hidden (psutil says None): each logical CPU counts as a core
        (8, 4, None, 4),  # macOS: no affinity API, the whole machine
        (6, None, None, 6),
    ],
)
def test_physical_cores_from_psutil(monkeypatch: pytest.MonkeyPatch, logical: int, physical: int | None,
                                    affinity: list[int] | None, expected: int) -> None:
    _fake_topology(monkeypatch, logical=logical, physical=physical, affinity=affinity)
    assert hardware.physical_cores() == expected
    assert hardware.default_threads() == (min(expected, 8), min(expected, 8))


def _cores_from_proc_cpuinfo() -> tuple[int, int]:
    """(distinct physical cores, logical CPUs) read straight from /proc/cpuinfo, independently of psutil."""
    cores: set[tuple[str, str]] = set()
    logical = 0
    block: dict[str, str] = {}
    for line in [*Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines(), ""]:
        if line.strip():
            key, _, value = line.partition(":")
            block[key.strip()] = value.strip()
            continue
        if "processor" in block:
            logical += 1
            cores.add((block.get("physical id", "0"), block.get("core id", block["processor"])))
        block = {}
    return len(cores), logical


def test_physical_cores_on_this_machine() -> None:
    allowed = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert allowed
    assert hardware.logical_cpus() == allowed
    if sys.platform.startswith("linux"):
        cores, logical = _cores_from_proc_cpuinfo()
        assert logical == os.cpu_count()
        assert hardware.physical_cores() == max(1, cores * allowed // logical)
    else:
        assert hardware.physical_cores() == max(1, (psutil.cpu_count(logical=False) or allowed) * allowed
                                                // (psutil.cpu_count() or allowed))


# -------------------------------------------------------------------------------------------------- contention


def test_contention_arithmetic(monkeypatch: pytest.MonkeyPatch) -> None:
    """Busy = user+nice+system+irq+softirq+steal; idle, iowait and Linux's guest (already in user) are not;
    our own CPU time is taken off; a look inside the minimum window repeats the last answer."""
    clock = [100.0]
    machine = [SimpleNamespace(user=50.0, nice=1.0, system=9.0, idle=500.0, iowait=7.0, irq=0.5, softirq=0.5,
                               steal=2.0, guest=40.0, guest_nice=1.0)]
    own = [SimpleNamespace(user=3.0, system=1.0)]
    monkeypatch.setattr(hardware.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(psutil, "cpu_times", lambda: machine[0])
    monkeypatch.setattr(hardware.os, "times", lambda: own[0])

    c = hardware.CpuContention()
    assert c.others_cores() is None  # no window has passed yet
    clock[0] += 2.0
    # 2 s later: the machine did 5 busy seconds (user +3, system +1, steal +1), we did 1: others used 2 cores.
    machine[0] = SimpleNamespace(user=53.0, nice=1.0, system=10.0, idle=520.0, iowait=30.0, irq=0.5, softirq=0.5,
                                 steal=3.0, guest=43.0, guest_nice=1.0)
    own[0] = SimpleNamespace(user=3.5, system=1.5)
    assert c.others_cores() == pytest.approx(2.0)
    clock[0] += 0.1  # within the minimum window: the last answer, not a noisy new one
    machine[0] = SimpleNamespace(**{**vars(machine[0]), "user": 60.0})
    assert c.others_cores() == pytest.approx(2.0)
    clock[0] += 1.0  # our own work is never "others": it never goes below 0
    own[0] = SimpleNamespace(user=20.0, system=1.5)
    assert c.others_cores() == 0.0


def test_contention_fields_of_windows_and_macos(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [0.0]
    times = [SimpleNamespace(user=10.0, system=5.0, idle=100.0, interrupt=1.0, dpc=1.0)]  # Windows' fields
    monkeypatch.setattr(hardware.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(psutil, "cpu_times", lambda: times[0])
    monkeypatch.setattr(hardware.os, "times", lambda: SimpleNamespace(user=0.0, system=0.0))
    c = hardware.CpuContention()
    clock[0] = 1.0
    times[0] = SimpleNamespace(user=10.5, system=5.25, idle=101.0, interrupt=1.5, dpc=1.5)
    assert c.others_cores() == pytest.approx(0.75)
    def refuses() -> object:
        raise psutil.AccessDenied()

    monkeypatch.setattr(psutil, "cpu_times", refuses)
    clock[0] = 5.0
    assert c.others_cores() is None  # the system refuses: unknown, so the engine keeps its defaults


def test_contention_sees_a_busy_competitor_here() -> None:
    """A child process spinning on one core must show up: machine-wide busy time covers at least what the child
    itself used (other people's work on this machine can only add to it), and never more than every CPU."""
    c = hardware.CpuContention()
    started = time.monotonic()
    spin = "import time\nend = time.monotonic() + 1.5\nwhile time.monotonic() < end: pass\n"
    child = psutil.Popen([sys.executable, "-c", spin])
    child_cpu = 0.0
    while child.poll() is None:
        try:
            t = child.cpu_times()
            child_cpu = t.user + t.system
        except psutil.NoSuchProcess:
            break
        time.sleep(0.05)
    window = time.monotonic() - started
    others = c.others_cores()
    assert others is not None, "psutil gave no CPU times on this machine"
    assert child_cpu > 0.2, "the competitor never ran"
    assert others >= 0.8 * child_cpu / window - 0.05, (others, child_cpu, window)
    assert others <= (psutil.cpu_count() or 1) + 0.25


# ------------------------------------------------------------------------------------------------------ memory


def test_total_ram_is_this_machines() -> None:
    ram = hardware.total_ram_bytes()
    assert ram is not None
    if sys.platform.startswith("linux"):
        kib = next(int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines()
                   if ln.startswith("MemTotal:"))
        assert ram == kib * 1024
        assert ram == os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")  # what discovery used before
    else:
        assert ram == psutil.virtual_memory().total


def test_a_model_bigger_than_memory_is_refused(monkeypatch: pytest.MonkeyPatch, default_model_path: Path) -> None:
    size = default_model_path.stat().st_size
    total = [4 * GiB]
    monkeypatch.setattr(psutil, "virtual_memory", lambda: SimpleNamespace(total=total[0]))
    assert discovery.inspect_gguf(default_model_path).size_bytes == size

    total[0] = int(size / 0.9) + 4096  # just room for it within the 90% share
    assert discovery.inspect_gguf(default_model_path).size_bytes == size

    total[0] = size  # the file alone would fill memory
    with pytest.raises(ModelLoadError) as err:
        discovery.inspect_gguf(default_model_path)
    assert "of memory and this machine has" in str(err.value)
    assert err.value.hint == "Pick a smaller (more quantized) model."

    def refuses() -> object:
        raise psutil.AccessDenied()

    monkeypatch.setattr(psutil, "virtual_memory", refuses)  # memory unknown: no check, not a refusal
    assert hardware.total_ram_bytes() is None
    assert discovery.inspect_gguf(default_model_path).size_bytes == size


# ------------------------------------------------------------------------------------------------ abort check


def test_native_abort_check_reads_a_flag_byte() -> None:
    import ctypes

    import llama_cpp

    from studio.engine.llama_engine import _native_flag_check

    cb = _native_flag_check(llama_cpp)
    # Linux and macOS find strlen in the running process, Windows in msvcrt: the Python fallback takes the GIL
    # hundreds of times per token (1.6 tokens/s measured), so not finding it is a failure, not a skip.
    assert cb is not None, "no C library strlen found: the engine would fall back to the slow Python callback"
    assert getattr(cb, "native", False) is True
    flag = ctypes.create_string_buffer(2)
    assert cb(ctypes.cast(flag, ctypes.c_void_p)) is False
    flag[0] = b"\x01"
    assert cb(ctypes.cast(flag, ctypes.c_void_p)) is True
