"""bench/run_all.py's rows for bench/checker_bench.py: each goal is computed from the run's figures and can fail."""

from __future__ import annotations

from typing import Any

from .test_run_all import _row, run_all  # noqa: F401 - the module fixture


def _checker(passed: float, swapped_fail: float) -> dict[str, Any]:
    return {"checker": {"poems": 213, "copies": 426, "default": {"pass": passed, "swapped_fail": swapped_fail},
                        "strict": {"pass": 0.87, "swapped_fail": 1.0}}}


def test_checker_goals_pass_and_fail_with_the_figures(run_all: Any) -> None:  # noqa: F811
    good = run_all.summary_rows(_checker(0.977, 0.99))
    assert _row(good, "checker: classical poems that pass").ok is True
    assert _row(good, "checker: copies with one rhyme character swapped").ok is True
    assert "97.7%" in _row(good, "checker: classical poems that pass").value
    bad = run_all.summary_rows(_checker(0.95, 0.9))
    assert _row(bad, "checker: classical poems that pass").ok is False
    assert _row(bad, "checker: copies with one rhyme character swapped").ok is False
    assert run_all.summary_rows({}) == [r for r in run_all.summary_rows({}) if not r.metric.startswith("checker")]


def test_token_probability_cost_goal_can_fail(run_all: Any) -> None:  # noqa: F811
    def rows(ratio: float) -> Any:
        return run_all.summary_rows({"engine": {"logprobs": {"k": 10, "on_tps": 50.0 * ratio, "off_tps": 50.0,
                                                             "ratio": ratio},
                                                "lore_ttft": {"cold_s": 9.1, "triggered_s": 11.2, "ratio": 1.22}}})

    assert _row(rows(0.97), "engine with token probabilities").ok is True
    assert _row(rows(0.90), "engine with token probabilities").ok is False
    assert "x1.22" in _row(rows(0.97), "TTFT after a lorebook entry").value
