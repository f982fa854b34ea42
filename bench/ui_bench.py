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
import os  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

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


def _lateness(window, seconds: float, *, stream: bool, max_tokens: int) -> tuple[list[float], float, int]:
    """Lateness (ms) of each tick of a 10 ms timer, while idle or while Continue streams back to back."""
    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(INTERVAL_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    speeds: list[float] = []
    runs = 0
    timer.start()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        if stream:
            window.assistant.max_tokens.setValue(max_tokens)
            window.editor.moveCursor(QTextCursor.MoveOperation.End)
            window.continue_at_cursor()
            _wait(lambda: window.generation.run is not None and not window.generation.run.streaming, 120)
            fin = window.generation.run.finished.get(0)
            if fin is not None and fin.stats.tokens_per_s:
                speeds.append(fin.stats.tokens_per_s)
            window.generation.discard()
            runs += 1
        else:
            _wait(lambda: time.perf_counter() >= end, seconds + 5)
    timer.stop()
    late = [max(0.0, (b - a) * 1000 - INTERVAL_MS) for a, b in zip(ticks, ticks[1:], strict=False)]
    return late, (statistics.median(speeds) if speeds else 0.0), runs


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

    idle, _, _ = _lateness(window, 3.0, stream=False, max_tokens=args.max_tokens)
    busy, speed, runs = _lateness(window, args.seconds, stream=True, max_tokens=args.max_tokens)
    window.shutdown()
    services.close()

    cores = os.cpu_count() or 0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        f"- Launch to window shown: **{shown_s:.2f} s** (of which building the window: {shown_from_window_s:.2f} s); "
        f"launch to model ready: **{ready_s:.2f} s** (the window is usable meanwhile; the model loads on its thread).",
        f"- 10 ms timer lateness on the UI thread while idle: p50 {_percentile(idle, 50):.2f} ms, "
        f"p99 {_percentile(idle, 99):.2f} ms ({len(idle)} ticks).",
        f"- While streaming into the editor at full speed ({runs} Continue run{'s' if runs != 1 else ''} of "
        f"{args.max_tokens} tokens, "
        f"median {speed:.0f} tokens/s): p50 **{_percentile(busy, 50):.2f} ms**, "
        f"p99 **{_percentile(busy, 99):.2f} ms**, "
        f"max {max(busy) if busy else 0:.1f} ms ({len(busy)} ticks).",
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
            "stream_tokens_per_s": speed, "model_bytes": model.stat().st_size,
            "peak_rss_bytes": _peak_rss_bytes()}, indent=1), encoding="utf-8")
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
