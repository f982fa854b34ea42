"""Every benchmark in one command, with one summary table of ratios (and the fault-test counts).

    .venv/bin/python bench/run_all.py            # everything (~25 min on 2 cores; faults in their CI sizes)
    .venv/bin/python bench/run_all.py --full     # the full fault sets too (~20 min more)
    .venv/bin/python bench/run_all.py --skip faults,forms

Each benchmark runs in its own process (one model at a time on these cores) and writes JSON into bench/out/;
the table goes to stdout and to the "Summary" section at the top of docs/benchmarks.md. Absolute times on a
shared 2-core machine are noisy; the ratios are measured side by side within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
PY = sys.executable


def _run(name: str, cmd: list[str]) -> dict[str, Any] | None:
    out = OUT / f"{name}.json"
    out.unlink(missing_ok=True)
    print(f"\n=== {name}: {' '.join(cmd)}", flush=True)
    t0 = time.perf_counter()
    env = dict(os.environ)
    env.setdefault("STUDIO_MODEL_CACHE", str(REPO / ".studio-test-cache" / "models"))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    rc = subprocess.call(cmd, cwd=REPO, env=env)
    print(f"=== {name}: exit {rc} in {time.perf_counter() - t0:.0f} s", flush=True)
    if out.exists():
        try:
            return json.loads(out.read_text(encoding="utf-8"))
        except ValueError:
            return None
    return None


def _get(d: Any, *keys: str) -> Any:
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def _fmt(v: Any, spec: str = ".2f") -> str:
    if v is None:
        return "n/a"
    if isinstance(v, (int, float)):
        return format(v, spec)
    return str(v)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--full", action="store_true", help="full fault sets (slow)")
    ap.add_argument("--skip", default="", help="comma-separated: engine,ui,store,forms,faults")
    ap.add_argument("--report-only", action="store_true", help="rebuild the table from bench/out/*.json")
    args = ap.parse_args()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    OUT.mkdir(parents=True, exist_ok=True)
    res: dict[str, Any] = {}
    if args.report_only:
        for name in ("engine", "ui", "store", "forms", "faults"):
            f = OUT / f"{name}.json"
            res[name] = json.loads(f.read_text(encoding="utf-8")) if f.exists() else None
        skip = set(res)
    if "engine" not in skip:
        res["engine"] = _run("engine", [PY, "bench/engine_bench.py", "--llama-bench", "--json", str(OUT / "engine.json")])
    if "ui" not in skip:
        res["ui"] = _run("ui", [PY, "bench/ui_bench.py", "--json-out", str(OUT / "ui.json")])
    if "store" not in skip:
        res["store"] = _run("store", [PY, "bench/store_bench.py", "--json-out", str(OUT / "store.json")])
    if "forms" not in skip:
        res["forms"] = _run("forms", [PY, "bench/forms_bench.py", "--n", "10", "--json-out", str(OUT / "forms.json")])
    if "faults" not in skip:
        cmd = [PY, "bench/faults.py", "--json-out", str(OUT / "faults.json")]
        res["faults"] = _run("faults", cmd if args.full else [*cmd, "--quick"])

    rows = summary_rows(res)
    width = max(len(r[0]) for r in rows)
    print("\n" + "metric".ljust(width) + "  value      goal")
    for name, value, goal in rows:
        print(f"{name.ljust(width)}  {value:<10} {goal}")
    _write_summary(rows, args)
    return 0


def summary_rows(res: dict[str, Any]) -> list[tuple[str, str, str]]:
    e, u, s, f, q = (res.get(k) or {} for k in ("engine", "ui", "store", "forms", "faults"))
    rows = [
        ("engine vs raw llama-cpp-python tok/s", _fmt(_get(e, "throughput", "ratio")), ">= 0.97"),
        ("engine vs llama-bench tg128 tok/s", _fmt(_get(e, "llama_bench", "engine_ratio")), "<= 1.0 (library alone ~0.87)"),
        ("TTFT warm / cold (unchanged draft)", _fmt(_get(e, "ttft", "unchanged", "ratio_to_cold"), ".3f"), "<= 0.05"),
        ("TTFT after edit in last paragraph / cold", _fmt(_get(e, "ttft", "edit_last_paragraph", "ratio_to_cold"), ".3f"), "<= 0.15"),
        ("TTFT after switching drafts / cold", _fmt(_get(e, "ttft", "switch_draft_and_back", "ratio_to_cold"), ".3f"), "<= 0.10"),
        ("TTFT in a new process / cold", _fmt(_get(e, "ttft", "new_process", "ratio_to_cold"), ".3f"), "<= 0.10"),
        ("stop latency while generating (ms)", _fmt(_get(e, "stop", "while_generating_ms", "median"), ".0f"), "within one token"),
        ("stop latency while reading a prompt (ms)", _fmt(_get(e, "stop", "while_reading_prompt_ms", "median"), ".0f"), "short"),
        ("UI timer lateness p50 / p99 while streaming (ms)",
         f"{_fmt(u.get('stream_p50_ms'))} / {_fmt(u.get('stream_p99_ms'))}", "p99 < 16 ms"),
        ("window shown / model ready (s)", f"{_fmt(u.get('shown_s'))} / {_fmt(u.get('ready_s'))}", "shown first"),
        ("autosave p95, 200,000 words (ms)", _fmt(s.get("autosave_p95_ms"), ".0f"), "< 1 s, off the UI thread"),
        ("autosave p95 vs raw sqlite UPDATE", _fmt(s.get("autosave_vs_raw_p95")), "small"),
        ("export 200,000 words (ms) / vs raw write", f"{_fmt(s.get('export_ms'), '.0f')} / {_fmt(s.get('export_vs_raw_write'), '.1f')}", ""),
    ]
    peak = u.get("peak_rss_bytes") / u["model_bytes"] if u.get("peak_rss_bytes") and u.get("model_bytes") else None
    rows.append(("peak memory of the window process / model file size", _fmt(peak), "small multiple"))
    for form, r in (f.get("forms") or {}).items():
        rows.append((f"{form}: checker pass rate held / free",
                     f"{r['held_pass_rate']:.0%} / {r['free_pass_rate']:.0%}", "held > free"))
    for row in q.get("table") or []:
        rows.append((f"faults: {row.get('measure')}", _fmt(row.get("count"), "g"), str(row.get("goal", ""))))
    return rows


def _cold_ttft() -> float | None:
    f = OUT / "engine.json"
    try:
        return float(_get(json.loads(f.read_text(encoding="utf-8")), "ttft", "cold", "ttft_s"))
    except (OSError, ValueError, TypeError):
        return None


def _write_summary(rows: list[tuple[str, str, str]], args: argparse.Namespace) -> None:
    path = REPO / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    cmd = "python bench/run_all.py" + (" --full" if args.full else "") + (f" --skip {args.skip}" if args.skip else "")
    cold = _cold_ttft()
    cold_note = f" Cold time to first token on the ~2,000-token draft: {cold:.2f} s." if cold else ""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    load_note = "" if args.report_only else f" (load {load:.1f} at the end)"
    body = (f"## Summary\n\nMeasured {date.today().isoformat()} on {platform.system()} {platform.machine()}, "
            f"{os.cpu_count()} cores{load_note}, Python {platform.python_version()}, default model "
            f"(Gemma 3 270M Q4_K_M). Command: `{cmd}`.{cold_note}\n\n| metric | value | goal |\n|---|---|---|\n"
            + "".join(f"| {a} | {b} | {c} |\n" for a, b, c in rows))
    start = text.find("\n## Summary")
    if start < 0:
        head, _, rest = text.partition("\n")
        text = head + "\n\n" + body + rest if rest.startswith("\n") else head + "\n\n" + body + "\n" + rest
    else:
        nxt = text.find("\n## ", start + 1)
        text = text[: start + 1] + body + (text[nxt:] if nxt >= 0 else "")
    path.write_text(text, encoding="utf-8")
    print(f"updated {path}")


if __name__ == "__main__":
    sys.exit(main())
