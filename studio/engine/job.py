"""What every engine does around one generation, whatever runs the model (llama_engine.LlamaEngine in process,
remote.RemoteEngine over HTTP): the prompt checks, the seeds of the alternatives, the plain properties of the
Engine protocol, the output stream with the plan's stop rules, the preview of a prompt that does not fit, and the
stats of a finished alternative. One place, so the engines cannot drift apart in what a writer sees."""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Callable, Generator, Iterator
from typing import Self

from studio.domain import (
    ContextOverflowError,
    EngineCapabilities,
    GenerationError,
    GenerationRequest,
    GenerationStats,
    ModelInfo,
    PromptPreview,
    StopReason,
    TextDelta,
    Thinking,
    TokenAlternatives,
)
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.engine.prompts import PromptPlan, plan_preview
from studio.engine.reasoning import ShownStream, markers_opened_by
from studio.engine.textstream import OutputStream

log = logging.getLogger(__name__)

# How long close() waits for a running generation to see its stop before disconnecting anyway.
CLOSE_WAIT_S = 30


def alternative_seeds(request: GenerationRequest) -> list[int]:
    """One seed per alternative: the request's (or a random) seed, then the next ones."""
    n = max(1, int(request.n_alternatives))
    base = request.seed if request.seed is not None else random.randrange(1 << 31)
    return [(base + i) & 0x7FFFFFFF for i in range(n)]


def generation_room(tokens: list[int], wanted: int, n_ctx: int) -> int:
    """How many tokens may be generated after ``tokens``; raises the errors a writer reads for an empty prompt
    or one that does not fit the context."""
    if not tokens:
        raise GenerationError(msg(QT_TRANSLATE_NOOP("messages", "There is no text to continue from.")),
                              hint=msg(QT_TRANSLATE_NOOP("messages", "Write a few words first.")))
    if len(tokens) >= n_ctx:
        raise ContextOverflowError(msg(QT_TRANSLATE_NOOP("messages", "The prompt ({count:,} tokens) does not fit the "
                                                                     "context ({n_ctx:,} tokens)."),
                                       count=len(tokens), n_ctx=n_ctx), fits_tokens=n_ctx - 1)
    return max(1, min(wanted, n_ctx - len(tokens) - 1))


def output_stream(plan: PromptPlan) -> ShownStream:
    """The model's bytes to the writer's text for ``plan``: reasoning out (starting inside a block the prompt
    opened), then the plan's stops, spacing and line count."""
    out = OutputStream(stops=tuple(plan.stops), leading=plan.leading, trim_trailing=plan.trim_trailing,
                       prefix=plan.prefix, suffix=plan.suffix, max_lines=plan.max_lines,
                       list_only=plan.list_only, keep_prefix=plan.keep_prefix)
    return ShownStream(out, markers_opened_by(plan.open_reasoning))


def shown_piece(out: ShownStream, raw: bytes, index: int, tokens: list[TokenAlternatives] | None = None,
                fresh: int = 0) -> Generator[TextDelta | Thinking, None, int]:
    """Feed a model's ``raw`` bytes through ``out`` and yield what the writer may see of them: the reasoning, then
    the text with the probabilities of the ``tokens`` (all of this alternative's, the ones sampled with ``raw``
    last) that are settled since the last text (from ``fresh`` on), each with its span in the shown text
    (token_spans; written back into ``tokens``). Returns the new ``fresh``: how many of ``tokens`` have gone out
    with a text (``fresh = yield from shown_piece(...)``)."""
    seen = tokens if tokens is not None else []
    start = out.spans.mark()
    piece = out.feed(raw)
    out.spans.took(seen, start)
    if thought := out.take_thought():
        yield Thinking(thought, index)
    if not piece:
        return fresh
    settled = out.spans.settle(seen, fresh)
    yield TextDelta(piece, index, tuple(seen[fresh:settled]))
    return settled


def stream_tail(out: ShownStream, index: int,
                tokens: list[TokenAlternatives] | tuple[TokenAlternatives, ...] = (),
                fresh: int = 0) -> Iterator[TextDelta | Thinking]:
    """What ``out`` still holds once its stream has ended (a held-back stop prefix, a thought), as events, with
    the tokens not yet sent: ``tokens[fresh:]`` of the list given to :func:`shown_piece` (their spans written back
    into it), or a tuple of just those tokens."""
    tail = out.finish()
    out.spans.end()
    if thought := out.take_thought():
        yield Thinking(thought, index)
    if isinstance(tokens, list):
        out.spans.settle(tokens, fresh)
        rest = tuple(tokens[fresh:])
    else:
        rest = out.spans.placed(tokens)
    if tail:
        yield TextDelta(tail, index, rest)


def preview(plan_of: Callable[[GenerationRequest], PromptPlan], request: GenerationRequest,
            n_ctx: int) -> PromptPreview:
    """The prompt ``request`` would send, or why it does not fit."""
    try:
        plan = plan_of(request)
    except ContextOverflowError as exc:
        return PromptPreview(prompt_text="", prompt_tokens=0, trimmed_chars=0, trimmed_preview="", fits=False,
                             n_ctx=n_ctx, message=str(exc))
    return plan_preview(plan, n_ctx)


class JobClock:
    """The times of one alternative: from the request, to its first token, to its end."""

    def __init__(self, plan: PromptPlan, seed: int, model: str) -> None:
        self.started = time.perf_counter()
        self.first_at = 0.0
        self._plan = plan
        self._seed = seed
        self._model = model

    def first_token(self) -> None:
        if not self.first_at:
            self.first_at = time.perf_counter()

    def stats(self, reason: StopReason, *, generated: int = 0, cached: int = 0) -> GenerationStats:
        end = time.perf_counter()
        first = self.first_at
        tps = (generated - 1) / (end - first) if first and generated > 1 and end > first else 0.0
        ttft = first - self.started if first else 0.0
        return GenerationStats(prompt_tokens=len(self._plan.tokens), cached_tokens=max(0, cached),
                               generated_tokens=generated, ttft_s=round(ttft, 4),
                               total_s=round(end - self.started, 4), tokens_per_s=round(tps, 2), stop_reason=reason,
                               trimmed_chars=self._plan.trimmed_chars, trimmed_preview=self._plan.trimmed_preview,
                               seed=self._seed, model=self._model)


class ServerJobs:
    """One generation at a time on a server engine, and a close that stops the running one first: ``closing``
    is set while close waits, and a stream checks ``stopped`` between chunks (its socket is shut down too)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.closing = threading.Event()

    def stopped(self, cancel: threading.Event) -> bool:
        return cancel.is_set() or self.closing.is_set()

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        """Held for one stream; a second one while it runs is refused in words."""
        if not self._lock.acquire(blocking=False):
            raise GenerationError(msg(QT_TRANSLATE_NOOP("messages", "The server is still busy with another "
                                                                    "generation from Studio.")),
                                  hint=msg(QT_TRANSLATE_NOOP("messages", "Wait for it to finish or press Stop.")))
        try:
            yield
        finally:
            self._lock.release()

    def close(self, finish: Callable[[], None], *, drop: Callable[[], None]) -> None:
        """``finish`` (which disconnects) once no stream runs; a stream that does not stop within CLOSE_WAIT_S
        is left behind: ``drop`` disconnects without the rest of ``finish``."""
        if not self._lock.acquire(blocking=False):
            self.closing.set()
            if not self._lock.acquire(timeout=CLOSE_WAIT_S):
                log.error("A remote generation did not stop within %d s; disconnecting anyway", CLOSE_WAIT_S)
                drop()
                return
        try:
            finish()
        finally:
            self.closing.clear()
            self._lock.release()


class EngineBase:
    """What every engine class answers the same way: what is loaded, what it can do (all off before a load,
    probed once by ``load``), token counts, ``with`` closing it. Subclasses set ``_info`` and ``_capabilities``
    and implement ``tokenize`` and ``close``."""

    _info: ModelInfo | None = None
    _capabilities: EngineCapabilities = EngineCapabilities()

    @property
    def info(self) -> ModelInfo | None:
        return self._info

    @property
    def capabilities(self) -> EngineCapabilities:
        return self._capabilities

    def tokenize(self, text: str, *, special: bool = False) -> list[int]:
        raise NotImplementedError

    def count_tokens(self, text: str) -> int:
        """How many tokens ``text`` is on its own (no BOS), as the context budget counts it."""
        return len(self.tokenize(text))

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
