"""The OpenAI engine and the engine factory on real servers on 127.0.0.1 (tests/engine/openai_servers.py):
llama-cpp-python's own server and llama-server. The factory tells them apart; a server killed mid-stream, Stop,
an unknown model, a wrong key and a refused port each end in one readable line; Rewrite goes through the chat
endpoint on an instruct model; ``studio continue --server`` works end to end on llama-cpp-python's server."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from studio.domain import Action, Finished, GenerationError, GenerationRequest, ModelLoadError, StopReason, TextDelta
from studio.engine.openai_engine import OpenAIEngine
from studio.engine.remote import RemoteEngine
from studio.engine.servers import detect_kind, remote_engine_for

from .openai_servers import LlamaCppPythonServer, llama_cpp_python_server  # noqa: F401 - fixtures
from .remote_server import LlamaServer, free_port, llama_server, llama_server_exe  # noqa: F401 - fixtures
from .test_remote_cli import STORY, studio
from .test_remote_faults import PROSE, readable


def test_the_factory_tells_llama_server_from_other_openai_servers(
        llama_server: LlamaServer, llama_cpp_python_server: LlamaCppPythonServer) -> None:  # noqa: F811
    assert detect_kind(llama_server.url) == "llama-server"
    assert detect_kind(llama_cpp_python_server.url) == "openai"
    assert isinstance(remote_engine_for(llama_server.url), RemoteEngine)
    assert isinstance(remote_engine_for(llama_cpp_python_server.url), OpenAIEngine)
    assert isinstance(remote_engine_for(llama_server.url, kind="openai"), OpenAIEngine)
    assert isinstance(remote_engine_for(llama_cpp_python_server.url, kind="llama-server"), RemoteEngine)
    with pytest.raises(ModelLoadError, match="Unknown server kind"):
        remote_engine_for(llama_server.url, kind="vllm")


def test_the_services_reach_the_openai_engine_through_the_server_choice(
        llama_cpp_python_server: LlamaCppPythonServer, paths: object) -> None:  # noqa: F811
    from studio.domain import LoadSettings
    from studio.services.generation import ModelRunner, ServerChoice

    runner = ModelRunner(paths, server=ServerChoice(llama_cpp_python_server.url))  # type: ignore[arg-type]
    try:
        info = runner.load(None, LoadSettings())
        assert info.source == f"server {llama_cpp_python_server.url}" and info.name.endswith(".gguf")
        assert runner.capabilities.n_ctx == 4096, "learnt from the server's refusal of an over-long prompt"
        events = list(runner.stream(GenerationRequest(action=Action.CONTINUE, before=PROSE, seed=1, max_tokens=4),
                                    threading.Event()))
        (final,) = [e for e in events if isinstance(e, Finished)]
        assert final.text.strip() and final.stats.generated_tokens == 4
    finally:
        runner.close()


def test_an_unknown_model_is_one_readable_load_error(llama_cpp_python_server: LlamaCppPythonServer) -> None:  # noqa: F811
    engine = OpenAIEngine(llama_cpp_python_server.url, model="no-such-model")
    with pytest.raises(ModelLoadError) as err:
        engine.load(Path("unused"))
    message = readable(err.value, llama_cpp_python_server.url)
    assert "has no model 'no-such-model'" in message and "gemma-3-270m" in message
    assert not engine.loaded


def test_a_wrong_key_is_refused_in_one_line_and_the_right_one_works(default_model_path: Path,
                                                                    tmp_path: Path) -> None:
    server = LlamaCppPythonServer(default_model_path, n_ctx=1024, api_key="s3cret-key", log=tmp_path / "log")
    try:
        with pytest.raises(ModelLoadError) as err:
            remote_engine_for(server.url, api_key="wrong").load(Path("unused"))
        assert "refused the API key (HTTP 401)" in readable(err.value, server.url)
        assert "wrong" not in str(err.value)
        with remote_engine_for(server.url, api_key="s3cret-key") as engine:  # type: ignore[attr-defined]
            engine.load(Path("unused"))
            assert engine.capabilities.n_ctx == 1024
    finally:
        server.stop()


def test_a_refused_port_is_a_readable_error_within_ten_seconds() -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    for connect in (lambda: remote_engine_for(url), lambda: OpenAIEngine(url).load(Path("unused"))):
        started = time.monotonic()
        with pytest.raises(ModelLoadError) as err:
            connect()
        assert time.monotonic() - started < 10
        assert "refused the connection" in readable(err.value, url)


def test_a_server_killed_mid_stream_keeps_the_text_so_far(default_model_path: Path, tmp_path: Path) -> None:
    server = LlamaCppPythonServer(default_model_path, n_ctx=1024, log=tmp_path / "log")
    events: list[object] = []
    try:
        engine = OpenAIEngine(server.url)
        engine.load(Path("unused"))
        with pytest.raises(GenerationError) as err:
            for ev in engine.stream(GenerationRequest(action=Action.CONTINUE, before=PROSE, seed=1, max_tokens=400),
                                    threading.Event()):
                events.append(ev)
                if sum(isinstance(e, TextDelta) for e in events) == 3:
                    server.kill()
        engine.close()
    finally:
        server.stop()
    assert "kept" in readable(err.value, server.url)
    (final,) = [e for e in events if isinstance(e, Finished)]
    assert final.text.strip() and final.text == "".join(e.text for e in events if isinstance(e, TextDelta))
    assert final.stats.partial


def test_stop_closes_the_stream_and_the_server_sees_it(llama_cpp_python_server: LlamaCppPythonServer) -> None:  # noqa: F811
    # llama-cpp-python's server checks for a gone client after each token it streams and logs the disconnect.
    server = llama_cpp_python_server
    before = server.log_text().count("Disconnected from client")
    with OpenAIEngine(server.url) as engine:
        engine.load(Path("unused"))
        cancel = threading.Event()
        events: list[object] = []
        stopped = 0.0
        for ev in engine.stream(GenerationRequest(action=Action.CONTINUE, before=PROSE, seed=4, max_tokens=2000),
                                cancel):
            events.append(ev)
            if sum(isinstance(e, TextDelta) for e in events) == 3:
                cancel.set()
                stopped = time.monotonic()
        assert time.monotonic() - stopped < 0.5, "the stream ends at once after Stop"
        (final,) = [e for e in events if isinstance(e, Finished)]
        assert final.stats.stop_reason == StopReason.CANCELLED and final.stats.generated_tokens <= 4
        # The bound only allows for a shared 2-core machine slowing the server's next token down.
        while server.log_text().count("Disconnected from client") == before:
            assert time.monotonic() - stopped < 10, "the server did not notice the Stop"
            time.sleep(0.05)
        after = list(engine.stream(GenerationRequest(action=Action.CONTINUE, before=PROSE, seed=1, max_tokens=3),
                                   threading.Event()))
        assert [e for e in after if isinstance(e, Finished)][0].stats.generated_tokens == 3


def test_an_instruct_model_rewrites_through_the_chat_endpoint(llama_server_exe: Path,  # noqa: F811
                                                               chat_model_path: Path, tmp_path: Path) -> None:
    # llama-server's /v1 as an OpenAI server: its /props says the model has a chat template.
    server = LlamaServer(llama_server_exe, chat_model_path, slots=1, n_ctx=2048, log=tmp_path / "log")
    try:
        with OpenAIEngine(server.url) as engine:
            info = engine.load(Path("unused"))
            assert info.has_chat_template and engine.capabilities.chat_template
            req = GenerationRequest(action=Action.REWRITE, before="", instruction="shorter", seed=3, max_tokens=40,
                                    selection="He walked into the room and sat down on the old wooden chair.")
            preview = engine.preview(req)
            assert preview.mode == "chat" and "<|im_start|>" in preview.prompt_text, "counted on the server's render"
            events = list(engine.stream(req, threading.Event()))
    finally:
        server.stop()
    (final,) = [e for e in events if isinstance(e, Finished)]
    assert final.text.strip() and final.text == "".join(e.text for e in events if isinstance(e, TextDelta))
    assert "<|im_start|>" not in final.text and "<|im_end|>" not in final.text


def test_studio_continue_on_llama_cpp_python_server(llama_cpp_python_server: LlamaCppPythonServer,  # noqa: F811
                                                    studio_home: Path) -> None:
    url = llama_cpp_python_server.url
    p = studio(["continue", "--server", url, "--max-tokens", "12", "--seed", "7", "--json"], studio_home, stdin=STORY)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip(), "a continuation was printed"
    stats = json.loads(p.stderr.strip().splitlines()[-1])
    assert stats["server"] == url and stats["model"] == "gemma-3-270m-q4_k_m.gguf"
    assert 0 < stats["generated_tokens"] <= 12 and stats["prompt_tokens"] > 10
    models = studio(["models", "--server", url, "--json"], studio_home)
    assert models.returncode == 0, models.stderr
    (entry,) = json.loads(models.stdout)
    assert entry["server"] == url and entry["n_ctx"] == 4096
