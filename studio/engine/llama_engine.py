"""The generation engine: one llama.cpp model, streamed Continue and Rewrite, cancellable at any moment.

NOT thread-safe, by design. llama.cpp crashes the process when two generations share one model (measured: 3 of
3 runs died with SIGSEGV/SIGABRT), so a :class:`LlamaEngine` belongs to one owner thread (the app's engine
worker thread, or the CLI's main thread) and runs one job at a time. Only ``cancel.set()`` may come from another
thread. A second ``stream()`` while one is running, from any thread, is refused with a GenerationError instead of
crashing; ``close()`` from another thread cancels the running job and waits for it.

Why not ``Llama.create_completion``: the engine drives ``Llama.generate`` itself so that it can

* pass token lists (the stable prompt prefix stays token-identical; text round trips can re-tokenize a seam),
* read the prompt in batches it controls (PromptProgress, cancel between batches, exact cached-token counts),
* decode bytes incrementally into whole characters and handle stop sequences without flicker (textstream),
* restore per-draft KV states saved with llama.cpp's per-sequence state API (draft_states, state_cache).

Cancel: a ``threading.Event`` is checked in ``stopping_criteria`` after every sampled token (the next token is
never shown), and by llama.cpp's abort callback inside a decode, e.g. while a long prompt is read (decode returns
2; llama-cpp-python raises ``RuntimeError``; the engine reports ``Finished(stop_reason=cancelled)`` and stays
ready). The abort callback is native, not Python (see cancellation.py: a Python one costs the GIL per graph node).

Threads: every physical core by default, fewer while other processes keep cores busy (studio/engine/hardware.py
has the measurements). Per-draft KV states (``request.draft_key``) are kept in memory and on disk so coming back
to a draft, or restarting, does not re-read it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.domain import (
    Action,
    EngineCapabilities,
    Finished,
    GenerationError,
    GenerationEvent,
    GenerationRequest,
    GenerationStats,
    LoadSettings,
    ModelInfo,
    ModelLoadError,
    PromptPreview,
    PromptProgress,
    StopReason,
    TokenAlternatives,
)
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.engine import job, llama_compat, model_parts, token_facts
from studio.engine.anti_copy import AntiCopy
from studio.engine.cancellation import AbortSwitch, Cancelled
from studio.engine.discovery import inspect_gguf
from studio.engine.draft_states import DraftStates, common_prefix
from studio.engine.hardware import CpuContention, default_threads, extra_buffers_safe, threads_for
from studio.engine.llama_compat import deferred_chat_templates, load_reason, quiet_prints

# Old names, still imported by bench/engine_bench.py and tests/engine/test_hardware.py.
from studio.engine.llama_compat import model_params as _model_params  # noqa: F401
from studio.engine.llama_compat import native_flag_check as _native_flag_check  # noqa: F401
from studio.engine.llama_log import log_router
from studio.engine.prompts import ModelTraits, PromptPlan, build_prompt
from studio.engine.token_probs import TokenProbs

if TYPE_CHECKING:
    from llama_cpp import Llama

log = logging.getLogger(__name__)

DEFAULT_MAX_CTX = 8192
N_BATCH = 512
# Rewrites: how hard to push the model off copying the selection word for word (logits; see anti_copy), and
# after how many copied tokens in a row (bench/rewrite_eval.py measured the choice).
ANTI_COPY_PENALTY = 6.0
ANTI_COPY_NGRAM = 3


class LlamaEngine(job.EngineBase):
    """One model, one owner thread, one job at a time (see the module docstring)."""

    def __init__(self, *, state_dir: Path | None = None, cache_dir: Path | None = None,
                 state_memory_bytes: int = 256 << 20, state_disk_bytes: int = 1 << 30) -> None:
        self._state_dir = Path(state_dir) if state_dir is not None else None
        self._cache_dir = Path(cache_dir) if cache_dir is not None else self._state_dir
        self._states = DraftStates(self._state_dir, memory_bytes=state_memory_bytes, disk_bytes=state_disk_bytes)
        self._facts: Any = None  # form_steer.TokenFacts of the loaded model, built on first use
        self._vocab_facts: Any = None  # guard.VocabFacts of the loaded model, built on first use
        self._llama: Llama | None = None
        self._info: ModelInfo | None = None
        self._n_ctx = 0
        self._threads = (1, 1)
        self._default_threads = (1, 1)
        self._adaptive_threads = True
        self._contention = CpuContention()
        self._chat_formatter: Any = None
        self._fim: tuple[int, int, int] | None = None
        self._bos: tuple[int, ...] = ()
        self._reasoning_ids: tuple[int, ...] = ()  # reasoning markers' tokens: the guard lets them through
        self._model_identity = ""
        self._context_signature = ""
        self._capabilities = EngineCapabilities()
        self._job = threading.Lock()  # held while a stream is running
        self._abort: AbortSwitch | None = None  # kept after close: llama.cpp may hold its callback until then

    # ------------------------------------------------------------------------------------------- lifecycle

    @property
    def loaded(self) -> bool:
        return self._llama is not None

    @property
    def n_ctx(self) -> int:
        return self._n_ctx

    @property
    def threads(self) -> tuple[int, int]:
        """(generation threads, prompt-reading threads) used for the latest job: the defaults, or fewer while
        other processes keep cores busy."""
        return self._threads

    def load(self, path: Path, settings: LoadSettings | None = None) -> ModelInfo:
        """Check ``path`` (without llama.cpp), then load it. Raises ModelLoadError with llama.cpp's own reason."""
        settings = settings or LoadSettings()
        path = Path(path)
        info = inspect_gguf(path)  # a malformed file never reaches llama.cpp
        self.close()
        router = log_router()  # imports llama_cpp (slow, so only here) and installs the log routing
        import llama_cpp
        import llama_cpp.llama_cpp as llama_c

        trained = info.context_length or DEFAULT_MAX_CTX
        n_ctx = settings.n_ctx or min(trained, DEFAULT_MAX_CTX)
        n_ctx = max(256, min(n_ctx, trained))
        gen_threads, batch_threads = default_threads()
        self._adaptive_threads = not settings.n_threads
        if settings.n_threads:
            gen_threads = batch_threads = max(1, settings.n_threads)
        extra_ok = extra_buffers_safe(path, self._cache_dir)

        mark = router.mark()
        started = time.perf_counter()
        try:
            with (llama_compat.model_params(llama_c, use_extra_bufts=extra_ok), deferred_chat_templates(),
                  quiet_prints()):
                llama = llama_cpp.Llama(
                    model_path=str(path), n_ctx=n_ctx, n_batch=N_BATCH, n_ubatch=N_BATCH,
                    n_threads=gen_threads, n_threads_batch=batch_threads, n_gpu_layers=settings.n_gpu_layers,
                    # verbose=True only stops llama-cpp-python from redirecting fds 1 and 2 (process-wide!) while
                    # loading; its prints are caught by quiet_prints and llama.cpp's log goes to our router.
                    verbose=True,
                )
        except Exception as exc:  # noqa: BLE001 - ValueError, RuntimeError, a Jinja TemplateError...
            problems = router.problems_since(mark, errors_only=True) or router.problems_since(mark)
            raise ModelLoadError(msg(QT_TRANSLATE_NOOP("messages", "Could not load the model {name}: {reason}."),
                                     name=path.name, reason=load_reason(exc, problems)),
                                 hint=msg(QT_TRANSLATE_NOOP("messages", "The file may be damaged or need a newer "
                                                                        "llama.cpp."))) from exc
        llama.verbose = False  # from now on: no prints from generate()
        self._llama = llama
        self._info = info
        self._n_ctx = llama.n_ctx()
        self._threads = self._default_threads = (gen_threads, batch_threads)
        self._bos = model_parts.bos_tokens(llama, llama_c)
        self._fim = model_parts.fim_tokens(llama, llama_c) if info.has_fim else None
        self._chat_formatter = model_parts.chat_template(llama, path.name) if info.has_chat_template else None
        self._reasoning_ids = model_parts.reasoning_tokens(llama)
        st = path.stat()
        self._model_identity = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"
        self._context_signature = (f"llama-cpp-python={llama_cpp.__version__};n_ctx={self._n_ctx};"
                                   f"swa_full={int(llama.context_params.swa_full)};"
                                   f"type_k={llama.context_params.type_k};type_v={llama.context_params.type_v}")
        self._states.attach(llama, n_ctx=self._n_ctx, model_identity=self._model_identity,
                            context_signature=self._context_signature)
        self._abort = AbortSwitch(llama_cpp)
        self._capabilities = EngineCapabilities(
            chat_template=self._chat_formatter is not None,
            logprobs=True,  # from the logits, per request (token_probs.TokenProbs)
            grammar=False,
            fim=self._fim is not None,
            state_save_restore=True,  # per-draft KV states (draft_states), in memory and, with a state_dir, on disk
            native_alternatives=False,  # one context, one sequence: alternatives run one after another
            n_ctx=self._n_ctx,
        )
        log.info("Loaded %s (%s, %s, n_ctx=%d, threads %d/%d, extra buffers %s) in %.2fs", path.name,
                 info.architecture, info.quantization, self._n_ctx, gen_threads, batch_threads,
                 "on" if extra_ok else "off", time.perf_counter() - started)
        return info

    def close(self) -> None:
        """Save the live draft state, free the model. Safe to call twice; waits for a running job to stop."""
        if self._llama is None:
            return
        if not self._job.acquire(blocking=False):
            if self._abort is not None:
                self._abort.cancel_running()
            if not self._job.acquire(timeout=30):
                log.error("A generation did not stop within 30 s; closing the model anyway")
                return
        try:
            with contextlib.suppress(Exception):
                self._states.save_live()
            llama, self._llama = self._llama, None
            if self._abort is not None:
                with contextlib.suppress(Exception):
                    self._abort.disarm(llama.ctx)
            llama.close()
            self._states.detach()
            self._capabilities = EngineCapabilities()
            self._chat_formatter = None
            self._facts = None
            self._vocab_facts = None
        finally:
            self._job.release()

    # ------------------------------------------------------------------------------------------- public work

    def tokenize(self, text: str, *, special: bool = False) -> list[int]:
        llama = self._require()
        return list(llama.tokenize(text.encode("utf-8"), add_bos=False, special=special))

    def preview(self, request: GenerationRequest) -> PromptPreview:
        """What the model would be given for ``request`` (for the context view). Generates nothing."""
        self._require()
        return job.preview(self._plan, request, self._n_ctx)

    def stream(self, request: GenerationRequest, cancel: threading.Event) -> Generator[GenerationEvent, None, None]:
        """Run ``request``: PromptProgress while a long prompt is read, TextDelta pieces (whole characters),
        then Finished per alternative (index 0..n-1, one after another). Errors: GenerationError (including
        ContextOverflowError) with a readable message. After a cancel, later alternatives are skipped."""
        # A generator: nothing (not even the busy check) happens before the first next(), so an abandoned,
        # never-started stream cannot leave the engine locked.
        llama = self._require()
        if not self._job.acquire(blocking=False):
            raise GenerationError(msg(QT_TRANSLATE_NOOP("messages", "The model is still busy with another "
                                                                    "generation.")),
                                  hint=msg(QT_TRANSLATE_NOOP("messages", "Wait for it to finish or press Stop.")))
        try:
            assert self._abort is not None  # set by load(), with _llama
            with self._abort.armed(llama.ctx, cancel):
                yield from self._run(request, cancel)
        finally:
            self._job.release()

    def flush_state(self) -> None:
        """Save the live draft state to the state cache now (close() does this too)."""
        if self._llama is not None and self._job.acquire(blocking=False):
            try:
                self._states.save_live()
            finally:
                self._job.release()

    # ------------------------------------------------------------------------------------------- internals

    def _require(self) -> Llama:
        if self._llama is None:
            raise GenerationError(msg(QT_TRANSLATE_NOOP("messages", "No model is loaded.")),
                                  hint=msg(QT_TRANSLATE_NOOP("messages", "Load a model first.")))
        return self._llama

    def _plan(self, request: GenerationRequest) -> PromptPlan:
        llama = self._require()

        def tokenize(text: str, special: bool) -> list[int]:
            return list(llama.tokenize(text.encode("utf-8"), add_bos=False, special=special))

        # Rewrite and Ask use the chat template where the model has one; Continue is always a completion.
        use_chat = self._chat_formatter is not None and request.action is not Action.CONTINUE
        chat = self._render_chat if use_chat else None
        traits = ModelTraits(n_ctx=self._n_ctx, bos=self._bos, chat=chat, fim=self._fim)
        return build_prompt(request, traits, tokenize)

    def _render_chat(self, messages: list[dict[str, str]]) -> str:
        from studio.engine.chat_template import ChatTemplateError

        try:
            return str(self._chat_formatter.render(messages))
        except ChatTemplateError as exc:
            raise GenerationError(msg(QT_TRANSLATE_NOOP("messages", "The model's chat template failed: {reason}."),
                                      reason=str(exc)),
                                  hint=msg(QT_TRANSLATE_NOOP("messages", "Pick another model for rewrites."))) from exc

    def _adapt_threads(self) -> None:
        """Give llama.cpp only the cores other processes leave free (see hardware.CpuContention)."""
        if not self._adaptive_threads:
            return
        wanted = threads_for(self._contention.others_cores(), self._default_threads)
        if wanted != self._threads:
            import llama_cpp.llama_cpp as llama_c

            llama_c.llama_set_n_threads(self._require().ctx, wanted[0], wanted[1])
            log.debug("Threads for this job: %d generating, %d reading (were %d/%d)", *wanted, *self._threads)
            self._threads = wanted

    def _run(self, request: GenerationRequest, cancel: threading.Event) -> Iterator[GenerationEvent]:
        plan = self._plan(request)
        self._adapt_threads()
        self._states.switch_owner(request, plan.tokens)
        for index, seed in enumerate(job.alternative_seeds(request)):
            yield from self._run_one(plan, index, seed, cancel, logprobs=request.logprobs)
            if cancel.is_set():
                break

    def _processors(self, plan: PromptPlan, n_prompt: int) -> list[Any]:
        """The logits processors for one generation. The guard comes last, so nothing before it (the steering,
        the anti-copy penalty, a future one) can bring back a token it bans."""
        from studio.engine.guard import CopyRuns, OutputGuard

        llama = self._require()

        def decode(ids: list[int]) -> str:  # whole characters of generated tokens, for every processor that reads text
            return str(llama.detokenize(ids).decode("utf-8", errors="ignore"))

        processors: list[Any] = []
        if plan.source_tokens and ANTI_COPY_PENALTY > 0:
            processors.append(AntiCopy(plan.source_tokens, n_prompt, ANTI_COPY_PENALTY, ANTI_COPY_NGRAM))
        if plan.line_plan is not None:
            from studio.engine.form_steer import LineSteer

            processors.append(LineSteer(plan.line_plan, self._token_facts(), n_prompt, decode))
        scripts = set(plan.scripts) if plan.scripts else None
        processors.append(OutputGuard(self._guard_facts(), n_prompt, scripts=scripts,
                                      han_variant=plan.han_variant, no_break_line=plan.no_break_line,
                                      copies=CopyRuns(plan.exemplars), piece=lambda t: decode([t]), decode=decode,
                                      allow=self._reasoning_ids))
        return processors

    def _guard_facts(self) -> Any:
        """Per-token facts for the output guard, once per model: from the per-machine cache when this model file
        was seen before (tens of milliseconds), else computed (about 2 s for Gemma's 262k tokens) and cached."""
        if self._vocab_facts is None:
            self._vocab_facts = token_facts.guard_facts(self._llama, self._model_identity, self._cache_dir)
        return self._vocab_facts

    def _token_facts(self) -> Any:
        """Per-token facts for line steering, computed once per loaded model (about a second for 262k tokens)."""
        if self._facts is None:
            self._facts = token_facts.line_facts(self._llama)
        return self._facts

    def _run_one(self, plan: PromptPlan, index: int, seed: int, cancel: threading.Event, *,
                 logprobs: int = 0) -> Iterator[GenerationEvent]:
        import llama_cpp
        from llama_cpp import LogitsProcessorList, StoppingCriteriaList

        llama = self._require()
        tokens = plan.tokens
        clock = job.JobClock(plan, seed, self._info.path.name if self._info else "")
        max_tokens = job.generation_room(tokens, plan.max_tokens, self._n_ctx)
        self._states.mark_dirty()
        cached = common_prefix(llama_compat.live_tokens(llama), tokens)

        def stats(reason: StopReason, generated: int = 0) -> GenerationStats:
            return clock.stats(reason, generated=generated, cached=cached)

        # 1. Read the prompt (all but its last token: generate() decodes that one to get fresh logits).
        try:
            for progress in self._prefill(tokens, cached, cancel):
                yield PromptProgress(progress, len(tokens), index)
        except Cancelled:
            yield Finished("", stats(StopReason.CANCELLED), index)
            return
        except RuntimeError as exc:
            if cancel.is_set():
                yield Finished("", stats(StopReason.CANCELLED), index)
                return
            self._recover()
            raise GenerationError(msg(QT_TRANSLATE_NOOP("messages", "The model could not read the prompt ({reason})."),
                                      reason=str(exc))) from exc

        # 2. Sample.
        out = job.output_stream(plan)
        s = plan.sampler
        llama.set_seed(seed)
        chain = self._processors(plan, len(tokens))
        probs = None
        if logprobs > 0:  # last: it reads the logits exactly as the sampler gets them
            probs = TokenProbs(logprobs, lambda t: llama.detokenize([t]).decode("utf-8", errors="replace"))
            chain.append(probs)
        processors = LogitsProcessorList(chain)
        seen: list[TokenAlternatives] = []  # every token's alternatives, for Finished
        fresh = 0  # seen[fresh:] not yet sent with a delta
        vocab = llama_compat.vocab(llama)
        reason = StopReason.LENGTH
        generated = 0
        gen = llama.generate(
            tokens, top_k=s.top_k, top_p=s.top_p, min_p=s.min_p, temp=s.temperature, repeat_penalty=s.repeat_penalty,
            stopping_criteria=StoppingCriteriaList([lambda _ids, _logits: cancel.is_set()]),
            logits_processor=processors,
        )
        try:
            finished_by_loop = False
            for token in gen:
                if generated == 0:
                    clock.first_token()
                if llama_cpp.llama_vocab_is_eog(vocab, token):
                    reason = StopReason.STOP
                    break
                generated += 1
                if probs is not None and (alternatives := probs.take(token)) is not None:
                    seen.append(alternatives)
                fresh = yield from job.shown_piece(out, llama.detokenize([token]), index, seen, fresh)
                if out.done:
                    reason = out.stop_reason
                    break
                if generated >= max_tokens:
                    reason = StopReason.LENGTH
                    break
            else:
                finished_by_loop = True
            if finished_by_loop:  # generate() returned: the stopping criteria fired
                reason = StopReason.CANCELLED if cancel.is_set() else StopReason.STOP
        except RuntimeError as exc:
            if not cancel.is_set():
                self._recover()
                raise GenerationError(msg(QT_TRANSLATE_NOOP("messages", "The model failed while writing ({reason})."),
                                          reason=str(exc))) from exc
            reason = StopReason.CANCELLED
        finally:
            gen.close()
        yield from job.stream_tail(out, index, seen, fresh)
        yield Finished(out.text, stats(reason, generated), index, tuple(seen))

    def _prefill(self, tokens: list[int], cached: int, cancel: threading.Event) -> Iterator[int]:
        llama = self._require()
        target = len(tokens) - 1
        if cached >= target:
            return
        if cached < llama.n_tokens and llama_compat.cannot_cut_back(llama):
            llama.reset()  # type: ignore[no-untyped-call]  # Llama.reset() has no annotations in llama-cpp-python
            cached = 0
        llama_compat.keep_prefix(llama, cached)
        pos = cached
        report = target - cached > N_BATCH // 4
        if report:
            yield pos
        while pos < target:
            if cancel.is_set():
                raise Cancelled
            end = min(target, pos + N_BATCH)
            llama.eval(tokens[pos:end])
            pos = end
            if report:
                yield pos

    def _recover(self) -> None:
        """After an unexpected llama.cpp failure: forget the KV cache so the next job starts clean."""
        with contextlib.suppress(Exception):
            llama_compat.clear_kv(self._llama)
        self._states.mark_clean()
