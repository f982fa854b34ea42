"""The OpenAI engine's pure parts (studio/engine/openai_support.py): <think> blocks split anywhere across chunks,
the token estimate's margin against the default model's real tokenizer, and context sizes read from what
servers say."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from studio.engine.openai_support import ThinkFilter, context_from_entry, context_from_error, estimate_tokens

STREAM = "<think>The writer wants it shorter; keep the storm.</think>\n\nThe storm broke. 风暴来了 <b>"


def feed_in_pieces(text: str, cuts: list[int]) -> str:
    think = ThinkFilter()
    out, last = [], 0
    for cut in [*cuts, len(text)]:
        out.append(think.feed(text[last:cut]))
        last = cut
    return "".join(out) + think.finish()


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 11])
def test_think_blocks_are_dropped_however_the_chunks_fall(size: int) -> None:
    for start in range(size):
        cuts = list(range(start or size, len(STREAM), size))
        assert feed_in_pieces(STREAM, cuts) == "The storm broke. 风暴来了 <b>", (size, start)


def test_text_around_and_between_blocks_is_kept_and_a_stray_close_is_dropped() -> None:
    assert feed_in_pieces("Before <think>x</think> after", [3, 9, 16]) == "Before  after"
    # A template that opens the block in the prompt: what came before the close was shown, the tag is not.
    assert feed_in_pieces("reasoning</think> Answer", [4]) == "reasoning Answer"
    assert feed_in_pieces("<think>never closed", [2]) == ""
    assert feed_in_pieces("a < b and c <th", []) == "a < b and c <th", "a held '<th' that is no tag comes back"


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
