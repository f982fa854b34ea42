"""The OpenAI engine's pure parts (studio/engine/openai_support.py): the token estimate's margin against the
default model's real tokenizer, and context sizes read from what servers say. (Its <think> tests moved with the
filter to tests/engine/test_reasoning.py.)"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from studio.engine.openai_support import context_from_entry, context_from_error, estimate_tokens

SAMPLES = [
    "Mara kept the lighthouse on Gull Rock for eleven winters, and every evening she climbed the stairs. ",
    "床前明月光，疑是地上霜。举头望明月，低头思故乡。",
    "动物：🦩火烈鸟 🦚孔雀 🦜鹦鹉 🦢天鹅 🦤渡渡鸟 🦙羊驼 ",
    "INT. LIGHTHOUSE - NIGHT\n\nMARA\n(quietly)\nThe lamp is out.\n\n",
    "The 1,234,567 numbers 3.14159 and 2026-11-30 at 10:29:10",
    "    def f(x):\n        return x[0] + y['k']\n",
    "Überraschung! Café, naïve façade — “quoted” text… ",
    "Привет, как дела? Это русский текст.",
]


@pytest.mark.parametrize("vocabulary", ["default", "chat"])
def test_the_estimate_is_an_upper_bound_within_its_documented_margin(vocabulary: str, default_model_path: Path,
                                                                      chat_model_path: Path) -> None:
    from llama_cpp import Llama

    path = default_model_path if vocabulary == "default" else chat_model_path
    vocab = Llama(str(path), vocab_only=True, verbose=False)
    try:
        for sample in SAMPLES:
            text = sample * 5
            real = len(vocab.tokenize(text.encode("utf-8"), add_bos=False))
            assert real <= estimate_tokens(text) <= 4 * real, (sample, real, estimate_tokens(text))
    finally:
        vocab.close()


def test_context_sizes_from_model_entries_and_overflow_refusals() -> None:
    assert context_from_entry({"id": "m", "max_model_len": 32768}) == 32768  # vLLM
    assert context_from_entry({"id": "m", "loaded_context_length": 8192}) == 8192  # LM Studio
    assert context_from_entry({"id": "m", "owned_by": "me"}) == 0  # llama-cpp-python: says nothing
    py = httpx.Response(400, json={"error": {"message": "This model's maximum context length is 4096 tokens, "
                                                        "however you requested 1048579 tokens"}})
    server = httpx.Response(400, json={"error": {"code": 400, "message": "request exceeds the available context "
                                                 "size", "n_ctx": 8192, "type": "exceed_context_size_error"}})
    assert context_from_error(py) == 4096 and context_from_error(server) == 8192
    assert context_from_error(httpx.Response(400, text="bad request")) == 0
