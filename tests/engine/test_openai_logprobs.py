"""Token probabilities through the OpenAI engine on real servers on 127.0.0.1 (issue 15): llama-server's /v1
endpoints with the default model (``logprobs`` on /v1/completions, ``logprobs``/``top_logprobs`` on
/v1/chat/completions), llama-cpp-python's server (OpenAI's legacy shape), and ``studio continue --logprobs K
--json`` in a real process on llama-server behind a front that hides /props, so the CLI picks the OpenAI engine by
itself. Shapes the tests cannot get from a real server (vLLM's, OpenAI's limit, servers that ignore the fields or
send junk) are in test_openai_logprobs_standin.py."""

from __future__ import annotations

import json
import math
import threading
from pathlib import Path

from studio.domain import Action, Finished, GenerationRequest, Sampler, TextDelta, TokenAlternatives
from studio.engine.openai_engine import OpenAIEngine
from studio.engine.remote import RemoteEngine

from .openai_servers import (  # noqa: F401 - fixtures
    LlamaCppPythonServer,
    llama_cpp_python_server,
    props_hidden,
    py_server_engine,
    v1_engine,
)
from .remote_server import LlamaServer, llama_server, llama_server_exe, remote_engine  # noqa: F401 - fixtures
from .test_remote_cli import studio

STORY = "The lighthouse keeper climbed the stairs every evening. At the top, he lit the lamp and"
GREEDY = Sampler(temperature=0.0, repeat_penalty=1.0, max_tokens=16)


def _run(engine: object, request: GenerationRequest) -> tuple[list[TextDelta], Finished]:
    events = list(engine.stream(request, threading.Event()))  # type: ignore[attr-defined]
    (final,) = [e for e in events if isinstance(e, Finished)]
    return [e for e in events if isinstance(e, TextDelta)], final


def _well_formed(tokens: tuple[TokenAlternatives, ...], k: int, *, greedy: bool) -> None:
    assert tokens
    for t in tokens:
        assert len(t.top) == k and 0.0 < t.prob <= 1.0
        probs = [p for _, p in t.top]
        assert probs == sorted(probs, reverse=True) and all(0.0 < p <= 1.0 for p in probs)
        assert sum(probs) <= 1.0 + 1e-5
        if greedy:  # no penalties: the written token is the server's likeliest
            assert t.top[0][0] == t.text and math.isclose(t.top[0][1], t.prob, rel_tol=1e-4)


def _placed(tokens: tuple[TokenAlternatives, ...], text: str) -> None:
    """Every token has its place in the shown text, in order (a dropped leading space aside)."""
    ends = 0
    for t in tokens:
        assert t.start is not None and t.end is not None and ends <= t.start <= t.end <= len(text), (t, text)
        assert text[t.start:t.end] in (t.text, t.text.lstrip()), (t, text)
        ends = t.end
    assert ends == len(text)


def test_llama_server_v1_completions_give_each_tokens_alternatives(
        v1_engine: OpenAIEngine, remote_engine: RemoteEngine) -> None:  # noqa: F811
    assert v1_engine.capabilities.logprobs and v1_engine.facts is not None and v1_engine.facts.logprobs
    assert v1_engine.server_facts is not None and "token probabilities" not in v1_engine.server_facts.unavailable
    request = GenerationRequest(action=Action.CONTINUE, before=STORY, seed=4, max_tokens=16, logprobs=5,
                                sampler=GREEDY)
    deltas, final = _run(v1_engine, request)
    tokens = final.tokens
    assert len(tokens) == final.stats.generated_tokens > 0
    assert [t for d in deltas for t in d.tokens] == list(tokens[:sum(len(d.tokens) for d in deltas)])
    _well_formed(tokens, 5, greedy=True)
    assert "".join(t.text for t in tokens).strip() == final.text.strip()
    _placed(tokens, final.text)
    # The same server through its native /completion (n_probs): the same tokens, the same probabilities.
    _, native = _run(remote_engine, request)
    assert [t.text for t in native.tokens] == [t.text for t in tokens] and native.text == final.text
    assert all(math.isclose(a.prob, b.prob, abs_tol=0.02) for a, b in zip(native.tokens, tokens, strict=True))

    _, plain = _run(v1_engine, GenerationRequest(action=Action.CONTINUE, before=STORY, seed=4, max_tokens=16,
                                                 sampler=GREEDY))
    assert plain.tokens == () and plain.text == final.text


def test_two_alternatives_in_one_request_each_get_their_own_tokens(v1_engine: OpenAIEngine) -> None:  # noqa: F811
    assert v1_engine.capabilities.native_alternatives, "llama-server with two slots honours n: 2"
    request = GenerationRequest(action=Action.CONTINUE, before=STORY, seed=9, max_tokens=10, n_alternatives=2,
                                logprobs=2)
    events = list(v1_engine.stream(request, threading.Event()))
    finals = sorted((e for e in events if isinstance(e, Finished)), key=lambda f: f.index)
    assert [f.index for f in finals] == [0, 1] and finals[0].text != finals[1].text
    for f in finals:
        _well_formed(f.tokens, 2, greedy=False)
        assert "".join(t.text for t in f.tokens).strip() == f.text.strip()
        _placed(f.tokens, f.text)
        sent = [t for e in events if isinstance(e, TextDelta) and e.index == f.index for t in e.tokens]
        assert sent == list(f.tokens[:len(sent)])


def test_llama_server_chat_completions_give_them_for_a_rewrite(llama_server: LlamaServer) -> None:  # noqa: F811
    with OpenAIEngine(llama_server.url, chat=True) as engine:  # the writer's choice: Rewrite through chat
        engine.load(Path("unused"))
        assert engine.capabilities.logprobs
        request = GenerationRequest(action=Action.REWRITE, before="", selection="The storm broke over the rock.",
                                    instruction="shorter", seed=2, max_tokens=12, logprobs=3, sampler=GREEDY)
        assert engine.preview(request).mode == "chat"
        deltas, final = _run(engine, request)
    assert final.text.strip(), "the model wrote something"
    _well_formed(final.tokens, 3, greedy=True)
    assert [t for d in deltas for t in d.tokens] == list(final.tokens[:sum(len(d.tokens) for d in deltas)])
    assert "".join(t.text for t in final.tokens).strip().startswith(final.text.strip())
    _placed(tuple(t for t in final.tokens if t.start is not None), final.text)


def test_llama_cpp_python_server_sends_openai_s_legacy_shape(py_server_engine: OpenAIEngine) -> None:  # noqa: F811
    assert py_server_engine.capabilities.logprobs
    request = GenerationRequest(action=Action.CONTINUE, before=STORY, seed=4, max_tokens=4, logprobs=4,
                                sampler=GREEDY)
    deltas, final = _run(py_server_engine, request)
    _well_formed(final.tokens, 4, greedy=False)
    assert [t for d in deltas for t in d.tokens] == list(final.tokens[:sum(len(d.tokens) for d in deltas)])
    assert "".join(t.text for t in final.tokens).strip() == final.text.strip()
    _placed(final.tokens, final.text)


def test_studio_continue_logprobs_json_on_an_openai_compatible_server(llama_server: LlamaServer,  # noqa: F811
                                                                      studio_home: Path) -> None:
    with props_hidden(llama_server.url) as url:
        models = studio(["models", "--server", url, "--json"], studio_home)
        assert models.returncode == 0, models.stderr
        (entry,) = json.loads(models.stdout)
        report = entry["server_report"]
        assert report["kind"] == "OpenAI-compatible", "the CLI picked the OpenAI engine"
        assert not any(u.startswith("token probabilities") for u in report["unavailable"]), report
        p = studio(["continue", "--server", url, "--max-tokens", "10", "--seed", "7", "--logprobs", "4", "--json"],
                   studio_home, stdin=STORY)
    assert p.returncode == 0, p.stderr
    stats = json.loads(p.stderr.strip().splitlines()[-1])
    assert stats["server"] == url and 0 < stats["generated_tokens"] <= 10
    tokens = stats["tokens"]
    assert len(tokens) == stats["generated_tokens"]
    for t in tokens:
        assert len(t["top"]) == 4 and 0.0 < t["prob"] <= 1.0
        assert [a["prob"] for a in t["top"]] == sorted((a["prob"] for a in t["top"]), reverse=True)
    assert "".join(t["text"] for t in tokens).strip() == p.stdout.strip()
    assert [t["start"] for t in tokens[1:]] == [t["end"] for t in tokens[:-1]], "each token's place, in order"
