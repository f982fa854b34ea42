"""Fit advice: too big, slow or runs well, with a reason, from measured speed when there is one."""

from __future__ import annotations

from studio.services.models import MachineFacts, Measured, Verdict, assess

GB = 1_000_000_000
LAPTOP = MachineFacts(total_ram=16 * GB, available_ram=10 * GB, physical_cores=4, free_disk=100 * GB,
                      gpu_offload=False)


def test_a_model_bigger_than_memory_is_too_big_and_says_why() -> None:
    fit = assess(15 * GB, LAPTOP, None)
    assert fit.verdict is Verdict.TOO_BIG and "16.0 GB" in fit.reason and fit.label == "too big"


def test_a_model_bigger_than_the_free_disk_is_too_big_unless_it_is_already_here() -> None:
    small_disk = MachineFacts(16 * GB, 10 * GB, 4, 2 * GB, False)
    assert assess(3 * GB, small_disk, None).verdict is Verdict.TOO_BIG
    assert "disk" in assess(3 * GB, small_disk, None).reason
    assert assess(3 * GB, small_disk, None, on_disk=True).verdict is not Verdict.TOO_BIG


def test_speed_scales_a_measured_run_by_size() -> None:
    measured = Measured("gemma-3-270m-q4_k_m.gguf", 253_000_000, 50.0, 12)
    fit = assess(506_000_000, LAPTOP, measured)
    assert fit.measured and abs(fit.tokens_per_s - 25.0) < 0.01
    assert fit.verdict is Verdict.RUNS_WELL and "measured here" in fit.reason
    slow = assess(5 * GB, LAPTOP, measured)
    assert slow.verdict is Verdict.SLOW and slow.tokens_per_s < 5 and "reading pace" in slow.reason


def test_without_a_measured_run_the_estimate_says_it_is_a_guess() -> None:
    fit = assess(1 * GB, LAPTOP, None)
    assert not fit.measured and "guessed" in fit.reason and fit.tokens_per_s > 0


def test_a_model_that_needs_more_than_the_free_memory_is_slow() -> None:
    busy = MachineFacts(16 * GB, 2 * GB, 8, 100 * GB, False)
    fit = assess(3 * GB, busy, Measured("m.gguf", 3 * GB, 20.0, 5))
    assert fit.verdict is Verdict.SLOW and "free now" in fit.reason
