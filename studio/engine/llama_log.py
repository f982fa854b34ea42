"""llama.cpp's log, routed to the Python logger ``studio.engine.llama``, with the latest problems remembered.

llama.cpp has one process-wide log callback, so this is one process-wide router (created on first use, never
replaced): the ctypes callback object must outlive every call llama.cpp might make into it, and a second
router installed by a second engine would leave the first one's callback dangling. It also fixes what
llama-cpp-python's own handler gets wrong (ggml's levels are NONE=0 DEBUG=1 INFO=2 WARN=3 ERROR=4 CONT=5; its
mapping is off by one, so warnings are printed and errors dropped) and never touches file descriptors.
"""

from __future__ import annotations

import collections
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

LOGGER_NAME = "studio.engine.llama"

_LEVELS = {0: logging.DEBUG, 1: logging.DEBUG, 2: logging.INFO, 3: logging.WARNING, 4: logging.ERROR}
_CONT = 5
# What llama.cpp logs as errors when the abort callback stops a decode: expected when the writer pressed Stop.
_ABORT_LINES = ("failed to compute graph", "graph_compute", "failed to decode, ret = 2",
                "removing memory module entries")


@dataclass(frozen=True)
class LogLine:
    seq: int
    level: int  # a ``logging`` level
    text: str


class LlamaLogRouter:
    """Receives llama.cpp/ggml log calls (from any thread), joins partial lines, logs whole lines and keeps the
    recent warnings and errors so a failed load can say *why*."""

    def __init__(self, keep: int = 200) -> None:
        self._log = logging.getLogger(LOGGER_NAME)
        self._lock = threading.Lock()
        self._partial = ""
        self._level = logging.INFO
        self._seq = 0
        self._recent: collections.deque[LogLine] = collections.deque(maxlen=keep)
        self._callback: object | None = None  # the ctypes function object; must stay referenced forever
        # Set by the engine while a job runs: True once its cancel was requested, so the error lines an aborted
        # decode produces are logged as debug noise, not as problems.
        self.abort_expected: Callable[[], bool] | None = None

    def install(self) -> None:
        import ctypes

        import llama_cpp

        if self._callback is not None:
            return

        def _on_log(level: int, text: bytes | None, _user_data: ctypes.c_void_p) -> None:
            try:
                self.feed(level, (text or b"").decode("utf-8", errors="replace"))
            except Exception:  # noqa: BLE001 - an exception must never unwind into C
                pass

        callback = llama_cpp.llama_log_callback(_on_log)
        self._callback = callback
        llama_cpp.llama_log_set(callback, ctypes.c_void_p(0))

    def feed(self, ggml_level: int, text: str) -> None:
        with self._lock:
            if ggml_level != _CONT:
                if self._partial:  # a new message starts: flush what was pending
                    self._emit(self._partial)
                    self._partial = ""
                self._level = _LEVELS.get(ggml_level, logging.INFO)
            self._partial += text
            while "\n" in self._partial:
                line, self._partial = self._partial.split("\n", 1)
                self._emit(line)

    def _emit(self, line: str) -> None:
        line = line.rstrip()
        if not line:
            return
        self._seq += 1
        level = self._level
        if level >= logging.WARNING and self.abort_expected is not None and any(p in line for p in _ABORT_LINES):
            try:
                if self.abort_expected():
                    level = logging.DEBUG
            except Exception:  # noqa: BLE001
                pass
        if level >= logging.WARNING:
            self._recent.append(LogLine(self._seq, level, line))
        self._log.log(level, "%s", line)

    def mark(self) -> int:
        """A position in the log; :meth:`problems_since` returns what came after it."""
        with self._lock:
            return self._seq

    def problems_since(self, mark: int, *, errors_only: bool = False) -> list[str]:
        with self._lock:
            if self._partial:
                self._emit(self._partial)
                self._partial = ""
            floor = logging.ERROR if errors_only else logging.WARNING
            return [ln.text for ln in self._recent if ln.seq > mark and ln.level >= floor]


_router_lock = threading.Lock()
_router: LlamaLogRouter | None = None


def log_router() -> LlamaLogRouter:
    """The process's router, installed into llama.cpp on first use (importing llama_cpp installs
    llama-cpp-python's own handler, which this replaces)."""
    global _router
    with _router_lock:
        if _router is None:
            _router = LlamaLogRouter()
        _router.install()
        return _router
