"""The one interface every engine implements: the in-process llama.cpp engine (llama_engine.LlamaEngine) today, a
remote one (HTTP to an OpenAI-compatible or llama.cpp server) next. The services hold an ``Engine``, never a
concrete class, and tests/engine/contract.py is the suite every implementation must pass.

Cheap to import (no llama_cpp, no numpy): the services import it at start-up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Protocol, runtime_checkable

from studio.domain import EngineCapabilities, GenerationEvent, GenerationRequest, LoadSettings, ModelInfo, PromptPreview


@runtime_checkable
class Engine(Protocol):
    """One model, one owner thread, one job at a time.

    Only ``cancel.set()`` may come from another thread. What every implementation promises (and the contract
    suite checks):

    * ``stream`` yields ``PromptProgress`` while a long prompt is read, ``TextDelta`` pieces of whole characters
      (a CJK character or an emoji is never split), then one ``Finished`` per alternative, indices 0..n-1; the
      deltas of an alternative concatenate to its ``Finished.text``.
    * Setting ``cancel`` stops the job within about a token: the last ``Finished`` says ``cancelled``, later
      alternatives are skipped, and the engine takes the next job.
    * ``stream`` does nothing before its first ``next()``; closing the generator early ends the job and frees the
      engine for the next one. A second job while one runs is refused with a ``GenerationError``.
    * Errors are ``StudioError`` subclasses with a message a writer can act on: ``ModelLoadError`` from ``load``,
      ``GenerationError`` from ``stream`` (``ContextOverflowError`` when the prompt does not fit the context).
    * ``capabilities`` is probed once by ``load`` and describes what the engine really does.
    """

    @property
    def info(self) -> ModelInfo | None: ...

    @property
    def loaded(self) -> bool: ...

    @property
    def capabilities(self) -> EngineCapabilities: ...

    def load(self, path: Path, settings: LoadSettings | None = None) -> ModelInfo: ...

    def stream(self, request: GenerationRequest, cancel: threading.Event) -> Generator[GenerationEvent, None, None]:
        ...

    def tokenize(self, text: str, *, special: bool = False) -> list[int]: ...

    def count_tokens(self, text: str) -> int: ...

    def preview(self, request: GenerationRequest) -> PromptPreview: ...

    def close(self) -> None: ...


# Builds an unloaded engine; the services call it once per model load.
EngineFactory = Callable[[], Engine]


def local_engine_factory(*, state_dir: Path | None, cache_dir: Path | None) -> EngineFactory:
    """The in-process llama.cpp engine, imported only when a model is actually loaded (llama_cpp is slow to
    import). ``state_dir``: per-draft KV states; ``cache_dir``: per-machine facts beside the model cache."""

    def make() -> Engine:
        from studio.engine.llama_engine import LlamaEngine

        return LlamaEngine(state_dir=state_dir, cache_dir=cache_dir)

    return make
