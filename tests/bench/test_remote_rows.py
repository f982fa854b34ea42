"""bench/run_all.py's rows for bench/remote_bench.py: each goal is computed from the run's figures and can fail."""

from __future__ import annotations

from typing import Any

from .test_run_all import _row, run_all  # noqa: F401 - the module fixture


def _remote(ratio: float, warm: float, back: float, stop_max: float) -> dict[str, Any]:
    return {"remote": {
        "throughput": {"tokens": 128, "local_tps": 50.0, "studio_tps": 48.0, "raw_tps": 49.0, "studio_vs_raw": ratio,
                       "same_tokens": True},
        "ttft": {"cold": {"ratio_to_cold": 1.0}, "warm": {"ratio_to_cold": warm},
                 "switch_draft_and_back": {"ratio_to_cold": back}},
        "stop": {"while_generating_ms": {"median": 80.0, "max": stop_max},
                 "while_reading_prompt_ms": {"median": 200.0, "max": 300.0}}}}


def test_remote_goals_pass_and_fail_with_the_figures(run_all: Any) -> None:  # noqa: F811
    good = run_all.summary_rows(_remote(0.98, 0.02, 0.05, 400.0))
    assert _row(good, "llama-server through Studio / raw").ok is True
    assert _row(good, "llama-server TTFT again").ok is True
    assert _row(good, "llama-server TTFT after switching").ok is True
    assert _row(good, "llama-server Stop to slot idle while generating").ok is True
    bad = run_all.summary_rows(_remote(0.93, 0.2, 0.11, 1500.0))
    assert _row(bad, "llama-server through Studio / raw").ok is False
    assert _row(bad, "llama-server TTFT again").ok is False
    assert _row(bad, "llama-server TTFT after switching").ok is False
    assert _row(bad, "llama-server Stop to slot idle while generating").ok is False  # the worst one counts
    assert "1500" in _row(bad, "llama-server Stop to slot idle while generating").value
    assert not [r for r in run_all.summary_rows({}) if r.metric.startswith("llama-server")]  # not run: no rows
