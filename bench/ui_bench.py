"""Window benchmark: how long until the window shows and the model is ready, and how late a 10 ms timer fires on
the UI thread while the real model streams into the editor at full speed.

    python bench/ui_bench.py                 # prints the figures and updates the "Window" section of docs/benchmarks.md
    python bench/ui_bench.py --no-write      # print only

Runs offscreen in a throwaway data folder with the real default model (Gemma 3 270M). The model file comes from
$STUDIO_MODEL_CACHE, else the checkout's .studio-test-cache/models (where the test suite assembles it once).
"""

from __future__ import annotations

import time

T_START = time.perf_counter()  # before Qt, the store or the engine are imported: launch cost includes them

import argparse  # noqa: E402
import itertools  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("STUDIO_MODEL_CACHE", str(REPO / ".studio-test-cache" / "models"))

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

INTERVAL_MS = 10
TEXT = (
    "The harbour was quiet that morning. Old Tom mended his nets on the slipway while the gulls argued over the "
    "night's scraps, and the tide crept in as if it had all the time in the world.\n\n"
)


class _ShownWatcher(QObject):
    """Notes when the window is first exposed (the moment a writer would see it)."""

    def __init__(self) -> None:
        super().__init__()
        self.at: float | None = None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if self.at is None and event.type() in (QEvent.Type.Expose, QEvent.Type.Paint, QEvent.Type.Show):
            self.at = time.perf_counter()
        return False


def _wait(cond, timeout_s: float) -> None:
    deadline = time.perf_counter() + timeout_s
    loop = QEventLoop()
    while not cond():
        if time.perf_counter() > deadline:
            raise TimeoutError("benchmark step timed out")
        QTimer.singleShot(5, loop.quit)
        loop.exec()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def _wait_finished(window, timeout_s: float) -> None:
    """Run the event loop until the current generation has ended, as the app's own loop would (no polling)."""
    gen = window.generation
    if gen.run is None or not gen.run.streaming:
        return
    loop = QEventLoop()
    window.host.worker.generation_finished.connect(loop.quit)
    window.host.worker.generation_failed.connect(loop.quit)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    try:
        loop.exec()
    finally:
        window.host.worker.generation_finished.disconnect(loop.quit)
        window.host.worker.generation_failed.disconnect(loop.quit)
    if gen.run is not None and gen.run.streaming:
        raise TimeoutError("benchmark step timed out")


def _idle_lateness(seconds: float) -> list[float]:
    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(INTERVAL_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    _wait(lambda: len(ticks) and ticks[-1] - ticks[0] >= seconds, seconds + 5)
    timer.stop()
    return [max(0.0, (b - a) * 1000 - INTERVAL_MS) for a, b in itertools.pairwise(ticks)]


def _stream_side_by_side(window, alone, seconds: float, max_tokens: int) -> dict:
    """Continue runs in the window, each followed by the *same* request (same prompt, sampler and seed, so the same
    tokens) on a second engine in this process with the window idle: the pair differs only by the window.

    Per window run: the lateness of a 10 ms timer on the UI thread, the UI thread's CPU time per batch of tokens,
    the thread counts the two engines chose. Both sides are timed the same way, from the request to the end of
    the stream (window: the moment the UI thread has handled the end)."""
    import dataclasses
    import threading

    from studio.domain import Finished

    batches = [0]

    def count(*_args: object) -> None:
        batches[0] += 1

    # Warm both: each reads the draft once (a writer's first Continue); the measured runs then reuse the prompt
    # from the KV cache on both sides, as every Continue after the first does.
    window.assistant.max_tokens.setValue(8)
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    window.continue_at_cursor()
    warm = window.generation.run.request
    _wait_finished(window, 300)
    window.generation.discard()
    for _ev in alone.stream(warm, threading.Event()):
        pass
    window.host.worker.tokens_received.connect(count)
    late: list[float] = []
    pairs: list[dict] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or not pairs:
        ticks: list[float] = []
        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(INTERVAL_MS)
        timer.timeout.connect(lambda ticks=ticks: ticks.append(time.perf_counter()))
        window.assistant.max_tokens.setValue(max_tokens)
        window.editor.moveCursor(QTextCursor.MoveOperation.End)
        b0, cpu0 = batches[0], time.thread_time()
        timer.start()
        t0 = time.perf_counter()
        if not window.continue_at_cursor():
            raise RuntimeError("Continue did not start")
        request = window.generation.run.request
        _wait_finished(window, 120)
        t_win = time.perf_counter() - t0
        timer.stop()
        ui_cpu = time.thread_time() - cpu0
        late += [max(0.0, (b - a) * 1000 - INTERVAL_MS) for a, b in itertools.pairwise(ticks)]
        fin = window.generation.run.finished.get(0)
        win_threads = _window_engine(window).threads
        window.generation.discard()
        if fin is None or fin.stats.generated_tokens < 2:
            continue
        same = dataclasses.replace(request, seed=fin.stats.seed)
        t1 = time.perf_counter()
        solo = next(ev for ev in alone.stream(same, threading.Event()) if isinstance(ev, Finished))
        t_alone = time.perf_counter() - t1
        n_batches = batches[0] - b0
        pairs.append({
            "tokens": fin.stats.generated_tokens, "alone_tokens": solo.stats.generated_tokens,
            "same_text": solo.text == fin.text, "prompt_tokens": fin.stats.prompt_tokens,
            "window_tps": fin.stats.generated_tokens / t_win, "alone_tps": solo.stats.generated_tokens / t_alone,
            "window_engine_stat_tps": fin.stats.tokens_per_s, "alone_engine_stat_tps": solo.stats.tokens_per_s,
            "window_threads": list(win_threads), "alone_threads": list(alone.threads),
            "batches": n_batches, "ui_cpu_ms_per_batch": ui_cpu * 1000 / max(1, n_batches),
            "ui_cpu_share": ui_cpu / t_win})
    window.host.worker.tokens_received.disconnect(count)
    med = statistics.median
    return {
        "late": late, "pairs": pairs,
        "window_tps": med(p["window_tps"] for p in pairs), "engine_alone_tps": med(p["alone_tps"] for p in pairs),
        # The median of the per-pair ratios: each pair ran back to back, so machine noise cancels within a pair.
        "window_vs_engine": med(p["window_tps"] / p["alone_tps"] for p in pairs),
        "window_engine_stat_tps": med(p["window_engine_stat_tps"] for p in pairs),
        "ui_cpu_ms_per_batch": med(p["ui_cpu_ms_per_batch"] for p in pairs),
        "ui_cpu_share": med(p["ui_cpu_share"] for p in pairs),
        "tokens_per_batch": med(p["tokens"] / max(1, p["batches"]) for p in pairs),
        "same_tokens": all(p["same_text"] and p["tokens"] == p["alone_tokens"] for p in pairs),
        "threads_window": sorted({tuple(p["window_threads"]) for p in pairs}),
        "threads_alone": sorted({tuple(p["alone_threads"]) for p in pairs}),
    }


def _window_engine(window: Any) -> Any:
    """The local engine the window streams from: the active ModelRunner's, behind the SwitchingRunner."""
    runner = window.host.worker.runner
    runner = getattr(runner, "_active", runner)  # services.servers.SwitchingRunner -> the active ModelRunner
    return runner._engine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Window latency and start-up benchmark")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long to stream (default 20)")
    parser.add_argument("--max-tokens", type=int, default=256, help="tokens per Continue (default 256)")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--json-out", type=Path, metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)

    home = Path(tempfile.mkdtemp(prefix="studio-bench-"))
    os.environ["STUDIO_HOME"] = str(home)
    QApplication.instance() or QApplication(sys.argv[:1])
    from studio.engine.discovery import ensure_default_model
    from studio.paths import resolve_paths
    from studio.services import Services
    from studio.ui.main_window import MainWindow

    model = ensure_default_model(Path(os.environ["STUDIO_MODEL_CACHE"]))
    services = Services.open(resolve_paths().ensure())
    services.drafts.create("Bench", "prose", body=TEXT * 20)
    t_window = time.perf_counter()
    watcher = _ShownWatcher()
    window = MainWindow(services, model=str(model))
    window.installEventFilter(watcher)
    window.resize(1280, 800)
    window.show()
    _wait(lambda: watcher.at is not None, 30)
    _wait(lambda: window.model_info is not None, 300)
    t_ready = time.perf_counter()
    shown_s = (watcher.at or t_ready) - T_START
    shown_from_window_s = (watcher.at or t_ready) - t_window
    ready_s = t_ready - T_START

    from studio.engine.llama_engine import LlamaEngine

    # The window's own peak, before the second engine (the bench's, not the writer's) is loaded into this process.
    peak_rss = _peak_rss_bytes()
    alone = LlamaEngine(cache_dir=Path(os.environ["STUDIO_MODEL_CACHE"]))
    alone.load(model)
    idle = _idle_lateness(3.0)
    side = _stream_side_by_side(window, alone, args.seconds, args.max_tokens)
    busy = side["late"]
    window.shutdown()
    services.close()
    alone.close()

    cores = os.cpu_count() or 0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    runs = len(side["pairs"])
    lines = [
        f"- Launch to window shown: **{shown_s:.2f} s** (of which building the window: {shown_from_window_s:.2f} s); "
        f"launch to model ready: **{ready_s:.2f} s** (the window is usable meanwhile; the model loads on its thread).",
        f"- 10 ms timer lateness on the UI thread while idle: p50 {_percentile(idle, 50):.2f} ms, "
        f"p99 {_percentile(idle, 99):.2f} ms ({len(idle)} ticks).",
        f"- While streaming into the editor ({runs} Continue run{'s' if runs != 1 else ''} of up to "
        f"{args.max_tokens} tokens on a {side['pairs'][0]['prompt_tokens']}-token draft): p50 "
        f"**{_percentile(busy, 50):.2f} ms**, p99 **{_percentile(busy, 99):.2f} ms**, "
        f"max {max(busy) if busy else 0:.1f} ms ({len(busy)} ticks).",
        f"- Tokens/s, request to end of stream: window **{side['window_tps']:.1f}**, the same requests (same seed, "
        f"{'same' if side['same_tokens'] else 'NOT the same'} tokens) on an engine alone in this process right "
        f"after each: **{side['engine_alone_tps']:.1f}**; window / engine alone (median of pairs) "
        f"**{side['window_vs_engine']:.2f}**. Threads (generating, reading) window {side['threads_window']}, "
        f"alone {side['threads_alone']}.",
        f"- UI thread per batch of tokens: {side['ui_cpu_ms_per_batch']:.2f} ms CPU, "
        f"{side['tokens_per_batch']:.1f} tokens per batch; the UI thread used {side['ui_cpu_share']:.0%} of a core "
        f"while streaming.",
    ]
    header = (
        f"Measured {date.today().isoformat()} on {platform.system()} {platform.machine()}, {cores} cores (load "
        f"average {load:.1f} at the end: other work shares these cores), Python {platform.python_version()}, "
        f"offscreen Qt, default model, command: `python bench/ui_bench.py"
        f"{' --seconds ' + str(args.seconds) if args.seconds != 20.0 else ''}`."
    )
    print(header)
    for line in lines:
        print(line)
    if args.json_out:
        import json

        args.json_out.write_text(json.dumps({
            "shown_s": shown_s, "ready_s": ready_s, "idle_p99_ms": _percentile(idle, 99),
            "stream_p50_ms": _percentile(busy, 50), "stream_p99_ms": _percentile(busy, 99),
            "stream_max_ms": max(busy) if busy else 0.0, "stream_ticks": len(busy),
            "stream_tokens_per_s": side["window_engine_stat_tps"],
            **{k: v for k, v in side.items() if k != "late"},
            "max_tokens": args.max_tokens, "load_average": load, "model_bytes": model.stat().st_size,
            "peak_rss_bytes": peak_rss}, indent=1), encoding="utf-8")
    if not args.no_write:
        _write_section(REPO / "docs" / "benchmarks.md", header, lines)
    return 0


def _peak_rss_bytes() -> int:
    import resource

    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    return int(kb) * (1 if sys.platform == "darwin" else 1024)


def _write_section(path: Path, header: str, lines: list[str]) -> None:
    """Replace (or add) the "## Window" section; other sections (the engine's) are left as they are."""
    body = "## Window\n\n" + header + "\n\n" + "\n".join(lines) + "\n"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    start = text.find("\n## Window")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + body
    else:
        nxt = text.find("\n## ", start + 1)
        text = text[: start + 1] + body + (text[nxt:] if nxt >= 0 else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"updated {path}")


if __name__ == "__main__":
    raise SystemExit(main())
