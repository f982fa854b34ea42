"""Measures Rewrite on the default (base) model: how often the output differs from the selection and stays on
topic, per technique. One command: ``.venv/bin/python bench/rewrite_eval.py [--quick]``.

Techniques compared side by side on the same passages, instructions and seeds:
  naive             "Instruction / Passage / Rewritten:" (the frame engine-notes measured copying back 3/3)
  fewshot           two worked examples of the same instruction, then Original: «...» / Rewritten to be X: «
  fewshot+anticopy  the same with the engine's anti-copy logits processor
  zeroshot          the engine's default frame (no examples), anti-copy off
  anticopy          the engine's default: zero-shot frame + anti-copy (what Studio ships)
  context           the default with a paragraph of other text before the selection (does it stay on topic?)
  anticopyN[pP]     the default with the anti-copy window set to N tokens (and penalty P), e.g. anticopy2
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import json
import os
import re
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from studio.domain import Action, Finished, GenerationRequest, Preset, Sampler  # noqa: E402
from studio.domain.text import is_cjk  # noqa: E402

PASSAGES = [
    ("en", "The old man walked to the harbour every morning to look at the boats. He did not buy fish. He only "
           "watched the nets come in and counted the gulls."),
    ("en", "Rain fell on the city all night. In the morning the streets were grey and wet, and the bakery on the "
           "corner opened late."),
    ("en", "She opened the drawer and found her father's watch. It had stopped at ten past four."),
    ("en", "The meeting went on for three hours. Nobody agreed about the budget, and in the end they decided to "
           "meet again next week."),
    ("en", "Tom's dog ran across the field after the ball, jumped over the fence and disappeared into the woods."),
    ("en", "The spaceship landed quietly in the desert. A door opened, and a small silver robot rolled down the ramp."),
    ("zh", "老人每天早上都走到港口去看船。他不买鱼，只是看着渔网收上来，数着海鸥。"),
    ("zh", "雨下了一整夜。早上街道又灰又湿，街角的面包店也晚开了门。"),
]
INSTRUCTIONS = ["more vivid", "shorter", "longer", "simpler", "more formal"]
FEWSHOT = Preset(id=None, name="fewshot", action=Action.REWRITE,
                 template_base="{header}{examples}{original_label}: «{selection}»\n{label}: «",
                 sampler=Sampler(temperature=0.7, repeat_penalty=1.05))
NAIVE = Preset(id=None, name="naive", action=Action.REWRITE,
               template_base="Instruction: {instruction}\nPassage: {selection}\nRewritten:",
               sampler=Sampler(temperature=0.7, repeat_penalty=1.05, stop=("\n",)))
_STOP = set("the a an and or of to in on at for with was were is are he she it they his her their did not "
            "only every then into over after down".split())


def content_units(text: str, lang: str) -> set[str]:
    if lang == "zh":
        han = [c for c in text if is_cjk(c)]
        return {a + b for a, b in itertools.pairwise(han)}
    return {w for w in re.findall(r"[a-z']+", text.lower()) if len(w) > 2 and w not in _STOP}


def judge(selection: str, output: str, lang: str, instruction: str) -> dict[str, object]:
    out = output.strip()
    sim = difflib.SequenceMatcher(None, selection.strip(), out).ratio() if out else 1.0
    src, got = content_units(selection, lang), content_units(out, lang)
    overlap = len(src & got) / max(1, len(src))
    differs = bool(out) and sim < 0.9
    on_topic = bool(out) and overlap >= (0.15 if lang == "zh" else 0.2)
    ratio = len(out) / max(1, len(selection.strip()))
    direction = {"shorter": ratio < 1.0, "longer": ratio > 1.0}.get(instruction, True)
    if lang == "zh":
        language_ok = sum(is_cjk(c) for c in out) >= 0.5 * max(1, sum(c.isalpha() for c in out))
    else:
        language_ok = not any(is_cjk(c) for c in out)
    return {"differs": differs, "on_topic": on_topic, "direction": direction, "language": language_ok,
            "similarity": round(sim, 3), "overlap": round(overlap, 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="3 passages x 5 instructions")
    ap.add_argument("--techniques", default="naive,fewshot,fewshot+anticopy,zeroshot,anticopy,context")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    from studio.engine import llama_engine
    from studio.engine.discovery import ensure_default_model

    cache = Path(os.environ.get("STUDIO_MODEL_CACHE", ".studio-test-cache/models"))
    engine = llama_engine.LlamaEngine(cache_dir=cache)
    engine.load(ensure_default_model(cache))
    passages = PASSAGES[:2] + PASSAGES[6:7] if args.quick else PASSAGES
    results: dict[str, list[dict[str, object]]] = {}
    default_ngram, default_penalty = llama_engine.ANTI_COPY_NGRAM, llama_engine.ANTI_COPY_PENALTY
    for technique in args.techniques.split(","):
        llama_engine.ANTI_COPY_NGRAM = default_ngram
        llama_engine.ANTI_COPY_PENALTY = 0.0 if technique in ("naive", "fewshot", "zeroshot") else default_penalty
        m = re.fullmatch(r"anticopy(\d)(?:p(\d+))?", technique)  # anticopy3p4: after 3 tokens, penalty 4
        if m:
            llama_engine.ANTI_COPY_NGRAM = int(m.group(1))
            llama_engine.ANTI_COPY_PENALTY = float(m.group(2) or 6)
        preset = {"naive": NAIVE, "fewshot": FEWSHOT, "fewshot+anticopy": FEWSHOT}.get(technique)
        rows = results.setdefault(technique, [])
        started = time.perf_counter()
        for p_i, (lang, text) in enumerate(passages):
            for instruction in INSTRUCTIONS:
                before = ""
                if technique == "context":  # the paragraph before is another passage: does the topic hold?
                    before = next(t for lg, t in passages[p_i + 1:] + passages[:p_i] if lg == lang) + "\n\n"
                req = GenerationRequest(action=Action.REWRITE, before=before, selection=text, instruction=instruction,
                                        preset=preset, seed=1000 + p_i)
                final = None
                for ev in engine.stream(req, threading.Event()):
                    if isinstance(ev, Finished):
                        final = ev
                assert final is not None
                verdict = judge(text, final.text, lang, instruction)
                rows.append({"lang": lang, "instruction": instruction, "output": final.text, **verdict})
        n = len(rows)

        def pct(k: str, rows: list[dict[str, object]] = rows) -> str:
            return f"{100 * sum(bool(r[k]) for r in rows) / max(1, len(rows)):.0f}%"

        print(f"{technique:9s} n={n:3d} differs={pct('differs')} on-topic={pct('on_topic')} "
              f"right-length={pct('direction')} same-language={pct('language')} "
              f"differs&on-topic={100 * sum(bool(r['differs'] and r['on_topic']) for r in rows) / n:.0f}% "
              f"({time.perf_counter() - started:.0f}s)", flush=True)
    engine.close()
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
