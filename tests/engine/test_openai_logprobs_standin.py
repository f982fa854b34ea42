"""Token probabilities through the OpenAI engine from servers the tests cannot run (issue 15), on a loopback
stand-in of our own: one that speaks vLLM's shapes (the legacy ``logprobs`` of /v1/completions, several tokens to
a chunk, text held back a chunk, a ``top_logprobs`` map that also holds the written token; the chat shape of
/v1/chat/completions), one with OpenAI's limit of 5 on the legacy field, one that ignores the fields, and ones that
send logprobs that are malformed or do not spell the text. The real servers are in test_openai_logprobs.py."""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from studio.domain import Action, Finished, GenerationRequest, TextDelta, TokenAlternatives
from studio.engine.openai_engine import OpenAIEngine
from studio.engine.remote_logprobs import TokenTrail

from .standin import StandIn, serving, url_of

# (text of the chunk, its tokens): vLLM sends " lighthouse" with the token " light" a chunk early (its detokenizer
# waits for the word's end), and two tokens in one chunk.
CHUNKS: list[tuple[str, list[str]]] = [("The", ["The"]), ("", [" light"]), (" lighthouse", ["house"]),
                                       (" keeper slept", [" keeper", " slept"]), (".", ["."])]
WRITTEN = "The lighthouse keeper slept."


def _lp(token: str) -> float:
    return -0.1 - 0.01 * len(token)


class _Server(StandIn):
    """``server.mode``: "vllm" (default), "openai" (refuses more than 5 on the legacy field), "ignores", or a way
    of being malformed in the stream only ("misspelt", "gap", "junk")."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path == "/v1/models":
            self._json(200, {"object": "list", "data": [{"id": "stand-in/vllm", "max_model_len": 2048}]})
        else:
            self._json(404, {"error": {"message": "Not Found"}})

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        if self.path == "/tokenize":
            self._json(200, {"tokens": [ord(c) for c in str(body.get("prompt", ""))], "max_model_len": 2048})
            return
        if self.path not in ("/v1/completions", "/v1/chat/completions"):
            self._json(404, {"error": {"message": "Not Found"}})
            return
        self.server.bodies.append(body)  # type: ignore[attr-defined]
        chat = self.path.endswith("chat/completions")
        k = int(body.get("top_logprobs") or 0) if chat else int(body.get("logprobs") or 0)
        if self.mode == "openai" and not chat and k > 5:
            self._json(400, {"error": {"message": "Invalid value for 'logprobs': must be less than or equal to 5."}})
            return
        if self.mode == "ignores":
            k = 0
        if not body.get("stream"):
            text, tokens = "The", ["The"]
            choice = {"index": 0, "finish_reason": "length", "logprobs": self._logprobs(tokens, k, chat)}
            choice |= {"message": {"role": "assistant", "content": text}} if chat else {"text": text}
            self._json(200, {"choices": [choice]})
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for i, (text, tokens) in enumerate(CHUNKS):
            logprobs = self._logprobs(tokens, k, chat)
            if k and i == 3 and self.mode != "vllm":
                logprobs = {"misspelt": self._logprobs([" sleeper", " kept"], k, chat), "gap": None,
                            "junk": {"tokens": [" keeper", " slept"], "token_logprobs": ["high", math.nan]}
                            }.get(self.mode, logprobs)
            self._send_event(self._choice(text, chat, None, logprobs))
        self._send_event(self._choice("", chat, "length", None))
        self.wfile.write(b"data: [DONE]\n\n")

    @staticmethod
    def _choice(text: str, chat: bool, finish: str | None, logprobs: Any) -> dict[str, Any]:
        choice: dict[str, Any] = {"index": 0, "finish_reason": finish, "logprobs": logprobs}
        choice |= {"delta": {"content": text}} if chat else {"text": text}
        return {"choices": [choice]}

    def _send_event(self, chunk: dict[str, Any]) -> None:
        self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        self.wfile.flush()

    @staticmethod
    def _logprobs(tokens: list[str], k: int, chat: bool) -> dict[str, Any] | None:
        if not k:
            return None
        alts = [(tok, _lp(tok)) for tok in tokens]
        if chat:
            return {"content": [{"token": t, "logprob": lp, "bytes": list(t.encode()),
                                 "top_logprobs": [{"token": f"{t}~{j}", "logprob": lp - 1 - j} for j in range(k)]}
                                for t, lp in alts]}
        # vLLM's legacy map: the k likeliest and the written token, unordered, so k + 1 entries.
        return {"tokens": tokens, "token_logprobs": [lp for _, lp in alts],
                "top_logprobs": [{f"{t}~{j}": lp - 1 - j for j in range(k)} | {t: lp} for t, lp in alts],
                "text_offset": [0] * len(tokens)}


@pytest.fixture
def stand_in() -> Iterator[ThreadingHTTPServer]:
    with serving(_Server, bodies=[]) as server:
        yield server


def _generate(server: ThreadingHTTPServer, k: int, *, mode: str = "vllm",
              rewrite: bool = False) -> tuple[list[str], list[TextDelta], Finished]:
    """What the connected engine says is unavailable, and one generation's deltas and Finished."""
    server.mode = mode  # type: ignore[attr-defined]
    with OpenAIEngine(url_of(server), chat=True if rewrite else None) as engine:
        engine.load(Path("unused"))
        assert engine.server_facts is not None and engine.facts is not None
        assert engine.capabilities.logprobs == engine.facts.logprobs
        unavailable = list(engine.server_facts.unavailable) + ([] if engine.capabilities.logprobs else ["none"])
        request = GenerationRequest(action=Action.REWRITE if rewrite else Action.CONTINUE, before="Night fell.",
                                    selection="He slept." if rewrite else "",
                                    instruction="shorter" if rewrite else "", seed=1, max_tokens=8, logprobs=k)
        events = list(engine.stream(request, threading.Event()))
    (final,) = [e for e in events if isinstance(e, Finished)]
    return unavailable, [e for e in events if isinstance(e, TextDelta)], final


def _check(deltas: list[TextDelta], final: Finished, k: int) -> None:
    assert final.text == WRITTEN == "".join(d.text for d in deltas)
    assert [t.text for t in final.tokens] == ["The", " light", "house", " keeper", " slept", "."]
    assert [t for d in deltas for t in d.tokens] == list(final.tokens)
    assert "".join(t.text for t in final.tokens) == final.text
    # Each token's place in the shown text (token_spans), as on the other engines: vLLM's " light" came before its
    # text, so it has no characters of its own (no place) and "house" holds the word.
    assert [(t.start, t.end) for t in final.tokens] == [(0, 3), (None, None), (3, 14), (14, 21), (21, 27), (27, 28)]
    for t in final.tokens:
        assert t.prob == pytest.approx(math.exp(_lp(t.text))) and len(t.top) == k
        probs = [p for _, p in t.top]
        assert probs == sorted(probs, reverse=True) and all(0.0 < p <= 1.0 for p in probs)


@pytest.mark.parametrize("rewrite", [False, True])
def test_vllm_shapes_line_up_with_the_text(stand_in: ThreadingHTTPServer, rewrite: bool) -> None:
    unavailable, deltas, final = _generate(stand_in, 3, rewrite=rewrite)
    assert "token probabilities" not in unavailable and "none" not in unavailable
    _check(deltas, final, 3)
    sent = stand_in.bodies[-1]  # type: ignore[attr-defined]
    if rewrite:
        assert sent["logprobs"] is True and sent["top_logprobs"] == 3 and "messages" in sent
    else:
        assert sent["logprobs"] == 3 and "prompt" in sent and "top_logprobs" not in sent
        # The legacy map holds the written token besides the k likeliest: the likeliest k are kept.
        assert final.tokens[0].top[0] == ("The", pytest.approx(math.exp(_lp("The"))))


def test_openai_s_limit_of_five_is_found_and_kept(stand_in: ThreadingHTTPServer) -> None:
    _, deltas, final = _generate(stand_in, 10, mode="openai")
    probes = [b["logprobs"] for b in stand_in.bodies if not b.get("stream") and "prompt" in b and "logprobs" in b]  # type: ignore[attr-defined]
    assert probes == [10, 5], "refused at 10, asked again at OpenAI's limit"
    assert stand_in.bodies[-1]["logprobs"] == 5  # type: ignore[attr-defined]
    _check(deltas, final, 5)


def test_a_server_that_ignores_logprobs_says_so_and_still_writes(stand_in: ThreadingHTTPServer) -> None:
    unavailable, deltas, final = _generate(stand_in, 5, mode="ignores")
    assert "token probabilities" in unavailable and "none" in unavailable
    assert final.text == WRITTEN and final.tokens == () and all(d.tokens == () for d in deltas)
    assert "logprobs" not in stand_in.bodies[-1], "not asked of a server that does not answer"  # type: ignore[attr-defined]


@pytest.mark.parametrize("mode", ["misspelt", "gap", "junk"])
def test_malformed_logprobs_give_no_alternatives_never_wrong_ones(stand_in: ThreadingHTTPServer, mode: str) -> None:
    unavailable, deltas, final = _generate(stand_in, 2, mode=mode)
    assert "none" not in unavailable, "the probe's answer was well formed"
    assert final.text == WRITTEN == "".join(d.text for d in deltas), "the text is untouched"
    assert final.tokens == (), "none rather than some under the wrong words"
    # What went out with the deltas before the fault spelled the text so far; nothing went out after it.
    assert [t.text for d in deltas for t in d.tokens] == ["The", " light", "house"]


def _tok(text: str) -> dict[str, Any]:
    return {"content": [{"token": text, "logprob": -0.5, "top_logprobs": []}]}


def test_the_trail_compares_ascii_once_a_token_holds_part_of_a_character() -> None:
    trail = TokenTrail(2)
    trail.add(_tok("\ufffd"), "")  # the first half of 龘: no text yet
    trail.add(_tok("\ufffd"), "龘")
    trail.add(_tok(" and"), " and")
    assert [t.text for t in trail.final()] == ["\ufffd", "\ufffd", " and"]
    ahead = TokenTrail(2)  # tokens past the text (an end marker) come after it, as a stop sequence's do locally
    ahead.add(_tok("Hi"), "Hi")
    ahead.add(_tok("<|end|>"), "")
    assert len(ahead.final()) == 2
    short = TokenTrail(2)
    short.add(_tok("Hi"), "Hi there")
    assert short.final() == () and short.lost
    assert isinstance(TokenTrail(1).final(), tuple) and TokenTrail(1).final() == ()
    nan = TokenTrail(1)
    nan.add({"content": [{"token": "Hi", "logprob": math.nan}]}, "Hi")
    assert all(isinstance(t, TokenAlternatives) and not math.isnan(t.prob) for t in nan.final())
