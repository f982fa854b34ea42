"""The remote engine: the same ``Engine`` as the in-process one, generating on a llama.cpp ``llama-server``.

Studio keeps the drafts; only the prompt leaves the machine. What it speaks (llama-server's own API, not the
OpenAI-compatible one, because only the native one has ``cache_prompt``, ``id_slot`` and token-list prompts):

* ``GET /v1/models`` (reachable? the key accepted? the model's size and trained context) and ``GET /props``
  (the slot's context size, the chat template, the number of slots), once at ``load``: ``capabilities``.
* ``POST /tokenize`` for every count, so budgets are the server's exact tokens, and the prompt is sent as the
  token list that was budgeted (no second tokenization on the server that could differ at a seam).
* ``POST /apply-template`` renders rewrites through the model's chat template on the server.
* ``POST /completion`` with ``stream``, ``return_progress``, ``cache_prompt``, ``n_predict``, ``seed`` and, when
  the server has more than one slot, ``id_slot`` per draft (least recently used draft gives its slot up), so
  going back to a draft does not re-read it (on models with sliding-window attention, e.g. Gemma 3, only when
  the server runs with ``--swa-full``; else it re-reads the few tokens after its last context checkpoint).

Stop: the stream's socket is shut down (from a small watcher thread too, so Stop works while the server is still
reading a long prompt and sends nothing); llama-server sees the disconnect and frees the slot.

The output guard (guard.py) is a logits processor and cannot run on a server. What is enforced remotely: the
special tokens (markers from a known list and from the chat template that the vocabulary has as single special
tokens, end-of-generation ones excepted) are banned with ``logit_bias``. NOT enforced remotely: foreign-script
bans, the frame's break line, exemplar-copy bans, the anti-copy penalty for rewrites and poetry line steering.
Stop sequences, leading spaces and line counts are applied here to the streamed text, as locally.

Errors are readable and name the server: ModelLoadError from ``load``, GenerationError from ``stream``. A server
that dies mid-stream keeps the text streamed so far: a ``Finished`` marked cancelled (partial), then the error.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import httpx
import httpx_sse

from studio.domain import (
    Action,
    ContextOverflowError,
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
    TextDelta,
)
from studio.engine.prompts import ModelTraits, PromptPlan, build_prompt, plan_preview
from studio.engine.remote_support import (
    CONNECT_TIMEOUT_S,
    IDLE_TIMEOUT_S,
    ServerFacts,
    ServerFailure,
    describe_failure,
    normalize_url,
    special_token_ids,
    status_failure,
)
from studio.engine.textstream import OutputStream

log = logging.getLogger(__name__)


_STOP_TYPES = {"eos": StopReason.STOP, "word": StopReason.STOP, "limit": StopReason.LENGTH}


class RemoteEngine:
    """One llama-server, one owner thread, one job at a time (see the module docstring)."""

    def __init__(self, url: str, *, api_key: str | None = None, model: str | None = None,
                 connect_timeout: float = CONNECT_TIMEOUT_S, idle_timeout: float = IDLE_TIMEOUT_S,
                 verify: bool = True, chat: bool | None = None) -> None:
        self.url = normalize_url(url)
        self._api_key = api_key or None
        self._model = model or None
        self._timeout = httpx.Timeout(connect=connect_timeout, read=idle_timeout, write=idle_timeout,
                                      pool=connect_timeout)
        self._idle = idle_timeout
        self._verify = verify
        self._chat_choice = chat  # None: decided from the server's chat template
        self._client: httpx.Client | None = None
        self._info: ModelInfo | None = None
        self._facts: ServerFacts | None = None
        self._capabilities = EngineCapabilities()
        self._n_ctx = 0
        self._bos: tuple[int, ...] = ()
        self._use_chat = False
        self._slots: OrderedDict[str, int] = OrderedDict()  # draft key -> server slot, least recent first
        self._job = threading.Lock()
        self._closing = threading.Event()

    # ------------------------------------------------------------------------------------------- lifecycle

    @property
    def info(self) -> ModelInfo | None:
        return self._info

    @property
    def loaded(self) -> bool:
        return self._client is not None

    @property
    def capabilities(self) -> EngineCapabilities:
        return self._capabilities

    @property
    def facts(self) -> ServerFacts | None:
        return self._facts

    def load(self, path: Path, settings: LoadSettings | None = None) -> ModelInfo:
        """Connect to the server and probe it once. ``path`` is not sent anywhere: the server has its model (the
        constructor's ``model`` names it when the server lists several). ``settings.n_ctx`` may only shrink the
        server's context."""
        del path  # the server's model, not a local file
        settings = settings or LoadSettings()
        self.close()
        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        try:
            client = httpx.Client(base_url=self.url, headers=headers, timeout=self._timeout, verify=self._verify)
        except (httpx.HTTPError, ValueError) as exc:
            raise ModelLoadError(f"{self.url!r} is not a server address Studio can use.",
                                 hint="Use http://host:port or https://host.") from exc
        self._client = client
        try:
            self._probe(settings)
        except ServerFailure as exc:
            self._drop()
            raise ModelLoadError(exc.message, hint=exc.hint) from None
        except BaseException:
            self._drop()
            raise
        assert self._info is not None
        return self._info

    def _probe(self, settings: LoadSettings) -> None:
        models = self._get("/v1/models", "model list")
        props = self._get("/props", "properties endpoint (/props)")
        entries = models.get("data") or []
        entry = next((m for m in entries
                      if isinstance(m, dict) and (self._model is None or m.get("id") == self._model)), None)
        if entry is None:
            names = ", ".join(str(m.get("id")) for m in entries if isinstance(m, dict)) or "none"
            raise ServerFailure(f"The server {self.url} has no model {self._model!r} (it has: {names}).",
                           "Pick one of the server's models.")
        meta: dict[str, Any] = entry["meta"] if isinstance(entry.get("meta"), dict) else {}
        gen = props.get("default_generation_settings") or {}
        n_ctx_server = int(gen.get("n_ctx") or meta.get("n_ctx_train") or 0)
        if n_ctx_server <= 0:
            raise ServerFailure(f"The server {self.url} did not say its context size.",
                                "Is it a llama.cpp llama-server?")
        self._n_ctx = min(n_ctx_server, settings.n_ctx) if settings.n_ctx else n_ctx_server
        slots = max(1, int(props.get("total_slots") or 1))
        self._bos = tuple(self._tokenize("", special=False, add_special=True))
        template = str(props.get("chat_template") or "")
        own_template = bool(template.strip()) and not (
            "<|im_start|>" in template and len(self._tokenize("<|im_start|>", special=True)) != 1)
        self._use_chat = own_template if self._chat_choice is None else self._chat_choice
        model_path = str(props.get("model_path") or entry.get("id") or "")
        # The alias is the model file's path unless the server was started with --alias: show the file name.
        alias = str(props.get("model_alias") or model_path)
        name = self._model or (Path(alias).name if alias.endswith(".gguf") else alias) or "server model"
        banned = special_token_ids(template, str(props.get("eos_token") or ""),
                                   lambda text: self._tokenize(text, special=True))
        self._facts = ServerFacts(url=self.url, model=name, slots=slots, n_ctx_server=n_ctx_server, logprobs=True,
                                  banned_tokens=banned)
        self._info = ModelInfo(
            path=Path(model_path or name), name=name, architecture=str(meta.get("general.architecture") or "remote"),
            size_bytes=int(meta.get("size") or 0), parameters=int(meta["n_params"]) if meta.get("n_params") else None,
            context_length=int(meta["n_ctx_train"]) if meta.get("n_ctx_train") else None,
            has_chat_template=own_template, vocab_size=int(meta["n_vocab"]) if meta.get("n_vocab") else None,
            source=f"server {self.url}")
        self._capabilities = EngineCapabilities(
            chat_template=self._use_chat,
            logprobs=False,  # the server has n_probs (facts.logprobs); stream() does not carry them yet
            fim=False,  # /infill is not used yet
            state_save_restore=slots > 1,  # a slot per draft: switching drafts and back keeps its cache
            grammar=False,  # the server has GBNF; no request asks for it yet
            native_alternatives=False,  # one request per alternative, one after another
            n_ctx=self._n_ctx)
        log.info("Connected to %s: %s, context %d (server %d), %d slot(s), chat %s", self.url, name, self._n_ctx,
                 n_ctx_server, slots, self._use_chat)

    def close(self) -> None:
        """Disconnect. Safe to call twice; a running stream is stopped first (its socket is shut down)."""
        if self._client is None:
            return
        if not self._job.acquire(blocking=False):
            self._closing.set()
            if not self._job.acquire(timeout=30):
                log.error("A remote generation did not stop within 30 s; disconnecting anyway")
                self._drop()
                return
        try:
            self._drop()
        finally:
            self._closing.clear()
            self._job.release()

    def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                client.close()
        self._info = None
        self._facts = None
        self._capabilities = EngineCapabilities()
        self._slots.clear()

    def __enter__(self) -> RemoteEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------------------------------- HTTP

    def _require(self) -> httpx.Client:
        if self._client is None:
            raise GenerationError("No server is connected.", hint="Connect to a server first.")
        return self._client

    def _json(self, resp: httpx.Response, what: str) -> dict[str, Any]:
        if resp.status_code != 200:
            raise status_failure(resp, self.url, what)
        try:
            data = resp.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            data = None
        if not isinstance(data, dict):
            raise ServerFailure(f"The server {self.url} sent an answer Studio cannot read ({what}).",
                           "Is it a llama.cpp llama-server?")
        return data

    def _get(self, endpoint: str, what: str) -> dict[str, Any]:
        try:
            return self._json(self._require().get(endpoint), what)
        except httpx.HTTPError as exc:
            raise describe_failure(exc, self.url, self._idle) from None

    def _post(self, endpoint: str, body: dict[str, Any], what: str) -> dict[str, Any]:
        try:
            return self._json(self._require().post(endpoint, json=body), what)
        except httpx.HTTPError as exc:
            raise describe_failure(exc, self.url, self._idle) from None

    def _tokenize(self, text: str, *, special: bool, add_special: bool = False) -> list[int]:
        data = self._post("/tokenize", {"content": text, "add_special": add_special, "parse_special": special},
                          "tokenizer (/tokenize)")
        tokens = data.get("tokens")
        if not isinstance(tokens, list) or not all(isinstance(t, int) for t in tokens):
            raise ServerFailure(f"The server {self.url} sent tokens Studio cannot read.")
        return tokens

    # ------------------------------------------------------------------------------------------- public work

    def tokenize(self, text: str, *, special: bool = False) -> list[int]:
        self._require()
        try:
            return self._tokenize(text, special=special)
        except ServerFailure as exc:
            raise GenerationError(exc.message, hint=exc.hint) from None

    def count_tokens(self, text: str) -> int:
        return len(self.tokenize(text))

    def preview(self, request: GenerationRequest) -> PromptPreview:
        self._require()
        try:
            plan = self._plan(request)
        except ContextOverflowError as exc:
            return PromptPreview(prompt_text="", prompt_tokens=0, trimmed_chars=0, trimmed_preview="", fits=False,
                                 n_ctx=self._n_ctx, message=str(exc))
        return plan_preview(plan, self._n_ctx)

    def stream(self, request: GenerationRequest, cancel: threading.Event) -> Generator[GenerationEvent, None, None]:
        """As LlamaEngine.stream, over HTTP. Nothing happens before the first next()."""
        self._require()
        if not self._job.acquire(blocking=False):
            raise GenerationError("The server is still busy with another generation from Studio.",
                                  hint="Wait for it to finish or press Stop.")
        try:
            plan = self._plan(request)
            n = max(1, int(request.n_alternatives))
            base_seed = request.seed if request.seed is not None else random.randrange(1 << 31)
            slot = self._slot_for(request.draft_key)
            for index in range(n):
                yield from self._run_one(plan, index, (base_seed + index) & 0x7FFFFFFF, slot, cancel)
                if cancel.is_set() or self._closing.is_set():
                    break
        finally:
            self._job.release()

    # ------------------------------------------------------------------------------------------- internals

    def _plan(self, request: GenerationRequest) -> PromptPlan:
        def tokenize(text: str, special: bool) -> list[int]:
            return self._tokenize(text, special=special)

        chat = self._render_chat if (self._use_chat and request.action is Action.REWRITE) else None
        traits = ModelTraits(n_ctx=self._n_ctx, bos=self._bos, chat=chat, fim=None)
        try:
            return build_prompt(request, traits, tokenize)
        except ServerFailure as exc:
            raise GenerationError(exc.message, hint=exc.hint) from None

    def _render_chat(self, messages: list[dict[str, str]]) -> str:
        prompt = self._post("/apply-template", {"messages": messages}, "chat template (/apply-template)").get("prompt")
        if not isinstance(prompt, str):
            raise ServerFailure(f"The server {self.url} did not render the chat template.", "Pick another model.")
        return prompt

    def _slot_for(self, draft_key: str | None) -> int:
        """The draft's slot (-1: the server picks). Least recently used drafts give their slot up."""
        slots = self._facts.slots if self._facts else 1
        if slots < 2 or not draft_key:
            return -1
        if draft_key in self._slots:
            self._slots.move_to_end(draft_key)
            return self._slots[draft_key]
        used = set(self._slots.values())
        free = next((s for s in range(slots) if s not in used), None)
        if free is None:
            _, free = self._slots.popitem(last=False)
        self._slots[draft_key] = free
        return free

    def _body(self, plan: PromptPlan, max_tokens: int, seed: int, slot: int) -> dict[str, Any]:
        s = plan.sampler
        body: dict[str, Any] = {
            "prompt": plan.tokens, "stream": True, "cache_prompt": True, "n_predict": max_tokens, "seed": seed,
            "temperature": s.temperature, "top_k": s.top_k, "top_p": s.top_p, "min_p": s.min_p,
            "repeat_penalty": s.repeat_penalty, "id_slot": slot,
            # Progress chunks while a long prompt is read: PromptProgress for the window, bytes that keep the idle
            # timeout from firing on a slow server, and writes that let the server notice a Stop between batches.
            "return_progress": True,
        }
        if self._facts and self._facts.banned_tokens:
            body["logit_bias"] = [[t, False] for t in self._facts.banned_tokens]
        return body

    def _run_one(self, plan: PromptPlan, index: int, seed: int, slot: int,
                 cancel: threading.Event) -> Iterator[GenerationEvent]:
        client = self._require()
        tokens = plan.tokens
        started = time.perf_counter()
        if not tokens:
            raise GenerationError("There is no text to continue from.", hint="Write a few words first.")
        if len(tokens) >= self._n_ctx:
            raise ContextOverflowError(f"The prompt ({len(tokens):,} tokens) does not fit the context "
                                       f"({self._n_ctx:,} tokens).", fits_tokens=self._n_ctx - 1)
        max_tokens = max(1, min(plan.max_tokens, self._n_ctx - len(tokens) - 1))
        generated = 0
        evaluated: int | None = None
        ttft = first_at = 0.0

        def stats(reason: StopReason) -> GenerationStats:
            end = time.perf_counter()
            tps = (generated - 1) / (end - first_at) if generated > 1 and end > first_at else 0.0
            cached = len(tokens) - evaluated if evaluated is not None else 0
            return GenerationStats(prompt_tokens=len(tokens), cached_tokens=max(0, cached), generated_tokens=generated,
                                   ttft_s=round(ttft, 4), total_s=round(end - started, 4), tokens_per_s=round(tps, 2),
                                   stop_reason=reason, trimmed_chars=plan.trimmed_chars,
                                   trimmed_preview=plan.trimmed_preview, seed=seed,
                                   model=self._facts.model if self._facts else "")

        if cancel.is_set():
            yield Finished("", stats(StopReason.CANCELLED), index)
            return
        out = OutputStream(stops=tuple(plan.stops), leading=plan.leading, trim_trailing=plan.trim_trailing,
                           prefix=plan.prefix, suffix=plan.suffix, max_lines=plan.max_lines)
        reason = StopReason.LENGTH
        failure: ServerFailure | None = None
        watching = threading.Event()
        try:
            with httpx_sse.connect_sse(client, "POST", "/completion",
                                       json=self._body(plan, max_tokens, seed, slot)) as source:
                resp = source.response
                if resp.status_code != 200:
                    resp.read()
                    raise status_failure(resp, self.url, "completion endpoint (/completion)")
                watcher = threading.Thread(target=self._watch, args=(resp, cancel, watching), daemon=True,
                                           name="remote-stop")
                watcher.start()
                finished = False
                for event in source.iter_sse():
                    if cancel.is_set() or self._closing.is_set():
                        reason = StopReason.CANCELLED
                        break
                    if event.data.strip() == "[DONE]":
                        finished = True
                        break
                    chunk = self._chunk(event.data)
                    progress = chunk.get("prompt_progress")
                    if isinstance(progress, dict) and not chunk.get("content") and not chunk.get("stop"):
                        total = int(progress.get("total") or 0)
                        done = int(progress.get("cache") or 0) + int(progress.get("processed") or 0)
                        if total > 0:
                            yield PromptProgress(max(0, min(done, total)), total, index)
                        continue
                    if generated == 0 and (chunk.get("content") or chunk.get("stop")):
                        first_at = time.perf_counter()
                        ttft = first_at - started
                    generated = int(chunk.get("tokens_predicted") or generated + bool(chunk.get("content")))
                    piece = out.feed(str(chunk.get("content") or "").encode("utf-8"))
                    if piece:
                        yield TextDelta(piece, index)
                    if out.done:
                        reason = StopReason.FORM if out.stopped_by == "form" else StopReason.STOP
                        finished = True
                        break
                    if chunk.get("stop"):
                        timings = chunk.get("timings") or {}
                        if isinstance(timings.get("prompt_n"), int):
                            evaluated = int(timings["prompt_n"])
                        reason = _STOP_TYPES.get(str(chunk.get("stop_type")), StopReason.STOP)
                        finished = True
                        break
                if not finished and reason is not StopReason.CANCELLED:
                    if cancel.is_set() or self._closing.is_set():
                        reason = StopReason.CANCELLED
                    else:
                        failure = ServerFailure(f"The server {self.url} ended the stream before the text was finished.",
                                           "It may have stopped or crashed; check the server.")
        except ServerFailure as exc:
            failure = exc
        except httpx_sse.SSEError:
            failure = ServerFailure(f"The server {self.url} did not send a text stream.",
                                    "Is it a llama.cpp llama-server?")
        except httpx.HTTPError as exc:
            if cancel.is_set() or self._closing.is_set():
                reason = StopReason.CANCELLED
            else:
                failure = describe_failure(exc, self.url, self._idle)
        finally:
            watching.set()
        if failure is not None and not out.text and generated == 0:
            raise GenerationError(failure.message, hint=failure.hint)
        tail = out.finish()
        if tail:
            yield TextDelta(tail, index)
        if failure is not None:
            # The text so far stays a proposal (partial); then the one readable error.
            yield Finished(out.text, stats(StopReason.CANCELLED), index)
            raise GenerationError(failure.message + " The text written so far was kept.", hint=failure.hint)
        yield Finished(out.text, stats(reason), index)

    def _chunk(self, data: str) -> dict[str, Any]:
        try:
            chunk = json.loads(data)
        except json.JSONDecodeError:
            chunk = None
        if not isinstance(chunk, dict):
            raise ServerFailure(f"The server {self.url} sent a stream Studio cannot read.",
                           "Is it a llama.cpp llama-server?")
        if "error" in chunk:
            err = chunk["error"]
            detail = str(err.get("message", "") if isinstance(err, dict) else err)[:200]
            raise ServerFailure(f"The server {self.url} reported an error while writing: {detail}.",
                                "Check the server.")
        return chunk

    def _watch(self, resp: httpx.Response, cancel: threading.Event, done: threading.Event) -> None:
        """Stop while the reading thread waits for the server (a long prompt, a slow token): shut the socket down,
        which wakes the read and tells the server the client is gone."""
        while not done.wait(0.02):
            if cancel.is_set() or self._closing.is_set():
                stream = resp.extensions.get("network_stream")
                sock = stream.get_extra_info("socket") if stream is not None else None
                if isinstance(sock, socket.socket):
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)
                return


def remote_engine_factory(url: str, *, api_key: str | None = None,
                          model: str | None = None) -> Callable[[], RemoteEngine]:
    """An EngineFactory (studio/engine/base.py) for a server: a new, unconnected RemoteEngine per load."""

    def make() -> RemoteEngine:
        return RemoteEngine(url, api_key=api_key, model=model)

    return make


__all__ = ["RemoteEngine", "ServerFacts", "normalize_url", "remote_engine_factory"]
