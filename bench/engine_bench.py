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
  stop        how long Stop takes while generating and while a long prompt is being read
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
import tarfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from studio.domain import Action, Finished, GenerationRequest, LoadSettings, Sampler, TextDelta  # noqa: E402

OUT = REPO / "bench" / "out"
CACHE = Path(os.environ.get("STUDIO_MODEL_CACHE", REPO / ".studio-test-cache" / "models"))
LLAMA_CPP_PYTHON = "0.3.36"

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


def first_token(engine: Any, request: GenerationRequest) -> Finished:
    final = None
    for ev in engine.stream(request, threading.Event()):
        if isinstance(ev, Finished):
            final = ev
    assert final is not None
    return final


def continue_req(text: str, key: str, max_tokens: int = 4) -> GenerationRequest:
    return GenerationRequest(action=Action.CONTINUE, before=text, draft_key=key, seed=1,
                             sampler=Sampler(temperature=0.0, max_tokens=max_tokens))


# --------------------------------------------------------------------------------------------- throughput


def bench_throughput(model: Path, rounds: int, n_gen: int) -> dict[str, Any]:
    import llama_cpp
    import llama_cpp.llama_cpp as llama_c

    from studio.engine.hardware import extra_buffers_safe
    from studio.engine.llama_engine import N_BATCH, LlamaEngine, _model_params

    engine = LlamaEngine(cache_dir=CACHE)
    engine.load(model)
    gen_threads, batch_threads = engine.threads
    with _model_params(llama_c, use_extra_bufts=extra_buffers_safe(model, CACHE)):
        raw = llama_cpp.Llama(str(model), n_ctx=engine.n_ctx, n_batch=N_BATCH, n_ubatch=N_BATCH,
                              n_threads=gen_threads, n_threads_batch=batch_threads, verbose=False)
    prompt = PARA * 3
    sampler = dict(temperature=0.8, top_p=0.95, top_k=40, min_p=0.05, repeat_penalty=1.1)
    eos_ban = {raw.token_eos(): -1e9}  # both sides must generate exactly n_gen tokens

    def via_engine() -> tuple[int, float]:
        req = GenerationRequest(action=Action.CONTINUE, before=prompt, seed=42, max_tokens=n_gen,
                                sampler=Sampler(max_tokens=n_gen, **sampler))
        first = last = 0.0
        n = 0
        for ev in engine.stream(req, threading.Event()):
            if isinstance(ev, TextDelta):
                last = time.perf_counter()
                first = first or last
            elif isinstance(ev, Finished):
                n = ev.stats.generated_tokens
        return n, (n - 1) / (last - first) if last > first else 0.0

    def via_raw() -> tuple[int, float]:
        first = last = 0.0
        n = 0
        for chunk in raw.create_completion(prompt, max_tokens=n_gen, stream=True, seed=42, logit_bias=eos_ban,
                                           **sampler):
            if chunk["choices"][0]["text"]:
                last = time.perf_counter()
                first = first or last
                n += 1
        return n, (n - 1) / (last - first) if last > first else 0.0

    via_engine(), via_raw()  # warm up: both have the prompt cached from here on
    eng_tps, raw_tps = [], []
    for _ in range(rounds):
        eng_tps.append(via_engine()[1])
        raw_tps.append(via_raw()[1])
    raw.close()
    engine.close()
    e, r = statistics.median(eng_tps), statistics.median(raw_tps)
    return {"threads": gen_threads, "tokens": n_gen, "rounds": rounds, "engine_tps": round(e, 2),
            "create_completion_tps": round(r, 2), "ratio": round(e / r, 3) if r else None,
            "engine_all": [round(x, 1) for x in eng_tps], "raw_all": [round(x, 1) for x in raw_tps]}


# --------------------------------------------------------------------------------------------- llama-bench


def build_llama_bench() -> tuple[Path | None, str]:
    """llama-bench from the llama.cpp vendored in llama-cpp-python's sdist, built once into bench/out/."""
    exe = OUT / "llama-build" / "bin" / "llama-bench"
    if exe.is_file():
        return exe, "cached build"
    if not shutil.which("cmake"):
        return None, "cmake is not installed"
    OUT.mkdir(parents=True, exist_ok=True)
    src = OUT / f"llama_cpp_python-{LLAMA_CPP_PYTHON}"
    if not (src / "vendor" / "llama.cpp" / "CMakeLists.txt").is_file():
        sdist = OUT / f"llama_cpp_python-{LLAMA_CPP_PYTHON}.tar.gz"
        if not sdist.is_file():
            # --no-binary for this package only: its build dependencies may come as wheels (much quicker).
            proc = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-binary",
                                   "llama-cpp-python", "--no-deps", f"llama-cpp-python=={LLAMA_CPP_PYTHON}",
                                   "-d", str(OUT)],
                                  capture_output=True, text=True)
            if proc.returncode != 0 or not sdist.is_file():
                return None, f"pip download failed: {proc.stderr.strip()[-300:]}"
        with tarfile.open(sdist) as tf:
            tf.extractall(OUT, filter="data")
    build = OUT / "llama-build"
    jobs = str(os.cpu_count() or 2)
    for cmd in (["cmake", "-S", str(src / "vendor" / "llama.cpp"), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                 "-DLLAMA_CURL=OFF", "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_EXAMPLES=OFF",
                 "-DLLAMA_BUILD_SERVER=OFF", "-DBUILD_SHARED_LIBS=OFF"],
                ["cmake", "--build", str(build), "--target", "llama-bench", "-j", jobs]):
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            return None, f"{cmd[:2]} failed: {proc.stderr.strip()[-400:]}"
    return (exe, "built now") if exe.is_file() else (None, "build finished without llama-bench")


def bench_llama_bench(model: Path, threads: int, extra_ok: bool) -> dict[str, Any]:
    exe, note = build_llama_bench()
    if exe is None:
        return {"skipped": note}
    cmd = [str(exe), "-m", str(model), "-t", str(threads), "-p", "0", "-n", "128", "-r", "3", "-o", "json"]
    if not extra_ok:
        cmd += ["--repack", "0"]  # no repacking / extra buffers, as the engine runs on this CPU
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        return {"skipped": f"llama-bench failed ({proc.returncode}): {proc.stderr.strip()[-300:]}", "build": note}
    rows = json.loads(proc.stdout)
    tg = next(r for r in rows if r.get("n_gen") == 128)
    return {"tg128_tps": round(tg["avg_ts"], 2), "threads": threads, "build": note, "no_repack": not extra_ok}


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
                          input=edited, capture_output=True, text=True, timeout=600)
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

        def ticker() -> None:
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
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    from studio.engine.discovery import ensure_default_model
    from studio.engine.hardware import default_threads, extra_buffers_safe

    model = ensure_default_model(CACHE)
    results: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                                           "python": platform.python_version(), "default_threads": default_threads(),
                                           "extra_buffers": extra_buffers_safe(model, CACHE)}}
    print(f"machine: {results['machine']}", flush=True)

    results["throughput"] = t = bench_throughput(model, args.rounds, args.tokens)
    print(f"throughput ({t['threads']} thread(s), {t['tokens']} tokens, median of {t['rounds']}): "
          f"LlamaEngine {t['engine_tps']} t/s vs create_completion {t['create_completion_tps']} t/s "
          f"-> ratio {t['ratio']}", flush=True)
    if args.llama_bench:
        results["llama_bench"] = lb = bench_llama_bench(model, t["threads"], results["machine"]["extra_buffers"])
        if "tg128_tps" in lb:
            lb["engine_ratio"] = round(t["engine_tps"] / lb["tg128_tps"], 3)
            print(f"llama-bench tg128 ({lb['threads']} thread(s)): {lb['tg128_tps']} t/s -> LlamaEngine/llama-bench "
                  f"{lb['engine_ratio']}", flush=True)
        else:
            print(f"llama-bench skipped: {lb['skipped']}", flush=True)

    results["ttft"] = tt = bench_ttft(model, args.draft_tokens)
    print(f"time to first token, {tt['draft_tokens']}-token draft:", flush=True)
    for k in ("cold", "unchanged", "edit_last_paragraph", "switch_draft_and_back", "new_process"):
        r = tt[k]
        print(f"  {k:22s} {r['ttft_s']:8.3f} s  (x{r['ratio_to_cold']} of cold; cached {r['cached_tokens']} of "
              f"{r['prompt_tokens']})", flush=True)

    results["stop"] = st = bench_stop(model)
    print(f"stop latency: while generating median {st['while_generating_ms']['median']} ms "
          f"(max {st['while_generating_ms']['max']}); while reading a long prompt median "
          f"{st['while_reading_prompt_ms']['median']} ms (max {st['while_reading_prompt_ms']['max']})", flush=True)

    if args.threads:
        results["threads"] = bench_threads(model)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
