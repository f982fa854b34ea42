"""Remote-engine benchmarks: llama-server through Studio beside the same server without Studio and beside the
local engine, same machine, same default model, one run.

    .venv/bin/python bench/remote_bench.py --json bench/out/remote.json

Sections:
  throughput  tokens/s of a Continue from a writer's starting text, on the writer's path (GenerationService.
              build_request + ModelRunner.stream, a ServerChoice for the server): the local engine, llama-server
              through Studio, and llama-server's own /completion without Studio (raw httpx, the very body Studio
              sends: same prompt tokens, sampler, seed, so the same tokens come back). Interleaved rounds (the two
              server sides in alternating order), medians, timed from the request to the last token, prompt cached.
  ttft        time to first token through Studio of a Continue on a ~2,000-token draft: cold, again with
              cache_prompt (warm), and after switching to another draft and back (a slot per draft)
  stop        from cancel.set() to the server's slot idle (GET /slots), while generating and while reading a
              long prompt

The llama-server is built by scripts/build_llama_tool (cached) and started here on 127.0.0.1 with two slots,
``--no-repack --swa-full`` (see tests/engine/remote_server.py) and the local engine's thread count.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from studio.domain import Action, Draft, Finished, Form, GenerationRequest, LoadSettings, TextDelta  # noqa: E402

CACHE = Path(os.environ.get("STUDIO_MODEL_CACHE", REPO / ".studio-test-cache" / "models"))
START = ("The rain had not stopped for three days when Ada finally opened the letter. It had come from the coast, "
         "from the house her grandmother left to nobody, and the handwriting on the envelope was her own.\n\n")
PARA = ("Mara kept the lighthouse on Gull Rock for eleven winters. Every evening she climbed the iron stairs to the "
        "lamp room, trimmed the wick and polished the great lens until it shone. ")


def start_server(model: Path, threads: int, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    exe = subprocess.run([str(REPO / "scripts" / "build_llama_tool"), "llama-server"], capture_output=True,
                         text=True, check=True).stdout.strip().splitlines()[-1]
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([exe, "-m", str(model), "--host", "127.0.0.1", "--port", str(port), "-np", "2",
                             "-c", str(8192 * 2), "--no-repack", "--swa-full", "-t", str(threads), "-tb",
                             str(threads), "--no-webui"], stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/v1/models", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"llama-server did not start; see {log}")


def writer_request(sv: Any, text: str, n: int, seed: int, draft_id: int = 1) -> GenerationRequest:
    draft = Draft(id=draft_id, title="bench", form=Form.PROSE, body=text)
    req = sv.generation.build_request(draft, Action.CONTINUE, cursor=len(text), max_tokens=n, seed=seed)
    return replace(req, draft_key=f"bench-{draft_id}")


def timed(runner: Any, req: GenerationRequest, cancel: threading.Event | None = None,
          on_delta: Any = None) -> dict[str, Any]:
    t0 = time.perf_counter()
    last = t0
    fin: Finished | None = None
    for ev in runner.stream(req, cancel or threading.Event()):
        if isinstance(ev, TextDelta):
            last = time.perf_counter()
            if on_delta is not None:
                on_delta()
        elif isinstance(ev, Finished):
            fin = ev
    assert fin is not None
    st = fin.stats
    return {"tps": st.generated_tokens / (last - t0) if last > t0 else 0.0, "generated": st.generated_tokens,
            "ttft_s": st.ttft_s, "cached": st.cached_tokens, "prompt": st.prompt_tokens, "text": fin.text}


def raw_completion(url: str, body: dict[str, Any]) -> dict[str, Any]:
    """llama-server's /completion streamed with plain httpx: no Studio in between."""
    t0 = time.perf_counter()
    last = t0
    n = 0
    text = []
    with httpx.Client(timeout=120) as client, client.stream("POST", f"{url}/completion", json=body) as resp:
        for line in resp.iter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            chunk = json.loads(line[6:])
            if chunk.get("content"):
                last = time.perf_counter()
                text.append(chunk["content"])
            n = int(chunk.get("tokens_predicted") or n)
    return {"tps": n / (last - t0) if last > t0 else 0.0, "generated": n, "text": "".join(text)}


def bench_throughput(sv: Any, local: Any, remote: Any, url: str, n: int, rounds: int) -> dict[str, Any]:
    from studio.engine.remote_request import completion_body

    engine = remote._engine  # the RemoteEngine behind the runner: the body it sends, for the raw side
    req = writer_request(sv, START, n, seed=42)
    plan = engine._plan(req)
    body = completion_body(plan, plan.tokens, max_tokens=min(plan.max_tokens, n), seed=42, slot=-1,
                           banned=engine.facts.banned_tokens)
    timed(local, req), timed(remote, req), raw_completion(url, body)  # warm up: every side has the prompt
    rows: dict[str, list[dict[str, Any]]] = {"local": [], "studio": [], "raw": []}
    for i in range(rounds):
        rows["local"].append(timed(local, req))
        # Alternating which of the two server sides goes first: neither always gets the server just after a rest.
        if i % 2:
            rows["raw"].append(raw_completion(url, body))
            rows["studio"].append(timed(remote, req))
        else:
            rows["studio"].append(timed(remote, req))
            rows["raw"].append(raw_completion(url, body))
    med = {k: statistics.median(r["tps"] for r in v) for k, v in rows.items()}
    same = all(s["generated"] == r["generated"] for s, r in zip(rows["studio"], rows["raw"], strict=True))
    return {"tokens": n, "rounds": rounds, "timing": "request to last token, prompt cached",
            "local_tps": round(med["local"], 2), "studio_tps": round(med["studio"], 2), "raw_tps": round(med["raw"], 2),
            "studio_vs_raw": round(med["studio"] / med["raw"], 3) if med["raw"] else None,
            "same_tokens": same, "generated": {k: [r["generated"] for r in v] for k, v in rows.items()},
            "all": {k: [round(r["tps"], 1) for r in v] for k, v in rows.items()}}


def long_draft(remote: Any, tokens: int, word: str) -> str:
    paras: list[str] = [f"{word} {time.time_ns()}."]
    while remote._engine.count_tokens("\n\n".join(paras)) < tokens:
        paras.append(PARA.replace("Mara", word) * 4)
    return "\n\n".join(paras)


def bench_ttft(sv: Any, remote: Any, tokens: int) -> dict[str, Any]:
    a, b = long_draft(remote, tokens, "Mara"), long_draft(remote, tokens, "Tomas")
    cold = timed(remote, writer_request(sv, a, 4, 1, 10))
    warm = timed(remote, writer_request(sv, a, 4, 1, 10))
    timed(remote, writer_request(sv, b, 4, 1, 11))  # another draft, its own slot
    back = timed(remote, writer_request(sv, a, 4, 1, 10))

    def row(r: dict[str, Any]) -> dict[str, Any]:
        return {"ttft_s": r["ttft_s"], "ratio_to_cold": round(r["ttft_s"] / cold["ttft_s"], 3),
                "cached_tokens": r["cached"], "prompt_tokens": r["prompt"]}

    return {"draft_tokens": cold["prompt"], "cold": row(cold), "warm": row(warm), "switch_draft_and_back": row(back)}


def idle_after(url: str, since: float) -> float:
    while any(s.get("is_processing") for s in httpx.get(f"{url}/slots", timeout=5).json()):
        if time.perf_counter() - since > 30:
            return float("inf")
        time.sleep(0.005)
    return time.perf_counter() - since


def bench_stop(sv: Any, remote: Any, url: str, trials: int) -> dict[str, Any]:
    gen, read = [], []
    for i in range(trials):
        cancel = threading.Event()
        stopped = [0.0]
        seen = [0]

        def on_delta(cancel: threading.Event = cancel, stopped: list[float] = stopped, seen: list[int] = seen) -> None:
            seen[0] += 1
            if seen[0] == 3 and not cancel.is_set():
                stopped[0] = time.perf_counter()
                cancel.set()

        timed(remote, writer_request(sv, START + f"Day {i}. ", 1000, 100 + i, 20), cancel, on_delta)
        gen.append(idle_after(url, stopped[0]) * 1000)
        cancel = threading.Event()
        text = long_draft(remote, 2500, f"Ilse{i}")

        def stop_soon(cancel: threading.Event = cancel, stopped: list[float] = stopped) -> None:
            stopped[0] = time.perf_counter()
            cancel.set()

        timer = threading.Timer(0.5, stop_soon)
        timer.start()
        timed(remote, writer_request(sv, text, 50, 200 + i, 30 + i), cancel)
        timer.join()
        read.append(idle_after(url, stopped[0]) * 1000)

    def summary(v: list[float]) -> dict[str, float]:
        return {"median": round(statistics.median(v), 1), "max": round(max(v), 1)}

    return {"trials": trials, "while_generating_ms": summary(gen), "while_reading_prompt_ms": summary(read)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--draft-tokens", type=int, default=2000)
    ap.add_argument("--stop-trials", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    from studio.engine.discovery import ensure_default_model
    from studio.engine.hardware import default_threads
    from studio.paths import Paths
    from studio.services import Services
    from studio.services.generation import ModelRunner, ServerChoice

    model = ensure_default_model(CACHE)
    threads = default_threads()[0]
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_server(model, threads, Path(tmp) / "llama-server.log")
        sv = Services.open(Paths(Path(tmp) / "home").ensure())
        local = ModelRunner(sv.paths)
        remote = ModelRunner(sv.paths, server=ServerChoice(url))
        try:
            local.load(model, LoadSettings(n_threads=threads))
            remote.load(None, LoadSettings())
            load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
            out: dict[str, Any] = {"threads": threads, "load_start": load}
            out["throughput"] = t = bench_throughput(sv, local, remote, url, args.tokens, args.rounds)
            print(f"throughput: local {t['local_tps']} t/s, llama-server through Studio {t['studio_tps']} t/s, "
                  f"raw /completion {t['raw_tps']} t/s -> Studio/raw {t['studio_vs_raw']}", flush=True)
            local.close()  # its threads would compete with the server's for the rest
            out["ttft"] = tt = bench_ttft(sv, remote, args.draft_tokens)
            print(f"ttft: {json.dumps(tt)}", flush=True)
            out["stop"] = st = bench_stop(sv, remote, url, args.stop_trials)
            print(f"stop: {json.dumps(st)}", flush=True)
            out["load_end"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
        finally:
            local.close()
            remote.close()
            sv.close()
            proc.terminate()
            proc.wait(10)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
