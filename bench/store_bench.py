"""Autosave and export on a 200,000-word draft, through the same services the window uses.

Run: .venv/bin/python bench/store_bench.py [--words 200000] [--saves 40] [--json-out FILE]
Prints p50/p95 autosave time, export time, and ratios against a raw sqlite3 UPDATE of the same text and a raw
file write of the same bytes, measured side by side in one run.
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

WORDS = "the rain had not stopped for three days and the harbour lights burned low over water".split()


def make_text(n_words: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    paras = []
    for _ in range(max(1, n_words // 120)):
        paras.append(" ".join(rnd.choice(WORDS) for _ in range(120)).capitalize() + ".")
    return "\n\n".join(paras)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=200_000)
    ap.add_argument("--saves", type=int, default=40)
    ap.add_argument("--json-out")
    args = ap.parse_args()
    body = make_text(args.words)
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
        for i in range(args.saves):
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
    res = {
        "words": args.words,
        "autosave_p50_ms": statistics.median(app_times) * 1000,
        "autosave_p95_ms": pct(app_times, 95) * 1000,
        "raw_update_p95_ms": pct(raw_times, 95) * 1000,
        "autosave_vs_raw_p95": pct(app_times, 95) / max(pct(raw_times, 95), 1e-9),
        "export_ms": export_s * 1000,
        "raw_write_ms": raw_write_s * 1000,
        "export_vs_raw_write": export_s / max(raw_write_s, 1e-9),
    }
    for k, v in res.items():
        print(f"{k:>24}: {v:.2f}" if isinstance(v, float) else f"{k:>24}: {v}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
