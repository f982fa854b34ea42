"""The counts docs/faults.md publishes are the committed run's (docs/faults.json), rendered by bench/faults.py:
no figure in that table is typed by hand, and a re-run that is not committed with its JSON shows up here."""

from __future__ import annotations

import importlib.util
import json

from faultkit.common import REPO


def _bench():  # bench/faults.py is a script, not a package
    spec = importlib.util.spec_from_file_location("bench_faults", REPO / "bench" / "faults.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_published_fault_counts_are_the_committed_runs() -> None:
    bench = _bench()
    result = json.loads((REPO / "docs" / "faults.json").read_text(encoding="utf-8"))
    doc = (REPO / "docs" / "faults.md").read_text(encoding="utf-8")
    start, end = doc.index(bench.DOC_START), doc.index(bench.DOC_END)
    published = doc[start + len(bench.DOC_START) + 1 : end]
    assert published == bench.markdown_table(result), "docs/faults.md: run bench/faults.py --update-doc again"
    assert result["full"], "the published counts are the full sets'"
    assert set(result["sets"]) == set(bench.SETS), "the published run left sets out"
