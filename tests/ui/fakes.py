"""A stand-in for ModelRunner: streams scripted text from the engine thread, honours cancel, can fail.

It lets the UI logic (streaming into the editor, accept/undo, alternatives, errors) be tested in milliseconds;
tests/ui/test_real_model.py runs the same paths against the real default model.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

from studio.domain import (
    Action,
    ContextOverflowError,
    Finished,
    GenerationEvent,
    GenerationRequest,
    GenerationStats,
    LoadSettings,
    ModelInfo,
    ModelLoadError,
    PromptPreview,
    PromptProgress,
    StopReason,
    TextDelta,
)


class FakeRunner:
    def __init__(
        self,
        *,
        delay: float = 0.002,
        words: int = 12,
        block: threading.Event | None = None,
        fail_generate: Exception | None = None,
        load_delay: float = 0.0,
    ) -> None:
        self.delay = delay
        self.words = words
        self.block = block  # when set by a test, streaming waits on it after the first token (a "slow model")
        self.fail_generate = fail_generate
        self.load_delay = load_delay
        self.info: ModelInfo | None = None
        self.requests: list[GenerationRequest] = []
        self.threads: set[str] = set()
        self.closed = 0

    @property
    def loaded(self) -> bool:
        return self.info is not None

    @property
    def model_file(self) -> str:
        return self.info.path.name if self.info else ""

    def discover(self, chosen: str | Path | None = None) -> list[ModelInfo]:
        found = [ModelInfo(path=Path("/models/fake-7b.Q4_K_M.gguf"), name="Fake 7B", architecture="llama",
                           size_bytes=4_000_000_000, quantization="Q4_K_M", context_length=8192, source="data")]
        return found

    def load(self, chosen: str | Path | None, settings: LoadSettings) -> ModelInfo:
        self.threads.add(threading.current_thread().name)
        if self.load_delay:
            time.sleep(self.load_delay)
        if chosen:
            path = Path(str(chosen))
            data = path.read_bytes()[:4] if path.exists() else b""
            if data != b"GGUF":
                raise ModelLoadError(f"{path.name} is not a GGUF model file (it does not start with 'GGUF').",
                                     hint="Choose a .gguf file downloaded for llama.cpp.")
        self.info = ModelInfo(path=Path(str(chosen or "/models/fake-default.gguf")), name="Fake model",
                              architecture="llama", size_bytes=1000, context_length=2048, is_default=not chosen)
        return self.info

    def close(self) -> None:
        self.closed += 1
        self.info = None

    def preview(self, request: GenerationRequest) -> PromptPreview:
        prompt = f"{request.notes}\n\n{request.before}"
        return PromptPreview(prompt_text=prompt, prompt_tokens=len(prompt.split()), trimmed_chars=0, trimmed_preview="",
                             fits=True, n_ctx=2048)

    def stream(self, request: GenerationRequest, cancel: threading.Event) -> Iterator[GenerationEvent]:
        if self.info is None:
            raise ModelLoadError("No model is loaded yet.")
        self.requests.append(request)
        self.threads.add(threading.current_thread().name)
        return self._events(request, cancel)

    def _events(self, request: GenerationRequest, cancel: threading.Event) -> Iterator[GenerationEvent]:
        if self.fail_generate is not None:
            raise self.fail_generate
        if request.action == Action.REWRITE and len(request.selection) > 5000:
            raise ContextOverflowError("The selection is too long for the model's context.", fits_chars=5000)
        yield PromptProgress(10, 10)
        limit = request.max_tokens or self.words
        for index in range(request.n_alternatives):
            t0 = time.monotonic()
            pieces = self._pieces(request, index)[:limit]
            out = ""
            reason = StopReason.LENGTH
            for n, piece in enumerate(pieces):
                if cancel.is_set():
                    reason = StopReason.CANCELLED
                    break
                out += piece
                yield TextDelta(piece, index)
                if n == 0 and self.block is not None:
                    self.block.wait(10)
                time.sleep(self.delay)
            else:
                reason = StopReason.STOP
            elapsed = max(time.monotonic() - t0, 1e-6)
            yield Finished(out, GenerationStats(prompt_tokens=10, generated_tokens=len(pieces), total_s=elapsed,
                                                tokens_per_s=len(pieces) / elapsed, stop_reason=reason), index)
            if reason == StopReason.CANCELLED:
                return

    def _pieces(self, request: GenerationRequest, index: int) -> list[str]:
        if request.action == Action.REWRITE:
            words = f"Alt{index} rewritten: {request.selection.upper()}".split(" ")
        else:
            words = [f"word{index}_{i}" for i in range(self.words)]
            words[-1] += "."
        return [(" " + w) if i or request.action == Action.CONTINUE else w for i, w in enumerate(words)]
