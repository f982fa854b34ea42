"""Token probabilities from remote engines (issue 15): llama-server's ``n_probs`` on a real server with the default
model, read into the same TokenAlternatives as the local engine's; the servers' other shapes read by
remote_logprobs (the samples are what llama-server 0.3.36 and OpenAI's legacy completions send)."""

from __future__ import annotations

import math
import threading

import pytest

from studio.domain import Action, Finished, GenerationRequest, Sampler, TextDelta
from studio.engine.remote import RemoteEngine
from studio.engine.remote_logprobs import choice_tokens, token_items

from .remote_server import LlamaServer, llama_server, llama_server_exe, remote_engine  # noqa: F401 - fixtures

STORY = "The lighthouse keeper climbed the stairs every evening. At the top, he lit the lamp and"


def test_llama_server_sends_each_tokens_alternatives(remote_engine: RemoteEngine) -> None:  # noqa: F811
    assert remote_engine.capabilities.logprobs
    request = GenerationRequest(action=Action.CONTINUE, before=STORY, seed=4, max_tokens=16, logprobs=5,
                                sampler=Sampler(temperature=0.0, repeat_penalty=1.0, max_tokens=16))
    events = list(remote_engine.stream(request, threading.Event()))
    (final,) = [e for e in events if isinstance(e, Finished)]
    deltas = [e for e in events if isinstance(e, TextDelta)]
    tokens = final.tokens
    assert len(tokens) == final.stats.generated_tokens > 0
    assert [t for d in deltas for t in d.tokens] == list(tokens[:sum(len(d.tokens) for d in deltas)])
    for t in tokens:
        assert len(t.top) == 5 and 0.0 < t.prob <= 1.0
        probs = [p for _, p in t.top]
        assert probs == sorted(probs, reverse=True) and sum(probs) <= 1.0 + 1e-5
        # Greedy without penalties: the written token is the server's likeliest.
        assert t.top[0][0] == t.text and math.isclose(t.top[0][1], t.prob, rel_tol=1e-4)
    assert "".join(t.text for t in tokens).strip() == final.text.strip()

    plain = [e for e in remote_engine.stream(GenerationRequest(action=Action.CONTINUE, before=STORY, seed=4,
                                                                max_tokens=16, sampler=request.sampler),
                                             threading.Event()) if isinstance(e, Finished)]
    assert plain[0].tokens == () and plain[0].text == final.text


def test_the_server_shapes_are_read_alike() -> None:
    item = {"id": 657, "token": " at", "bytes": [32, 97, 116], "logprob": -2.9,
            "top_logprobs": [{"id": 691, "token": " was", "logprob": -2.36}, {"id": 563, "token": " is",
                                                                              "logprob": -2.31}]}
    (t,) = token_items([item], 5)
    assert t.text == " at" and t.prob == pytest.approx(math.exp(-2.9))
    assert [a for a, _ in t.top] == [" is", " was"]  # likeliest first, whatever order the server sent
    (half,) = token_items([{"token": "?", "bytes": [0xE5, 0xBA], "logprob": -0.1, "top_logprobs": []}], 5)
    assert half.text == "\ufffd"  # part of a character: the bytes, not a made-up text
    (old,) = token_items([{"content": " the", "probs": [{"tok_str": " the", "prob": 0.6},
                                                        {"tok_str": " a", "prob": 0.1}]}], 1)
    assert old.prob == pytest.approx(0.6) and old.top == ((" the", 0.6),)
    assert choice_tokens({"content": [item]}, 2) == [t]  # OpenAI chat, llama-server's /v1/completions
    legacy = choice_tokens({"tokens": [" at", " the"], "token_logprobs": [-1.0, -0.5],
                            "top_logprobs": [{" at": -1.0, " is": -0.7}, {" the": -0.5}]}, 5)
    assert [(x.text, round(x.prob, 4)) for x in legacy] == [(" at", round(math.exp(-1.0), 4)),
                                                            (" the", round(math.exp(-0.5), 4))]
    assert [a for a, _ in legacy[0].top] == [" is", " at"]
    for junk in (None, "x", [1, None], {"content": "no"}, {"tokens": 3}):
        assert token_items(junk, 3) == [] and choice_tokens(junk, 3) == []
