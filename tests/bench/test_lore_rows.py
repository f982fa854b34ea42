"""bench/run_all.py's row for bench/lore_ttft.py: TTFT after a lorebook entry comes in, of cold, against its goal
(the note in the draft text keeps the cache: engine/lore_note.py); and the benchmarks share one first_token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .test_run_all import _row, run_all  # noqa: F401 - the module fixture

REPO = Path(__file__).resolve().parents[2]


def _lore(ratio: float | None, share: float | None = 0.27) -> dict[str, Any]:
    lt: dict[str, Any] = {"cold_s": 4.6, "triggered_s": None if ratio is None else round(4.6 * ratio, 4),
                          "ratio": ratio}
    if share is not None:
        lt["read_share"] = share
    return {"engine": {"lore_ttft": lt}}


def test_the_lore_ttft_goal_passes_and_fails_with_the_figure(run_all: Any) -> None:  # noqa: F811
    good = _row(run_all.summary_rows(_lore(0.31)), "TTFT after a lorebook entry")
    assert good.ok is True and good.goal == f"<= {run_all.GOAL_LORE_TTFT_RATIO}" and "x0.31" in good.value
    assert "27% of the prompt read again" in good.metric
    bad = _row(run_all.summary_rows(_lore(1.09, share=0.97)), "TTFT after a lorebook entry")  # the header layout
    assert bad.ok is False and bad.verdict == "**FAIL**"
    missing = _row(run_all.summary_rows(_lore(None, share=None)), "TTFT after a lorebook entry")
    assert missing.ok is None and missing.verdict == "n/a"
    assert not [r for r in run_all.summary_rows({}) if r.metric.startswith("TTFT after a lorebook entry")]


def test_the_benchmarks_share_one_first_token() -> None:
    """engine_bench imports lore_ttft, so the helper both use lives in bench/common.py, defined once."""
    import ast

    bench = REPO / "bench"
    for name in ("engine_bench.py", "lore_ttft.py"):
        tree = ast.parse((bench / name).read_text(encoding="utf-8"))
        defined = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        assert not defined & {"first_token", "_finish"}, name
        imported = {(n.module, a.name) for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
        assert ("bench.common", "first_token") in imported, name
    tree = ast.parse((bench / "common.py").read_text(encoding="utf-8"))
    assert "first_token" in {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
