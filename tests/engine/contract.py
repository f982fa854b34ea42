"""The contract every engine must pass (studio/engine/base.py's ``Engine``), written once for all of them.

``ENGINE_KINDS`` lists the implementations; the ``contract_engine`` fixture is parametrized over it, so each
``EngineContract`` test runs once per engine. Today that is the in-process llama.cpp engine on the real default
model (Gemma 3 270M base), the remote engine (studio/engine/remote.py) talking to a real llama-server on
127.0.0.1 with the same model (tests/engine/remote_server.py), and the OpenAI engine (studio/engine/openai_engine.py)
on llama-cpp-python's own server and on llama-server's /v1 endpoints (tests/engine/openai_servers.py).
tests/engine/test_contract.py collects the suite.

Each test is quick (a handful of tokens) so the suite stays cheap for an engine behind HTTP. What is checked is
behaviour a writer or the services rely on, not how an engine gets there: the text arrives in whole characters
and adds up, Stop stops within a token and leaves the engine working, alternatives come back numbered, a prompt
over the context is a readable ContextOverflowError, and ``capabilities`` says what the engine really does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from studio.domain import (
    Action,
    ContextOverflowError,
    EngineCapabilities,
    Finished,
    GenerationError,
    GenerationEvent,
    GenerationRequest,
    LoadSettings,
    PromptProgress,
    Sampler,
    StopReason,
    TextDelta,
    Thinking,
)
from studio.domain.text import is_cjk
from studio.engine.base import Engine

PROSE = ("Mara kept the lighthouse on Gull Rock for eleven winters. Every evening she climbed the iron stairs to "
         "the lamp room, trimmed the wick and polished the great lens until it shone. Ships passed far out at sea, "
         "and their lights blinked back at her across the dark water. In the mornings she wrote the weather in a "
         "thick logbook, the wind and the swell and the ships she had seen. One night a storm came in from the west "
         "and")
OTHER_PROSE = ("Tomas repaired clocks in a narrow shop behind the cathedral. Customers left their watches on the "
               "counter with a note, and he worked through the night under a green lamp, listening to the ticking "
               "of a hundred small hearts until the bells rang six and")
# Emoji beyond the BMP that the default model's vocabulary spells with several byte tokens, among Chinese words:
# a continuation repeats such emoji, so a split character would show as U+FFFD or vanish.
EMOJI_CJK = "动物：🦩火烈鸟 🦚孔雀 🦜鹦鹉 🦢天鹅 🦤渡渡鸟 🦙羊驼 "
# Questions answered after a think block: greedy, the default model goes on in the pattern and reasons first
# (measured: "<think>France has 180,000 square kilometers.</think>" then "A: France."), so every engine must take
# a block the model writes out of the text (engine/reasoning.py).
THINKING_SHOTS = "".join(f"Q: {q}\n<think>{t}</think>\nA: {a}\n\n" for q, t, a in (
    ("What is two and two?", "Two and two make four.", "Four."),
    ("What colour is the sky?", "The sky on a clear day is blue.", "Blue."),
    ("Which animal barks?", "Dogs bark.", "A dog."),
    ("How many legs has a cat?", "A cat has four legs.", "Four."))) + "Q: What is the capital of France?\n"


@dataclass(frozen=True)
class EngineKind:
    """One engine implementation as the contract sees it."""

    name: str
    loaded: Callable[[pytest.FixtureRequest], Engine]  # the session's engine with the default model loaded
    unloaded: Callable[[pytest.FixtureRequest], Engine]  # a new engine with nothing loaded (the test closes it)


def _llama_loaded(request: pytest.FixtureRequest) -> Engine:
    engine: Engine = request.getfixturevalue("engine")  # tests/engine/conftest.py: loaded once per session
    return engine


def _llama_unloaded(request: pytest.FixtureRequest) -> Engine:
    from studio.engine.llama_engine import LlamaEngine

    return LlamaEngine(cache_dir=request.getfixturevalue("model_cache"))


def _server_loaded(request: pytest.FixtureRequest) -> Engine:
    engine: Engine = request.getfixturevalue("remote_engine")  # tests/engine/remote_server.py: a real llama-server
    return engine


def _server_unloaded(request: pytest.FixtureRequest) -> Engine:
    from studio.engine.remote import RemoteEngine

    return RemoteEngine(request.getfixturevalue("llama_server").url)


def _py_server_loaded(request: pytest.FixtureRequest) -> Engine:
    engine: Engine = request.getfixturevalue("py_server_engine")  # tests/engine/openai_servers.py
    return engine


def _py_server_unloaded(request: pytest.FixtureRequest) -> Engine:
    from studio.engine.openai_engine import OpenAIEngine

    return OpenAIEngine(request.getfixturevalue("llama_cpp_python_server").url)


def _v1_loaded(request: pytest.FixtureRequest) -> Engine:
    engine: Engine = request.getfixturevalue("v1_engine")  # tests/engine/openai_servers.py
    return engine


def _v1_unloaded(request: pytest.FixtureRequest) -> Engine:
    from studio.engine.openai_engine import OpenAIEngine

    return OpenAIEngine(request.getfixturevalue("llama_server").url)


ENGINE_KINDS = (EngineKind("llama", _llama_loaded, _llama_unloaded),
                EngineKind("llama-server", _server_loaded, _server_unloaded),
                # The OpenAI engine on llama-cpp-python's server, and on llama-server's /v1 endpoints (kind
                # forced): the stand-in for vLLM.
                EngineKind("openai:llama-cpp-python", _py_server_loaded, _py_server_unloaded),
                EngineKind("openai:llama-server-v1", _v1_loaded, _v1_unloaded))


@pytest.fixture(params=[k.name for k in ENGINE_KINDS])
def engine_kind(request: pytest.FixtureRequest) -> EngineKind:
    return next(k for k in ENGINE_KINDS if k.name == request.param)


@pytest.fixture
def contract_engine(engine_kind: EngineKind, request: pytest.FixtureRequest) -> Engine:
    return engine_kind.loaded(request)


# ----------------------------------------------------------------------------------------------- helpers


def collect(engine: Engine, request: GenerationRequest, cancel: threading.Event | None = None,
            on_delta: Callable[[TextDelta, int], None] | None = None) -> list[GenerationEvent]:
    events: list[GenerationEvent] = []
    seen = 0
    for ev in engine.stream(request, cancel or threading.Event()):
        events.append(ev)
        if isinstance(ev, TextDelta) and on_delta is not None:
            seen += 1
            on_delta(ev, seen)
    return events


def finals_of(events: list[GenerationEvent]) -> list[Finished]:
    return [e for e in events if isinstance(e, Finished)]


def check_well_formed(events: list[GenerationEvent], *, sequential: bool) -> list[Finished]:
    """The shape every stream has: known event types, non-empty deltas, one Finished per alternative after all
    of its deltas, the deltas adding up to the Finished text. ``sequential``: alternatives one after another."""
    assert events, "a stream yields at least its Finished"
    assert all(isinstance(e, TextDelta | Thinking | PromptProgress | Finished) for e in events), events
    assert all(e.text for e in events if isinstance(e, Thinking)), "an empty Thinking"
    finals = finals_of(events)
    assert finals, events
    for i, f in enumerate(finals):
        mine = [n for n, e in enumerate(events) if e.index == f.index]
        assert mine[-1] == events.index(f), f"alternative {f.index}: an event after its Finished"
        assert [e for e in events if isinstance(e, Finished) and e.index == f.index] == [f]
        deltas = [e for e in events if isinstance(e, TextDelta) and e.index == f.index]
        assert all(d.text for d in deltas), "an empty TextDelta"
        assert "".join(d.text for d in deltas) == f.text, f"alternative {f.index}: deltas != Finished.text"
        thought = "".join(e.text for e in events if isinstance(e, Thinking) and e.index == f.index)
        assert not thought.strip() or thought.strip() not in f.text, "reasoning in the text"
        if sequential and i + 1 < len(finals):
            assert all(e.index != finals[i + 1].index for e in events[: events.index(f)]), \
                "alternatives interleaved although the engine says it runs them one after another"
    for p in (e for e in events if isinstance(e, PromptProgress)):
        assert 0 <= p.done_tokens <= p.total_tokens
    return finals


def whole_characters(text: str) -> bool:
    """No replacement character and no lone surrogate: what a split UTF-8 sequence turns into."""
    return "\ufffd" not in text and not any(0xD800 <= ord(c) <= 0xDFFF for c in text)


# ----------------------------------------------------------------------------------------------- the contract


class EngineContract:
    """Collected by tests/engine/test_contract.py; every test runs once per entry of ENGINE_KINDS."""

    def test_implements_the_protocol_with_capabilities_probed_at_load(self, contract_engine: Engine) -> None:
        assert isinstance(contract_engine, Engine)
        assert contract_engine.loaded and contract_engine.info is not None
        caps = contract_engine.capabilities
        assert isinstance(caps, EngineCapabilities) and caps.n_ctx > 0
        assert contract_engine.capabilities is caps, "probed once, not recomputed per call"

    def test_streaming_deltas_add_up_to_the_finished_text(self, contract_engine: Engine) -> None:
        req = GenerationRequest(action=Action.CONTINUE, before=PROSE, seed=3, max_tokens=12)
        events = collect(contract_engine, req)
        (final,) = check_well_formed(events, sequential=True)
        assert events[-1] is final and final.index == 0
        assert final.text.strip(), "the model wrote nothing"
        assert 1 <= final.stats.generated_tokens <= 12
        assert final.stats.stop_reason in (StopReason.LENGTH, StopReason.STOP) and not final.stats.partial
        assert final.stats.prompt_tokens > 0

    def test_stop_takes_effect_within_a_token_and_the_engine_works_after(self, contract_engine: Engine) -> None:
        cancel = threading.Event()

        def stop_at_third(_delta: TextDelta, seen: int) -> None:
            if seen == 3:
                cancel.set()

        req = GenerationRequest(action=Action.CONTINUE, before=PROSE, seed=5, max_tokens=60, n_alternatives=2,
                                sampler=Sampler(temperature=0.9, max_tokens=60))
        events = collect(contract_engine, req, cancel, stop_at_third)
        finals = check_well_formed(events, sequential=not contract_engine.capabilities.native_alternatives)
        deltas = [e for e in events if isinstance(e, TextDelta)]
        assert all(f.stats.stop_reason == StopReason.CANCELLED and f.stats.partial for f in finals), finals
        if not contract_engine.capabilities.native_alternatives:
            assert [f.index for f in finals] == [0], "after a cancel, later alternatives are skipped"
        # Plain English without stop sequences: one delta per token, so nothing was sampled and kept after Stop.
        assert len(deltas) <= 3 + 1 and finals[0].stats.generated_tokens <= 3 + 1, finals[0].stats
        assert finals[0].text.strip()

        after = collect(contract_engine, GenerationRequest(action=Action.CONTINUE, before="The sea was calm. Mara",
                                                           seed=1, max_tokens=4))
        (final,) = check_well_formed(after, sequential=True)
        assert final.stats.stop_reason == StopReason.LENGTH and final.stats.generated_tokens == 4

    def test_a_cancel_set_before_the_job_starts_generates_nothing(self, contract_engine: Engine) -> None:
        cancel = threading.Event()
        cancel.set()
        events = collect(contract_engine, GenerationRequest(action=Action.CONTINUE, before=OTHER_PROSE, seed=2,
                                                            max_tokens=8, n_alternatives=2), cancel)
        finals = check_well_formed(events, sequential=True)
        assert [f.index for f in finals] == [0] or contract_engine.capabilities.native_alternatives
        assert all(f.stats.stop_reason == StopReason.CANCELLED and f.stats.generated_tokens == 0 for f in finals)
        assert all(f.text == "" for f in finals)

    def test_alternatives_come_back_numbered(self, contract_engine: Engine) -> None:
        req = GenerationRequest(action=Action.CONTINUE, before=PROSE, seed=11, n_alternatives=3, max_tokens=8)
        events = collect(contract_engine, req)
        finals = check_well_formed(events, sequential=not contract_engine.capabilities.native_alternatives)
        assert sorted(f.index for f in finals) == [0, 1, 2]
        assert all(f.text.strip() and f.stats.generated_tokens >= 1 for f in finals), finals
        assert len({f.text for f in finals}) >= 2, "three alternatives, one text: the seeds were not varied"
        seeds = [f.stats.seed for f in finals if f.stats.seed is not None]
        assert len(set(seeds)) == len(seeds), seeds

    def test_cjk_and_emoji_are_never_split(self, contract_engine: Engine) -> None:
        multi_token: set[str] = set()
        for seed in (1, 2, 3):
            req = GenerationRequest(action=Action.CONTINUE, before=EMOJI_CJK, seed=seed, max_tokens=24)
            events = collect(contract_engine, req)
            (final,) = check_well_formed(events, sequential=True)
            assert all(whole_characters(e.text) for e in events if isinstance(e, TextDelta)), events
            assert whole_characters(final.text) and any(is_cjk(c) for c in final.text), final.text
            multi_token |= {c for c in final.text if ord(c) > 0xFFFF and contract_engine.count_tokens(c) > 1}
        # Without a character spelled by several tokens the test would prove nothing; with the engine decoding
        # token by token such a character would have come out as U+FFFD or been dropped.
        assert multi_token, "no character made of several tokens came out"

    def test_a_think_block_the_model_writes_never_reaches_the_text(self, contract_engine: Engine) -> None:
        req = GenerationRequest(action=Action.CONTINUE, before=THINKING_SHOTS, seed=1,
                                sampler=Sampler(temperature=0.0, max_tokens=30))
        events = collect(contract_engine, req)
        (final,) = check_well_formed(events, sequential=True)
        thought = "".join(e.text for e in events if isinstance(e, Thinking))
        assert "<think>" not in final.text and "</think>" not in final.text, final.text
        assert thought.strip() and thought.strip() not in final.text, (thought, final.text)
        assert final.text.strip(), "the answer after the block is text"

    def test_a_prompt_over_the_context_is_a_readable_overflow_error(self, contract_engine: Engine) -> None:
        n_ctx = contract_engine.capabilities.n_ctx
        sentence = "The old man walked to the harbour every morning to look at the boats. "
        per = contract_engine.count_tokens(sentence)
        selection = sentence * (2 * n_ctx // per)  # twice over: repeats tokenize a little tighter at the seams
        assert contract_engine.count_tokens(selection) > n_ctx
        req = GenerationRequest(action=Action.REWRITE, before="", selection=selection, instruction="shorter")
        with pytest.raises(ContextOverflowError) as err:
            collect(contract_engine, req)
        message = str(err.value)
        assert f"{n_ctx:,}" in message and "context" in message, message
        assert "Traceback" not in message and "Error" not in message and "llama" not in message.lower(), message
        assert 0 < err.value.fits_tokens < n_ctx and err.value.fits_chars > 0
        preview = contract_engine.preview(req)
        assert not preview.fits and preview.message == message
        after = collect(contract_engine, GenerationRequest(action=Action.CONTINUE, before=PROSE, max_tokens=3))
        assert check_well_formed(after, sequential=True)[0].stats.generated_tokens >= 1

    def test_one_job_at_a_time(self, contract_engine: Engine) -> None:
        first = contract_engine.stream(GenerationRequest(action=Action.CONTINUE, before=PROSE, max_tokens=20),
                                       threading.Event())
        next(first)
        try:
            with pytest.raises(GenerationError):
                next(contract_engine.stream(GenerationRequest(action=Action.CONTINUE, before="Twice", max_tokens=2),
                                            threading.Event()))
        finally:
            first.close()
        assert collect(contract_engine, GenerationRequest(action=Action.CONTINUE, before=PROSE, max_tokens=2))

    def test_capabilities_match_what_the_engine_does(self, contract_engine: Engine) -> None:
        caps = contract_engine.capabilities
        cont = GenerationRequest(action=Action.CONTINUE, before=PROSE, after="\n\nThe end came at dawn.")
        rewrite = GenerationRequest(action=Action.REWRITE, before="It rained.\n\n", selection=OTHER_PROSE,
                                    instruction="shorter")
        assert contract_engine.preview(cont).n_ctx == caps.n_ctx
        assert (contract_engine.preview(cont).mode == "fim") == caps.fim
        assert (contract_engine.preview(rewrite).mode == "chat") == caps.chat_template
        if caps.state_save_restore:
            # Draft A, then draft B (the live state is B's), then A again: A's saved state comes back.
            a = GenerationRequest(action=Action.CONTINUE, before=PROSE, seed=1, max_tokens=2, draft_key="contract-a")
            b = GenerationRequest(action=Action.CONTINUE, before=OTHER_PROSE, seed=1, max_tokens=2,
                                  draft_key="contract-b")
            for req in (a, b):
                check_well_formed(collect(contract_engine, req), sequential=True)
            (again,) = check_well_formed(collect(contract_engine, a), sequential=True)
            assert again.stats.cached_tokens >= again.stats.prompt_tokens - 1, again.stats

    def test_lifecycle_capabilities_are_off_until_load_and_after_close(self, engine_kind: EngineKind,
                                                                        request: pytest.FixtureRequest,
                                                                        default_model_path: Path) -> None:
        engine = engine_kind.unloaded(request)
        try:
            assert not engine.loaded and engine.info is None
            assert engine.capabilities == EngineCapabilities()
            with pytest.raises(GenerationError):
                collect(engine, GenerationRequest(action=Action.CONTINUE, before=PROSE, max_tokens=2))
            info = engine.load(default_model_path, LoadSettings(n_ctx=1024))
            assert engine.loaded and engine.info == info
            assert engine.capabilities.n_ctx == 1024
            assert engine.count_tokens("Mara kept the lighthouse.") == len(engine.tokenize("Mara kept the lighthouse."))
            assert engine.count_tokens("Mara kept the lighthouse.") > 0
        finally:
            engine.close()
        assert not engine.loaded and engine.capabilities == EngineCapabilities()
        engine.close()  # twice is fine
