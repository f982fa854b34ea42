"""Token probabilities on the in-process engine (issue 15): per generated token, the top-k alternatives with the
model's probabilities, on the real default model; nothing computed when a request does not ask."""

from __future__ import annotations

import math

import numpy as np
import pytest

from studio.domain import Action, GenerationRequest, Sampler
from studio.engine.llama_engine import LlamaEngine
from studio.engine.token_probs import TokenProbs
from tests.engine.conftest import run

STORY = "The lighthouse keeper climbed the stairs every evening. At the top, he lit the lamp and"


def test_the_processor_finds_the_top_k_and_the_written_tokens_probability() -> None:
    rng = np.random.default_rng(3)
    logits = (rng.standard_normal(50_000) * 2).astype(np.float32)
    logits[[7, 11, 13]] = [30.0, 29.0, 28.0]
    logits[17] = -np.inf  # a token the guard banned
    probs = TokenProbs(3, piece=lambda t: f"<{t}>")
    assert probs(np.zeros(0), logits) is logits  # it reads, it never changes what the sampler gets
    got = probs.take(11)
    assert got is not None
    expected = np.exp(logits.astype(np.float64) - logits.max())
    expected /= expected.sum()
    assert got.text == "<11>"
    assert got.prob == pytest.approx(expected[11], rel=1e-4)
    assert [t for t, _ in got.top] == ["<7>", "<11>", "<13>"]
    assert [p for _, p in got.top] == pytest.approx(list(expected[[7, 11, 13]]), rel=1e-4)
    assert probs.take(11) is None  # one record per step


def test_flat_and_peaked_distributions_still_give_k_alternatives() -> None:
    flat = np.zeros(10_000, dtype=np.float32)  # every token in the narrow band: the k best of many
    probs = TokenProbs(10, piece=str)
    probs(np.zeros(0), flat)
    got = probs.take(5)
    assert got is not None and len(got.top) == 10
    assert got.prob == pytest.approx(1e-4, rel=1e-4)
    peaked = np.full(10_000, -30.0, dtype=np.float32)  # two tokens, the rest out of every band: the full sort
    peaked[[40, 41]] = [0.0, -1.0]
    peaked[[50, 51]] = [-29.0, -28.0]
    probs(np.zeros(0), peaked)
    got = probs.take(41)
    assert got is not None and [t for t, _ in got.top[:4]] == ["40", "41", "51", "50"] and len(got.top) == 10
    assert TokenProbs(50, piece=str).k == 10  # k up to 10


def test_local_engine_reports_alternatives_per_token_on_the_real_model(engine: LlamaEngine) -> None:
    assert engine.capabilities.logprobs
    request = GenerationRequest(action=Action.CONTINUE, before=STORY, seed=5, max_tokens=24, logprobs=5,
                                sampler=Sampler(temperature=0.0, repeat_penalty=1.0, max_tokens=24))
    r = run(engine, request)
    tokens = r.final.tokens
    assert len(tokens) == r.final.stats.generated_tokens > 0
    # The deltas carry the tokens as they come, and all of them end up on Finished.
    assert [t for d in r.deltas for t in d.tokens] == list(tokens[:sum(len(d.tokens) for d in r.deltas)])
    for t in tokens:
        assert len(t.top) == 5
        probs = [p for _, p in t.top]
        assert probs == sorted(probs, reverse=True)
        assert 0.0 < t.prob <= 1.0 and sum(probs) <= 1.0 + 1e-5
        # Greedy without a repeat penalty (which acts after the probabilities are read): the written token is the
        # likeliest one, so it heads its own list.
        assert t.top[0][0] == t.text and math.isclose(t.top[0][1], t.prob, rel_tol=1e-5)
    assert "".join(t.text for t in tokens).strip() == r.final.text.strip()


def test_sampled_tokens_are_among_the_candidates_and_off_means_nothing(engine: LlamaEngine) -> None:
    request = GenerationRequest(action=Action.CONTINUE, before=STORY, seed=11, max_tokens=20, logprobs=10)
    r = run(engine, request)
    assert r.final.tokens and all(len(t.top) == 10 for t in r.final.tokens)
    # top-k 40 sampling: every written token had a real probability, and most are in the model's top 10.
    assert sum(t.text in {a for a, _ in t.top} for t in r.final.tokens) >= len(r.final.tokens) * 0.7
    plain = run(engine, GenerationRequest(action=Action.CONTINUE, before=STORY, seed=11, max_tokens=20))
    assert plain.final.tokens == () and all(d.tokens == () for d in plain.deltas)
    assert plain.final.text == r.final.text  # asking for probabilities never changes what is written


def test_chinese_tokens_come_with_their_text(engine: LlamaEngine) -> None:
    request = GenerationRequest(action=Action.CONTINUE, before="床前明月光，疑是地上霜。举头望明月，", seed=2,
                                max_tokens=12, logprobs=3, sampler=Sampler(temperature=0.0, max_tokens=12))
    r = run(engine, request)
    assert r.final.tokens
    assert any("\u4e00" <= ch <= "\u9fff" for t in r.final.tokens for ch in t.text)
