"""The remote engine: the same ``Engine`` as the in-process one, generating on a llama.cpp ``llama-server``.

Studio keeps the drafts; only the prompt leaves the machine. What it speaks (llama-server's own API, not the
OpenAI-compatible one, because only the native one has ``cache_prompt``, ``id_slot`` and token-list prompts):

* ``GET /v1/models`` (reachable? the key accepted? the model's size and trained context), ``GET /props`` (the
  slot's context size, the chat template, the number of slots) and ``POST /slots/0?action=<unknown>`` (501: no
  ``--slot-save-path``), once at ``load``: ``capabilities``.
* ``POST /tokenize`` for every count, so budgets are the server's exact tokens, and the prompt is sent as the
  token list that was budgeted (no second tokenization on the server that could differ at a seam).
* ``POST /apply-template`` renders rewrites through the model's chat template on the server.
* ``POST /completion`` with ``stream``, ``return_progress``, ``cache_prompt``, ``n_predict``, ``seed``, ``id_slot``
  per draft (remote_slots: least recently used draft gives its slot up), so going back to a draft does not re-read
  it (on models with sliding-window attention, e.g. Gemma 3, only when the server runs with ``--swa-full``; else it
  re-reads the few tokens after its last context checkpoint), and a GBNF ``grammar`` for form-held Chinese verse
  (remote_request). A Continue with text after the cursor, on a model with fill-in-the-middle tokens (found on the
  server's tokenizer: remote_support.fim_token_ids), is the local engine's FIM prompt, token for token; ``/infill``
  is not used because it would rebuild the prompt from text with the server's own trimming.
* ``POST /slots/N?action=save|restore`` when the server has ``--slot-save-path``: a draft's slot is saved when it
  is given up and when the engine closes, and restored before the draft's next request (a draft's cache survives
  a server restart).

Stop: the stream's socket is shut down (from a small watcher thread too, so Stop works while the server is still
reading a long prompt and sends nothing); llama-server sees the disconnect and frees the slot. But llama-server
only looks at a cancel between two of its batches (2,048 prompt tokens by default: seconds on a CPU), so a long
prompt the server does not have yet is sent in chunks of about ``PREFILL_CHUNK_S`` of the server's measured prompt
speed (``n_predict`` 0: read, do not write), and the streamed request reads only the last chunk: the server stops
within one chunk of a Stop. Chunks start after what the slot holds by Studio's books (remote_slots: a chunk
shorter than the slot's cache would cut the cache back).

The output guard (guard.py) is a logits processor and cannot run on a server. What is enforced remotely: the
special tokens (markers from a known list and from the chat template that the vocabulary has as single special
tokens, end-of-generation ones excepted) are banned with ``logit_bias``, and held Chinese verse's line lengths by
grammar. NOT enforced remotely: foreign-script bans, the frame's break line, exemplar-copy bans, the anti-copy
penalty for rewrites and syllable counts of held English forms.
Stop sequences, leading spaces and line counts are applied here to the streamed text, as locally (job.py).

Errors are readable and name the server: ModelLoadError from ``load``, GenerationError from ``stream``. A server
that dies mid-stream keeps the text streamed so far: a ``Finished`` marked cancelled (partial), then the error.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any, Unpack

import httpx
import httpx_sse

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
    PromptPreview,
    PromptProgress,
    StopReason,
    TokenAlternatives,
)
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.engine import job
from studio.engine.prompts import ModelTraits, PromptPlan, build_prompt
from studio.engine.reasoning import Markers, markers_in, thinking_off
from studio.engine.remote_http import ServerClient
from studio.engine.remote_logprobs import token_items
from studio.engine.remote_request import (
    STOP_TYPES,
    chunk_progress,
    completion_body,
    prompt_evaluated,
    prompt_speed,
)
from studio.engine.remote_slots import DraftSlots
from studio.engine.remote_support import (
    ServerFacts,
    ServerFailure,
    fim_token_ids,
    normalize_url,
    served_model,
    special_token_ids,
    stream_cut,
)
from studio.engine.server_engine import ServerEngine, ServerOptions

log = logging.getLogger(__name__)

# A prompt chunk takes about this long on the server: the most a Stop waits for it. The price is smaller batches
# and a round trip per chunk: a cold 2,000-token draft took 3.62 s to first token against 3.26 s in one request
# (+11%; +27% with 0.3 s chunks, +6% with 0.6 s), on 2 cores with the default model.
PREFILL_CHUNK_S = 0.5
_FIRST_CHUNK = 128  # tokens, before the server's prompt speed is known


class RemoteEngine(ServerEngine):
    """One llama-server, one owner thread, one job at a time (see the module docstring)."""

    def __init__(self, url: str, **options: Unpack[ServerOptions]) -> None:
        super().__init__(url, **options)
        self._client: ServerClient | None = None
        self._bos: tuple[int, ...] = ()
        self._fim: tuple[int, int, int] | None = None  # the server model's fill-in-the-middle tokens
        self._reasoning: Markers | None = None  # the reasoning markers the template names
        self._slots = DraftSlots(1, saving=False, namespace="")
        self._prompt_tps: float | None = None  # the server's prompt speed, as last measured

    # ------------------------------------------------------------------------------------------- lifecycle

    @property
    def loaded(self) -> bool:
        return self._client is not None

    def _connect(self) -> None:
        self._client = ServerClient(self.url, api_key=self._api_key, timeout=self._timeout, idle_s=self._idle,
                                    verify=self._verify)

    def _probe(self, settings: LoadSettings) -> None:
        http = self._require()
        models = http.get("/v1/models", "model list")
        props = http.get("/props", "properties endpoint (/props)")
        entries = models.get("data") or []
        entry = served_model(entries, self._model, self.url)
        meta: dict[str, Any] = entry["meta"] if isinstance(entry.get("meta"), dict) else {}
        gen = props.get("default_generation_settings") or {}
        n_ctx_server = int(gen.get("n_ctx") or meta.get("n_ctx_train") or 0)
        if n_ctx_server <= 0:
            raise ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} did not say its context size."),
                                    url=self.url),
                                msg(QT_TRANSLATE_NOOP("messages", "Is it a llama.cpp llama-server?")))
        self._n_ctx = min(n_ctx_server, settings.n_ctx) if settings.n_ctx else n_ctx_server
        slots = max(1, int(props.get("total_slots") or 1))
        self._bos = tuple(self._tokenize("", special=False, add_special=True))
        self._fim = fim_token_ids(lambda text, special: self._tokenize(text, special=special))
        template = str(props.get("chat_template") or "")
        own_template = bool(template.strip()) and not (
            "<|im_start|>" in template and len(self._tokenize("<|im_start|>", special=True)) != 1)
        self._use_chat = own_template if self._chat_choice is None else self._chat_choice
        self._template = template
        self._reasoning = markers_in(template)
        model_path = str(props.get("model_path") or entry.get("id") or "")
        # The alias is the model file's path unless the server was started with --alias: show the file name.
        alias = str(props.get("model_alias") or model_path)
        name = self._model or (Path(alias).name if alias.endswith(".gguf") else alias) or "server model"
        banned = special_token_ids(template, str(props.get("eos_token") or ""),
                                   lambda text: self._tokenize(text, special=True))
        saving = http.slot_saving()
        self._slots = DraftSlots(slots, saving=saving,
                                 namespace=f"{model_path}|{meta.get('size')}|{meta.get('n_params')}")
        self._facts = ServerFacts(url=self.url, model=name, slots=slots, n_ctx_server=n_ctx_server, logprobs=True,
                                  banned_tokens=banned, slot_saving=saving)
        self._info = ModelInfo(
            path=Path(model_path or name), name=name, architecture=str(meta.get("general.architecture") or "remote"),
            size_bytes=int(meta.get("size") or 0), parameters=int(meta["n_params"]) if meta.get("n_params") else None,
            context_length=int(meta["n_ctx_train"]) if meta.get("n_ctx_train") else None,
            has_chat_template=own_template, vocab_size=int(meta["n_vocab"]) if meta.get("n_vocab") else None,
            source=f"server {self.url}")
        self._capabilities = EngineCapabilities(
            chat_template=self._use_chat,
            logprobs=True,  # n_probs on /completion: each chunk's completion_probabilities (remote_logprobs)
            # Continue with text after the cursor: the local engine's fill-in-the-middle prompt, built here as
            # tokens for /completion (/infill would rebuild it from text with the server's own budget rules).
            fim=self._fim is not None,
            # A slot per draft (switching drafts and back keeps its cache), or one slot whose drafts are swapped
            # through the server's slot files.
            state_save_restore=self._slots.per_draft,
            grammar=True,  # held Chinese verse goes as a GBNF grammar (remote_request.line_grammar)
            native_alternatives=False,  # one request per alternative, one after another
            n_ctx=self._n_ctx)
        log.info("Connected to %s: %s, context %d (server %d), %d slot(s), slot files %s, chat %s", self.url, name,
                 self._n_ctx, n_ctx_server, slots, "on" if saving else "off", self._use_chat)

    def _close_connected(self) -> None:
        # The drafts' slots are saved (when the server keeps slot files) before disconnecting.
        self._save_all()
        self._drop()

    def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()
        self._info = None
        self._facts = None
        self._fim = None
        self._capabilities = EngineCapabilities()
        self._slots.clear()

    # ------------------------------------------------------------------------------------------- HTTP

    def _require(self) -> ServerClient:
        if self._client is None:
            raise GenerationError(msg(QT_TRANSLATE_NOOP("messages", "No server is connected.")),
                                  hint=msg(QT_TRANSLATE_NOOP("messages", "Connect to a server first.")))
        return self._client

    def _tokenize(self, text: str, *, special: bool, add_special: bool = False) -> list[int]:
        return self._require().tokenize(text, special=special, add_special=add_special)

    def _slot_action(self, slot: int, action: str, draft_key: str) -> bool:
        return self._require().slot_action(slot, action, self._slots.file_name(draft_key))

    def _save_all(self) -> None:
        if self._client is None or not self._slots.saving:
            return
        for key, slot in self._slots.holding():
            if self._slot_action(slot, "save", key):
                self._slots.saved(key, slot)
            else:
                break  # the server is gone or refuses: do not wait for it once per draft

    # ------------------------------------------------------------------------------------------- public work

    def tokenize(self, text: str, *, special: bool = False) -> list[int]:
        self._require()
        try:
            return self._tokenize(text, special=special)
        except ServerFailure as exc:
            raise GenerationError(exc.message, hint=exc.hint) from None

    def preview(self, request: GenerationRequest) -> PromptPreview:
        self._require()
        return job.preview(self._plan, request, self._n_ctx)

    def stream(self, request: GenerationRequest, cancel: threading.Event) -> Generator[GenerationEvent, None, None]:
        """As LlamaEngine.stream, over HTTP. Nothing happens before the first next()."""
        self._require()
        with self._jobs.running():
            plan = self._plan(request)
            slot = self._slot_for(request.draft_key)
            for index, seed in enumerate(job.alternative_seeds(request)):
                yield from self._run_one(plan, index, seed, slot, request.draft_key, cancel,
                                         logprobs=request.logprobs)
                if self._stopped(cancel):
                    break

    # ------------------------------------------------------------------------------------------- internals

    def _plan(self, request: GenerationRequest) -> PromptPlan:
        def tokenize(text: str, special: bool) -> list[int]:
            return self._tokenize(text, special=special)

        chat = self._render_chat if (self._use_chat and request.action is not Action.CONTINUE) else None
        traits = ModelTraits(n_ctx=self._n_ctx, bos=self._bos, chat=chat, fim=self._fim)
        try:
            return build_prompt(request, traits, tokenize)
        except ServerFailure as exc:
            raise GenerationError(exc.message, hint=exc.hint) from None

    def _render_chat(self, messages: list[dict[str, str]]) -> str:
        # Thinking off where the template allows it: its enable_thinking variable (llama-server passes
        # chat_template_kwargs to the template) and "/no_think" where the template honours it.
        body = {"messages": thinking_off(messages, self._template),
                "chat_template_kwargs": {"enable_thinking": False}}
        prompt = self._require().post("/apply-template", body, "chat template (/apply-template)").get("prompt")
        if not isinstance(prompt, str):
            raise ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} did not render the chat template."),
                                    url=self.url),
                                msg(QT_TRANSLATE_NOOP("messages", "Pick another model.")))
        return prompt

    def _slot_for(self, draft_key: str | None) -> int:
        """The draft's slot (-1: the server picks), its cache saved by the draft it evicts and restored from the
        draft's own file first when the server keeps slot files."""
        pick = self._slots.pick(draft_key)
        if self._slots.saving and draft_key:
            if pick.evicted is not None and self._slot_action(pick.slot, "save", pick.evicted):
                self._slots.saved(pick.evicted, pick.slot)
            if pick.fresh:
                self._slots.restored(draft_key, pick.slot, self._slot_action(pick.slot, "restore", draft_key))
        return pick.slot

    def _chunk_tokens(self) -> int:
        if self._prompt_tps is None:
            return _FIRST_CHUNK
        return max(32, min(4096, int(self._prompt_tps * PREFILL_CHUNK_S)))

    def _measured(self, answer: dict[str, Any], tokens: list[int], draft_key: str | None) -> int:
        """Learn from a finished request: the server's prompt speed, which slot now holds ``tokens``; returns the
        prompt tokens it evaluated."""
        speed = prompt_speed(answer)
        if speed is not None:
            self._prompt_tps = speed if self._prompt_tps is None else 0.5 * (self._prompt_tps + speed)
        slot = answer.get("id_slot")
        if isinstance(slot, int):
            self._slots.used(slot, tokens, draft_key)
        return prompt_evaluated(answer) or 0

    def _prefill(self, plan: PromptPlan, slot: int, seed: int, draft_key: str | None,
                 cancel: threading.Event) -> Iterator[tuple[int, int]]:
        """Read all but the last chunk of a long prompt the server may not have, one chunk per request (see the
        module docstring). Yields (tokens read, tokens the server evaluated for it) per chunk."""
        tokens = plan.tokens
        pos = self._slots.known_prefix(slot, tokens)
        while len(tokens) - pos > self._chunk_tokens():
            end = min(len(tokens) - 1, pos + self._chunk_tokens())
            body = completion_body(plan, tokens[:end], max_tokens=0, seed=seed, slot=slot, banned=(), stream=False)
            answer = self._require().complete(body, lambda: self._stopped(cancel))
            if answer is None:
                return
            pos = end
            yield end, self._measured(answer, tokens[:end], draft_key)

    def _run_one(self, plan: PromptPlan, index: int, seed: int, slot: int, draft_key: str | None,
                 cancel: threading.Event, *, logprobs: int = 0) -> Iterator[GenerationEvent]:
        client = self._require()
        tokens = plan.tokens
        clock = job.JobClock(plan, seed, self._facts.model if self._facts else "")
        max_tokens = job.generation_room(tokens, plan.max_tokens, self._n_ctx)
        generated = 0
        written: list[int] = []  # the generated token ids, as the server reports them
        seen: list[TokenAlternatives] = []  # with logprobs: every token's alternatives, for Finished
        fresh = 0  # seen[fresh:] not yet sent with a delta
        evaluated = 0
        final_seen = False

        def stats(reason: StopReason) -> GenerationStats:
            cached = len(tokens) - evaluated if final_seen else 0
            return clock.stats(reason, generated=generated, cached=cached)

        if self._stopped(cancel):
            yield Finished("", stats(StopReason.CANCELLED), index)
            return
        try:
            for done, read in self._prefill(plan, slot, seed, draft_key, cancel):
                evaluated += read
                yield PromptProgress(done, len(tokens), index)
        except ServerFailure as exc:
            raise GenerationError(exc.message, hint=exc.hint) from None
        if self._stopped(cancel):
            yield Finished("", stats(StopReason.CANCELLED), index)
            return
        out = job.output_stream(plan)
        reason = StopReason.LENGTH
        failure: ServerFailure | None = None
        body = completion_body(plan, tokens, max_tokens=max_tokens, seed=seed, slot=slot,
                               banned=self._facts.banned_tokens if self._facts else (), reasoning=self._reasoning,
                               n_probs=logprobs)
        try:
            with client.events(body, lambda: self._stopped(cancel)) as events:
                finished = False
                for event in events:
                    if self._stopped(cancel):
                        reason = StopReason.CANCELLED
                        break
                    if event.data.strip() == "[DONE]":
                        finished = True
                        break
                    chunk = client.chunk(event.data)
                    progress = chunk_progress(chunk)
                    if progress is not None:
                        if progress[1]:
                            yield PromptProgress(progress[0], progress[1], index)
                        continue
                    if generated == 0 and (chunk.get("content") or chunk.get("stop")):
                        clock.first_token()
                    generated = int(chunk.get("tokens_predicted") or generated + bool(chunk.get("content")))
                    ids = chunk.get("tokens")
                    if isinstance(ids, list):
                        written.extend(t for t in ids if isinstance(t, int))
                    if logprobs:
                        seen.extend(token_items(chunk.get("completion_probabilities"), logprobs))
                    fresh = yield from job.shown_piece(out, str(chunk.get("content") or "").encode("utf-8"), index,
                                                       seen, fresh)
                    if out.done:
                        reason = out.stop_reason
                        finished = True
                        break
                    if chunk.get("stop"):
                        evaluated += self._measured(chunk, tokens + written, draft_key)
                        final_seen = prompt_evaluated(chunk) is not None
                        reason = STOP_TYPES.get(str(chunk.get("stop_type")), StopReason.STOP)
                        finished = True
                        break
                if not finished and reason is not StopReason.CANCELLED:
                    if self._stopped(cancel):
                        reason = StopReason.CANCELLED
                    else:
                        failure = stream_cut(self.url)
        except ServerFailure as exc:
            failure = exc
        except httpx_sse.SSEError:
            failure = ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} did not send a text stream."),
                                        url=self.url),
                                    msg(QT_TRANSLATE_NOOP("messages", "Is it a llama.cpp llama-server?")))
        except httpx.HTTPError as exc:
            if self._stopped(cancel):
                reason = StopReason.CANCELLED
            else:
                failure = client.failure(exc)
        if not final_seen and slot >= 0:
            # Stopped or cut: once writing began the slot holds the whole prompt; before, an unknown part of it.
            if generated:
                self._slots.used(slot, tokens + written, draft_key)
            else:
                self._slots.forget(slot)
        if failure is not None and not out.text and generated == 0:
            raise GenerationError(failure.message, hint=failure.hint)
        yield from job.stream_tail(out, index, seen, fresh)
        if failure is not None:
            # The text so far stays a proposal (partial); then the one readable error.
            yield Finished(out.text, stats(StopReason.CANCELLED), index, tuple(seen))
            raise GenerationError(msg(QT_TRANSLATE_NOOP("messages", "{failure} The text written so far was kept."),
                                      failure=failure.message), hint=failure.hint)
        yield Finished(out.text, stats(reason), index, tuple(seen))


def remote_engine_factory(url: str, *, api_key: str | None = None,
                          model: str | None = None) -> Callable[[], RemoteEngine]:
    """An EngineFactory (studio/engine/base.py) for a server: a new, unconnected RemoteEngine per load."""

    def make() -> RemoteEngine:
        return RemoteEngine(url, api_key=api_key, model=model)

    return make


__all__ = ["RemoteEngine", "ServerFacts", "normalize_url", "remote_engine_factory"]
