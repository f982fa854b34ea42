"""Time to first token after a lorebook entry is triggered, vs a cold start of the same prompt (engine_bench's
``lore_ttft`` section; bench/run_all.py's goal GOAL_LORE_TTFT_RATIO).

Measured as the window makes the requests: a draft with one entry (key "Mara") in a real data folder, requests
from GenerationService.build_request, the engine's per-draft cache. Continue once (no key before the cursor: the
entry is out), then the writer types a sentence naming Mara and continues again: the entry enters the prompt as a
note in the draft text just before the scan window (engine/lore_note.py), so the cache keeps the prompt before it
and the engine reads only the rest: between one and two scan depths of draft text (2,000 to 4,000 characters by
default, plus the paragraph the anchor is found in) and the note. The cold figure is the same triggered prompt on a
freshly loaded engine with an empty state folder.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from bench.common import first_token
from studio.domain import Action, Finished, GenerationRequest

ENTRY = "Mara is the lighthouse keeper on Gull Rock: sixty years old, afraid of nothing, and she talks to the lamp."
TYPED = " Then Mara climbed the iron stairs again."


def bench_lore_ttft(model: Path, draft_tokens: int, cache: Path, draft_of: Any) -> dict[str, Any]:
    from studio.engine.llama_engine import LlamaEngine
    from studio.paths import Paths
    from studio.services import Services

    work = Path(tempfile.mkdtemp(prefix="lore-bench-"))
    services = Services.open(Paths(work / "data").ensure())
    try:
        engine = LlamaEngine(state_dir=work / "states", cache_dir=cache)
        engine.load(model)
        body = draft_of(draft_tokens, engine, seed_word="Jonas")  # the key is nowhere in it
        draft = services.drafts.create("Gull Rock", "prose", body=body)
        services.lore.add(draft.id, "Mara,玛拉", ENTRY)

        def request(text: str) -> GenerationRequest:
            return services.generation.build_request(draft, Action.CONTINUE, body=text, seed=1, max_tokens=4)

        untriggered = request(body)
        assert not untriggered.lore, "the entry must be out before its key is typed"
        first = first_token(engine, untriggered)
        triggered_req = request(body + TYPED)
        assert [h.key for h in triggered_req.lore] == ["Mara"], triggered_req.lore
        triggered = first_token(engine, triggered_req)
        again = first_token(engine, request(body + TYPED + " The lamp turned."))  # the entry stays in: cache holds
        engine.close()

        cold_engine = LlamaEngine(state_dir=work / "cold-states", cache_dir=cache)
        cold_engine.load(model)
        cold = first_token(cold_engine, triggered_req)
        cold_engine.close()
    finally:
        services.close()
        shutil.rmtree(work, ignore_errors=True)

    def row(f: Finished) -> dict[str, Any]:
        s = f.stats
        return {"ttft_s": round(s.ttft_s, 4), "prompt_tokens": s.prompt_tokens, "cached_tokens": s.cached_tokens}

    return {"cold_s": round(cold.stats.ttft_s, 4), "triggered_s": round(triggered.stats.ttft_s, 4),
            "ratio": round(triggered.stats.ttft_s / cold.stats.ttft_s, 4) if cold.stats.ttft_s else None,
            # What the physics allows: the share of the prompt the engine had to read after the trigger.
            "read_share": round(1 - triggered.stats.cached_tokens / triggered.stats.prompt_tokens, 4),
            "draft_tokens": first.stats.prompt_tokens, "before_trigger": row(first), "triggered": row(triggered),
            "cold": row(cold), "next_continue_entry_still_in": row(again)}


def report(results: dict[str, Any], model: Path, draft_tokens: int, cache: Path, draft_of: Any) -> None:
    results["lore_ttft"] = lt = bench_lore_ttft(model, draft_tokens, cache, draft_of)
    print(f"lore: time to first token after an entry is triggered {lt['triggered_s']:.3f} s vs cold "
          f"{lt['cold_s']:.3f} s (x{lt['ratio']}; cached {lt['triggered']['cached_tokens']} of "
          f"{lt['triggered']['prompt_tokens']}, read {lt['read_share']:.0%}); next Continue with the entry still in "
          f"{lt['next_continue_entry_still_in']['ttft_s']:.3f} s", flush=True)
