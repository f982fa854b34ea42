"""Run Studio's fault sets and print what they found as one small table.

    .venv/bin/python bench/faults.py                      # the full sets (~20 min on 2 cores)
    .venv/bin/python bench/faults.py --quick              # the CI sizes (~4 min)
    .venv/bin/python bench/faults.py --only crash,models --json-out faults.json

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

SETS = ("crash", "window", "models", "databases", "input", "templates")


def _model() -> Path:
    from studio.engine.discovery import ensure_default_model

    return ensure_default_model(Path(os.environ["STUDIO_MODEL_CACHE"]))


def run(sets: list[str], full: bool, work: Path) -> dict[str, Any]:
    from faultkit import hostile
    from faultkit.crash import run_crash_trials
    from faultkit.dbdamage import run_damaged_databases
    from faultkit.models import run_model_variants
    from faultkit.templates import run_template_attacks

    out: dict[str, Any] = {"full": full, "sets": {}}
    if "crash" in sets:
        r = run_crash_trials(work / "crash", 50 if full else 10)
        out["sets"]["crash"] = r.as_dict()
        print(f"crash: {r.kills} kills, {r.lost} lost ({r.seconds} s)", flush=True)
    if "window" in sets:
        r = run_crash_trials(work / "window", 20 if full else 4, gui=True)
        out["sets"]["window"] = r.as_dict()
        print(f"window: {r.kills} kills, {r.lost} lost ({r.seconds} s)", flush=True)
    if "models" in sets:
        r = run_model_variants(_model(), work / "models", full=full, progress=True)
        d = r.as_dict()
        d.pop("results")
        out["sets"]["models"] = d
        print(f"models: {r.variants} variants, {r.crashes} crashes ({r.seconds} s)", flush=True)
    if "databases" in sets:
        r = run_damaged_databases(work / "databases", full=full)
        d = r.as_dict()
        d.pop("results")
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
    if "crash" in s:
        c = s["crash"]
        row("CLI/autosave kills (SIGKILL)", c["kills"])
        row("  items reported saved", c["reported"])
        row("  lost", c["lost"], "0", c["lost"] > 0)
        row("  unclean opens", c["unclean_opens"], "0", c["unclean_opens"] > 0)
    if "window" in s:
        c = s["window"]
        row("window kills (SIGKILL)", c["kills"])
        row("  autosaves reported", c["reported"])
        row("  lost", c["lost"], "0", c["lost"] > 0 or c["unclean_opens"] > 0)
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
        row("damaged databases", d["variants"])
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


def main(argv: list[str] | None = None) -> int:
    import logging

    # Studio logs its recoveries ("restored ... from ...") as warnings; the table is the output here.
    logging.getLogger().addHandler(logging.NullHandler())
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="the CI sizes instead of the full sets")
    p.add_argument("--only", default=",".join(SETS), help=f"comma-separated subset of {', '.join(SETS)}")
    p.add_argument("--json-out", type=Path, metavar="FILE", help="also write the counts as JSON")
    p.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR and keep it (reports, child logs)")
    args = p.parse_args(argv)
    sets = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(sets) - set(SETS)
    if unknown:
        p.error(f"unknown sets: {', '.join(sorted(unknown))}")
    started = time.perf_counter()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        result = run(sets, not args.quick, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="studio-faults-") as tmp:
            result = run(sets, not args.quick, Path(tmp))
    result["seconds"] = round(time.perf_counter() - started, 1)
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
        args.json_out.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
