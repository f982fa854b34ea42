"""Autosave and export on a 200,000-word draft, and the revision diff, through the same services the window uses.

Run: .venv/bin/python bench/store_bench.py [--words 200000] [--saves 40] [--only autosave|diff] [--json-out FILE]
Prints p50/p95 autosave time, export time, and ratios against a raw sqlite3 UPDATE of the same text and a raw
file write of the same bytes, measured side by side in one run; then the time of word_diff (what the revisions
dialog and a Rewrite proposal show) between two revisions of 8,000 and of 200,000 words, against the goal
"200,000 words under 1 s".
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from studio.domain import Form  # noqa: E402
from studio.paths import Paths  # noqa: E402
from studio.services import Services  # noqa: E402
from studio.services.diffing import diff_stats, word_diff  # noqa: E402

WORDS = "the rain had not stopped for three days and the harbour lights burned low over water".split()
DIFF_SIZES = (8_000, 200_000)  # words; the first is where the difflib version took 16.8 s
DIFF_GOAL_WORDS, DIFF_GOAL_S = 200_000, 1.0
DIFF_EDIT_EVERY = 200  # words: a revision of a novel edited here and there, not rewritten


def make_text(n_words: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    paras = []
    for _ in range(max(1, n_words // 120)):
        paras.append(" ".join(rnd.choice(WORDS) for _ in range(120)).capitalize() + ".")
    return "\n\n".join(paras)


def revise(text: str, n_edits: int, seed: int = 2) -> str:
    """A later revision of ``text``: words replaced, inserted and deleted at ``n_edits`` scattered places."""
    rnd = random.Random(seed)
    words = text.split(" ")
    for _ in range(n_edits):
        i, r = rnd.randrange(len(words)), rnd.random()
        if r < 0.4:
            words[i] = "lantern"
        elif r < 0.7:
            words.insert(i, "quietly")
        else:
            del words[i : i + rnd.randint(1, 4)]
    return " ".join(words)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def bench_store(n_words: int, saves: int) -> dict[str, float | int]:
    body = make_text(n_words)
    with tempfile.TemporaryDirectory() as tmp:
        paths = Paths(Path(tmp) / "home").ensure()
        sv = Services.open(paths)
        d = sv.drafts.create("Long novel", Form.PROSE, body=body)
        app_times, raw_times = [], []
        raw = sqlite3.connect(Path(tmp) / "raw.sqlite3")
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
        raw.execute("INSERT INTO t VALUES (1, ?)", (body,))
        raw.commit()
        for i in range(saves):
            body = body + f" word{i}"
            t0 = time.perf_counter()
            d = sv.drafts.save(d.id, body=body, expected_version=d.version)
            app_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            raw.execute("UPDATE t SET body=? WHERE id=1", (body,))
            raw.commit()
            raw_times.append(time.perf_counter() - t0)
        out_dir = Path(tmp) / "export"
        out_dir.mkdir()
        t0 = time.perf_counter()
        sv.drafts.export(d.id, out_dir / "novel.md")
        export_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        (out_dir / "raw.md").write_text(body, encoding="utf-8")
        raw_write_s = time.perf_counter() - t0
        sv.close()
    return {
        "words": n_words,
        "autosave_p50_ms": statistics.median(app_times) * 1000,
        "autosave_p95_ms": pct(app_times, 95) * 1000,
        "raw_update_p95_ms": pct(raw_times, 95) * 1000,
        "autosave_vs_raw_p95": pct(app_times, 95) / max(pct(raw_times, 95), 1e-9),
        "export_ms": export_s * 1000,
        "raw_write_ms": raw_write_s * 1000,
        "export_vs_raw_write": export_s / max(raw_write_s, 1e-9),
    }


def bench_diff(repeats: int = 3) -> dict[str, float | int | str | bool]:
    """Median seconds of word_diff between a text and a revision of it with one edit in DIFF_EDIT_EVERY words."""
    res: dict[str, float | int | str | bool] = {}
    for n in DIFF_SIZES:
        old = make_text(n)
        new = revise(old, max(1, n // DIFF_EDIT_EVERY))
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            ops = word_diff(old, new)
            times.append(time.perf_counter() - t0)
        # A diff that rebuilt the wrong text, or that the time limit cut short into one big replacement, would be
        # fast for the wrong reason: check both sides, and report how much it marks changed.
        if (
            "".join(o.text for o in ops if o.op != "insert") != old
            or "".join(o.text for o in ops if o.op != "delete") != new
        ):
            raise SystemExit(f"word_diff on {n:,} words does not rebuild both sides")
        key = f"diff_{n // 1000}k_words"
        res[f"{key}_s"] = statistics.median(times)
        res[f"{key}_changed_chars"] = sum(diff_stats(ops))
        res[f"{key}_text_chars"] = len(old)
    took = res[f"diff_{DIFF_GOAL_WORDS // 1000}k_words_s"]
    res["diff_goal"] = f"{DIFF_GOAL_WORDS:,} words under {DIFF_GOAL_S:g} s"
    res["diff_goal_pass"] = isinstance(took, float) and took < DIFF_GOAL_S
    return res


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=200_000)
    ap.add_argument("--saves", type=int, default=40)
    ap.add_argument("--only", choices=("autosave", "diff"), help="run one part: autosave and export, or word diff")
    ap.add_argument("--json-out")
    args = ap.parse_args()
    res: dict[str, float | int | str | bool] = {}
    if args.only != "diff":
        res.update(bench_store(args.words, args.saves))
    if args.only != "autosave":
        res.update(bench_diff())
    for k, v in res.items():
        print(f"{k:>24}: {v:.2f}" if isinstance(v, float) else f"{k:>24}: {v}")
    if "diff_goal" in res:
        took = res[f"diff_{DIFF_GOAL_WORDS // 1000}k_words_s"]
        print(f"goal: {res['diff_goal']}: {'PASS' if res['diff_goal_pass'] else 'FAIL'} ({took:.2f} s)")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
