"""bench/ui_bench.py runs end to end on the real window and model (tiny sizes): a benchmark that only breaks when
the full run is made (as it did when the window's runner became a SwitchingRunner) is found by the suite first."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_ui_bench_runs_and_writes_its_figures(tmp_path: Path, default_model_path: Path) -> None:
    out = tmp_path / "ui.json"  # default_model_path: the model is assembled before the bench looks for it
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", STUDIO_MODEL_CACHE=os.environ["STUDIO_MODEL_CACHE"])
    proc = subprocess.run(
        [sys.executable, "bench/ui_bench.py", "--no-write", "--seconds", "1", "--max-tokens", "8",
         "--json-out", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["pairs"], figures
    assert figures["window_vs_engine"] > 0
    assert figures["threads_window"] and figures["threads_alone"]
