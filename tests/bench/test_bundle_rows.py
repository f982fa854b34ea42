"""bench/run_all.py's rows for bench/bundle_startup.py: the Linux bundle's size and its window start-up beside the
Python install's, each against its goal (issue 16)."""

from __future__ import annotations

from typing import Any

from .test_run_all import _row, run_all  # noqa: F401 - the module fixture


def _bundle(size: int, window_ratio: float) -> dict[str, Any]:
    return {"bundle": {"runs": 3, "size_bytes": size, "python": {"version_s": 0.11, "window_shown_s": 1.44},
                       "bundle": {"version_s": 0.19, "window_shown_s": round(1.44 * window_ratio, 3)},
                       "bundle_vs_python": {"version_s": 1.727, "window_shown_s": window_ratio}}}


def test_the_bundle_goals_pass_and_fail_with_the_figures(run_all: Any) -> None:  # noqa: F811
    rows = run_all.summary_rows(_bundle(448_921_113, 1.01))
    size, window = _row(rows, "Linux bundle"), _row(rows, "start-up, bundle / Python install: window")
    assert size.ok is True and size.value == "448.9" and window.ok is True and "x1.01" in window.value
    assert _row(rows, "start-up, bundle / Python install: --version").goal == ""  # a figure: 0.1 s either way
    rows = run_all.summary_rows(_bundle(458_700_000, 1.9))
    assert _row(rows, "Linux bundle").ok is False
    assert _row(rows, "start-up, bundle / Python install: window").ok is False
    assert not [r for r in run_all.summary_rows({}) if r.metric.startswith("Linux bundle")]
