"""Start-up of the Linux bundle vs the Python install, on the same machine in the same clean environment
(tests/package/bundle.py: env -i, an empty home, no Python on PATH; the suite's verified default model).

    .venv/bin/python bench/bundle_startup.py          # builds the bundle first if the test cache has none
    .venv/bin/python bench/bundle_startup.py --runs 5

Two measures, each after one warm-up run (so both read from the page cache): ``--version`` to the process's exit,
and the window offscreen to its first turn of the event loop after ``show()`` (tests/package/test_bundle.py's
WINDOW_PRELUDE prints SHOWN there), the same child code on both (``python -c`` and ``studio -c``). Writes
bench/out/bundle_startup.json (or --json PATH) with the bundle's size beside.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.package.bundle import VENV_PYTHON, Machine, Studio, build_bundle  # noqa: E402
from tests.package.test_bundle import WINDOW_PRELUDE  # noqa: E402


def _time(cmd: list[str], machine: Machine, until: str | None) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=machine.env(), cwd=machine.root / "elsewhere", stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    seen = None
    if until is not None and proc.stdout is not None:
        for line in proc.stdout:
            if line.strip() == until:
                seen = time.perf_counter() - started
                break
    _out, err = proc.communicate(timeout=300)
    if proc.returncode != 0 or (until is not None and seen is None):
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {err[-800:]}")
    return seen if seen is not None else time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "out" / "bundle_startup.json")
    args = parser.parse_args()
    bundle = build_bundle()
    cache = REPO / ".studio-test-cache" / "models"
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("python", "bundle"):
            studio = Studio(kind, bundle if kind == "bundle" else None)
            machine = Machine(Path(tmp) / kind, {"STUDIO_MODEL_CACHE": str(cache)})
            version = ([str(VENV_PYTHON.parent / "studio"), "--version"] if kind == "python"
                       else studio.command(["--version"]))
            measures = {"version_s": (version, None), "window_shown_s": (studio.command([], WINDOW_PRELUDE), "SHOWN")}
            results[kind] = {}
            for name, (cmd, until) in measures.items():
                _time(cmd, machine, until)  # warm-up
                results[kind][name] = round(statistics.median(_time(cmd, machine, until)
                                                              for _ in range(args.runs)), 3)
    for kind, figures in results.items():
        print(f"{kind:7s} --version {figures['version_s']:.2f} s   window shown {figures['window_shown_s']:.2f} s")
    size = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file() and not f.is_symlink())
    ratios = {name: round(results["bundle"][name] / results["python"][name], 3) for name in results["python"]}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"runs": args.runs, **results, "bundle_vs_python": ratios,
                                     "size_bytes": size}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
