"""The OpenAI engine: the same ``Engine`` as the in-process one, generating on any OpenAI-compatible server
(vLLM, Ollama, LM Studio, llama-cpp-python's server, llama-server's /v1). studio/engine/servers.py picks it for a
URL that is not a llama-server (llama-server gets remote.RemoteEngine and its native API).

What it speaks:

* at ``load`` (studio/engine/openai_probe.py): ``GET /v1/models`` (reachable? the key? the model), ``GET /props``
  when there is one, the server's tokenizer, its context size, its chat template, whether it honours ``n``:
  ``capabilities`` plus :class:`~studio.engine.openai_probe.OpenAIServerFacts` (what is not available, in words);
* Continue: ``POST /v1/completions`` with the completion frame as text (the server adds BOS), streamed (SSE);
* Rewrite: ``POST /v1/chat/completions`` with the frame as one user message when the model has a chat template
  (or the writer chose chat), else the completion frame, as the local engine decides;
* alternatives: ``n`` in one request where the server honours it (choices told apart by their index; any
  alternative the server did not send comes after, one request each), else one request after another;
* token probabilities, when a request asks and the probe found them: ``"logprobs": K`` on /v1/completions (the
  legacy field: at most 5 on OpenAI, which the probe finds by its refusal), ``"logprobs": true, "top_logprobs": K``
  on /v1/chat/completions (probed separately when Rewrite goes through chat). A server that ignores the field,
  refuses it or sends what does not line up with its text gets ``capabilities.logprobs`` False or no tokens on
  that alternative (openai_stream, remote_logprobs.TokenTrail), never an error.

Budgets follow the local rules (prompts.build_prompt) on the server's token counts (or the documented estimate).
A chat prompt is counted on the server's own rendering where it has ``/apply-template`` (llama-server), else on
the messages with generic role markers (SAFETY_TOKENS covers the difference for common templates).

Reasoning models: reasoning deltas (``reasoning_content``, ``reasoning``) are never shown and ``<think>`` blocks
are stripped from the text, also when split across chunks; chat requests send ``chat_template_kwargs:
{"enable_thinking": false}`` (ignored by servers and templates without it).

Not enforced on a server (as for remote.py): the output guard's bans beyond special tokens (those are banned with
``logit_bias`` where the tokenizer is known), poetry line steering. Stop sequences, leading spaces and line counts
are applied here to the streamed text. Stop shuts the stream's socket down, also while the server reads a long
prompt. Errors are readable and name the server; a server failing mid-stream keeps the text streamed so far (a
``Finished`` marked cancelled, then the GenerationError).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any, Unpack

import httpx

from studio.domain import (
    Action,
    EngineCapabilities,
    GenerationError,
    GenerationEvent,
    GenerationRequest,
    LoadSettings,
    ModelInfo,
    PromptPreview,
)
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.engine import job
from studio.engine.openai_probe import (
    OpenAIServerFacts,
    ServerHttp,
    Tokenizer,
    chat_logprobs,
    chat_template_known,
    context_size,
    detect_tokenizer,
    honours_n,
    json_of,
    logprobs_limit,
)
from studio.engine.openai_stream import run_request
from studio.engine.openai_support import openai_status_failure
from studio.engine.prompts import ModelTraits, PromptPlan, build_prompt
from studio.engine.reasoning import thinking_off
from studio.engine.remote_support import (
    ServerFacts,
    ServerFailure,
    served_model,
    special_token_ids,
)
from studio.engine.server_engine import ServerEngine, ServerOptions

log = logging.getLogger(__name__)


class OpenAIEngine(ServerEngine):
    """One OpenAI-compatible server, one owner thread, one job at a time (see the module docstring)."""

    def __init__(self, url: str, **options: Unpack[ServerOptions]) -> None:
        super().__init__(url, **options)
        self._http: ServerHttp | None = None
        self._tokenizer: Tokenizer | None = None
        self._model_id = ""
        self._server: OpenAIServerFacts | None = None
        self._apply_template = False
        self._n_refused: set[int] = set()  # alternative counts the server refused as one request
        self._logprobs_k = 0  # the most alternatives per token /v1/completions returns (0: none)
        self._chat_logprobs = False  # /v1/chat/completions returns them too

    # ------------------------------------------------------------------------------------------- lifecycle

    @property
    def loaded(self) -> bool:
        return self._http is not None

    @property
    def server_facts(self) -> OpenAIServerFacts | None:
        return self._server

    def _connect(self) -> None:
        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        client = httpx.Client(base_url=self.url, headers=headers, timeout=self._timeout, verify=self._verify)
        self._http = ServerHttp(client, self.url, self._idle)

    def _probe(self, settings: LoadSettings) -> None:
        http = self._http
        assert http is not None
        entries = http.json("GET", "/v1/models", "model list (/v1/models)").get("data") or []
        entry = served_model(entries, self._model, self.url)
        self._model_id = str(entry["id"])
        props_resp = http.send("GET", "/props")
        if props_resp.status_code in (401, 403):
            raise openai_status_failure(props_resp, self.url, "properties endpoint (/props)")
        props = (json_of(props_resp) or {}) if props_resp.status_code == 200 else {}
        tokenizer, answer = detect_tokenizer(http, self._model_id)
        self._tokenizer = tokenizer
        n_ctx_server, n_ctx_source = context_size(http, self._model_id, props, entry, answer)
        self._n_ctx = min(n_ctx_server, settings.n_ctx) if settings.n_ctx else n_ctx_server
        own_template, chat_source = chat_template_known(http, self._model_id, props, tokenizer)
        self._use_chat = own_template if self._chat_choice is None else self._chat_choice
        if self._chat_choice is not None:
            chat_source = ("chat (the writer's choice)" if self._chat_choice
                           else "completion frame (the writer's choice)")
        self._apply_template = "chat_template" in props  # llama-server renders messages on /apply-template
        self._template = str(props.get("chat_template") or "")
        native_n = honours_n(http, self._model_id)
        self._logprobs_k = logprobs_limit(http, self._model_id)
        self._chat_logprobs = bool(self._logprobs_k and self._use_chat
                                   and chat_logprobs(http, self._model_id, self._logprobs_k))
        banned: tuple[int, ...] = ()
        if tokenizer.exact:
            banned = special_token_ids(str(props.get("chat_template") or ""), str(props.get("eos_token") or ""),
                                       lambda text: tokenizer.tokens(text, special=True))
        unavailable = [label for label, missing in (
            ("exact token counts (estimated with a margin)", not tokenizer.exact),
            ("the context size (assumed)", n_ctx_source.startswith("assumed")),
            ("alternatives in one request (one after another)", not native_n),
            ("special-token bans", not tokenizer.exact),
            ("saved draft states", True), ("fill-in-the-middle", True),
            ("token probabilities", not self._logprobs_k),
            ("form-held poetry line steering", True)) if missing]
        self._server = OpenAIServerFacts(tokenizer=tokenizer.name, n_ctx_source=n_ctx_source,
                                         chat_source=chat_source, native_n=native_n, unavailable=tuple(unavailable))
        # The id is often the model file's path (llama-cpp-python, llama-server without --alias): show its name.
        name = Path(self._model_id).name if self._model_id.endswith(".gguf") else self._model_id
        self._facts = ServerFacts(url=self.url, model=name, slots=1, n_ctx_server=n_ctx_server,
                                  logprobs=bool(self._logprobs_k),
                                  banned_tokens=banned)
        meta: dict[str, Any] = entry["meta"] if isinstance(entry.get("meta"), dict) else {}
        trained = meta.get("n_ctx_train") or entry.get("max_context_length")
        self._info = ModelInfo(
            path=Path(self._model_id), name=name, architecture=str(meta.get("general.architecture") or "remote"),
            size_bytes=int(meta.get("size") or 0), parameters=int(meta["n_params"]) if meta.get("n_params") else None,
            context_length=int(trained) if isinstance(trained, int) else None, has_chat_template=own_template,
            vocab_size=int(meta["n_vocab"]) if meta.get("n_vocab") else None, source=f"server {self.url}")
        self._capabilities = EngineCapabilities(chat_template=self._use_chat, native_alternatives=native_n,
                                                logprobs=bool(self._logprobs_k), n_ctx=self._n_ctx)
        log.info("Connected to %s (OpenAI-compatible): %s, context %d (%s), %s", self.url, name, self._n_ctx,
                 n_ctx_source, self._server.describe())

    def _drop(self) -> None:
        http, self._http = self._http, None
        if http is not None:
            with contextlib.suppress(Exception):
                http.client.close()
        self._tokenizer = None
        self._n_refused.clear()
        self._logprobs_k, self._chat_logprobs = 0, False
        self._info = self._facts = self._server = None
        self._capabilities = EngineCapabilities()

    # ------------------------------------------------------------------------------------------- public work

    def _require(self) -> ServerHttp:
        if self._http is None or self._tokenizer is None:
            raise GenerationError(msg(QT_TRANSLATE_NOOP("messages", "No server is connected.")),
                                  hint=msg(QT_TRANSLATE_NOOP("messages", "Connect to a server first.")))
        return self._http

    def tokenize(self, text: str, *, special: bool = False) -> list[int]:
        self._require()
        assert self._tokenizer is not None
        if not self._tokenizer.exact:
            raise GenerationError(msg(QT_TRANSLATE_NOOP("messages", "The server {url} does not tokenize for Studio; "
                                                                    "token counts are estimates."), url=self.url))
        try:
            return self._tokenizer.tokens(text, special=special)
        except ServerFailure as exc:
            raise GenerationError(exc.message, hint=exc.hint) from None

    def count_tokens(self, text: str) -> int:
        self._require()
        assert self._tokenizer is not None
        try:
            return len(self._tokenizer.tokens(text, special=False))
        except ServerFailure as exc:
            raise GenerationError(exc.message, hint=exc.hint) from None

    def preview(self, request: GenerationRequest) -> PromptPreview:
        self._require()
        return job.preview(lambda r: self._plan(r)[0], request, self._n_ctx)

    def stream(self, request: GenerationRequest, cancel: threading.Event) -> Generator[GenerationEvent, None, None]:
        """As LlamaEngine.stream, over HTTP. Nothing happens before the first next()."""
        self._require()
        with self._jobs.running():
            plan, messages = self._plan(request)
            seeds_of = job.alternative_seeds(request)
            n, base_seed = len(seeds_of), seeds_of[0]
            k = request.logprobs
            left = list(range(n))
            if n > 1 and self._capabilities.native_alternatives and n not in self._n_refused:
                # One request, one seed: index 0 carries it (the set is reproduced by it, not each choice).
                seeds: list[int | None] = [base_seed] + [None] * (n - 1)
                left = yield from self._run(plan, messages, left, seeds, base_seed, cancel, k)
                if len(left) == n:
                    self._n_refused.add(n)  # not asked again on this connection
            for index in left:  # one after another (also what a native request did not bring back)
                if self._stopped(cancel):
                    if index == 0:
                        yield from self._run(plan, messages, [0], [base_seed], base_seed, cancel, k)
                    break
                seed = seeds_of[index]
                yield from self._run(plan, messages, [index], [seed], seed, cancel, k)

    # ------------------------------------------------------------------------------------------- internals

    def _plan(self, request: GenerationRequest) -> tuple[PromptPlan, list[dict[str, str]] | None]:
        tokenizer = self._tokenizer
        assert tokenizer is not None
        rendered: dict[str, list[dict[str, str]]] = {}

        def render(messages: list[dict[str, str]]) -> str:
            messages = thinking_off(messages, self._template)  # "/no_think" where the template honours it
            text = self._render_chat(messages)
            rendered[text] = messages
            return text

        def tokenize(text: str, special: bool) -> list[int]:
            return tokenizer.tokens(text, special=special)

        chat = render if (self._use_chat and request.action is not Action.CONTINUE) else None
        traits = ModelTraits(n_ctx=self._n_ctx, bos=tokenizer.bos, chat=chat, fim=None)
        try:
            plan = build_prompt(request, traits, tokenize)
        except ServerFailure as exc:
            raise GenerationError(exc.message, hint=exc.hint) from None
        return plan, (rendered[plan.text] if plan.mode == "chat" else None)

    def _render_chat(self, messages: list[dict[str, str]]) -> str:
        if self._apply_template:
            assert self._http is not None
            prompt = self._http.json("POST", "/apply-template", "chat template (/apply-template)",
                                     {"messages": messages, "chat_template_kwargs": {"enable_thinking": False}}
                                     ).get("prompt")
            if isinstance(prompt, str):
                return prompt
        # Generic role markers: counted like a template's few tokens per message (see the module docstring).
        return "".join(f"<|{m['role']}|>\n{m['content']}\n" for m in messages) + "<|assistant|>\n"

    def _body(self, plan: PromptPlan, messages: list[dict[str, str]] | None, max_tokens: int, seed: int,
              n: int, logprobs: int = 0) -> tuple[str, dict[str, Any], int]:
        """The endpoint, the body, and how many alternatives per token it asks for (0: none)."""
        s = plan.sampler
        body: dict[str, Any] = {
            "model": self._model_id, "stream": True, "max_tokens": max_tokens, "seed": seed,
            "temperature": s.temperature, "top_p": s.top_p, "top_k": s.top_k, "min_p": s.min_p,
            # llama.cpp's name and vLLM's for the same penalty; a server ignores the one it does not know.
            "repeat_penalty": s.repeat_penalty, "repetition_penalty": s.repeat_penalty,
            "stream_options": {"include_usage": True},
        }
        if n > 1:
            body["n"] = n
        if self._facts and self._facts.banned_tokens:
            body["logit_bias"] = {str(t): -100 for t in self._facts.banned_tokens}
        k = min(logprobs, self._logprobs_k)
        if messages is not None:
            body["messages"] = messages
            body["chat_template_kwargs"] = {"enable_thinking": False}
            k = k if self._chat_logprobs else 0
            if k:
                body["logprobs"], body["top_logprobs"] = True, k
            return "/v1/chat/completions", body, k
        body["prompt"] = plan.text
        if k:
            body["logprobs"] = k
        return "/v1/completions", body, k

    def _run(self, plan: PromptPlan, messages: list[dict[str, str]] | None, indices: list[int],
             seeds: list[int | None], seed: int, cancel: threading.Event,
             logprobs: int = 0) -> Generator[GenerationEvent, None, list[int]]:
        """One request for alternatives ``indices``; returns those the server sent nothing for (it ignored n)."""
        http = self._require()
        max_tokens = job.generation_room(plan.tokens, plan.max_tokens, self._n_ctx)
        endpoint, body, k = self._body(plan, messages, max_tokens, seed, len(indices), logprobs)

        def stopping() -> bool:
            return self._stopped(cancel)

        return (yield from run_request(http, endpoint, body, plan, indices, seeds, stopping,
                                       model=self._facts.model if self._facts else "", logprobs=k))


def openai_engine_factory(url: str, *, api_key: str | None = None, model: str | None = None, verify: bool = True,
                          chat: bool | None = None) -> Callable[[], OpenAIEngine]:
    """An EngineFactory (studio/engine/base.py) for an OpenAI-compatible server."""

    def make() -> OpenAIEngine:
        return OpenAIEngine(url, api_key=api_key, model=model, verify=verify, chat=chat)

    return make


__all__ = ["OpenAIEngine", "OpenAIServerFacts", "openai_engine_factory"]
