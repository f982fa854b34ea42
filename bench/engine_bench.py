"""Engine benchmarks, measured side by side in one run on the default model.

    .venv/bin/python bench/engine_bench.py                 # everything below except llama-bench and threads
    .venv/bin/python bench/engine_bench.py --llama-bench   # also build llama.cpp's llama-bench (cached) and run tg128
    .venv/bin/python bench/engine_bench.py --threads       # also 1 vs 2 threads, idle and under contention
    .venv/bin/python bench/engine_bench.py --json out.json

Sections:
  throughput  tokens/s through LlamaEngine vs llama-cpp-python's create_completion (same prompt, samplers, seed,
              threads; interleaved rounds, medians) and, with --llama-bench, llama-bench tg128 at the same threads
  ttft        time to first token of a Continue on a ~2,000-token draft: cold, again unchanged, after an edit in
              the last paragraph, after switching to another draft and back, in a new process (state on disk)
  lore_ttft   time to first token after a lorebook entry is triggered vs a cold start of the same prompt, through
              GenerationService.build_request as the window asks (bench/lore_ttft.py)
  stop        how long Stop takes while generating and while a long prompt is being read
  logprobs    tokens/s through LlamaEngine.stream with per-token top-10 alternatives on vs off (interleaved rounds,
              medians, the same tokens on both sides); the issue's goal is a ratio of at least 0.95
  threads     prompt and generation speed with 1 and 2 threads, idle and with a competing busy process

Numbers on a shared 2-core machine are noisy: compare ratios from one run, not absolute figures across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.common import first_token  # noqa: E402
from studio.domain import Action, Finished, GenerationRequest, LoadSettings, Sampler, TextDelta  # noqa: E402

OUT = REPO / "bench" / "out"
CACHE = Path(os.environ.get("STUDIO_MODEL_CACHE", REPO / ".studio-test-cache" / "models"))

PARA = ("Mara kept the lighthouse on Gull Rock for eleven winters. Every evening she climbed the iron stairs to the "
        "lamp room, trimmed the wick and polished the great lens until it shone. Ships passed far out at sea, and "
        "their lights blinked back at her across the dark water. ")


def draft_of(tokens_wanted: int, engine: Any, seed_word: str = "Mara") -> str:
    paras: list[str] = []
    i = 0
    while True:
        paras.append(f"{PARA.replace('Mara', seed_word)}On the {i + 1}th night the fog came in from the west.")
        text = "\n\n".join(paras)
        if len(engine.tokenize(text)) >= tokens_wanted:
            return text
        i += 1


def continue_req(text: str, key: str, max_tokens: int = 4) -> GenerationRequest:
    return GenerationRequest(action=Action.CONTINUE, before=text, draft_key=key, seed=1,
                             sampler=Sampler(temperature=0.0, max_tokens=max_tokens))


# --------------------------------------------------------------------------------------------- throughput


class _CountingBan:
    """A logits processor that bans the end-of-generation tokens and counts the tokens sampled: the same object
    type on both sides, so both pay the same for it and both must generate exactly the tokens asked for."""

    def __init__(self, banned: list[int]) -> None:
        import numpy as np

        self._banned = np.asarray(banned, dtype=np.intp)
        self.calls = 0

    def __call__(self, _input_ids: Any, scores: Any) -> Any:
        self.calls += 1
        scores = scores.copy()
        scores[self._banned] = -float("inf")
        return scores


def _eog_ids(llama: Any) -> list[int]:
    import llama_cpp

    vocab = llama._model.vocab
    return [i for i in range(llama.n_vocab()) if llama_cpp.llama_vocab_is_eog(vocab, i)]


def _engine_banning(banned: list[int]) -> Any:
    """LlamaEngine with one more logits processor (after its own, so its guard still applies): the bench's EOS ban.
    Only the bench does this; the writer's engine stops at EOS as it should."""
    from studio.engine.llama_engine import LlamaEngine

    class BanningEngine(LlamaEngine):
        ban: _CountingBan | None = None

        def _processors(self, plan: Any, n_prompt: int) -> list[Any]:
            self.ban = _CountingBan(banned)
            return [*super()._processors(plan, n_prompt), self.ban]

    return BanningEngine(cache_dir=CACHE)


def bench_throughput(model: Path, rounds: int, n_gen: int, threads: int, llama_bench: bool) -> dict[str, Any]:
    """tokens/s through LlamaEngine.stream, llama-cpp-python's create_completion(stream=True) and (optionally)
    llama-bench tg, interleaved round by round at the same fixed thread count. Both Python sides ban EOS and must
    sample exactly ``n_gen`` tokens (checked, not assumed); both are timed from the request to the end of the
    stream (the last token in the caller's hands), with the prompt already cached from the warm-up."""
    import llama_cpp
    import llama_cpp.llama_cpp as llama_c
    from llama_cpp import LogitsProcessorList

    from studio.engine.hardware import extra_buffers_safe
    from studio.engine.llama_engine import N_BATCH, _model_params

    extra_ok = extra_buffers_safe(model, CACHE)
    banned: list[int] = []
    engine = _engine_banning(banned)
    engine.load(model, LoadSettings(n_threads=threads))  # fixed threads: llama-bench gets the same count
    with _model_params(llama_c, use_extra_bufts=extra_ok):
        raw = llama_cpp.Llama(str(model), n_ctx=engine.n_ctx, n_batch=N_BATCH, n_ubatch=N_BATCH,
                              n_threads=threads, n_threads_batch=threads, verbose=False)
    banned.extend(_eog_ids(raw))
    prompt = PARA * 3
    sampler = {"temperature": 0.8, "top_p": 0.95, "top_k": 40, "min_p": 0.05, "repeat_penalty": 1.1}

    def via_engine() -> dict[str, float]:
        req = GenerationRequest(action=Action.CONTINUE, before=prompt, seed=42, max_tokens=n_gen,
                                sampler=Sampler(max_tokens=n_gen, **sampler))
        t0 = time.perf_counter()
        first = 0.0
        fin: Finished | None = None
        for ev in engine.stream(req, threading.Event()):
            if isinstance(ev, TextDelta):
                first = first or time.perf_counter()
            elif isinstance(ev, Finished):
                fin = ev
        end = time.perf_counter()
        assert fin is not None and engine.ban is not None
        return {"sampled": engine.ban.calls, "generated": fin.stats.generated_tokens,
                "stop": fin.stats.stop_reason.value, "tps": n_gen / (end - t0), "ttft_s": first - t0}

    def via_raw() -> dict[str, float]:
        ban = _CountingBan(banned)
        t0 = time.perf_counter()
        first = 0.0
        finish = None
        for chunk in raw.create_completion(prompt, max_tokens=n_gen, stream=True, seed=42,
                                           logits_processor=LogitsProcessorList([ban]), **sampler):
            first = first or time.perf_counter()
            finish = chunk["choices"][0].get("finish_reason") or finish
        end = time.perf_counter()
        return {"sampled": ban.calls, "generated": ban.calls, "stop": str(finish), "tps": n_gen / (end - t0),
                "ttft_s": first - t0}

    lb_note = ""
    lb_exe: Path | None = None
    if llama_bench:
        lb_exe, lb_note = build_llama_bench()
    via_engine(), via_raw()  # warm up: both have the prompt cached from here on
    eng, rw, lb = [], [], []
    for _ in range(rounds):
        eng.append(via_engine())
        rw.append(via_raw())
        if lb_exe is not None:
            lb.append(run_llama_bench(lb_exe, model, threads, extra_ok, n_gen))
    raw.close()
    engine.close()
    wrong = [r for r in eng + rw if r["sampled"] != n_gen]
    if wrong:
        raise SystemExit(f"throughput: a side did not sample exactly {n_gen} tokens: {wrong}")
    e = statistics.median(r["tps"] for r in eng)
    r_ = statistics.median(r["tps"] for r in rw)
    out: dict[str, Any] = {
        "threads": threads, "tokens": n_gen, "rounds": rounds, "timing": "request to end of stream, prompt cached",
        "engine_tps": round(e, 2), "create_completion_tps": round(r_, 2), "ratio": round(e / r_, 3) if r_ else None,
        "engine_sampled": [r["sampled"] for r in eng], "raw_sampled": [r["sampled"] for r in rw],
        "engine_ttft_ms": round(statistics.median(r["ttft_s"] for r in eng) * 1000, 1),
        "raw_ttft_ms": round(statistics.median(r["ttft_s"] for r in rw) * 1000, 1),
        "engine_all": [round(r["tps"], 1) for r in eng], "raw_all": [round(r["tps"], 1) for r in rw]}
    if llama_bench:
        good = [x for x in lb if isinstance(x, float)]
        if lb_exe is None or not good:
            out["llama_bench"] = {"skipped": lb_note if lb_exe is None else f"llama-bench failed: {lb}"}
        else:
            t = statistics.median(good)
            out["llama_bench"] = {"tg_tps": round(t, 2), "tg_tokens": n_gen, "threads": threads, "build": lb_note,
                                  "no_repack": not extra_ok, "all": [round(x, 1) for x in good],
                                  "engine_ratio": round(e / t, 3), "raw_ratio": round(r_ / t, 3)}
            out["llama_bench"][f"tg{n_gen}_tps"] = out["llama_bench"]["tg_tps"]
    return out


def bench_logprobs(model: Path, rounds: int, n_gen: int, threads: int, k: int = 10) -> dict[str, Any]:
    """tokens/s through LlamaEngine.stream with ``logprobs=k`` and without, round by round on one loaded engine
    (EOS banned: both sides sample exactly ``n_gen`` tokens, checked), timed from the request to the end of the
    stream with the prompt cached. The "on" side also checks that every token came with its k alternatives."""
    import llama_cpp

    from studio.engine import llama_engine, token_probs

    spent: list[float] = []  # seconds per token inside TokenProbs (the processor and take): robust to a busy machine

    class TimedProbs(token_probs.TokenProbs):
        def __call__(self, input_ids: Any, scores: Any) -> Any:
            t0 = time.perf_counter()
            out = super().__call__(input_ids, scores)
            spent.append(time.perf_counter() - t0)
            return out

        def take(self, token: int) -> Any:
            t0 = time.perf_counter()
            out = super().take(token)
            spent[-1] += time.perf_counter() - t0
            return out

    llama_engine.TokenProbs = TimedProbs  # type: ignore[misc]  # the bench's own process only
    banned: list[int] = []
    engine = _engine_banning(banned)
    engine.load(model, LoadSettings(n_threads=threads))
    llama = engine._require()
    banned.extend(i for i in range(llama.n_vocab()) if llama_cpp.llama_vocab_is_eog(llama._model.vocab, i))
    prompt = PARA * 3
    sampler = Sampler(max_tokens=n_gen, temperature=0.8, top_p=0.95, top_k=40, min_p=0.05, repeat_penalty=1.1)

    def one(logprobs: int) -> dict[str, Any]:
        req = GenerationRequest(action=Action.CONTINUE, before=prompt, seed=42, max_tokens=n_gen, sampler=sampler,
                                logprobs=logprobs)
        t0 = time.perf_counter()
        fin: Finished | None = None
        for ev in engine.stream(req, threading.Event()):
            if isinstance(ev, Finished):
                fin = ev
        end = time.perf_counter()
        assert fin is not None and engine.ban is not None
        complete = len(fin.tokens) == n_gen and all(len(t.top) == k for t in fin.tokens)
        return {"sampled": engine.ban.calls, "tps": n_gen / (end - t0), "tokens_ok": complete if logprobs else True}

    one(0), one(k)  # warm up: the prompt is cached from here on
    off, on = [], []
    for i in range(rounds):  # alternate which side goes first, so a drift in machine load hits both alike
        if i % 2 == 0:
            off.append(one(0))
            on.append(one(k))
        else:
            on.append(one(k))
            off.append(one(0))
    engine.close()
    wrong = [r for r in off + on if r["sampled"] != n_gen or not r["tokens_ok"]]
    if wrong:
        raise SystemExit(f"logprobs: a side did not sample exactly {n_gen} tokens with their alternatives: {wrong}")
    off_tps = statistics.median(r["tps"] for r in off)
    on_tps = statistics.median(r["tps"] for r in on)
    return {"threads": threads, "tokens": n_gen, "rounds": rounds, "k": k,
            "timing": "request to end of stream, prompt cached", "off_tps": round(off_tps, 2),
            "on_tps": round(on_tps, 2), "ratio": round(on_tps / off_tps, 3) if off_tps else None,
            # What the alternatives cost per token, and the ratio that cost alone gives at the "off" speed: the
            # same figure as "ratio" on an idle machine, steadier on a shared one.
            "per_token_ms": round(statistics.median(spent) * 1000, 3),
            "ratio_from_cost": round(1 / (1 + statistics.median(spent) * off_tps), 3) if off_tps else None,
            "off_all": [round(r["tps"], 1) for r in off], "on_all": [round(r["tps"], 1) for r in on]}


# --------------------------------------------------------------------------------------------- llama-bench


def build_llama_bench() -> tuple[Path | None, str]:
    """llama-bench from the llama.cpp vendored in llama-cpp-python's sdist: scripts/build_llama_tool builds it once
    (cached by version under .studio-test-cache/, beside the llama-server the remote-engine tests use)."""
    proc = subprocess.run([str(REPO / "scripts" / "build_llama_tool"), "llama-bench"], check=False,
                          capture_output=True, text=True)
    exe = Path(proc.stdout.strip().splitlines()[-1]) if proc.stdout.strip() else None
    if proc.returncode != 0 or exe is None or not exe.is_file():
        return None, f"scripts/build_llama_tool failed: {proc.stderr.strip()[-400:]}"
    return exe, "built (or cached) by scripts/build_llama_tool"


def run_llama_bench(exe: Path, model: Path, threads: int, extra_ok: bool, n_gen: int) -> float | str:
    """One llama-bench tg run (its own warm-up, then one timed repetition): tokens/s, or why it failed."""
    cmd = [str(exe), "-m", str(model), "-t", str(threads), "-p", "0", "-n", str(n_gen), "-r", "1", "-o", "json"]
    if not extra_ok:
        cmd += ["--repack", "0"]  # no repacking / extra buffers, as the engine runs on this CPU
    proc = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        return f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}"
    rows = json.loads(proc.stdout)
    return float(next(r for r in rows if r.get("n_gen") == n_gen)["avg_ts"])


# --------------------------------------------------------------------------------------------- TTFT


def bench_ttft(model: Path, draft_tokens: int) -> dict[str, Any]:
    from studio.engine.llama_engine import LlamaEngine

    states = OUT / "bench-states"
    shutil.rmtree(states, ignore_errors=True)
    engine = LlamaEngine(state_dir=states, cache_dir=CACHE)
    engine.load(model)
    draft = draft_of(draft_tokens, engine)
    other = draft_of(draft_tokens, engine, seed_word="Jonas")
    cold = first_token(engine, continue_req(draft, "bench-a"))
    again = first_token(engine, continue_req(draft, "bench-a"))
    head, sep, last = draft.rpartition("\n\n")
    edited = head + sep + last.replace("fog came in", "mist rolled in", 1)
    after_edit = first_token(engine, continue_req(edited, "bench-a"))
    first_token(engine, continue_req(other, "bench-b"))
    switched_back = first_token(engine, continue_req(edited, "bench-a"))
    engine.close()  # saves bench-a's state to disk
    code = (
        "import json, sys, threading; from pathlib import Path; sys.path.insert(0, sys.argv[4]);"
        "from studio.engine.llama_engine import LlamaEngine;"
        "from studio.domain import *;"
        "e = LlamaEngine(state_dir=Path(sys.argv[2]), cache_dir=Path(sys.argv[3])); e.load(Path(sys.argv[1]));"
        "text = sys.stdin.read();"
        "req = GenerationRequest(action=Action.CONTINUE, before=text, draft_key='bench-a', seed=1,"
        " sampler=Sampler(temperature=0.0, max_tokens=4));"
        "f = [ev for ev in e.stream(req, threading.Event()) if isinstance(ev, Finished)][0];"
        "e.close(); print('RESULT ' + json.dumps(f.stats.to_dict()))"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(model), str(states), str(CACHE), str(REPO)],
                          check=False, input=edited, capture_output=True, text=True, timeout=600)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
    new_process = json.loads(line[7:]) if line else {"error": proc.stderr[-500:]}

    def row(f: Finished | dict[str, Any]) -> dict[str, Any]:
        s = f.stats.to_dict() if isinstance(f, Finished) else f
        return {"ttft_s": s.get("ttft_s"), "prompt_tokens": s.get("prompt_tokens"),
                "cached_tokens": s.get("cached_tokens"),
                "ratio_to_cold": round(s["ttft_s"] / cold.stats.ttft_s, 4) if "ttft_s" in s else None}

    return {"draft_tokens": cold.stats.prompt_tokens, "cold": row(cold), "unchanged": row(again),
            "edit_last_paragraph": row(after_edit), "switch_draft_and_back": row(switched_back),
            "new_process": row(new_process)}


# --------------------------------------------------------------------------------------------- stop latency


def bench_stop(model: Path) -> dict[str, Any]:
    from studio.engine.llama_engine import LlamaEngine

    engine = LlamaEngine(cache_dir=CACHE)
    engine.load(model)
    out: dict[str, Any] = {}

    def timed_cancel(request: GenerationRequest, delay: float) -> float:
        cancel = threading.Event()
        set_at: list[float] = []

        def fire() -> None:
            set_at.append(time.perf_counter())
            cancel.set()

        timer = threading.Timer(delay, fire)
        timer.start()
        done = 0.0
        for ev in engine.stream(request, cancel):
            if isinstance(ev, Finished):
                done = time.perf_counter()
        timer.join()
        return (done - set_at[0]) * 1000 if set_at else float("nan")

    gen = [timed_cancel(GenerationRequest(action=Action.CONTINUE, before=PARA + f" {i}", max_tokens=400, seed=i,
                                          sampler=Sampler(max_tokens=400)), 0.8) for i in range(5)]
    long_draft = "\n\n".join(f"Chapter {i}. {PARA}" for i in range(70))
    read = [timed_cancel(GenerationRequest(action=Action.CONTINUE, before=long_draft + f" {i}", max_tokens=4),
                         1.0) for i in range(3)]
    engine.close()
    out["while_generating_ms"] = {"median": round(statistics.median(gen), 1), "max": round(max(gen), 1)}
    out["while_reading_prompt_ms"] = {"median": round(statistics.median(read), 1), "max": round(max(read), 1)}
    return out


# --------------------------------------------------------------------------------------------- threads


def bench_threads(model: Path) -> list[dict[str, Any]]:
    """Raw llama.cpp speed per thread count, idle and with a competitor: a busy loop (another program) and a
    UI-like one (busy 30% of every 10 ms, as a window repainting while text streams in)."""
    import llama_cpp
    import llama_cpp.llama_cpp as llama_c

    from studio.engine.hardware import extra_buffers_safe
    from studio.engine.llama_engine import _model_params

    competitors = {
        "idle": None,
        "busy process": "while True: pass",
        "UI-like 30% load": ("import time\nwhile True:\n t=time.perf_counter()\n"
                             " while time.perf_counter()-t<0.003: pass\n time.sleep(0.007)"),
    }
    rows = []
    extra_ok = extra_buffers_safe(model, CACHE)
    for label, code in competitors.items():
        comp = subprocess.Popen([sys.executable, "-c", code]) if code else None
        try:
            time.sleep(0.3)
            for n in (1, 2):
                with _model_params(llama_c, use_extra_bufts=extra_ok):
                    llm = llama_cpp.Llama(str(model), n_ctx=2048, n_threads=n, n_threads_batch=n, verbose=False)
                toks = llm.tokenize((PARA * 4).encode())
                best = (0.0, 0.0, 0.0)
                for _ in range(2):
                    llm.reset()
                    t0 = time.perf_counter()
                    gaps: list[float] = []
                    last = t1 = 0.0
                    for i, _tok in enumerate(llm.generate(toks, temp=0.0)):
                        now = time.perf_counter()
                        if i == 0:
                            t1 = now
                        else:
                            gaps.append(now - last)
                        last = now
                        if i >= 64:
                            break
                    gaps.sort()
                    trial = (len(toks) / (t1 - t0), 64 / (last - t1), gaps[int(len(gaps) * 0.99)] * 1000)
                    best = max(best, trial, key=lambda x: x[1])
                llm.close()
                rows.append({"scenario": label, "threads": n, "prompt_tps": round(best[0], 1),
                             "gen_tps": round(best[1], 1), "p99_gap_ms": round(best[2], 1)})
                print(f"  threads {label:18s} n={n}: prompt {best[0]:6.1f} t/s, generation {best[1]:5.1f} t/s, "
                      f"p99 gap {best[2]:6.1f} ms", flush=True)
        finally:
            if comp:
                comp.kill()
                comp.wait()
    # In-process: the engine generating while a Python thread ticks every 10 ms (a stand-in for the UI thread).
    from studio.engine.llama_engine import LlamaEngine

    for n in (1, 2):
        engine = LlamaEngine(cache_dir=CACHE)
        engine.load(model, LoadSettings(n_threads=n))
        stop = threading.Event()
        late: list[float] = []

        def ticker(stop: threading.Event = stop, late: list[float] = late) -> None:
            while not stop.is_set():
                t = time.perf_counter()
                time.sleep(0.010)
                late.append((time.perf_counter() - t - 0.010) * 1000)
                sum(range(2000))  # a little Python work per tick, holding the GIL briefly

        th = threading.Thread(target=ticker)
        th.start()
        final = first_token(engine, GenerationRequest(action=Action.CONTINUE, before=PARA * 8, seed=1,
                                                      max_tokens=128, sampler=Sampler(max_tokens=128)))
        stop.set()
        th.join()
        engine.close()
        late.sort()
        row = {"scenario": "engine + UI-like thread in-process", "threads": n,
               "gen_tps": final.stats.tokens_per_s, "tick_p99_late_ms": round(late[int(len(late) * 0.99)], 2)}
        rows.append(row)
        print(f"  threads in-process UI thread  n={n}: generation {row['gen_tps']:5.1f} t/s, 10 ms tick p99 late "
              f"{row['tick_p99_late_ms']} ms", flush=True)
    return rows


# --------------------------------------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--llama-bench", action="store_true", help="build (once) and run llama.cpp's llama-bench")
    ap.add_argument("--threads", action="store_true", help="measure 1 vs 2 threads, idle and under contention")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--draft-tokens", type=int, default=2000)
    ap.add_argument("--n-threads", type=int, default=0, help="threads for the throughput section (default: the "
                    "engine's default, every physical core)")
    ap.add_argument("--only", default="", help="comma-separated sections to run: throughput,ttft,"
                    "lore_ttft,stop,logprobs (default all)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    only = {x.strip() for x in args.only.split(",") if x.strip()}

    def wanted(section: str) -> bool:
        return not only or section in only

    from studio.engine.discovery import ensure_default_model
    from studio.engine.hardware import default_threads, extra_buffers_safe

    model = ensure_default_model(CACHE)
    results: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                                           "python": platform.python_version(), "default_threads": default_threads(),
                                           "extra_buffers": extra_buffers_safe(model, CACHE)}}
    print(f"machine: {results['machine']}", flush=True)

    threads = args.n_threads or default_threads()[0]
    if wanted("throughput"):
        _throughput(results, model, args, threads)
    if wanted("ttft"):
        _ttft(results, model, args)
    if wanted("lore_ttft"):
        from bench import lore_ttft

        lore_ttft.report(results, model, args.draft_tokens, CACHE, draft_of)
    if wanted("stop"):
        _stop(results, model)
    if wanted("logprobs"):
        results["logprobs"] = lp = bench_logprobs(model, args.rounds, args.tokens, threads)
        print(f"logprobs (top {lp['k']}, {lp['threads']} thread(s), {lp['tokens']} tokens, median of {lp['rounds']}): "
              f"off {lp['off_tps']} t/s, on {lp['on_tps']} t/s -> ratio {lp['ratio']}; {lp['per_token_ms']} ms a token "
              f"for the alternatives -> ratio {lp['ratio_from_cost']} from that cost", flush=True)
    if args.threads:
        results["threads"] = bench_threads(model)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


def _throughput(results: dict[str, Any], model: Path, args: argparse.Namespace, threads: int) -> None:
    results["throughput"] = t = bench_throughput(model, args.rounds, args.tokens, threads, args.llama_bench)
    print(f"throughput ({t['threads']} thread(s), {t['tokens']} tokens, request to last token, median of "
          f"{t['rounds']}): LlamaEngine {t['engine_tps']} t/s vs create_completion {t['create_completion_tps']} t/s "
          f"-> ratio {t['ratio']}", flush=True)
    lb = t.pop("llama_bench", None)
    if lb is not None:
        results["llama_bench"] = lb
        if "tg_tps" in lb:
            print(f"llama-bench tg{lb['tg_tokens']} ({lb['threads']} thread(s)): {lb['tg_tps']} t/s -> "
                  f"LlamaEngine/llama-bench {lb['engine_ratio']}", flush=True)
        else:
            print(f"llama-bench skipped: {lb['skipped']}", flush=True)


def _ttft(results: dict[str, Any], model: Path, args: argparse.Namespace) -> None:
    results["ttft"] = tt = bench_ttft(model, args.draft_tokens)
    print(f"time to first token, {tt['draft_tokens']}-token draft:", flush=True)
    for k in ("cold", "unchanged", "edit_last_paragraph", "switch_draft_and_back", "new_process"):
        r = tt[k]
        print(f"  {k:22s} {r['ttft_s']:8.3f} s  (x{r['ratio_to_cold']} of cold; cached {r['cached_tokens']} of "
              f"{r['prompt_tokens']})", flush=True)


def _stop(results: dict[str, Any], model: Path) -> None:
    results["stop"] = st = bench_stop(model)
    print(f"stop latency: while generating median {st['while_generating_ms']['median']} ms "
          f"(max {st['while_generating_ms']['max']}); while reading a long prompt median "
          f"{st['while_reading_prompt_ms']['median']} ms (max {st['while_reading_prompt_ms']['max']})", flush=True)


if __name__ == "__main__":
    main()
