"""bench/run_all.py: the summary is computed from one run's JSON, every goal can fail, and docs/benchmarks.md
holds exactly what the committed docs/benchmarks.json generates."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def run_all() -> Any:
    spec = importlib.util.spec_from_file_location("run_all", REPO / "bench" / "run_all.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_all"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _row(rows: list[Any], start: str) -> Any:
    found = [r for r in rows if r.metric.startswith(start)]
    assert len(found) == 1, [r.metric for r in rows]
    return found[0]


def _run(ratio: float | None, window: float | None, p99: float) -> dict[str, Any]:
    lb = {"tg_tps": 40.0, "engine_ratio": ratio} if ratio is not None else {"skipped": "cmake is not installed"}
    return {"engine": {"throughput": {"threads": 2, "tokens": 128, "engine_tps": 38.0, "create_completion_tps": 37.0,
                                      "ratio": 1.03},
                       "llama_bench": lb,
                       "stop": {"while_generating_ms": {"median": 30.0, "max": 40.0},
                                "while_reading_prompt_ms": {"median": 8.0, "max": 12.0}}},
            "ui": {"window_tps": 30.0, "engine_alone_tps": 38.0, "window_vs_engine": window, "stream_p50_ms": 0.1,
                   "stream_p99_ms": p99, "shown_s": 2.0, "ready_s": 4.0}}


def test_goals_fail_when_the_figures_miss_them(run_all: Any) -> None:
    bad = run_all.summary_rows(_run(ratio=0.87, window=0.68, p99=20.0))
    assert _row(bad, "engine / llama-bench").ok is False
    assert "gap 13%" in _row(bad, "engine / llama-bench").value
    assert _row(bad, "window / engine alone").ok is False
    assert _row(bad, "UI timer lateness").ok is False
    good = run_all.summary_rows(_run(ratio=0.96, window=0.95, p99=5.0))
    assert _row(good, "engine / llama-bench").ok is True
    assert _row(good, "window / engine alone").ok is True
    assert _row(good, "UI timer lateness").ok is True
    # A figure that was not measured is "n/a", never a pass.
    missing = run_all.summary_rows(_run(ratio=None, window=None, p99=5.0))
    assert _row(missing, "engine / llama-bench").ok is None
    assert _row(missing, "engine / llama-bench").verdict == "n/a"
    assert "cmake is not installed" in _row(missing, "llama-bench tg128").value
    # Stop "within one token" is checked against this run's own token time (1000 / 38 ms).
    slow = _run(ratio=0.96, window=0.95, p99=5.0)
    slow["engine"]["stop"]["while_generating_ms"]["median"] = 27.0
    assert _row(run_all.summary_rows(slow), "stop latency while generating").ok is False


def test_every_figure_of_the_table_comes_from_the_json(run_all: Any) -> None:
    """Change one number in the JSON and the same number changes in the generated block; no hand-typed ratio."""
    res = _run(ratio=0.912, window=0.73, p99=5.0)
    block = run_all.render_block(res)
    assert "0.912" in block and "| 0.73 |" in block
    res["engine"]["llama_bench"]["engine_ratio"] = 0.955
    assert "0.912" not in run_all.render_block(res) and "0.955" in run_all.render_block(res)
    assert "0.87" not in block  # the old hand-typed "library alone ~0.87"


def test_write_doc_replaces_only_the_generated_block(run_all: Any, tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text(f"# Benchmarks\n\nintro\n\n{run_all.BEGIN}\nstale figures\n{run_all.END}\n\n## Notes\n\nkept\n",
                   encoding="utf-8")
    run_all.write_doc(_run(ratio=0.9, window=0.9, p99=5.0), doc)
    text = doc.read_text(encoding="utf-8")
    assert "stale figures" not in text and text.count(run_all.BEGIN) == 1 and text.endswith("## Notes\n\nkept\n")
    assert text.startswith("# Benchmarks\n\nintro\n\n")


def test_the_committed_doc_is_what_the_committed_json_generates(run_all: Any) -> None:
    text = (REPO / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    res = json.loads((REPO / "docs" / "benchmarks.json").read_text(encoding="utf-8"))
    assert run_all.render_block(res) in text, "run: python bench/run_all.py --report-only"
