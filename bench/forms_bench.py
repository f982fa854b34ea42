"""How often generation held to a poetry form passes the form checker, vs the same request not held.

Run: .venv/bin/python bench/forms_bench.py [--n 10] [--forms haiku,wujue,qijue] [--json-out FILE]
Each sample writes a new poem from the built-in style of that form (guidance + exemplars) on the default model,
with a different seed; the poem is then checked by studio.forms.poetry.check. "held" passes the form to the
engine (request.hold_form: stop at the form's line count, steer line length); "free" is the same request without.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from studio.domain import Action, Draft, Finished, Form, LoadSettings  # noqa: E402
from studio.forms import poetry  # noqa: E402
from studio.paths import Paths  # noqa: E402
from studio.services import Services  # noqa: E402

TITLES = {"haiku": "Winter Harbour", "sonnet": "The Lighthouse", "limerick": "A Cat from Peru",
          "wujue": "秋夜", "qijue": "江南春雨"}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10)
    ap.add_argument("--forms", default="haiku,wujue,qijue")
    ap.add_argument("--json-out")
    args = ap.parse_args()
    forms = [f.strip() for f in args.forms.split(",") if f.strip()]
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        sv = Services.open(Paths(Path(tmp) / "home").ensure())
        runner = sv.new_model_runner()
        runner.load(None, LoadSettings())
        try:
            styles = {s.builtin_key: s for s in sv.library.styles(Form.POETRY)}
            for form in forms:
                spec = poetry.get_form(form)
                style = styles.get(f"poetry.{form}")
                draft = Draft(id=0, title=TITLES.get(form, form), form=Form.POETRY, body="", style_id=style.id if style else None)
                base = sv.generation.build_request(draft, Action.CONTINUE, cursor=0, max_tokens=80)
                base = replace(base, draft_key=None)
                row: dict[str, float] = {}
                for mode in ("held", "free"):
                    req = replace(base, hold_form=spec.name if mode == "held" else None)
                    passed, t0 = 0, time.perf_counter()
                    for i in range(args.n):
                        text = _generate(runner, replace(req, seed=1000 + i))
                        ok = poetry.check(text.strip(), spec).ok
                        passed += ok
                        if i < 2:
                            print(f"[{form} {mode} seed {1000 + i}] {'PASS' if ok else 'fail'}\n{text.strip()}\n")
                    row[f"{mode}_pass_rate"] = passed / args.n
                    row[f"{mode}_s_per_poem"] = (time.perf_counter() - t0) / args.n
                results[form] = row
        finally:
            runner.close()
            sv.close()
    print(f"{'form':<10} {'held pass':>10} {'free pass':>10} {'held s/poem':>12} {'free s/poem':>12}   (n={args.n} each)")
    for form, r in results.items():
        print(f"{form:<10} {r['held_pass_rate']:>10.0%} {r['free_pass_rate']:>10.0%} "
              f"{r['held_s_per_poem']:>12.2f} {r['free_s_per_poem']:>12.2f}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"n": args.n, "forms": results}, indent=2))
    return 0


def _generate(runner, req) -> str:  # type: ignore[no-untyped-def]
    out = ""
    for ev in runner.stream(req, threading.Event()):
        if isinstance(ev, Finished):
            out = ev.text
    return out


if __name__ == "__main__":
    sys.exit(main())
