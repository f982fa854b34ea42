"""Faults and probes of the OpenAI engine (studio/engine/openai_engine.py) against a loopback stand-in: a small
OpenAI-compatible HTTP server of our own on 127.0.0.1 that plays the broken servers (401, 404 for an unknown
model, 500, junk SSE, malformed JSON, a cut or stalled stream) and the servers we cannot run here (a reasoning
model's ``reasoning_content`` deltas and ``<think>`` blocks, a server without a tokenizer or that names its context
only when refusing a prompt, one that honours ``n``). The same faults on real servers (killed mid-stream,
unreachable, a wrong key, an unknown model) are in tests/engine/test_openai_servers.py.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from studio.domain import (
    Action,
    Finished,
    GenerationError,
    GenerationEvent,
    GenerationRequest,
    ModelLoadError,
    StopReason,
    TextDelta,
)
from studio.engine.openai_engine import OpenAIEngine

from .standin import StandIn, serving, url_of
from .test_remote_faults import PROSE, readable

WORDS = ["The", " storm", " broke"]


class _StandIn(StandIn):
    """An OpenAI-compatible server; ``server.mode`` (and ``server.opts``) decide how it behaves."""

    @property
    def opts(self) -> dict[str, Any]:
        return getattr(self.server, "opts", {})

    def _error(self, status: int, message: str) -> None:
        self._json(status, {"error": {"message": message, "type": "invalid_request_error", "code": status}})

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.mode == "401":
            self._error(401, "Incorrect API key provided")
        elif self.path == "/v1/models":
            entry = {"id": "stand-in/model-7b", "object": "model", **self.opts.get("entry", {"max_model_len": 2048})}
            self._json(200, {"object": "list", "data": [entry]})
        else:
            self._error(404, "Not Found")

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        if self.path in ("/tokenize", "/extras/tokenize"):
            if self.opts.get("no_tokenizer"):
                self._error(404, "Not Found")
            elif self.path == "/tokenize" and "messages" in body:  # vLLM renders messages only with a template
                if self.opts.get("chat_template"):
                    self._json(200, {"tokens": [1, 2, 3], "count": 3, "max_model_len": 2048})
                else:
                    self._error(400, "this model has no chat template")
            elif self.path == "/tokenize" and "prompt" in body:  # the vLLM shape: one token per character
                self._json(200, {"tokens": [ord(c) for c in body["prompt"]], "max_model_len": 2048})
            else:
                self._error(400, "Field required: prompt")
            return
        if not body.get("stream"):
            self._plain(body)
            return
        self.server.bodies.append(body)  # type: ignore[attr-defined]
        if self.mode == "404":
            self._error(404, f"The model `{body.get('model')}` does not exist")
            return
        if self.mode == "500":
            self._error(500, "CUDA out of memory")
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        chat = "messages" in body

        def send(line: str) -> None:
            self.wfile.write(f"data: {line}\n\n".encode())
            self.wfile.flush()

        def piece(text: str = "", index: int = 0, finish: str | None = None, **delta: str) -> str:
            choice = ({"delta": {"content": text, **delta}} if chat else {"text": text}) | {
                "index": index, "finish_reason": finish}
            return json.dumps({"choices": [choice]})

        if self.mode == "junk":
            send("<<< not json at all >>>")
            return
        if self.mode == "reasoning":
            send(piece(role="assistant"))
            for thought in ("The writer wants", " it shorter."):
                send(piece(reasoning_content=thought))
            for text in ("<thi", "nk>hidden pl", "an</th", "ink>\n\n", "The storm", " broke <", "3"):
                send(piece(text))
            send(piece(finish="stop"))
            send("[DONE]")
            return
        n = int(body.get("n") or 1)
        for word in WORDS:
            for index in range(n):
                send(piece(word, index))
        if self.mode == "junk-after-text":
            send("{\"choices\": broken")
        elif self.mode == "stall":
            time.sleep(5)
        elif self.mode == "cut":
            return  # the connection closes without [DONE]
        else:
            for index in range(n):
                send(piece(index=index, finish="length"))
            if n == 1:
                send(json.dumps({"choices": [], "usage": {"prompt_tokens": 40, "completion_tokens": 3}}))
            send("[DONE]")

    def _plain(self, body: dict[str, Any]) -> None:
        """Non-streamed completions: the probes (n, and the over-long prompt)."""
        if len(str(body.get("prompt", ""))) > 100_000:
            if "overflow" in self.opts:
                self._error(400, f"This model's maximum context length is {self.opts['overflow']} tokens, "
                                 "however you requested more")
            else:
                self._json(200, {"choices": [{"text": "a", "index": 0, "finish_reason": "length"}]})
            return
        n = int(body.get("n") or 1) if self.opts.get("honours_n") else 1
        self._json(200, {"choices": [{"text": "x", "index": i, "finish_reason": "length"} for i in range(n)]})


@pytest.fixture
def stand_in() -> Iterator[ThreadingHTTPServer]:
    with serving(_StandIn, bodies=[]) as server:
        yield server


def request(before: str = PROSE, n_alternatives: int = 1) -> GenerationRequest:
    return GenerationRequest(action=Action.CONTINUE, before=before, seed=1, max_tokens=8,
                             n_alternatives=n_alternatives)


def drain(engine: OpenAIEngine, req: GenerationRequest) -> tuple[list[GenerationEvent], GenerationError | None]:
    events: list[GenerationEvent] = []
    try:
        for ev in engine.stream(req, threading.Event()):
            events.append(ev)
    except GenerationError as exc:
        return events, exc
    return events, None


def finals(events: list[GenerationEvent]) -> list[Finished]:
    return [e for e in events if isinstance(e, Finished)]


def test_a_working_stand_in_streams_to_the_end(stand_in: ThreadingHTTPServer) -> None:
    # The baseline the broken modes differ from; also: vLLM's /tokenize shape and max_model_len are understood.
    with OpenAIEngine(url_of(stand_in)) as engine:
        engine.load(Path("unused"))
        assert engine.capabilities.n_ctx == 2048 and engine.server_facts is not None
        assert engine.server_facts.tokenizer == "/tokenize (vLLM)" and engine.server_facts.n_ctx_source == "/v1/models"
        events, err = drain(engine, request())
    assert err is None
    (final,) = finals(events)
    assert final.text == "The storm broke" and final.stats.stop_reason == StopReason.LENGTH
    assert final.stats.generated_tokens == 3 and final.stats.prompt_tokens == 40, "usage wins over the count"
    body = stand_in.bodies[-1]  # type: ignore[attr-defined]
    assert body["model"] == "stand-in/model-7b" and body["prompt"].endswith(PROSE) and body["max_tokens"] == 8


def test_a_wrong_key_is_one_readable_load_error(stand_in: ThreadingHTTPServer) -> None:
    stand_in.mode = "401"  # type: ignore[attr-defined]
    engine = OpenAIEngine(url_of(stand_in), api_key="wrong")
    with pytest.raises(ModelLoadError) as err:
        engine.load(Path("unused"))
    assert "refused the API key (HTTP 401)" in readable(err.value, url_of(stand_in))
    assert not engine.loaded


@pytest.mark.parametrize(("mode", "words"), [
    ("404", "HTTP 404): The model `stand-in/model-7b` does not exist"),
    ("500", "failed (HTTP 500): CUDA out of memory"),
    ("junk", "cannot read")])
def test_stream_faults_before_any_text_are_one_readable_error(stand_in: ThreadingHTTPServer, mode: str,
                                                               words: str) -> None:
    with OpenAIEngine(url_of(stand_in)) as engine:
        engine.load(Path("unused"))
        stand_in.mode = mode  # type: ignore[attr-defined]
        events, err = drain(engine, request())
        assert err is not None and words in readable(err, url_of(stand_in))
        assert not finals(events)
        stand_in.mode = "ok"  # type: ignore[attr-defined]
        events, err = drain(engine, request())  # the engine works after the fault
        assert err is None and finals(events)[0].text == "The storm broke"


@pytest.mark.parametrize(("mode", "words"), [("junk-after-text", "cannot read"), ("cut", "ended the stream"),
                                             ("stall", "sent nothing for 0.5 s")])
def test_faults_after_some_text_keep_it_as_a_partial_proposal(stand_in: ThreadingHTTPServer, mode: str,
                                                              words: str) -> None:
    with OpenAIEngine(url_of(stand_in), idle_timeout=0.5) as engine:
        engine.load(Path("unused"))
        stand_in.mode = mode  # type: ignore[attr-defined]
        started = time.monotonic()
        events, err = drain(engine, request())
        assert time.monotonic() - started < 4, "a stall is given up after the idle timeout, not the server's pace"
    assert err is not None and words in readable(err, url_of(stand_in)) and "kept" in str(err)
    (final,) = finals(events)
    assert final.text == "The storm broke" == "".join(e.text for e in events if isinstance(e, TextDelta))
    assert final.stats.partial and final.stats.generated_tokens == 3


def test_reasoning_never_reaches_the_draft_and_thinking_is_switched_off(stand_in: ThreadingHTTPServer) -> None:
    with OpenAIEngine(url_of(stand_in), chat=True) as engine:  # the writer's choice: Rewrite through chat
        engine.load(Path("unused"))
        assert engine.capabilities.chat_template
        stand_in.mode = "reasoning"  # type: ignore[attr-defined]
        req = GenerationRequest(action=Action.REWRITE, before="", selection="The storm broke over the rock.",
                                instruction="shorter", seed=2)
        assert engine.preview(req).mode == "chat"
        events, err = drain(engine, req)
    assert err is None
    (final,) = finals(events)
    shown = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert final.text == shown == "The storm broke <3", final.text  # a "<" that is no tag comes back
    assert final.stats.generated_tokens == 9, "reasoning chunks are generated tokens, only not shown"
    body = stand_in.bodies[-1]  # type: ignore[attr-defined]
    assert body["chat_template_kwargs"] == {"enable_thinking": False}
    (message,) = body["messages"]
    assert message["role"] == "user" and "The storm broke over the rock." in message["content"]
    assert "prompt" not in body


def test_n_is_used_where_the_server_honours_it(stand_in: ThreadingHTTPServer) -> None:
    stand_in.opts = {"honours_n": True}  # type: ignore[attr-defined]
    with OpenAIEngine(url_of(stand_in)) as engine:
        engine.load(Path("unused"))
        assert engine.capabilities.native_alternatives
        events, err = drain(engine, request(n_alternatives=3))
    assert err is None
    assert sorted(f.index for f in finals(events)) == [0, 1, 2]
    assert all(f.text == "The storm broke" for f in finals(events))
    assert [b.get("n") for b in stand_in.bodies] == [3], "one request for the three"  # type: ignore[attr-defined]


def test_without_n_alternatives_are_one_request_each(stand_in: ThreadingHTTPServer) -> None:
    with OpenAIEngine(url_of(stand_in)) as engine:
        engine.load(Path("unused"))
        assert not engine.capabilities.native_alternatives
        assert engine.server_facts is not None and any("one after another" in u
                                                       for u in engine.server_facts.unavailable)
        events, err = drain(engine, request(n_alternatives=2))
    assert err is None and [f.index for f in finals(events)] == [0, 1]
    assert [b["seed"] for b in stand_in.bodies] == [1, 2]  # type: ignore[attr-defined]


def test_the_context_is_learnt_from_an_overflow_refusal_else_assumed(stand_in: ThreadingHTTPServer) -> None:
    stand_in.opts = {"entry": {}, "no_tokenizer": True, "overflow": 3000}  # type: ignore[attr-defined]
    with OpenAIEngine(url_of(stand_in)) as engine:
        engine.load(Path("unused"))
        assert engine.capabilities.n_ctx == 3000 and engine.server_facts is not None
        assert "over-long prompt" in engine.server_facts.n_ctx_source
    stand_in.opts = {"entry": {}, "no_tokenizer": True}  # type: ignore[attr-defined]
    with OpenAIEngine(url_of(stand_in)) as engine:
        engine.load(Path("unused"))
        assert engine.capabilities.n_ctx == 2048 and engine.server_facts is not None
        assert "the context size (assumed)" in engine.server_facts.unavailable


def test_without_a_tokenizer_counts_are_estimates_and_long_drafts_are_trimmed(stand_in: ThreadingHTTPServer) -> None:
    stand_in.opts = {"entry": {"max_model_len": 1024}, "no_tokenizer": True}  # type: ignore[attr-defined]
    with OpenAIEngine(url_of(stand_in)) as engine:
        engine.load(Path("unused"))
        facts = engine.server_facts
        assert facts is not None and facts.tokenizer == "estimate"
        assert "exact token counts (estimated with a margin)" in facts.unavailable
        with pytest.raises(GenerationError, match="estimates"):
            engine.tokenize("The storm")
        assert engine.count_tokens("The storm") > 0
        long_draft = (PROSE + " ") * 40  # ~8,000 characters: far over 1,024 tokens even at 4 characters a token
        events, err = drain(engine, request(before=long_draft))
    assert err is None
    (final,) = finals(events)
    assert final.stats.trimmed_chars > 0, "the budget rules trimmed the oldest draft text"
    sent = stand_in.bodies[-1]["prompt"]  # type: ignore[attr-defined]
    assert len(sent) < len(long_draft) and long_draft.rstrip().endswith(sent.strip()[-200:])


@pytest.mark.parametrize("has_template", [True, False])
def test_a_vllm_style_chat_template_decides_the_rewrite_frame(stand_in: ThreadingHTTPServer,
                                                             has_template: bool) -> None:
    stand_in.opts = {"chat_template": has_template}  # type: ignore[attr-defined]
    with OpenAIEngine(url_of(stand_in)) as engine:
        info = engine.load(Path("unused"))
        assert info.has_chat_template == has_template == engine.capabilities.chat_template
        req = GenerationRequest(action=Action.REWRITE, before="", selection="The storm broke.", instruction="shorter")
        assert engine.preview(req).mode == ("chat" if has_template else "completion")
        drain(engine, req)
    body = stand_in.bodies[-1]  # type: ignore[attr-defined]
    assert ("messages" in body) == has_template and ("prompt" in body) != has_template
