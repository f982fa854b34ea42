"""Stopping a llama.cpp job at any moment: between sampled tokens and inside a decode.

Between tokens the engine checks the job's ``threading.Event`` in ``stopping_criteria`` and between prompt
batches itself. Inside a decode (a long prompt batch) only llama.cpp's abort callback can stop it: decode then
returns 2, llama-cpp-python raises ``RuntimeError`` and the next call works again. This module owns that callback
and connects each job's Event to it (``AbortSwitch.armed``).
"""

from __future__ import annotations

import contextlib
import ctypes
import threading
from collections.abc import Iterator
from typing import Any

from studio.engine.llama_compat import native_flag_check
from studio.engine.llama_log import log_router


class Cancelled(Exception):
    """Raised between prompt batches when the job's cancel Event is set; the engine reports a cancelled Finished."""


class AbortSwitch:
    """llama.cpp's abort callback for one model, and the cancel Event of the job running on it.

    llama.cpp calls the abort callback after every graph node (hundreds per token) on its compute thread. A
    Python callback must take the GIL each time: with a second Python thread busy (the UI) and two compute
    threads, generation fell from 39 to 1.6 tokens/s (bench: engine_bench.py --threads). So the callback is a
    native function reading one byte (see llama_compat.native_flag_check), and a small watcher thread copies the
    cancel Event into that byte the moment it is set. Each job gets a fresh byte, so a watcher that outlives its
    job can never stop the next one. Where no native check exists, a Python callback reads the Event itself.

    Keep the switch for as long as llama.cpp may call its callback (the ctypes object must stay referenced).
    """

    def __init__(self, llama_cpp: Any) -> None:
        self._cancel: threading.Event | None = None  # the running job's
        self._flag: Any = None  # the current job's flag byte for the native abort check
        self._callback: Any = native_flag_check(llama_cpp) or llama_cpp.ggml_abort_callback(self._should_abort)

    @property
    def native(self) -> bool:
        return bool(getattr(self._callback, "native", False))

    def cancel_running(self) -> None:
        """Ask the running job, if any, to stop (from any thread)."""
        cancel = self._cancel
        if cancel is not None:
            cancel.set()

    @contextlib.contextmanager
    def armed(self, ctx: Any, cancel: threading.Event) -> Iterator[None]:
        """For the duration of one job on context ``ctx``: setting ``cancel`` aborts llama.cpp's current decode,
        and the errors llama.cpp logs for that abort are logged as expected, not as failures."""
        self._cancel = cancel
        router = log_router()
        router.abort_expected = cancel.is_set
        done = self._arm(ctx, cancel)
        try:
            yield
        finally:
            done.set()
            router.abort_expected = None
            self._cancel = None

    def disarm(self, ctx: Any) -> None:
        """Before the context is freed: llama.cpp must not call back into a job that is gone."""
        import llama_cpp.llama_cpp as llama_c

        llama_c.llama_set_abort_callback(ctx, llama_c.ggml_abort_callback(), None)

    def _should_abort(self, _data: Any) -> bool:
        # Fallback when no native flag check is available: called by llama.cpp between graph nodes, with the GIL.
        cancel = self._cancel
        return bool(cancel is not None and cancel.is_set())

    def _arm(self, ctx: Any, cancel: threading.Event) -> threading.Event:
        """Connect this job's cancel to llama.cpp's abort check; returns an Event to set when the job ends."""
        import llama_cpp.llama_cpp as llama_c

        done = threading.Event()
        if not self.native:
            llama_c.llama_set_abort_callback(ctx, self._callback, None)
            return done
        flag = ctypes.create_string_buffer(2)
        self._flag = flag
        llama_c.llama_set_abort_callback(ctx, self._callback, ctypes.cast(flag, ctypes.c_void_p))

        def watch() -> None:
            while not done.is_set():
                if cancel.wait(0.05):
                    if not done.is_set():
                        flag[0] = b"\x01"
                    return

        threading.Thread(target=watch, name="studio-engine-stop-watch", daemon=True).start()
        return done
