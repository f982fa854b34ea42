"""The remote engine's supporting parts: what a server said at connect, the special tokens to ban on it, and its
HTTP failures in words (one readable line naming the server, never an exception class name or a traceback;
studio/engine/remote.py turns them into ModelLoadError or GenerationError)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.engine.tls import exception_chain, tls_problem

CONNECT_TIMEOUT_S = 10.0
IDLE_TIMEOUT_S = 60.0  # while streaming: this long without a byte from the server is a stalled server

# Markers that are special tokens in common vocabularies; those the server's vocabulary has as one special token
# are banned (the local guard bans every control token; a server does not list its vocabulary).
_MARKERS = ("<bos>", "<pad>", "<unk>", "<mask>", "<s>", "<start_of_turn>", "<start_of_image>", "<end_of_image>",
            "<image_soft_token>", "<|im_start|>", "<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>",
            "<|system|>", "<|user|>", "<|assistant|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>",
            "<|file_separator|>", "[multimodal]", "[INST]", "[/INST]")
# End-of-generation markers are never banned: the server stops on them.
_END_MARKERS = frozenset({"<eos>", "</s>", "<end_of_turn>", "<|im_end|>", "<|eot_id|>", "<|endoftext|>", "<|end|>",
                          "<|end_of_text|>"})


@dataclass(frozen=True)
class ServerFacts:
    """What the server said at connect, beyond EngineCapabilities (for ``studio models`` and the stats)."""

    url: str
    model: str
    slots: int
    n_ctx_server: int
    logprobs: bool  # the server returns per-token probabilities (n_probs); Studio's stream does not carry them yet
    banned_tokens: tuple[int, ...]  # special tokens banned with logit_bias
    slot_saving: bool = False  # the server keeps slot files (--slot-save-path): drafts' caches survive a restart


def special_token_ids(template: str, eos: str, tokenize: Callable[[str], list[int]]) -> tuple[int, ...]:
    """Markers that are one token in this vocabulary when parsed as special (control tokens, and user-defined
    markup such as Gemma's ``<start_of_image>``, which is one token even as text), except the end-of-generation
    ones: the local guard bans the same kinds. ``tokenize`` parses special tokens."""
    found = set(_MARKERS) | set(re.findall(r"<\|?[A-Za-z_][A-Za-z0-9_]{0,40}\|?>", template))
    banned: set[int] = set()
    for marker in sorted(found - _END_MARKERS - {eos}):
        as_special = tokenize(marker)
        if len(as_special) == 1:
            banned.add(as_special[0])
    eos_ids = set(tokenize(eos)) if eos else set()
    return tuple(sorted(banned - eos_ids))


class ServerFailure(Exception):
    """An HTTP problem in words; the caller turns it into ModelLoadError or GenerationError."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def normalize_url(url: str) -> str:
    """``host:port`` or a full URL -> ``http(s)://host:port`` without a trailing slash; UsageError-free: a bad URL
    is reported by load() as a ModelLoadError."""
    url = url.strip().rstrip("/")
    if url and "://" not in url:
        url = "http://" + url
    return url


# What a request asked the server for, as the messages name it ("The server ... has no model list (HTTP 404)."):
# callers pass the English words; these give them the window's language too.
_ENDPOINT_NAMES = {
    "model list": msg(QT_TRANSLATE_NOOP("messages", "model list")),
    "model list (/v1/models)": msg(QT_TRANSLATE_NOOP("messages", "model list (/v1/models)")),
    "properties endpoint (/props)": msg(QT_TRANSLATE_NOOP("messages", "properties endpoint (/props)")),
    "chat template (/apply-template)": msg(QT_TRANSLATE_NOOP("messages", "chat template (/apply-template)")),
    "text completion endpoint (/v1/completions)":
        msg(QT_TRANSLATE_NOOP("messages", "text completion endpoint (/v1/completions)")),
    "completion endpoint (/completion)": msg(QT_TRANSLATE_NOOP("messages", "completion endpoint (/completion)")),
    "version endpoint (/api/version)": msg(QT_TRANSLATE_NOOP("messages", "version endpoint (/api/version)")),
    "model details (/api/show)": msg(QT_TRANSLATE_NOOP("messages", "model details (/api/show)")),
    "tokenizer (/tokenize)": msg(QT_TRANSLATE_NOOP("messages", "tokenizer (/tokenize)")),
}
_TOKENIZER_AT = re.compile(r"tokenizer \((/\S+)\)")
_ENDPOINT_AT = re.compile(r"endpoint (/\S+)")


def endpoint_name(what: str) -> str:
    """``what`` as a message names it, in the window's language where Studio knows the words."""
    if what in _ENDPOINT_NAMES:
        return _ENDPOINT_NAMES[what]
    if m := _TOKENIZER_AT.fullmatch(what):
        return msg(QT_TRANSLATE_NOOP("messages", "tokenizer ({endpoint})"), endpoint=m.group(1))
    if m := _ENDPOINT_AT.fullmatch(what):
        return msg(QT_TRANSLATE_NOOP("messages", "endpoint {endpoint}"), endpoint=m.group(1))
    return what


def describe_failure(exc: httpx.HTTPError, url: str, idle_s: float) -> ServerFailure:
    """One readable line for a transport failure (no exception class names, no traceback)."""
    text = " ".join(str(e) for e in exception_chain(exc)).lower()
    host = urlsplit(url).hostname or url
    tls = tls_problem(exc, url)  # before ConnectError's words, which would send the writer to the network
    if tls is not None:
        return ServerFailure(*tls)
    if isinstance(exc, httpx.ConnectTimeout):
        return ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} did not answer within "
                                                               "{connect_timeout_s:.0f} s."),
                                 url=url, connect_timeout_s=CONNECT_TIMEOUT_S),
                        msg(QT_TRANSLATE_NOOP("messages", "Check the address and that the server is running.")))
    if isinstance(exc, httpx.ReadTimeout):
        return ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} sent nothing for {idle_s:g} s and "
                                                               "was given up on."), url=url, idle_s=idle_s),
                        msg(QT_TRANSLATE_NOOP("messages", "It may be overloaded or stuck; try again or restart it.")))
    if isinstance(exc, httpx.TimeoutException):
        return ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} timed out."), url=url),
                             msg(QT_TRANSLATE_NOOP("messages", "Try again.")))
    if isinstance(exc, httpx.ConnectError):
        if any(w in text for w in ("name or service not known", "nodename nor servname", "getaddrinfo",
                                   "temporary failure in name resolution", "no address associated")):
            return ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server name {host} could not be found (DNS "
                                                                   "lookup failed for {url})."), host=host, url=url),
                            msg(QT_TRANSLATE_NOOP("messages", "Check the server address.")))
        if "refused" in text:
            return ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} refused the connection."),
                                     url=url),
                            msg(QT_TRANSLATE_NOOP("messages", "Check that the server is running and listening on "
                                                              "that port.")))
        return ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "Could not connect to the server {url}."), url=url),
                             msg(QT_TRANSLATE_NOOP("messages", "Check the address and the network.")))
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} closed the connection unexpectedly."),
                                 url=url),
                        msg(QT_TRANSLATE_NOOP("messages", "It may have stopped or crashed; check the server.")))
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "{url} is not a server address Studio can use."),
                                 url=repr(url)),
                             msg(QT_TRANSLATE_NOOP("messages", "Use http://host:port or https://host.")))
    return ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "Talking to the server {url} failed."), url=url),
                         msg(QT_TRANSLATE_NOOP("messages", "Check the server.")))


def stream_cut(url: str) -> ServerFailure:
    """A stream that ended without its end marker while nobody had pressed Stop."""
    return ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} ended the stream before the text was "
                                                           "finished."), url=url),
                         msg(QT_TRANSLATE_NOOP("messages", "It may have stopped or crashed; check the server.")))


def status_failure(resp: httpx.Response, url: str, what: str, detail: str | None = None) -> ServerFailure:
    """The readable failure of an HTTP error answer; ``detail``: the server's own words when the caller read them
    (else its JSON error message, if any)."""
    code = resp.status_code
    if detail is None:
        try:
            detail = str(resp.json().get("error", {}).get("message", ""))[:200]
        except Exception:  # noqa: BLE001 - any body: JSON or not, a dict or not
            detail = ""
    detail = f": {detail}" if detail else ""
    what = endpoint_name(what)
    if code in (401, 403):
        return ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} refused the API key (HTTP {code})."),
                                 url=url, code=code),
                        msg(QT_TRANSLATE_NOOP("messages", "Check the API key (STUDIO_API_KEY).")))
    if code == 404:
        return ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} has no {what} (HTTP 404){detail}."),
                                 url=url, what=what, detail=detail),
                        msg(QT_TRANSLATE_NOOP("messages", "Is it a llama.cpp llama-server, and is the model name "
                                                          "right?")))
    if code == 503:
        return ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} is not ready (HTTP 503){detail}."),
                                 url=url, detail=detail),
                             msg(QT_TRANSLATE_NOOP("messages", "It may still be loading; try again.")))
    if code >= 500:
        return ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} failed (HTTP {code}){detail}."),
                                 url=url, code=code, detail=detail),
                             msg(QT_TRANSLATE_NOOP("messages", "Check the server's log.")))
    return ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} rejected the request (HTTP "
                                                           "{code}){detail}."), url=url, code=code, detail=detail))


# Fill-in-the-middle markers (prefix, suffix, middle) as llama.cpp's vocabulary recognises them by their text
# (llama-vocab.cpp, the fim_pre/fim_suf/fim_mid detection): a server does not list its vocabulary, so each family
# is tried on the server's tokenizer.
_FIM_FAMILIES = (
    ("<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>"),  # Qwen 2.5 and later, and many others
    ("<fim_prefix>", "<fim_suffix>", "<fim_middle>"),  # StarCoder
    ("<fim-prefix>", "<fim-suffix>", "<fim-middle>"),
    ("<｜fim▁begin｜>", "<｜fim▁hole｜>", "<｜fim▁end｜>"),  # DeepSeek
    ("<|code_prefix|>", "<|code_suffix|>", "<|code_middle|>"),  # GLM-4
    ("<PRE>", "<SUF>", "<MID>"),  # CodeLlama
)


def served_model(entries: list[Any], wanted: str | None, url: str) -> dict[str, Any]:
    """The entry of ``/v1/models``'s list for the model ``wanted`` (the first one when None); a readable failure
    naming what the server has when it is not there."""
    entry = next((m for m in entries if isinstance(m, dict) and m.get("id")
                  and (wanted is None or m.get("id") == wanted)), None)
    if entry is None:
        names = ", ".join(str(m.get("id")) for m in entries if isinstance(m, dict)) or "none"
        raise ServerFailure(msg(QT_TRANSLATE_NOOP("messages", "The server {url} has no model {model} (it has: "
                                                              "{names})."),
                                url=url, model=repr(wanted), names=names),
                            msg(QT_TRANSLATE_NOOP("messages", "Pick one of the server's models.")))
    return entry


def fim_token_ids(tokenize: Callable[[str, bool], list[int]]) -> tuple[int, int, int] | None:
    """(prefix, suffix, middle) when the server's vocabulary has one family's three markers as single special tokens
    (as text each is several tokens), so Continue with text after the cursor is the same fill-in-the-middle prompt
    as on the local engine. ``tokenize(text, special)``."""
    for family in _FIM_FAMILIES:
        ids: list[int] = []
        for marker in family:
            as_special = tokenize(marker, True)
            if len(as_special) != 1 or tokenize(marker, False) == as_special:
                break
            ids.append(as_special[0])
        if len(ids) == 3 and len(set(ids)) == 3:
            return ids[0], ids[1], ids[2]
    return None
