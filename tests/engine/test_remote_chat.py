"""Rewrite on an instruct model behind llama-server: the server's own chat template renders the prompt
(/apply-template), and a base model's server (llama.cpp's chatml fallback on a vocabulary without its markers)
gets the completion frame instead."""

from __future__ import annotations

import threading
from pathlib import Path

from studio.domain import Action, Finished, GenerationRequest, TextDelta
from studio.engine.remote import RemoteEngine

from .remote_server import LlamaServer, llama_server, llama_server_exe  # noqa: F401 - fixtures

PASSAGE = "He walked into the room and sat down on the old wooden chair by the window."


def test_an_instruct_model_rewrites_through_the_servers_chat_template(llama_server_exe: Path,  # noqa: F811
                                                                      chat_model_path: Path, tmp_path: Path) -> None:
    server = LlamaServer(llama_server_exe, chat_model_path, slots=1, n_ctx=2048, log=tmp_path / "log")
    try:
        with RemoteEngine(server.url) as engine:
            info = engine.load(Path("unused"))
            assert info.has_chat_template and engine.capabilities.chat_template
            req = GenerationRequest(action=Action.REWRITE, before="", selection=PASSAGE, instruction="shorter",
                                    seed=3, max_tokens=40)
            preview = engine.preview(req)
            assert preview.mode == "chat" and "<|im_start|>" in preview.prompt_text, preview.prompt_text[:300]
            events = list(engine.stream(req, threading.Event()))
    finally:
        server.stop()
    (final,) = [e for e in events if isinstance(e, Finished)]
    assert final.text.strip() and final.text == "".join(e.text for e in events if isinstance(e, TextDelta))
    assert "<|im_start|>" not in final.text and "<|im_end|>" not in final.text


def test_a_base_models_server_gets_the_completion_frame(llama_server: LlamaServer) -> None:  # noqa: F811
    with RemoteEngine(llama_server.url) as engine:
        info = engine.load(Path("unused"))
        assert not info.has_chat_template and not engine.capabilities.chat_template
        req = GenerationRequest(action=Action.REWRITE, before="", selection=PASSAGE, instruction="shorter")
        assert engine.preview(req).mode == "completion"
