"""Thread policy: every physical core by default, fewer while other processes keep cores busy."""

from __future__ import annotations

import pytest

from studio.engine import hardware


def test_threads_follow_the_free_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hardware, "physical_cores", lambda: 2)
    assert hardware.default_threads() == (2, 2)
    assert hardware.threads_for(None, (2, 2)) == (2, 2)  # unknown: keep the defaults
    assert hardware.threads_for(0.3, (2, 2)) == (2, 2)  # a light competitor: both cores still pay
    assert hardware.threads_for(1.0, (2, 2)) == (1, 1)  # a busy process: never fight it for a core
    assert hardware.threads_for(5.0, (2, 2)) == (1, 1)


def test_contention_reading_works_here() -> None:
    c = hardware.CpuContention()
    value = c.others_cores()  # within the minimum window: no new reading yet
    assert value is None or value >= 0


def test_native_abort_check_reads_a_flag_byte() -> None:
    import ctypes

    import llama_cpp

    from studio.engine.llama_engine import _native_flag_check

    cb = _native_flag_check(llama_cpp)
    if cb is None:
        pytest.skip("no C library strlen here; the engine falls back to a Python callback")
    flag = ctypes.create_string_buffer(2)
    assert cb(ctypes.cast(flag, ctypes.c_void_p)) is False
    flag[0] = b"\x01"
    assert cb(ctypes.cast(flag, ctypes.c_void_p)) is True
