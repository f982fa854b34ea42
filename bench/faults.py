"""Run Studio's fault sets and print what they found as one small table.

    .venv/bin/python bench/faults.py                      # the full sets (~20 min on 2 cores)
    .venv/bin/python bench/faults.py --quick              # the CI sizes (~4 min)
    .venv/bin/python bench/faults.py --only crash,models --json-out faults.json
    .venv/bin/python bench/faults.py --json-out docs/faults.json --update-doc docs/faults.md   # the published run

The sets are the code tests/faults runs (tests/faults/faultkit); see docs/faults.md for what each one does.
Exit status 1 when any count that should be zero is not (lost, crashes, hangs, overwritten, side effects...).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "faults"))
os.environ.setdefault("STUDIO_MODEL_CACHE", str(REPO / ".studio-test-cache" / "models"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SETS = ("crash", "window", "stream", "models", "databases", "input", "templates")


def _model() -> Path:
    from studio.engine.discovery import ensure_default_model

    return ensure_default_model(Path(os.environ["STUDIO_MODEL_CACHE"]))


def run(sets: list[str], full: bool, work: Path) -> dict[str, Any]:
    from faultkit import hostile
    from faultkit.crash import run_crash_trials
    from faultkit.dbdamage import can_run_root_cases, run_damaged_databases
    from faultkit.models import run_model_variants
    from faultkit.templates import run_template_attacks

    out: dict[str, Any] = {"full": full, "sets": {}}
    # The same sizes as tests/faults/test_faults_crash.py (CI / STUDIO_FAULTS_FULL=1).
    for name, kind, n in (("crash", "work", 50 if full else 10), ("window", "window", 20 if full else 5),
                          ("stream", "stream", 20 if full else 4)):
        if name in sets:
            r = run_crash_trials(work / name, n, kind=kind, model=_model() if kind == "stream" else None)
            out["sets"][name] = r.as_dict()
            print(f"{name}: {r.kills} kills, {r.lost} lost, {r.driver_failures} driver failures ({r.seconds} s)",
                  flush=True)
    if "models" in sets:
        r = run_model_variants(_model(), work / "models", full=full, progress=True)
        d = r.as_dict()
        d.pop("results")
        out["sets"]["models"] = d
        print(f"models: {r.variants} variants, {r.crashes} crashes ({r.seconds} s)", flush=True)
    if "databases" in sets:
        # The three read-only cases need root (CI runs as root); as another user the rest run, and say so.
        which = "all" if can_run_root_cases() else "user"
        r = run_damaged_databases(work / "databases", full=full, which=which)
        d = r.as_dict()
        d.pop("results")
        d["root_cases_run"] = which == "all"
        out["sets"]["databases"] = d
        print(f"databases: {r.variants} variants, {r.overwritten} overwritten ({r.seconds} s)", flush=True)
    if "input" in sets:
        started = time.perf_counter()
        results = hostile.run_hostile(work / "input", full=full)
        out["sets"]["input"] = {"cases": [c.as_dict() for c in results],
                                "seconds": round(time.perf_counter() - started, 1)}
        print(f"input: {sum(c.ok for c in results)}/{len(results)} cases ok", flush=True)
    if "templates" in sets:
        r = run_template_attacks(_model(), work / "templates", full=full)
        d = r.as_dict()
        out["sets"]["templates"] = d
        print(f"templates: {r.templates} templates, {r.side_effects} side effects ({r.seconds} s)", flush=True)
    return out


def table(result: dict[str, Any]) -> tuple[list[tuple[str, str, str]], bool]:
    """(rows of (measure, value, goal), all goals met)."""
    rows: list[tuple[str, str, str]] = []
    ok = True

    def row(name: str, value: Any, goal: str = "", bad: bool = False) -> None:
        nonlocal ok
        ok = ok and not bad
        rows.append((name, str(value), goal + (" !" if bad else "")))

    s = result["sets"]
    titles = {"crash": "CLI/autosave-driver kills (SIGKILL)", "window": "window kills while it autosaves",
              "stream": "window kills, real model: streaming / after Tab"}
    for name in ("crash", "window", "stream"):
        if name not in s:
            continue
        c = s[name]
        row(titles[name], f"{c['kills']}/{c['trials']}", "all", c["kills"] != c["trials"])
        for target, t in c["targets"].items():
            row(f"  aimed at {target}: landed there", f"{t['landed']}/{t['trials']}")
        for phase, p in c["phases"].items():
            outcomes = "; ".join(f"{k}: {v}" for k, v in sorted(p["outcomes"].items()))
            row(f"  killed during {phase}", f"{p['kills']} ({outcomes})" if outcomes else p["kills"])
        row("  items reported saved", c["reported"], "> 0", c["reported"] == 0)
        row("  lost", c["lost"], "0", c["lost"] > 0)
        row("  unclean opens", c["unclean_opens"], "0", c["unclean_opens"] > 0)
        row("  driver failures", c["driver_failures"], "0", c["driver_failures"] > 0)
        row("  other problems", len(c["problems"]), "0", bool(c["problems"]))
    if "models" in s:
        m = s["models"]
        row("model variants", m["variants"])
        row("  crashes (signal deaths)", m["crashes"], "0", m["crashes"] > 0)
        row("  hangs", m["hangs"], "0", m["hangs"] > 0)
        row("  refused, readable ModelLoadError", f"{m['readable']}/{m['rejected']}", "all",
            m["readable"] != m["rejected"])
        row("  other exceptions", m["other_errors"], "0", m["other_errors"] > 0)
        row("  loaded anyway (harmless damage)", m["loaded"])
    if "databases" in s:
        d = s["databases"]
        row("damaged databases", d["variants"], "50" if d.get("root_cases_run", True) else "47 (not root)")
        row("  refused with a readable line", f"{d['readable']}/{d['variants'] - 1}", "all but the empty one")
        row("  newest backup named", f"{d['named_backup']}/{d['with_backup']}", "all",
            d["named_backup"] != d["with_backup"])
        row("  CLI exit code 4", f"{d['cli_exit4']}/{d['cli_checked']}")
        row("  overwritten", d["overwritten"], "0", d["overwritten"] > 0)
        row("  restored from backup, damaged file kept", f"{d['restored']}/{d['restore_tried']}", "all",
            d["restored"] != d["restore_tried"])
        row("  other problems", len(d["problems"]), "0", bool(d["problems"]))
    if "input" in s:
        cases = s["input"]["cases"]
        row("hostile input cases ok", f"{sum(c['ok'] for c in cases)}/{len(cases)}", "all",
            not all(c["ok"] for c in cases))
        for c in cases:
            if c["timings"]:
                times = ", ".join(f"{k} {v}" for k, v in c["timings"].items())
                row(f"  {c['name']}", times)
    if "templates" in s:
        t = s["templates"]
        row("hostile chat templates", t["templates"])
        row("  side effects (file read, command run)", t["side_effects"], "0", t["side_effects"] > 0)
        row("  crashes / hangs", f"{t['crashes']} / {t['hangs']}", "0 / 0", t["crashes"] + t["hangs"] > 0)
        row("  other problems", len(t["problems"]) - t["crashes"] - t["hangs"], "0",
            len(t["problems"]) > t["crashes"] + t["hangs"])
    return rows, ok


DOC_START = "<!-- faults-table: generated by bench/faults.py --update-doc from docs/faults.json; do not edit -->"
DOC_END = "<!-- faults-table end -->"


def markdown_table(result: dict[str, Any]) -> str:
    """The summary as a Markdown table, every figure taken from ``result`` (the JSON of one run)."""
    rows, ok = table(result)
    head = (f"`bench/faults.py` ({'full sets' if result['full'] else 'CI sizes'}), {result.get('date', '?')}, "
            f"commit {result.get('commit', '?')}, {result.get('cpus', '?')} CPUs, {result['seconds']} s: "
            f"{'all goals met' if ok else 'goals marked ! were missed'}.")
    lines = [head, "", "| measure | count | goal |", "|---|---|---|"]
    for name, value, goal in rows:
        indent = "&nbsp;&nbsp;" if name.startswith("  ") else ""
        lines.append(f"| {indent}{name.strip()} | {value} | {goal} |")
    return "\n".join(lines) + "\n"


def update_doc(doc: Path, result: dict[str, Any]) -> None:
    """Replace the generated block of ``doc`` (between DOC_START and DOC_END) with this run's table."""
    text = doc.read_text(encoding="utf-8")
    start, end = text.find(DOC_START), text.find(DOC_END)
    if start < 0 or end < start:
        raise SystemExit(f"{doc} has no generated faults table block ({DOC_START!r} ... {DOC_END!r})")
    block = f"{DOC_START}\n{markdown_table(result)}{DOC_END}"
    doc.write_text(text[:start] + block + text[end + len(DOC_END):], encoding="utf-8")


def _commit() -> str:
    import subprocess

    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                             check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "studio"], cwd=REPO,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    # The run measures the working tree: say so when studio/ differs from the commit.
    return f"{sha} (+ uncommitted changes in studio/)" if dirty else sha


def main(argv: list[str] | None = None) -> int:
    import logging

    # Studio logs its recoveries ("restored ... from ...") as warnings; the table is the output here.
    logging.getLogger().addHandler(logging.NullHandler())
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="the CI sizes instead of the full sets")
    p.add_argument("--only", default=",".join(SETS), help=f"comma-separated subset of {', '.join(SETS)}")
    p.add_argument("--json-out", type=Path, metavar="FILE", help="also write the counts as JSON")
    p.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR and keep it (reports, child logs)")
    p.add_argument("--update-doc", type=Path, metavar="MD",
                   help="replace the generated table in MD (docs/faults.md) with this run's")
    args = p.parse_args(argv)
    sets = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(sets) - set(SETS)
    if unknown:
        p.error(f"unknown sets: {', '.join(sorted(unknown))}")
    started = time.perf_counter()
    stamp = {"date": time.strftime("%Y-%m-%d"), "commit": _commit(), "cpus": os.cpu_count()}
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        result = run(sets, not args.quick, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="studio-faults-") as tmp:
            result = run(sets, not args.quick, Path(tmp))
    result["seconds"] = round(time.perf_counter() - started, 1)
    result.update(stamp)
    rows, ok = table(result)
    width = max(len(r[0]) for r in rows) if rows else 10
    vwidth = max(len(r[1]) for r in rows) if rows else 5
    print()
    print(f"{'measure':<{width}}  {'count':<{vwidth}}  goal")
    for name, value, goal in rows:
        print(f"{name:<{width}}  {value:<{vwidth}}  {goal}")
    print(f"\n{'full' if not args.quick else 'CI-size'} run, {result['seconds']} s; "
          f"{'all goals met' if ok else 'goals marked ! were missed'}")
    result["ok"] = ok
    result["table"] = [{"measure": n.strip(), "count": v, "goal": g} for n, v, g in rows]
    if args.json_out:
        args.json_out.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    if args.update_doc:
        update_doc(args.update_doc, result)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
