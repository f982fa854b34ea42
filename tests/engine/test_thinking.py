"""Models that think before they answer, on real GGUFs whose chat template makes them think (written from the
small chat model: tests/engine/thinking_models.py): through the writer's path on the local engine, and on a real
llama-server through RemoteEngine. Thinking is switched off where the template allows it, and a think block (the
model's own, or one the prompt opened) never reaches a Rewrite proposal."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from studio.domain import Action, Finished, Form, GenerationEvent, LoadSettings, TextDelta, Thinking
from studio.engine.llama_engine import LlamaEngine

from .remote_server import LlamaServer, llama_server_exe  # noqa: F401 - the fixture below uses it
from .thinking_models import ALWAYS_OPEN, QWEN3_LIKE, with_chat_template

SELECTION = "She was sad about the news."
MARKERS = ("<think>", "</think>", "/no_think")


@pytest.fixture(scope="module")
def qwen3_like(chat_model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return with_chat_template(chat_model_path, tmp_path_factory.mktemp("thinking") / "qwen3-like.gguf", QWEN3_LIKE)


@pytest.fixture(scope="module")
def always_open(chat_model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return with_chat_template(chat_model_path, tmp_path_factory.mktemp("thinking") / "r1-like.gguf", ALWAYS_OPEN)


class _Script:
    """A hostile logits processor placed before the guard: the first generated tokens are ``script`` whatever the
    model wanted (so a model that never thinks writes a think block, deterministically), then the model's own."""

    def __init__(self, script: list[int], n_prompt: int) -> None:
        self.script, self.n_prompt = script, n_prompt

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        step = len(input_ids) - self.n_prompt
        if step >= len(self.script):
            return scores
        scores = scores.copy()
        scores[self.script[step]] = scores.max() + 100.0
        return scores


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Put text in the list: every LlamaEngine generation then starts with exactly that text's tokens."""
    texts: list[str] = []
    original = LlamaEngine._processors

    def with_script(self: LlamaEngine, plan: Any, n_prompt: int) -> list[Any]:
        head = [_Script(self.tokenize(texts[0]), n_prompt)] if texts else []
        return [*head, *original(self, plan, n_prompt)]

    monkeypatch.setattr(LlamaEngine, "_processors", with_script)
    yield texts


def _rewrite_on_writer_path(model: Path, paths: Any, seed: int) -> tuple[str, list[GenerationEvent]]:
    """A Rewrite "more vivid" of SELECTION as the window asks it (GenerationService.build_request, ModelRunner)."""
    from studio.services import Services

    sv = Services.open(paths)
    runner = sv.new_model_runner()
    try:
        runner.load(model, LoadSettings(n_ctx=2048))
        body = f"It was late. {SELECTION} Then she went home."
        draft = sv.drafts.create("News", Form.PROSE, body=body)
        start = body.index(SELECTION)
        req = sv.generation.build_request(draft, Action.REWRITE, selection=(start, start + len(SELECTION)),
                                          instruction="more vivid", seed=seed)
        prompt = runner.preview(req).prompt_text
        return prompt, list(runner.stream(req, threading.Event()))
    finally:
        runner.close()
        sv.close()


def _shown_and_thought(events: list[GenerationEvent]) -> tuple[Finished, str, str]:
    (final,) = [e for e in events if isinstance(e, Finished)]
    shown = "".join(e.text for e in events if isinstance(e, TextDelta))
    thought = "".join(e.text for e in events if isinstance(e, Thinking))
    assert shown == final.text, "the deltas add up to the proposal"
    return final, shown, thought


def test_a_qwen3_like_template_is_rendered_with_thinking_off_and_a_think_block_never_shows(
        qwen3_like: Path, paths: Any, scripted: list[str]) -> None:
    scripted.append("<think>Plan: make the grief physical.</think>\n\n")
    prompt, events = _rewrite_on_writer_path(qwen3_like, paths, seed=1)
    # Thinking off: the template's enable_thinking (an empty, closed block) and /no_think in the system message.
    assert prompt.startswith("<|im_start|>system\n/no_think<|im_end|>\n"), prompt[:80]
    assert prompt.endswith("<|im_start|>assistant\n<think>\n\n</think>\n\n"), prompt[-80:]
    final, shown, thought = _shown_and_thought(events)
    assert not any(m in final.text for m in MARKERS) and "grief physical" not in final.text, final.text
    assert "Plan: make the grief physical." in thought
    assert final.text.strip(), "the model answered after its reasoning"


def test_a_template_that_always_opens_the_block_hides_everything_before_the_close(
        always_open: Path, paths: Any, scripted: list[str]) -> None:
    scripted.append("The user wants it vivid, so: a heavy chest.\n</think>\n\n")
    prompt, events = _rewrite_on_writer_path(always_open, paths, seed=2)
    assert prompt.endswith("<|im_start|>assistant\n<think>\n"), "the prompt opens the block"
    final, shown, thought = _shown_and_thought(events)
    assert final.text.strip() and not any(m in final.text for m in MARKERS), final.text
    assert "user wants" not in final.text and "heavy chest" not in final.text, final.text
    assert thought.strip() == "The user wants it vivid, so: a heavy chest."
    assert events.index(next(e for e in events if isinstance(e, Thinking))) < events.index(final)


@pytest.fixture(scope="module")
def thinking_servers(llama_server_exe: Path, qwen3_like: Path,  # noqa: F811 - the imported fixture
                     always_open: Path) -> Iterator[dict[str, LlamaServer]]:
    # The Qwen3-like server thinks by default, as a writer's Qwen3 server does: Studio's request must switch it off.
    thinks = ("--chat-template-kwargs", '{"enable_thinking": true}')
    servers = {name: LlamaServer(llama_server_exe, model, slots=1, n_ctx=2048, extra=extra)
               for name, model, extra in (("qwen3-like", qwen3_like, thinks), ("r1-like", always_open, ()))}
    yield servers
    for server in servers.values():
        server.stop()


def test_on_llama_server_the_template_is_rendered_with_thinking_off(thinking_servers: dict[str, LlamaServer]) -> None:
    from studio.domain import GenerationRequest
    from studio.engine.remote import RemoteEngine

    with RemoteEngine(thinking_servers["qwen3-like"].url) as engine:
        engine.load(Path("unused"))
        req = GenerationRequest(action=Action.REWRITE, before="It was late. ", selection=SELECTION,
                                after=" Then she went home.", instruction="more vivid", seed=1)
        prompt = engine.preview(req).prompt_text
        # The server rendered it (/apply-template) with chat_template_kwargs enable_thinking false.
        assert prompt.startswith("<|im_start|>system\n/no_think<|im_end|>\n"), prompt[:80]
        assert prompt.endswith("<|im_start|>assistant\n<think>\n\n</think>\n\n"), prompt[-80:]
        final, _shown, _thought = _shown_and_thought(list(engine.stream(req, threading.Event())))
        assert not any(m in final.text for m in MARKERS), final.text


def test_on_llama_server_a_block_the_prompt_opened_never_reaches_the_proposal(
        thinking_servers: dict[str, LlamaServer]) -> None:
    from studio.domain import GenerationRequest
    from studio.engine.remote import RemoteEngine

    with RemoteEngine(thinking_servers["r1-like"].url) as engine:
        engine.load(Path("unused"))
        req = GenerationRequest(action=Action.REWRITE, before="It was late. ", selection=SELECTION,
                                instruction="more vivid", seed=3, max_tokens=16)
        assert engine.preview(req).prompt_text.endswith("<|im_start|>assistant\n<think>\n")
        final, _shown, thought = _shown_and_thought(list(engine.stream(req, threading.Event())))
        # The model never learnt to close the block: all it wrote is reasoning, shown as thinking, not proposed.
        assert final.text == "" and final.stats.generated_tokens > 0, (final.text, final.stats)
        assert thought.strip(), "what the model wrote inside the block came as Thinking"
