"""Continue in the middle of a text on llama-server: the same fill-in-the-middle prompt as the local engine.

No model the tests have knows FIM, so one is written from the small chat model (SmolLM2-135M-Instruct): three of its
unused control tokens (<repo_name>, <reponame>, <file_sep>) renamed <|fim_prefix|>, <|fim_suffix|>, <|fim_middle|>
(Qwen's markers), which llama.cpp then recognises as its FIM tokens by their text, locally and on the server. The
weights do not know what the markers mean, so what is checked is the prompt and the path, not the prose: the server's
markers are found on its own tokenizer, the prompt is token for token the local engine's, and a Continue with text
after the cursor runs there with that prompt.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from studio.domain import Action, Finished, GenerationRequest
from tests.engine.remote_server import LlamaServer, llama_server_exe  # noqa: F401
from tests.engine.thinking_models import copy_gguf

FIM_MARKERS = {3: "<|fim_prefix|>", 4: "<|fim_suffix|>", 5: "<|fim_middle|>"}

REQUEST = GenerationRequest(action=Action.CONTINUE, before="The lighthouse keeper climbed the iron stairs.",
                            after=" By morning the storm had passed and the gulls were back.", seed=3, max_tokens=8)


def with_fim_markers(source: Path, target: Path) -> Path:
    def rename(key: str, value: Any) -> Any:
        if key != "tokenizer.ggml.tokens":
            return value
        return [FIM_MARKERS.get(i, token) for i, token in enumerate(value)]

    return copy_gguf(source, target, change=rename)


@pytest.fixture(scope="module")
def fim_model(chat_model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return with_fim_markers(chat_model_path, tmp_path_factory.mktemp("fim") / "smollm2-fim.gguf")


@pytest.mark.parametrize("which", ["fim", "plain"])
def test_the_server_builds_the_local_engines_fill_in_the_middle_prompt(which: str, fim_model: Path,
                                                                       chat_model_path: Path,
                                                                       llama_server_exe: Path,  # noqa: F811
                                                                       model_cache: Path, tmp_path: Path) -> None:
    from studio.engine.llama_engine import LlamaEngine
    from studio.engine.remote import RemoteEngine

    path = fim_model if which == "fim" else chat_model_path
    local = LlamaEngine(cache_dir=model_cache)
    local.load(path)
    try:
        expected = local.preview(REQUEST)
        local_fim = local.capabilities.fim
    finally:
        local.close()
    assert local_fim is (which == "fim"), "llama.cpp recognises the renamed markers as FIM tokens (and none else)"
    server = LlamaServer(llama_server_exe, path, slots=1, n_ctx=2048, log=tmp_path / "log")
    try:
        with RemoteEngine(server.url) as remote:
            remote.load(Path("unused"))
            assert remote.capabilities.fim is local_fim
            preview = remote.preview(REQUEST)
            assert (preview.mode, preview.prompt_tokens, preview.prompt_text) == (
                expected.mode, expected.prompt_tokens, expected.prompt_text)
            assert preview.mode == ("fim" if which == "fim" else "completion")
            events = list(remote.stream(REQUEST, threading.Event()))
    finally:
        server.stop()
    (final,) = [e for e in events if isinstance(e, Finished)]
    assert final.stats.prompt_tokens == expected.prompt_tokens
    assert "<|fim_" not in final.text
