"""What the OpenAI engine (studio/engine/openai_engine.py) finds out about a server once, at connect: how it
tokenizes, how much context it serves, whether it has a chat template, whether it honours ``n``, whether it returns
token probabilities. What is not
available is said in :class:`OpenAIServerFacts` (shown with the model), so nothing fails later for want of it.

Tokenizers, tried in this order with a short text (the first that returns tokens wins):

* ``POST /tokenize`` ``{"content", "add_special", "parse_special"}``: llama.cpp's llama-server;
* ``POST /tokenize`` ``{"model", "prompt", "add_special_tokens"}``: vLLM (llama-server answers this body with
  no tokens, which is why it comes second);
* ``POST /extras/tokenize`` ``{"input", "model"}``: llama-cpp-python's server (always adds BOS and parses
  special tokens: the BOS is taken off again);
* else an estimate (openai_support.estimate_tokens: an upper bound with a measured margin).

Context size, first that answers: llama-server's ``/props`` (the slot's), the ``/v1/models`` entry
(vLLM's ``max_model_len``, LM Studio's ``loaded_context_length``), Ollama's ``/api/show`` (see
ollama_context), vLLM's ``/tokenize`` answer, a refused over-long prompt (llama-cpp-python names its context in
the refusal), else openai_support.ASSUMED_N_CTX.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from studio.domain import MAX_LOGPROBS
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.engine.openai_support import (
    ASSUMED_N_CTX,
    OVERFLOW_PROBE_REPEATS,
    context_from_entry,
    context_from_error,
    estimate_tokens,
    openai_status_failure,
)
from studio.engine.remote_logprobs import TokenTrail
from studio.engine.remote_support import ServerFailure, describe_failure, endpoint_name

# OpenAI's legacy /v1/completions allows at most 5 alternatives per token ("logprobs": 5) and refuses more with a
# 400; vLLM allows its --max-logprobs (20 by default), llama-server and llama-cpp-python any number.
LEGACY_LOGPROBS_MAX = 5


@dataclass(frozen=True)
class OpenAIServerFacts:
    """What an OpenAI-compatible server offers Studio, beyond EngineCapabilities (for the model's description)."""

    tokenizer: str  # the endpoint counts come from, or "estimate"
    n_ctx_source: str  # where the context size came from ("assumed": the server did not say)
    chat_source: str  # how Rewrite's chat-or-completion choice was made
    native_n: bool  # the server samples n alternatives in one request
    unavailable: tuple[str, ...]  # what Studio cannot do on this server, in words

    def describe(self) -> str:
        parts = [f"tokens: {self.tokenizer}", f"context: {self.n_ctx_source}", f"rewrite: {self.chat_source}"]
        if self.unavailable:
            parts.append("not available: " + ", ".join(self.unavailable))
        return "; ".join(parts)


class ServerHttp:
    """The engine's HTTP client with every failure in remote_support's words (ServerFailure)."""

    def __init__(self, client: httpx.Client, url: str, idle_s: float) -> None:
        self.client = client
        self.url = url
        self.idle_s = idle_s

    def send(self, method: str, endpoint: str, body: dict[str, Any] | None = None,
             timeout: float | None = None) -> httpx.Response:
        try:
            kwargs: dict[str, Any] = {"json": body} if body is not None else {}
            if timeout is not None:
                kwargs["timeout"] = timeout
            return self.client.request(method, endpoint, **kwargs)
        except httpx.HTTPError as exc:
            raise describe_failure(exc, self.url, timeout or self.idle_s) from None

    def json(self, method: str, endpoint: str, what: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        resp = self.send(method, endpoint, body)
        if resp.status_code != 200:
            raise openai_status_failure(resp, self.url, what)
        data = json_of(resp)
        if data is None:
            raise ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} sent an answer Studio cannot "
                                                                  "read ({what})."),
                                    url=self.url, what=endpoint_name(what)),
                                msg(QT_TRANSLATE_NOOP("messages", "Is it an OpenAI-compatible server?")))
        return data


def json_of(resp: httpx.Response) -> dict[str, Any] | None:
    try:
        data = resp.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _refused_key(resp: httpx.Response, http: ServerHttp, what: str) -> None:
    if resp.status_code in (401, 403):
        raise openai_status_failure(resp, http.url, what)


def _int_list(value: object) -> list[int] | None:
    if isinstance(value, list) and all(isinstance(t, int) for t in value):
        return value
    return None


class Tokenizer:
    """Token counts from the server's own tokenizer, or the estimate (``exact`` False: ids are placeholders)."""

    def __init__(self, http: ServerHttp, mode: str, model: str) -> None:
        self._http = http
        self.mode = mode  # llama.cpp | vllm | extras | estimate
        self._model = model
        self.bos: tuple[int, ...] = ()
        if mode != "estimate":
            self.bos = tuple(self._raw("", special=False, add_special=True))

    @property
    def exact(self) -> bool:
        return self.mode != "estimate"

    @property
    def name(self) -> str:
        return {"llama.cpp": "/tokenize (llama.cpp)", "vllm": "/tokenize (vLLM)",
                "extras": "/extras/tokenize (llama-cpp-python)"}.get(self.mode, "estimate")

    def tokens(self, text: str, *, special: bool) -> list[int]:
        if self.mode == "estimate":
            return [0] * estimate_tokens(text)
        return self._raw(text, special=special, add_special=False)

    def _raw(self, text: str, *, special: bool, add_special: bool) -> list[int]:
        body: dict[str, Any]
        if self.mode == "llama.cpp":
            endpoint, body = "/tokenize", {"content": text, "add_special": add_special, "parse_special": special}
        elif self.mode == "vllm":
            endpoint, body = "/tokenize", {"model": self._model, "prompt": text, "add_special_tokens": add_special}
        else:
            endpoint, body = "/extras/tokenize", {"input": text, "model": self._model}
        tokens = _int_list(self._http.json("POST", endpoint, f"tokenizer ({endpoint})", body).get("tokens"))
        if tokens is None:
            raise ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} sent tokens Studio cannot read."),
                                    url=self._http.url))
        if self.mode == "extras" and not add_special and self.bos and tuple(tokens[:len(self.bos)]) == self.bos:
            tokens = tokens[len(self.bos):]  # llama-cpp-python always adds BOS
        return tokens


_PROBE_TEXT = "Hello world"


def detect_tokenizer(http: ServerHttp, model: str) -> tuple[Tokenizer, dict[str, Any]]:
    """The first tokenizer that answers (see the module docstring), and its answer (vLLM's has max_model_len)."""
    candidates: tuple[tuple[str, str, dict[str, Any]], ...] = (
        ("llama.cpp", "/tokenize", {"content": _PROBE_TEXT, "add_special": False, "parse_special": False}),
        ("vllm", "/tokenize", {"model": model, "prompt": _PROBE_TEXT, "add_special_tokens": False}),
        ("extras", "/extras/tokenize", {"input": _PROBE_TEXT, "model": model}),
    )
    for mode, endpoint, body in candidates:
        resp = http.send("POST", endpoint, body)
        _refused_key(resp, http, f"tokenizer ({endpoint})")
        data = json_of(resp) if resp.status_code == 200 else None
        if data is not None and _int_list(data.get("tokens")):
            return Tokenizer(http, mode, model), data
    return Tokenizer(http, "estimate", model), {}


def context_size(http: ServerHttp, model: str, props: dict[str, Any], entry: dict[str, Any],
                 tokenize_answer: dict[str, Any]) -> tuple[int, str]:
    """The served context in tokens and where that came from (see the module docstring)."""
    gen = props.get("default_generation_settings")
    if isinstance(gen, dict) and isinstance(gen.get("n_ctx"), int) and gen["n_ctx"] > 0:
        return int(gen["n_ctx"]), "/props"
    from_entry = context_from_entry(entry)
    if from_entry:
        return from_entry, "/v1/models"
    ollama = ollama_context(http, model)
    if ollama is not None:  # before the overflow probe: Ollama cuts an over-long prompt silently and reads it
        return ollama
    if isinstance(tokenize_answer.get("max_model_len"), int) and tokenize_answer["max_model_len"] > 0:
        return int(tokenize_answer["max_model_len"]), "/tokenize"
    # Refused before it is read: the server tokenizes, compares with its context, and says the size.
    resp = http.send("POST", "/v1/completions", {"model": model, "prompt": "a " * OVERFLOW_PROBE_REPEATS,
                                                  "max_tokens": 1, "stream": False}, timeout=60.0)
    _refused_key(resp, http, "text completion endpoint (/v1/completions)")
    probed = context_from_error(resp) if resp.status_code >= 400 else 0
    if probed:
        return probed, "the server's answer to an over-long prompt"
    return ASSUMED_N_CTX, f"assumed {ASSUMED_N_CTX:,} (the server does not say)"


def ollama_context(http: ServerHttp, model: str) -> tuple[int, str] | None:
    """The context Ollama serves ``model`` with, and where that came from; None when the server is not Ollama
    (``GET /api/version`` answers only there). Its /v1/models says nothing of context; ``POST /api/show``
    gives the model's ``num_ctx`` parameter (what it is served with, when its Modelfile sets one) and
    ``model_info["<arch>.context_length"]`` (what it was trained for). Without a num_ctx Ollama serves its own
    default, which no endpoint tells (OLLAMA_CONTEXT_LENGTH on the server; 2,048 or 4,096 by version): the
    smaller of ASSUMED_N_CTX and the trained length is assumed, since a larger guess would let Ollama cut the
    start of a prompt without a word."""
    resp = http.send("GET", "/api/version")
    _refused_key(resp, http, "version endpoint (/api/version)")
    answer = json_of(resp) if resp.status_code == 200 else None
    version = answer.get("version") if answer is not None else None
    if not isinstance(version, str):
        return None
    resp = http.send("POST", "/api/show", {"model": model})
    _refused_key(resp, http, "model details (/api/show)")
    show = (json_of(resp) or {}) if resp.status_code == 200 else {}
    num_ctx = _ollama_num_ctx(show.get("parameters"))
    trained = _ollama_trained(show.get("model_info"))
    if num_ctx:
        return num_ctx, f"Ollama {version}'s num_ctx (/api/show)"
    n = min(ASSUMED_N_CTX, trained) if trained else ASSUMED_N_CTX
    trained_words = f", trained for {trained:,}" if trained else ""
    return n, f"assumed {n:,} (Ollama {version}'s default: the model sets no num_ctx{trained_words})"


def _ollama_num_ctx(parameters: object) -> int:
    """``num_ctx`` from /api/show's parameters, a Modelfile-like text ("num_ctx    8192\nstop ..."), else 0."""
    if not isinstance(parameters, str):
        return 0
    for line in parameters.splitlines():
        key, _, value = line.strip().partition(" ")
        if key == "num_ctx" and value.strip().isdigit():
            return int(value.strip())
    return 0


def _ollama_trained(model_info: object) -> int:
    """``<arch>.context_length`` from /api/show's model_info (the GGUF's own key), else 0."""
    if not isinstance(model_info, dict):
        return 0
    value = model_info.get(f"{model_info.get('general.architecture')}.context_length")
    if value is None:  # no architecture named: the one key of that shape
        value = next((v for k, v in model_info.items() if str(k).endswith(".context_length")), None)
    return value if isinstance(value, int) and value > 0 else 0


def honours_n(http: ServerHttp, model: str) -> bool:
    """Whether ``n: 2`` brings two choices back (llama-cpp-python's server ignores it; vLLM and llama-server
    honour it). Also checks that /v1/completions, which Continue needs, exists."""
    resp = http.send("POST", "/v1/completions", {"model": model, "prompt": "Once", "max_tokens": 1, "n": 2,
                                                  "seed": 1, "temperature": 1.0, "stream": False})
    if resp.status_code in (401, 403, 404):
        raise openai_status_failure(resp, http.url, "text completion endpoint (/v1/completions)")
    data = json_of(resp) if resp.status_code == 200 else None
    choices = data.get("choices") if data is not None else None
    if not isinstance(choices, list):
        return False
    return len({c.get("index") for c in choices if isinstance(c, dict)}) >= 2


def chat_template_known(http: ServerHttp, model: str, props: dict[str, Any], tokenizer: Tokenizer) -> tuple[bool, str]:
    """Whether the model has a chat template of its own, and how that is known."""
    template = str(props.get("chat_template") or "")
    if "chat_template" in props:
        # llama-server falls back to chatml for a model without a template; on a vocabulary without chatml's
        # markers that is not the model's own (remote.py decides the same way).
        own = bool(template.strip()) and not (
            "<|im_start|>" in template and len(tokenizer.tokens("<|im_start|>", special=True)) != 1)
        return own, "/props chat template" if own else "completion frame (the model has no chat template)"
    if tokenizer.mode == "vllm":
        # vLLM renders messages only with a template: its /tokenize of messages answers 200 exactly then.
        resp = http.send("POST", "/tokenize", {"model": model, "messages": [{"role": "user", "content": "Hi"}]})
        own = resp.status_code == 200
        return own, "chat template (vLLM)" if own else "completion frame (the model has no chat template)"
    return False, "completion frame (the server does not say whether the model has a chat template)"


def _probed_k(resp: httpx.Response, k: int) -> int:
    """How many alternatives per token a probe's answer carries (0: none, or ones that do not spell its text)."""
    data = json_of(resp) if resp.status_code == 200 else None
    choices = data.get("choices") if data is not None else None
    choice = choices[0] if isinstance(choices, list) and choices and isinstance(choices[0], dict) else {}
    message = choice.get("message")
    text = message.get("content") if isinstance(message, dict) else choice.get("text")
    trail = TokenTrail(k)
    trail.add(choice.get("logprobs"), text if isinstance(text, str) else "")
    tokens = trail.final()
    return min(k, max((len(t.top) for t in tokens), default=0))


def logprobs_limit(http: ServerHttp, model: str) -> int:
    """The most alternatives per token /v1/completions returns ("logprobs": K, the legacy field), up to
    MAX_LOGPROBS; 0 when the server ignores the field, refuses it, or sends what Studio cannot line up with the
    text. A refusal of MAX_LOGPROBS is asked again with OpenAI's own limit."""
    for k in (MAX_LOGPROBS, LEGACY_LOGPROBS_MAX):
        resp = http.send("POST", "/v1/completions", {"model": model, "prompt": "Once upon a", "max_tokens": 1,
                                                      "logprobs": k, "seed": 1, "temperature": 0.0,
                                                      "stream": False})
        if resp.status_code not in (400, 422):
            return _probed_k(resp, k)
    return 0


def chat_logprobs(http: ServerHttp, model: str, k: int) -> bool:
    """Whether /v1/chat/completions returns ``logprobs: true, top_logprobs: k`` (Rewrite on a chat model)."""
    resp = http.send("POST", "/v1/chat/completions", {
        "model": model, "messages": [{"role": "user", "content": "Say hello."}], "max_tokens": 1, "logprobs": True,
        "top_logprobs": k, "seed": 1, "temperature": 0.0, "stream": False,
        "chat_template_kwargs": {"enable_thinking": False}})
    return _probed_k(resp, k) > 0
