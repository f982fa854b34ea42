"""What a server does not offer is said when connecting, not found out by a failure later: ``ServerReport``
(studio/domain/servers.py) through ModelRunner, for both server engines on the REAL llama-server on 127.0.0.1
(its native API, and its /v1 endpoints through the OpenAI engine, the stand-in for vLLM and the others), and in
``studio models --server URL`` (table and --json) in real processes; --json stats of continue and rewrite name the
server and the model. The Connect dialog's Test shows the same list (tests/ui/test_connect_tls.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from studio.domain import LoadSettings
from studio.services.generation import ModelRunner, ServerChoice

from .remote_server import LlamaServer, llama_server, llama_server_exe  # noqa: F401 - fixtures
from .test_remote_cli import STORY, studio


def connected(paths: object, server: ServerChoice) -> ModelRunner:
    runner = ModelRunner(paths, server=server)  # type: ignore[arg-type]
    runner.load(None, LoadSettings())
    return runner


def test_llama_server_and_the_openai_engine_report_what_they_lack_in_one_shape(
        llama_server: LlamaServer, paths: object) -> None:  # noqa: F811
    assert ModelRunner(paths).server_report is None  # type: ignore[arg-type] # the local model: no server
    native = connected(paths, ServerChoice(url=llama_server.url))
    try:
        report, caps = native.server_report, native.capabilities
    finally:
        native.close()
    assert native.server_report is None, "no report once disconnected"
    assert report is not None and report.kind == "llama-server" and report.url == llama_server.url
    assert report.model.endswith(".gguf") and report.n_ctx == caps.n_ctx > 0 and report.n_ctx_source == "/props"
    assert report.tokenizer.startswith("/tokenize")
    assert "fill-in-the-middle" in report.unavailable and not caps.fim
    assert caps.logprobs and not any(u.startswith("token probabilities") for u in report.unavailable)
    assert any(u.startswith("alternatives in one request") for u in report.unavailable)
    assert any(u.startswith("saved draft states") for u in report.unavailable) == (not caps.state_save_restore)
    assert not any("grammar" in u or "poetry" in u for u in report.unavailable), "llama-server holds verse by grammar"
    assert report.unavailable_line().startswith("Not available on this server: ")

    v1 = connected(paths, ServerChoice(url=llama_server.url, kind="openai"))
    try:
        other = v1.server_report
    finally:
        v1.close()
    assert other is not None and other.kind == "OpenAI-compatible" and other.model == report.model
    assert other.n_ctx == report.n_ctx, "both read the slot's context"
    assert "saved draft states" in other.unavailable and "form-held poetry line steering" in other.unavailable
    assert set(other.to_dict()) == set(report.to_dict())


def test_studio_models_server_shows_what_is_unavailable_and_the_stats_name_server_and_model(
        llama_server: LlamaServer, studio_home: Path) -> None:  # noqa: F811
    table = studio(["models", "--server", llama_server.url], studio_home)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split()[:2] == ["SOURCE", "KIND"] and "llama-server" in lines[1], table.stdout
    (missing,) = [line for line in lines if line.startswith("Not available on this server: ")]
    assert "fill-in-the-middle" in missing, missing
    assert any(line.startswith("Context: /props") for line in lines), table.stdout

    p = studio(["models", "--server", llama_server.url, "--json"], studio_home)
    assert p.returncode == 0, p.stderr
    (entry,) = json.loads(p.stdout)
    report = entry["server_report"]
    assert report["kind"] == "llama-server" and report["url"] == llama_server.url == entry["server"]
    assert "fill-in-the-middle" in report["unavailable"] and report["n_ctx"] == entry["n_ctx"]
    assert missing == "Not available on this server: " + "; ".join(report["unavailable"]) + "."

    for command, extra in (("continue", []), ("rewrite", ["--instruction", "shorter"])):
        run = studio([command, "--server", llama_server.url, "--max-tokens", "8", "--seed", "2", "--json", *extra],
                     studio_home, stdin=STORY)
        assert run.returncode == 0, (command, run.stderr)
        stats = json.loads(run.stderr.strip().splitlines()[-1])
        assert stats["server"] == llama_server.url and stats["model"] == entry["name"] == report["model"], stats
