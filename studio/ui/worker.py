"""The engine thread: one long-lived QThread owns the ModelRunner (and so the llama.cpp model) for its whole life.

Requests go in through queued ``*_requested`` signals of :class:`EngineHost` (which lives on the UI thread);
results come out through the worker's signals. The worker never touches a widget. A generation is stopped with a
``threading.Event`` the UI sets directly, because while a generation runs the worker's event loop is busy and a
queued "stop" signal would only arrive after the run had finished by itself.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from studio.domain import (
    Finished,
    GenerationEvent,
    GenerationRequest,
    LoadSettings,
    ModelInfo,
    PromptPreview,
    PromptProgress,
    StudioError,
    TextDelta,
    Thinking,
)
from studio.ui import widgets
from studio.ui.i18n import error_text
from studio.ui.threads import WorkerThread

if TYPE_CHECKING:
    from studio.services.generation import ServerChoice

log = logging.getLogger(__name__)

_Piece = TypeVar("_Piece", TextDelta, Thinking)

# Deltas are held back and sent together at most this often: one queued signal per token would make the UI
# thread do a layout per token (hundreds per second with a small model) for no visible gain past frame rate.
EMIT_INTERVAL_S = 0.016


class Runner(Protocol):
    """What the worker needs from a ModelRunner (the real one, or a fake in tests)."""

    def discover(self, chosen: str | Path | None = None) -> list[ModelInfo]: ...

    def load(self, chosen: str | Path | ServerChoice | None, settings: LoadSettings) -> ModelInfo: ...

    def close(self) -> None: ...

    def stream(self, request: GenerationRequest, cancel: threading.Event) -> Iterator[GenerationEvent]: ...

    def preview(self, request: GenerationRequest) -> PromptPreview: ...

    @property
    def info(self) -> ModelInfo | None: ...

    @property
    def loaded(self) -> bool: ...

    @property
    def model_file(self) -> str: ...


@dataclass(frozen=True)
class Failure:
    """An error as the UI shows it: a readable message, the kind of error, and details for the log or a dialog."""

    message: str
    kind: str = "StudioError"
    details: str = ""

    @classmethod
    def from_exception(cls, exc: BaseException) -> Failure:
        """Made on the engine thread, in the window's language (Qt's translate may be called from any thread)."""
        if isinstance(exc, StudioError):
            return cls(error_text(exc), type(exc).__name__, "")
        # Not a StudioError: a bug or a llama.cpp surprise. Say so plainly; the traceback goes with it.
        return cls(
            widgets.arg(QCoreApplication.translate("Failure", "Something went wrong: %1: %2"), type(exc).__name__, exc),
            type(exc).__name__,
            "".join(traceback.format_exception(exc)),
        )


class EngineWorker(QObject):
    """Lives on the engine thread. Every slot runs there; every signal carries plain data."""

    model_loading = Signal(str)  # what is being loaded (a path, or "" for the default model)
    model_loaded = Signal(object)  # ModelInfo
    model_failed = Signal(object, object)  # Failure, the ModelInfo still loaded (a failed switch keeps the old)
    models_discovered = Signal(int, object)  # request id, list[ModelInfo]
    prompt_progressed = Signal(int, int, int)  # job, tokens read, tokens in the prompt
    tokens_received = Signal(int, object)  # job, list[TextDelta] (consecutive deltas of one index merged)
    thinking_received = Signal(int, object)  # job, list[Thinking] (the model's reasoning, never the draft's text)
    alternative_finished = Signal(int, object)  # job, Finished
    generation_finished = Signal(int, object)  # job, list[Finished] (may be shorter than asked when stopped)
    generation_failed = Signal(int, object, object)  # job, Failure, list[Finished] done before the failure
    preview_ready = Signal(int, object)  # request id, whatever the runner's preview returns
    preview_failed = Signal(int, object)  # request id, Failure

    def __init__(self, runner_factory: Callable[[], Runner]) -> None:
        super().__init__()
        self._runner_factory = runner_factory
        self._runner: Runner | None = None

    @property
    def runner(self) -> Runner | None:
        return self._runner

    def _ensure_runner(self) -> Runner:
        # Made on the engine thread, so the runner is created, used and (after the thread stops) closed by
        # one owner at a time.
        if self._runner is None:
            self._runner = self._runner_factory()
        return self._runner

    @Slot(object, object)
    def _on_load_requested(self, chosen: str | ServerChoice | None, settings: LoadSettings) -> None:
        self.model_loading.emit(str(getattr(chosen, "url", chosen) or ""))  # a server's address, never its key
        try:
            info = self._ensure_runner().load(chosen, settings)
        except Exception as exc:  # noqa: BLE001 - every load failure becomes a dialog, never a dead thread
            log.warning("model load failed: %s", exc, exc_info=not isinstance(exc, StudioError))
            runner = self._runner
            still = runner.info if runner is not None and runner.loaded else None
            self.model_failed.emit(Failure.from_exception(exc), still)
            return
        self.model_loaded.emit(info)

    @Slot(int, object)
    def _on_discover_requested(self, request_id: int, chosen: str | None) -> None:
        try:
            found = self._ensure_runner().discover(chosen)
        except Exception as exc:  # noqa: BLE001 - a listing problem should leave the dialog usable
            log.warning("model discovery failed: %s", exc)
            found = []
        self.models_discovered.emit(request_id, found)

    @Slot(int, object)
    def _on_preview_requested(self, request_id: int, request: GenerationRequest) -> None:
        try:
            result = self._ensure_runner().preview(request)
        except Exception as exc:  # noqa: BLE001
            self.preview_failed.emit(request_id, Failure.from_exception(exc))
            return
        self.preview_ready.emit(request_id, result)

    @Slot(int, object, object)
    def _on_generation_requested(self, job: int, request: GenerationRequest, cancel: threading.Event) -> None:
        finished: list[Finished] = []
        if cancel.is_set():  # stopped before it started (queued behind another job)
            self.generation_finished.emit(job, finished)
            return
        pending: list[TextDelta] = []
        thoughts: list[Thinking] = []
        last_emit = 0.0  # the first text goes out at once: the wait for it is what the writer feels

        def flush() -> None:
            nonlocal last_emit
            if thoughts:  # before the text: within one batch, reasoning came first
                self.thinking_received.emit(job, _merge(thoughts))
                thoughts.clear()
                last_emit = time.monotonic()
            if pending:
                self.tokens_received.emit(job, _merge(pending))
                pending.clear()
                last_emit = time.monotonic()

        try:
            for event in self._ensure_runner().stream(request, cancel):
                if isinstance(event, TextDelta):
                    if event.text:
                        pending.append(event)
                    if time.monotonic() - last_emit >= EMIT_INTERVAL_S:
                        flush()
                elif isinstance(event, Thinking):
                    if event.text:
                        thoughts.append(event)
                    if time.monotonic() - last_emit >= EMIT_INTERVAL_S:
                        flush()
                elif isinstance(event, PromptProgress):
                    flush()
                    self.prompt_progressed.emit(job, event.done_tokens, event.total_tokens)
                elif isinstance(event, Finished):
                    flush()
                    finished.append(event)
                    self.alternative_finished.emit(job, event)
            flush()
        except Exception as exc:  # noqa: BLE001 - the draft is untouched; the writer gets the message
            flush()
            log.warning("generation failed: %s", exc, exc_info=not isinstance(exc, StudioError))
            self.generation_failed.emit(job, Failure.from_exception(exc), finished)
            return
        self.generation_finished.emit(job, finished)

    def close_runner(self) -> None:
        """Called after the thread has stopped (so nothing else can be using the model)."""
        if self._runner is not None:
            try:
                self._runner.close()
            except Exception:  # noqa: BLE001 - closing at exit must not raise into Qt
                log.exception("closing the model failed")
            self._runner = None


def _merge(deltas: list[_Piece]) -> list[_Piece]:
    out: list[_Piece] = []
    for d in deltas:
        if out and out[-1].index == d.index:
            out[-1] = _joined(out[-1], d)
        else:
            out.append(d)
    return out


def _joined(first: _Piece, then: _Piece) -> _Piece:
    extra: dict[str, Any] = {}
    if isinstance(first, TextDelta) and isinstance(then, TextDelta):
        extra["tokens"] = first.tokens + then.tokens  # the token view's probabilities and spans go with the text
    return replace(first, text=first.text + then.text, **extra)


class EngineHost(QObject):
    """The UI thread's handle on the engine thread: starts it, forwards requests, stops it in the right order."""

    load_requested = Signal(object, object)  # chosen path, ServerChoice or None, LoadSettings
    discover_requested = Signal(int, object)  # request id, chosen path or None
    preview_requested = Signal(int, object)  # request id, GenerationRequest
    generation_requested = Signal(int, object, object)  # job, GenerationRequest, threading.Event

    def __init__(self, runner_factory: Callable[[], Runner], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = WorkerThread("studio-engine", EngineWorker(runner_factory))
        self.worker = self._thread.worker
        # Cross-thread connections are queued automatically: the slots run on the engine thread.
        self.load_requested.connect(self.worker._on_load_requested)
        self.discover_requested.connect(self.worker._on_discover_requested)
        self.preview_requested.connect(self.worker._on_preview_requested)
        self.generation_requested.connect(self.worker._on_generation_requested)
        self._next_id = 0
        self._cancels: dict[int, threading.Event] = {}
        self._stopped = False
        self.worker.generation_finished.connect(self._on_generation_finished)
        self.worker.generation_failed.connect(self._on_generation_failed)
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.running

    def next_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def load(self, chosen: str | ServerChoice | None, settings: LoadSettings) -> None:
        self.load_requested.emit(chosen, settings)

    def discover(self, chosen: str | None = None) -> int:
        rid = self.next_id()
        self.discover_requested.emit(rid, chosen)
        return rid

    def preview(self, request: GenerationRequest) -> int:
        rid = self.next_id()
        self.preview_requested.emit(rid, request)
        return rid

    def generate(self, request: GenerationRequest) -> int:
        job = self.next_id()
        cancel = threading.Event()
        self._cancels[job] = cancel
        self.generation_requested.emit(job, request, cancel)
        return job

    def cancel(self, job: int | None = None) -> None:
        """Stop one job (or all): takes effect within one token, from any state of the worker's event loop."""
        for j, ev in self._cancels.items():
            if job is None or j == job:
                ev.set()

    @Slot(int, object)
    def _on_generation_finished(self, job: int, _finished: object) -> None:
        self._cancels.pop(job, None)

    @Slot(int, object, object)
    def _on_generation_failed(self, job: int, _failure: object, _finished: object) -> None:
        self._cancels.pop(job, None)

    def shutdown(self) -> None:
        """Cancel, quit, wait, then close the model: a model must never be freed under a running generation."""
        if self._stopped:
            return
        self._stopped = True
        self.cancel()
        self._thread.stop()
        self.worker.close_runner()
