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
* restore per-draft KV states saved with llama.cpp's per-sequence state API (state_cache).

Cancel: a ``threading.Event`` is checked in ``stopping_criteria`` after every sampled token (the next token is
never shown), and by llama.cpp's abort callback inside a decode, e.g. while a long prompt is read (decode returns
2; llama-cpp-python raises ``RuntimeError``; the engine reports ``Finished(stop_reason=cancelled)`` and stays
ready). The abort callback is native, not Python (see ``_arm_abort``: a Python one costs the GIL per graph node).

Threads: every physical core by default, fewer while other processes keep cores busy (studio/engine/hardware.py
has the measurements). Per-draft KV states (``request.draft_key``) are kept in memory and on disk so coming back
to a draft, or restarting, does not re-read it.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import logging
import os
import random
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from studio.domain import (
    Action,
    ContextOverflowError,
    Finished,
    GenerationError,
    GenerationEvent,
    GenerationRequest,
    GenerationStats,
    LoadSettings,
    ModelInfo,
    ModelLoadError,
    PromptProgress,
    StopReason,
    TextDelta,
)
from studio.engine.discovery import inspect_gguf
from studio.engine.hardware import CpuContention, default_threads, extra_buffers_safe, threads_for
from studio.engine.llama_log import log_router
from studio.engine.prompts import ModelTraits, PromptPlan, PromptPreview, build_prompt, plan_preview
from studio.engine.state_cache import StateCache, StateEntry
from studio.engine.textstream import OutputStream

log = logging.getLogger(__name__)

DEFAULT_MAX_CTX = 8192
N_BATCH = 512
# Restoring a saved state costs a copy of its bytes; below this many extra reusable tokens re-reading is as quick.
_RESTORE_MIN_GAIN = 32
# A state worth keeping: shorter prompts are re-read in a blink.
_SNAPSHOT_MIN_TOKENS = 64
# Rewrites: how hard to push the model off copying the selection word for word (logits; see _AntiCopy), and
# after how many copied tokens in a row (bench/rewrite_eval.py measured the choice).
ANTI_COPY_PENALTY = 6.0
ANTI_COPY_NGRAM = 3


class _Cancelled(Exception):
    pass


@dataclass
class _Owner:
    """Whose text the live KV cache holds: a draft's Continue (see _state_key)."""

    key: str  # state cache key
    dirty: bool = False  # the live cache changed since it was last saved


class _LogWriter(io.TextIOBase):
    """Stands in for sys.stdout/sys.stderr while llama-cpp-python's constructor prints (it prints system info
    and the whole metadata when verbose): lines go to the debug log instead of the terminal. A Python-level swap:
    unlike llama-cpp-python's verbose=False, it never redirects the process's file descriptors."""

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger
        self._buf = ""

    def write(self, s: str) -> int:
        self._buf += s
        while "\n" in self._buf:
            line, self._buf = self._buf.split("\n", 1)
            if line.strip():
                self._logger.debug("%s", line[:2000])
        return len(s)

    def flush(self) -> None:
        if self._buf.strip():
            self._logger.debug("%s", self._buf[:2000])
        self._buf = ""


class _AntiCopy:
    """A logits processor for rewrites: once the last ``n`` generated tokens also occur in a row in the
    selection, the token that followed them there is penalized. Small base models asked to rewrite copy the
    passage back verbatim (bench/rewrite_eval.py: 82% of the time with the default frame); this lets them reuse
    words and short phrases but not run along the original."""

    def __init__(self, source: list[int], prompt_len: int, penalty: float, n: int) -> None:
        self.prompt_len = prompt_len
        self.penalty = penalty
        self.n = max(1, n)
        self.follow: dict[tuple[int, ...], set[int]] = {}
        for i in range(len(source) - self.n):
            self.follow.setdefault(tuple(source[i:i + self.n]), set()).add(source[i + self.n])

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        if len(input_ids) - self.prompt_len >= self.n:
            for t in self.follow.get(tuple(int(x) for x in input_ids[-self.n:]), ()):
                scores[t] -= self.penalty
        return scores


class LlamaEngine:
    """One model, one owner thread, one job at a time (see the module docstring)."""

    def __init__(self, *, state_dir: Path | None = None, cache_dir: Path | None = None,
                 state_memory_bytes: int = 256 << 20, state_disk_bytes: int = 1 << 30) -> None:
        self._state_dir = Path(state_dir) if state_dir is not None else None
        self._cache_dir = Path(cache_dir) if cache_dir is not None else self._state_dir
        self._states = StateCache(self._state_dir, memory_bytes=state_memory_bytes, disk_bytes=state_disk_bytes)
        self._facts: Any = None  # form_steer.TokenFacts of the loaded model, built on first use
        self._vocab_facts: Any = None  # guard.VocabFacts of the loaded model, built on first use
        self._llama: Any = None
        self._info: ModelInfo | None = None
        self._n_ctx = 0
        self._threads = (1, 1)
        self._default_threads = (1, 1)
        self._adaptive_threads = True
        self._contention = CpuContention()
        self._chat_formatter: Any = None
        self._fim: tuple[int, int, int] | None = None
        self._bos: tuple[int, ...] = ()
        self._model_identity = ""
        self._context_signature = ""
        self._owner: _Owner | None = None
        self._job = threading.Lock()  # held while a stream is running
        self._cancel: threading.Event | None = None  # the running job's
        self._abort_cb: Any = None  # the ctypes callback; referenced for as long as llama.cpp may call it
        self._abort_flag: Any = None  # the current job's flag byte for the native abort check

    # ------------------------------------------------------------------------------------------- lifecycle

    @property
    def info(self) -> ModelInfo | None:
        return self._info

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
            with _model_params(llama_c, use_extra_bufts=extra_ok), _deferred_chat_templates(), _quiet_prints():
                llama = llama_cpp.Llama(
                    model_path=str(path), n_ctx=n_ctx, n_batch=N_BATCH, n_ubatch=N_BATCH,
                    n_threads=gen_threads, n_threads_batch=batch_threads, n_gpu_layers=settings.n_gpu_layers,
                    # verbose=True only stops llama-cpp-python from redirecting fds 1 and 2 (process-wide!) while
                    # loading; its prints are caught by _quiet_prints and llama.cpp's log goes to our router.
                    verbose=True,
                )
        except Exception as exc:  # noqa: BLE001 - ValueError, RuntimeError, a Jinja TemplateError...
            problems = router.problems_since(mark, errors_only=True) or router.problems_since(mark)
            raise ModelLoadError(f"Could not load the model {path.name}: {_load_reason(exc, problems)}.",
                                 hint="The file may be damaged or need a newer llama.cpp.") from exc
        llama.verbose = False  # from now on: no prints from generate()
        self._llama = llama
        self._info = info
        self._n_ctx = llama.n_ctx()
        self._threads = self._default_threads = (gen_threads, batch_threads)
        bos = llama.token_bos()
        self._bos = (bos,) if bos >= 0 and llama_c.llama_vocab_get_add_bos(llama._model.vocab) else ()
        self._fim = self._fim_tokens(llama, llama_c) if info.has_fim else None
        self._chat_formatter = self._make_chat_template(llama, path.name) if info.has_chat_template else None
        st = path.stat()
        self._model_identity = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"
        self._context_signature = (f"llama-cpp-python={llama_cpp.__version__};n_ctx={self._n_ctx};"
                                   f"swa_full={int(llama.context_params.swa_full)};"
                                   f"type_k={llama.context_params.type_k};type_v={llama.context_params.type_v}")
        self._abort_cb = _native_flag_check(llama_cpp) or llama_cpp.ggml_abort_callback(self._should_abort)
        log.info("Loaded %s (%s, %s, n_ctx=%d, threads %d/%d, extra buffers %s) in %.2fs", path.name,
                 info.architecture, info.quantization, self._n_ctx, gen_threads, batch_threads,
                 "on" if extra_ok else "off", time.perf_counter() - started)
        return info

    def close(self) -> None:
        """Save the live draft state, free the model. Safe to call twice; waits for a running job to stop."""
        if self._llama is None:
            return
        if not self._job.acquire(blocking=False):
            if self._cancel is not None:
                self._cancel.set()
            if not self._job.acquire(timeout=30):
                log.error("A generation did not stop within 30 s; closing the model anyway")
                return
        try:
            with contextlib.suppress(Exception):
                self._save_live_state()
            llama, self._llama = self._llama, None
            try:
                import llama_cpp.llama_cpp as llama_c

                llama_c.llama_set_abort_callback(llama.ctx, llama_c.ggml_abort_callback(), None)
            except Exception:  # noqa: BLE001
                pass
            llama.close()
            self._states.clear_memory()
            self._owner = None
            self._chat_formatter = None
            self._facts = None
            self._vocab_facts = None
        finally:
            self._job.release()

    def __enter__(self) -> LlamaEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------------------------------- public work

    def tokenize(self, text: str, *, special: bool = False) -> list[int]:
        self._require()
        return list(self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=special))

    def preview(self, request: GenerationRequest) -> PromptPreview:
        """What the model would be given for ``request`` (for the context view). Generates nothing."""
        self._require()
        try:
            plan = self._plan(request)
        except ContextOverflowError as exc:
            return PromptPreview(prompt_text="", prompt_tokens=0, trimmed_chars=0, trimmed_preview="", fits=False,
                                 n_ctx=self._n_ctx, message=str(exc))
        return plan_preview(plan, self._n_ctx)

    def stream(self, request: GenerationRequest, cancel: threading.Event) -> Iterator[GenerationEvent]:
        """Run ``request``: PromptProgress while a long prompt is read, TextDelta pieces (whole characters),
        then Finished per alternative (index 0..n-1, one after another). Errors: GenerationError (including
        ContextOverflowError) with a readable message. After a cancel, later alternatives are skipped."""
        # A generator: nothing (not even the busy check) happens before the first next(), so an abandoned,
        # never-started stream cannot leave the engine locked.
        self._require()
        if not self._job.acquire(blocking=False):
            raise GenerationError("The model is still busy with another generation.",
                                  hint="Wait for it to finish or press Stop.")
        self._cancel = cancel
        router = log_router()
        router.abort_expected = cancel.is_set
        job_done = self._arm_abort(cancel)
        try:
            yield from self._run(request, cancel)
        finally:
            job_done.set()
            router.abort_expected = None
            self._cancel = None
            self._job.release()

    def flush_state(self) -> None:
        """Save the live draft state to the state cache now (close() does this too)."""
        if self._llama is not None and self._job.acquire(blocking=False):
            try:
                self._save_live_state()
            finally:
                self._job.release()

    # ------------------------------------------------------------------------------------------- internals

    def _require(self) -> None:
        if self._llama is None:
            raise GenerationError("No model is loaded.", hint="Load a model first.")

    def _should_abort(self, _data: Any) -> bool:
        # Fallback when no native flag check is available: called by llama.cpp between graph nodes, with the GIL.
        cancel = self._cancel
        return bool(cancel is not None and cancel.is_set())

    def _arm_abort(self, cancel: threading.Event) -> threading.Event:
        """Connect this job's cancel to llama.cpp's abort check; returns an Event to set when the job ends.

        llama.cpp calls the abort callback after every graph node (hundreds per token) on its compute thread. A
        Python callback must take the GIL each time: with a second Python thread busy (the UI) and two compute
        threads, generation fell from 39 to 1.6 tokens/s (bench: engine_bench.py --threads). So the callback is a
        native function reading one byte (see _native_flag_check), and a small watcher thread copies the cancel
        Event into that byte the moment it is set. Each job gets a fresh byte, so a watcher that outlives its job
        can never stop the next one.
        """
        import llama_cpp.llama_cpp as llama_c

        done = threading.Event()
        if not getattr(self._abort_cb, "native", False):
            llama_c.llama_set_abort_callback(self._llama.ctx, self._abort_cb, None)
            return done
        flag = ctypes.create_string_buffer(2)
        self._abort_flag = flag
        llama_c.llama_set_abort_callback(self._llama.ctx, self._abort_cb, ctypes.cast(flag, ctypes.c_void_p))

        def watch() -> None:
            while not done.is_set():
                if cancel.wait(0.05):
                    if not done.is_set():
                        flag[0] = b"\x01"
                    return

        threading.Thread(target=watch, name="studio-engine-stop-watch", daemon=True).start()
        return done

    def _plan(self, request: GenerationRequest) -> PromptPlan:
        llama = self._llama

        def tokenize(text: str, special: bool) -> list[int]:
            return list(llama.tokenize(text.encode("utf-8"), add_bos=False, special=special))

        chat = self._render_chat if (self._chat_formatter is not None and request.action is Action.REWRITE) else None
        traits = ModelTraits(n_ctx=self._n_ctx, bos=self._bos, chat=chat, fim=self._fim)
        return build_prompt(request, traits, tokenize)

    def _render_chat(self, messages: list[dict[str, str]]) -> str:
        from studio.engine.chat_template import ChatTemplateError

        try:
            return str(self._chat_formatter.render(messages))
        except ChatTemplateError as exc:
            raise GenerationError(f"The model's chat template failed: {exc}.",
                                  hint="Pick another model for rewrites.") from exc

    def _adapt_threads(self) -> None:
        """Give llama.cpp only the cores other processes leave free (see hardware.CpuContention)."""
        if not self._adaptive_threads:
            return
        wanted = threads_for(self._contention.others_cores(), self._default_threads)
        if wanted != self._threads:
            import llama_cpp.llama_cpp as llama_c

            llama_c.llama_set_n_threads(self._llama.ctx, wanted[0], wanted[1])
            log.debug("Threads for this job: %d generating, %d reading (were %d/%d)", *wanted, *self._threads)
            self._threads = wanted

    def _run(self, request: GenerationRequest, cancel: threading.Event) -> Iterator[GenerationEvent]:
        plan = self._plan(request)
        self._adapt_threads()
        self._switch_owner(request, plan.tokens)
        n = max(1, int(request.n_alternatives))
        base_seed = request.seed if request.seed is not None else random.randrange(1 << 31)
        for index in range(n):
            seed = (base_seed + index) & 0x7FFFFFFF
            yield from self._run_one(plan, index, seed, cancel)
            if cancel.is_set():
                break

    def _processors(self, plan: PromptPlan, n_prompt: int) -> list[Any]:
        """The logits processors for one generation. The guard comes last, so nothing before it (the steering,
        the anti-copy penalty, a future one) can bring back a token it bans."""
        from studio.engine.guard import CopyRuns, OutputGuard

        llama = self._llama
        processors: list[Any] = []
        if plan.source_tokens and ANTI_COPY_PENALTY > 0:
            processors.append(_AntiCopy(plan.source_tokens, n_prompt, ANTI_COPY_PENALTY, ANTI_COPY_NGRAM))
        if plan.line_plan is not None:
            from studio.engine.form_steer import LineSteer

            processors.append(LineSteer(plan.line_plan, self._token_facts(), n_prompt,
                                        lambda ids: llama.detokenize(ids).decode("utf-8", errors="ignore")))

        def piece(token: int) -> str:
            return llama.detokenize([token]).decode("utf-8", errors="ignore")

        copies = CopyRuns(plan.exemplars)
        scripts = set(plan.scripts) if plan.scripts else None
        processors.append(OutputGuard(self._guard_facts(), n_prompt, scripts=scripts,
                                      han_variant=plan.han_variant, no_break_line=plan.no_break_line,
                                      copies=copies, piece=piece,
                                      decode=lambda ids: llama.detokenize(ids).decode("utf-8", errors="ignore")))
        return processors

    def _guard_facts(self) -> Any:
        """Per-token facts for the output guard, once per model: from the per-machine cache when this model file
        was seen before (tens of milliseconds), else computed (about 2 s for Gemma's 262k tokens) and cached."""
        if self._vocab_facts is None:
            import hashlib

            import llama_cpp

            from studio.engine.guard import VocabFacts, vocab_facts_for

            llama = self._llama
            t0 = time.perf_counter()
            key = hashlib.sha256(f"guard-v5|{self._model_identity}".encode()).hexdigest()[:32]
            cached = self._cache_dir / "vocab-facts" / f"{key}.npz" if self._cache_dir is not None else None
            if cached is not None and cached.is_file():
                try:
                    with np.load(cached) as data:
                        self._vocab_facts = VocabFacts.from_arrays(dict(data))
                except Exception as exc:  # noqa: BLE001 - a damaged cache file is just recomputed
                    log.warning("Ignoring a damaged vocabulary cache %s: %s", cached, exc)
            if self._vocab_facts is None:
                vocab = llama._model.vocab
                self._vocab_facts = vocab_facts_for(
                    lambda i: llama.detokenize([i], special=True),
                    lambda i: llama_cpp.llama_vocab_get_attr(vocab, i),
                    llama.n_vocab(), lambda i: bool(llama_cpp.llama_vocab_is_eog(vocab, i)))
                if cached is not None:
                    try:
                        cached.parent.mkdir(parents=True, exist_ok=True)
                        tmp = cached.with_name(cached.stem + f".{os.getpid()}.tmp.npz")
                        np.savez(tmp, **self._vocab_facts.to_arrays())
                        os.replace(tmp, cached)
                    except OSError as exc:
                        log.warning("Could not cache the vocabulary facts in %s: %s", cached.parent, exc)
            log.info("token facts for the output guard: %.2f s", time.perf_counter() - t0)
        return self._vocab_facts

    def _token_facts(self) -> Any:
        """Per-token facts for line steering, computed once per loaded model (about a second for 262k tokens)."""
        if self._facts is None:
            from studio.engine.form_steer import token_facts_for

            llama = self._llama
            t0 = time.perf_counter()
            import llama_cpp

            vocab = llama._model.vocab
            self._facts = token_facts_for(lambda i: llama.detokenize([i]), llama.n_vocab(),
                                          lambda i: bool(llama_cpp.llama_vocab_is_eog(vocab, i)))
            log.info("token facts for line steering: %.2f s", time.perf_counter() - t0)
        return self._facts

    def _run_one(self, plan: PromptPlan, index: int, seed: int, cancel: threading.Event) -> Iterator[GenerationEvent]:
        import llama_cpp
        from llama_cpp import LogitsProcessorList, StoppingCriteriaList

        llama = self._llama
        tokens = plan.tokens
        started = time.perf_counter()
        if not tokens:
            raise GenerationError("There is no text to continue from.", hint="Write a few words first.")
        if len(tokens) >= self._n_ctx:
            raise ContextOverflowError(f"The prompt ({len(tokens):,} tokens) does not fit the context "
                                       f"({self._n_ctx:,} tokens).", fits_tokens=self._n_ctx - 1)
        max_tokens = max(1, min(plan.max_tokens, self._n_ctx - len(tokens) - 1))
        if self._owner is not None:
            self._owner.dirty = True
        cached = self._common_prefix(tokens)

        def stats(reason: StopReason, generated: int = 0, ttft: float = 0.0, first_at: float = 0.0) -> GenerationStats:
            end = time.perf_counter()
            tps = (generated - 1) / (end - first_at) if generated > 1 and end > first_at else 0.0
            return GenerationStats(prompt_tokens=len(tokens), cached_tokens=cached, generated_tokens=generated,
                                   ttft_s=round(ttft, 4), total_s=round(end - started, 4), tokens_per_s=round(tps, 2),
                                   stop_reason=reason, trimmed_chars=plan.trimmed_chars,
                                   trimmed_preview=plan.trimmed_preview, seed=seed,
                                   model=self._info.path.name if self._info else "")

        # 1. Read the prompt (all but its last token: generate() decodes that one to get fresh logits).
        try:
            for progress in self._prefill(tokens, cached, cancel):
                yield PromptProgress(progress, len(tokens), index)
        except _Cancelled:
            yield Finished("", stats(StopReason.CANCELLED), index)
            return
        except RuntimeError as exc:
            if cancel.is_set():
                yield Finished("", stats(StopReason.CANCELLED), index)
                return
            self._recover()
            raise GenerationError(f"The model could not read the prompt ({exc}).") from exc

        # 2. Sample.
        out = OutputStream(stops=tuple(plan.stops), leading=plan.leading, trim_trailing=plan.trim_trailing,
                           prefix=plan.prefix, suffix=plan.suffix, max_lines=plan.max_lines)
        s = plan.sampler
        llama.set_seed(seed)
        processors = LogitsProcessorList(self._processors(plan, len(tokens)))
        vocab = llama._model.vocab
        reason = StopReason.LENGTH
        generated = 0
        ttft = first_at = 0.0
        gen = llama.generate(
            tokens, top_k=s.top_k, top_p=s.top_p, min_p=s.min_p, temp=s.temperature, repeat_penalty=s.repeat_penalty,
            stopping_criteria=StoppingCriteriaList([lambda _ids, _logits: cancel.is_set()]),
            logits_processor=processors,
        )
        try:
            finished_by_loop = False
            for token in gen:
                if generated == 0:
                    first_at = time.perf_counter()
                    ttft = first_at - started
                if llama_cpp.llama_vocab_is_eog(vocab, token):
                    reason = StopReason.STOP
                    break
                generated += 1
                piece = out.feed(llama.detokenize([token]))
                if piece:
                    yield TextDelta(piece, index)
                if out.done:
                    reason = StopReason.FORM if out.stopped_by == "form" else StopReason.STOP
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
                raise GenerationError(f"The model failed while writing ({exc}).") from exc
            reason = StopReason.CANCELLED
        finally:
            gen.close()
        tail = out.finish()
        if tail:
            yield TextDelta(tail, index)
        yield Finished(out.text, stats(reason, generated, ttft, first_at), index)

    def _prefill(self, tokens: list[int], cached: int, cancel: threading.Event) -> Iterator[int]:
        llama = self._llama
        target = len(tokens) - 1
        if cached >= target:
            return
        if cached < llama.n_tokens and (getattr(llama, "_is_recurrent", False) or getattr(llama, "_is_hybrid", False)):
            llama.reset()  # recurrent state cannot be cut back to a prefix
            cached = 0
        llama.n_tokens = cached  # eval() removes everything after n_tokens from the KV cache first
        pos = cached
        report = target - cached > N_BATCH // 4
        if report:
            yield pos
        while pos < target:
            if cancel.is_set():
                raise _Cancelled
            end = min(target, pos + N_BATCH)
            llama.eval(tokens[pos:end])
            pos = end
            if report:
                yield pos

    def _common_prefix(self, tokens: list[int]) -> int:
        llama = self._llama
        return _common_prefix(llama.input_ids[: llama.n_tokens], tokens)

    def _recover(self) -> None:
        """After an unexpected llama.cpp failure: forget the KV cache so the next job starts clean."""
        with contextlib.suppress(Exception):
            self._llama.reset()
            self._llama._ctx.kv_cache_clear()
        if self._owner is not None:
            self._owner.dirty = False

    # ------------------------------------------------------------------------------------------- draft states

    def _state_key(self, request: GenerationRequest) -> str | None:
        # Only Continue states are kept: a Rewrite's prompt changes with every selection, so its KV cache is
        # rarely worth a restore; switching to a Rewrite saves the draft's Continue state, and the next Continue
        # restores it.
        if not request.draft_key or request.action is not Action.CONTINUE:
            return None
        return StateCache.make_key(self._model_identity, self._context_signature, f"{request.draft_key}|continue")

    def _switch_owner(self, request: GenerationRequest, tokens: list[int]) -> None:
        key = self._state_key(request)
        owner_changed = self._owner is None or self._owner.key != key
        if owner_changed:
            self._save_live_state()
            self._owner = _Owner(key) if key else None
        if key is None:
            return
        live = self._common_prefix(tokens)
        if not owner_changed and live >= len(tokens) // 2:
            return
        saved = self._states.peek_tokens(key)
        if saved is None or _common_prefix(saved, tokens) < live + _RESTORE_MIN_GAIN:
            return
        entry = self._states.get(key)
        if entry is not None:
            self._restore(entry)

    def _save_live_state(self) -> None:
        owner, llama = self._owner, self._llama
        if owner is None or llama is None or not owner.dirty or llama.n_tokens < _SNAPSHOT_MIN_TOKENS:
            return
        import llama_cpp.llama_cpp as llama_c

        started = time.perf_counter()
        size = llama_c.llama_state_seq_get_size(llama.ctx, 0)
        buf = bytearray(size)
        got = llama_c.llama_state_seq_get_data(llama.ctx, (ctypes.c_uint8 * size).from_buffer(buf), size, 0)
        if got == 0 or got > size:
            log.warning("llama.cpp returned no state for the draft; not caching it")
            return
        if got < size:
            del buf[got:]
        entry = StateEntry(owner.key, np.array(llama.input_ids[: llama.n_tokens], dtype=np.int32), buf)
        self._states.put(entry, persist=True)
        owner.dirty = False
        log.debug("Saved a draft state: %d tokens, %.1f MB, %.0f ms", len(entry.tokens), len(buf) / 1e6,
                  (time.perf_counter() - started) * 1000)

    def _restore(self, entry: StateEntry) -> None:
        import llama_cpp.llama_cpp as llama_c

        llama = self._llama
        n = len(entry.tokens)
        if n > self._n_ctx:
            self._states.discard(entry.key)
            return
        started = time.perf_counter()
        ok = llama_c.llama_state_seq_set_data(
            llama.ctx, (ctypes.c_uint8 * len(entry.state)).from_buffer(entry.state), len(entry.state), 0)
        if not ok:
            log.warning("llama.cpp refused a saved draft state; re-reading the draft instead")
            self._states.discard(entry.key)
            llama.reset()
            llama._ctx.kv_cache_clear()
            return
        llama.input_ids[:n] = entry.tokens
        llama.n_tokens = n
        llama._requires_eval = True  # restored K/V but no logits: generate() must decode before sampling
        if self._owner is not None:
            self._owner.dirty = False
        log.debug("Restored a draft state: %d tokens in %.0f ms", n, (time.perf_counter() - started) * 1000)

    # ------------------------------------------------------------------------------------------- model parts

    @staticmethod
    def _fim_tokens(llama: Any, llama_c: Any) -> tuple[int, int, int] | None:
        vocab = llama._model.vocab
        ids = (llama_c.llama_vocab_fim_pre(vocab), llama_c.llama_vocab_fim_suf(vocab),
               llama_c.llama_vocab_fim_mid(vocab))
        return ids if all(i >= 0 for i in ids) else None

    @staticmethod
    def _make_chat_template(llama: Any, name: str) -> Any:
        from studio.engine.chat_template import ChatTemplateError, GuardedChatTemplate

        template = llama.metadata.get("tokenizer.chat_template", "")
        if not template:
            return None
        eos, bos = llama.token_eos(), llama.token_bos()
        try:
            chat = GuardedChatTemplate(
                template,
                eos_token=llama._model.token_get_text(eos) if eos >= 0 else "",
                bos_token=llama._model.token_get_text(bos) if bos >= 0 else "",
            )
            chat.check()
        except ChatTemplateError as exc:
            log.warning("Not using the chat template of %s: %s. Rewrites use the base-model prompt.", name, exc)
            return None
        return chat


# ----------------------------------------------------------------------------------------------- helpers


def _common_prefix(a: Any, b: Any) -> int:
    n = min(len(a), len(b))
    if n == 0:
        return 0
    x = np.asarray(a[:n], dtype=np.int64)
    y = np.asarray(b[:n], dtype=np.int64)
    diff = np.flatnonzero(x != y)
    return int(diff[0]) if diff.size else n


@contextlib.contextmanager
def _model_params(llama_c: Any, *, use_extra_bufts: bool) -> Iterator[None]:
    """llama-cpp-python builds its model parameters from ``llama_model_default_params()`` with no way to pass
    ``use_extra_bufts``; wrap that function for the duration of one constructor call when it must be off."""
    if use_extra_bufts:
        yield
        return
    original = llama_c.llama_model_default_params

    def patched() -> Any:
        params = original()
        params.use_extra_bufts = False
        return params

    llama_c.llama_model_default_params = patched
    try:
        yield
    finally:
        llama_c.llama_model_default_params = original


@contextlib.contextmanager
def _quiet_prints() -> Iterator[None]:
    writer = _LogWriter(logging.getLogger("studio.engine.llama.python"))
    with contextlib.redirect_stdout(writer), contextlib.redirect_stderr(writer):
        yield
    writer.flush()


_NOISE = ("llama_model_load_from_file_impl: failed to load model", "failed to load model")


def _load_reason(exc: BaseException, problems: list[str]) -> str:
    """The most telling line llama.cpp logged (its errors say what was wrong), else the exception."""
    useful = [p for p in problems if not any(n in p for n in _NOISE)]
    for line in useful or problems:
        text = line.split(": ", 1)[1] if ": " in line and line.split(": ", 1)[0].replace("_", "").isalnum() else line
        text = text.removeprefix("error loading model: ").strip()
        if text:
            return text.rstrip(".")
    return str(exc).strip() or type(exc).__name__


class _DeferredChatFormatter:
    """Stands in for llama-cpp-python's Jinja2ChatFormatter while a model loads: that class compiles the GGUF's
    chat template in the constructor (an unparseable one fails the whole load) in an unguarded sandbox. Studio
    compiles and renders templates itself (chat_template.GuardedChatTemplate), so llama-cpp-python's chat
    handlers are never used."""

    def __init__(self, template: str, eos_token: str, bos_token: str, add_generation_prompt: bool = True,
                 stop_token_ids: Any = None) -> None:
        self.template = template

    def to_chat_handler(self) -> Any:
        def unavailable(*_args: Any, **_kwargs: Any) -> Any:
            raise GenerationError("Studio renders chat templates itself; create_chat_completion is not used.")

        return unavailable


@contextlib.contextmanager
def _deferred_chat_templates() -> Iterator[None]:
    import llama_cpp.llama_chat_format as chat_format

    original = chat_format.Jinja2ChatFormatter
    chat_format.Jinja2ChatFormatter = _DeferredChatFormatter  # type: ignore[misc,assignment]
    try:
        yield
    finally:
        chat_format.Jinja2ChatFormatter = original  # type: ignore[misc]


def _native_flag_check(llama_cpp: Any) -> Any:
    """An abort callback that needs no Python: the C library's ``strlen``. Given a two-byte buffer it returns 0
    while the first byte is 0 and 1 once it is set, and the low byte of its return register is what the caller
    reads as ``bool`` on the x86-64 and arm64 ABIs. Returns None where libc cannot be found."""
    try:
        libc = ctypes.cdll.msvcrt if sys.platform == "win32" else ctypes.CDLL(None)
        address = ctypes.cast(libc.strlen, ctypes.c_void_p).value
    except (OSError, AttributeError):
        return None
    if not address:
        return None
    callback = llama_cpp.ggml_abort_callback(address)
    callback.native = True  # type: ignore[attr-defined]
    return callback
