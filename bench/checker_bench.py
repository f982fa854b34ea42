"""How well the form checker judges real classical poems: the 绝句 and 律诗 of 唐诗三百首, traditional and simplified.

Run: .venv/bin/python bench/checker_bench.py [--json PATH] [--seed 13]

For every poem of tests/forms/data/tang300_jinti.json, in both scripts:
- pass: the share that `studio.forms.poetry.check` accepts with default options (平水韵), and with strict=True;
- swapped: one copy per poem with one rhyme character swapped for one that does not rhyme, and the share of
  those copies the checker rejects. The swap is chosen honestly, by a seeded RNG: an even line (a rhyme position
  every 近体诗 must keep; line 1 may go unrhymed) and a character of the same tone class (so the tone pattern is
  untouched) from a group that none of the poem's other rhyme characters belongs to, drawn from the whole table;
  the traditional copy gets the traditional form of the same character.
Also, for information, the share that pass under the modern rhyme books (中华新韵, 十三辙), which Tang poets did
not write to.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from studio.forms import poetry, rhymebook  # noqa: E402
from studio.forms.regulated import rhyme_char  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "forms" / "data" / "tang300_jinti.json"
GOAL_PASS = 0.97
GOAL_SWAPPED_FAIL = 0.95
SCRIPTS = ("traditional", "simplified")


def load_corpus(path: Path = CORPUS) -> list[dict[str, str]]:
    return json.loads(path.read_text(encoding="utf-8"))["poems"]


def _single_group_chars() -> dict[str, list[str]]:
    """Group -> characters of the table that belong to that group only (unambiguous swaps), table order."""
    out: dict[str, list[str]] = {}
    for group in rhymebook.pingshui_groups():
        for ch in rhymebook._pingshui()[0][group]:
            if rhymebook.groups_of(ch) == {group} and len(rhymebook.traditional(ch)) == 1:
                out.setdefault(group, []).append(ch)
    return out


def swap_rhyme(text: str, form: str, rng: random.Random, pool: dict[str, list[str]]) -> tuple[str, str, str] | None:
    """A copy of the simplified ``text`` with the rhyme character of one even line replaced; (copy, old, new).
    None when the poem offers no such swap (no rhyme character in the table)."""
    spec = poetry.get_form(form)
    verses = [v for _, v in poetry.verse_lines(text, spec)]
    rhyme_chars = [rhyme_char(v) for v in verses]
    evens = [n for n in range(1, len(verses), 2) if rhyme_chars[n] and rhymebook.groups_of(rhyme_chars[n] or "")]
    if not evens:
        return None
    n = rng.choice(evens)
    old = rhyme_chars[n] or ""
    others: set[str] = set()
    for m, ch in enumerate(rhyme_chars):
        if m != n and ch and (m % 2 == 1 or m == 0):
            others |= rhymebook.groups_of(ch)
    # The tone class of the rhyme: the old character's, narrowed by the other rhyme positions' (看 is 平 or 仄).
    tone = set(rhymebook.tone_of(old))
    narrowed = tone & {"平" if rhymebook.is_ping_group(g) else "仄" for g in others}
    tone = narrowed or tone
    candidates = [g for g in pool if g not in others and
                  (rhymebook.is_ping_group(g) and "平" in tone or not rhymebook.is_ping_group(g) and "仄" in tone)]
    group = rng.choice(sorted(candidates))
    new = rng.choice(pool[group])
    # Replace that verse's last occurrence of the character: the rhyme position, not an earlier word.
    lines = text.split("\n")
    target = verses[n]
    for i, line in enumerate(lines):
        at = line.find(target)
        if at >= 0:
            cut = at + target.rfind(old)
            lines[i] = line[:cut] + new + line[cut + 1:]
            break
    return "\n".join(lines), old, new


def evaluate(seed: int = 13) -> dict[str, Any]:
    poems = load_corpus()
    pool = _single_group_chars()
    rng = random.Random(seed)
    copies: list[tuple[dict[str, str], str, str]] = []  # (poem, script, text) of the swapped copies
    swaps: list[dict[str, str]] = []
    for poem in poems:
        found = swap_rhyme(poem["simplified"], poem["form"], rng, pool)
        if found is None:
            continue
        simplified, old, new = found
        # The traditional copy: the same position, the traditional form of the same new character.
        trad_lines = poem["traditional"].split("\n")
        simp_lines = simplified.split("\n")
        orig_lines = poem["simplified"].split("\n")
        out_lines = []
        for t_line, s_line, o_line in zip(trad_lines, simp_lines, orig_lines, strict=True):
            if s_line == o_line:
                out_lines.append(t_line)
            else:
                i = next(k for k in range(len(s_line)) if s_line[k] != o_line[k])
                out_lines.append(t_line[:i] + rhymebook.traditional(new) + t_line[i + 1:])
        copies.append((poem, "simplified", simplified))
        copies.append((poem, "traditional", "\n".join(out_lines)))
        swaps.append({"title": poem["title"], "old": old, "new": new})

    results: dict[str, Any] = {"poems": len(poems), "copies": len(poems) * 2, "swapped_copies": len(copies),
                               "seed": seed}
    t0 = time.perf_counter()
    checks = 0
    for strict in (False, True):
        key = "strict" if strict else "default"
        passed = 0
        failures: list[str] = []
        by_form: dict[str, list[int]] = {}
        for poem in poems:
            for script in SCRIPTS:
                ok = poetry.check(poem[script], poem["form"], strict=strict).ok
                checks += 1
                passed += ok
                by_form.setdefault(poem["form"], [0, 0])[0] += ok
                by_form[poem["form"]][1] += 1
                if not ok:
                    failures.append(f"{poem['title']} ({poem['author']}, {script})")
        caught = 0
        missed: list[str] = []
        for poem, script, text in copies:
            ok = poetry.check(text, poem["form"], strict=strict).ok
            checks += 1
            caught += not ok
            if ok:
                missed.append(f"{poem['title']} ({script})")
        results[key] = {
            "pass": passed / (len(poems) * 2),
            "swapped_fail": caught / len(copies) if copies else 0.0,
            "pass_by_form": {f: round(a / b, 4) for f, (a, b) in sorted(by_form.items())},
            "failing": failures,
            "swaps_missed": missed,
        }
    for system in ("xinyun", "shisanzhe"):
        passed = sum(poetry.check(p[s], p["form"], rhyme=system).ok for p in poems for s in SCRIPTS)
        checks += len(poems) * 2
        results[f"pass_{system}"] = passed / (len(poems) * 2)
    elapsed = time.perf_counter() - t0
    results["checks"] = checks
    results["ms_per_check"] = round(1000 * elapsed / checks, 3)
    results["swaps"] = swaps
    results["goals"] = {
        "pass_default": {"goal": GOAL_PASS, "value": results["default"]["pass"],
                         "met": results["default"]["pass"] >= GOAL_PASS},
        "swapped_fail_default": {"goal": GOAL_SWAPPED_FAIL, "value": results["default"]["swapped_fail"],
                                 "met": results["default"]["swapped_fail"] >= GOAL_SWAPPED_FAIL},
    }
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", "--json-out", dest="json", help="write the figures here as JSON")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    res = evaluate(args.seed)
    print(f"{res['poems']} poems, {res['copies']} copies (traditional and simplified), "
          f"{res['swapped_copies']} copies with one rhyme swapped")
    for key in ("default", "strict"):
        r = res[key]
        print(f"{key:>8}: pass {r['pass']:.1%}  swapped copies that fail {r['swapped_fail']:.1%}  "
              f"by form {r['pass_by_form']}")
    print(f"modern rhyme books (information): 中华新韵 pass {res['pass_xinyun']:.1%}, "
          f"十三辙 pass {res['pass_shisanzhe']:.1%}")
    print(f"{res['checks']} checks, {res['ms_per_check']} ms each")
    if res["default"]["failing"]:
        print("failing with default options: " + "; ".join(res["default"]["failing"]))
    for name, g in res["goals"].items():
        print(f"goal {name}: {g['value']:.1%} (goal >= {g['goal']:.0%}) {'met' if g['met'] else 'NOT MET'}")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0 if all(g["met"] for g in res["goals"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
