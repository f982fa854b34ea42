"""`studio continue`, `studio rewrite` and `studio models` with ``--server`` (and $STUDIO_SERVER, $STUDIO_API_KEY)
against a real llama-server on 127.0.0.1, in real processes: the services reach the remote engine through
ModelRunner's engine factory, and the CLI names the server and the model in its --json stats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .remote_server import LlamaServer, free_port, llama_server, llama_server_exe  # noqa: F401 - fixtures

STORY = "The lighthouse keeper climbed the stairs every night. On the last night of the year,"


def studio(args: list[str], home: Path, stdin: str = "", env: dict[str, str] | None = None,
           timeout: int = 240) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in ("STUDIO_SERVER", "STUDIO_API_KEY")}
    full |= {"STUDIO_HOME": str(home), **(env or {})}
    return subprocess.run([sys.executable, "-m", "studio", *args], input=stdin, env=full, capture_output=True,
                          text=True, timeout=timeout)


def one_readable_line(p: subprocess.CompletedProcess[str], url: str) -> str:
    assert p.returncode == 3, (p.returncode, p.stderr)
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and url in lines[0] and "Traceback" not in p.stderr, p.stderr
    return lines[0]


def test_continue_on_a_server_names_it_in_the_stats(llama_server: LlamaServer, studio_home: Path) -> None:  # noqa: F811
    p = studio(["continue", "--server", llama_server.url, "--max-tokens", "16", "--seed", "7", "--json"],
               studio_home, stdin=STORY)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip(), "a continuation was printed"
    stats = json.loads(p.stderr.strip().splitlines()[-1])
    assert stats["server"] == llama_server.url
    assert stats["model"].endswith(".gguf") and stats["generated_tokens"] > 0 and stats["prompt_tokens"] > 10


def test_rewrite_and_models_through_studio_server_env(llama_server: LlamaServer, studio_home: Path) -> None:  # noqa: F811
    env = {"STUDIO_SERVER": llama_server.url}
    p = studio(["rewrite", "--instruction", "shorter", "--max-tokens", "24", "--seed", "3", "--json"], studio_home,
               stdin="He walked into the room and sat down on the old wooden chair by the window.", env=env)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stderr.strip().splitlines()[-1])["server"] == llama_server.url
    p = studio(["models", "--json"], studio_home, env=env)
    assert p.returncode == 0, p.stderr
    (entry,) = json.loads(p.stdout)
    assert entry["server"] == llama_server.url and entry["n_ctx"] > 0
    assert entry["name"].endswith(".gguf") and "context" in entry["capabilities"]
    table = studio(["models"], studio_home, env=env)
    assert table.returncode == 0 and llama_server.url in table.stdout, table.stderr


def test_an_unreachable_server_is_exit_3_and_one_line(studio_home: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    p = studio(["continue", "--server", url, "--max-tokens", "4"], studio_home, stdin=STORY)
    assert "refused the connection" in one_readable_line(p, url)


def test_a_wrong_api_key_is_exit_3_and_the_right_one_works(llama_server_exe: Path,  # noqa: F811
                                                          default_model_path: Path, studio_home: Path,
                                                          tmp_path: Path) -> None:
    server = LlamaServer(llama_server_exe, default_model_path, slots=1, n_ctx=1024, log=tmp_path / "log",
                         extra=("--api-key", "s3cret-key"))
    try:
        wrong = studio(["models", "--server", server.url], studio_home, env={"STUDIO_API_KEY": "wrong"})
        line = one_readable_line(wrong, server.url)
        assert "refused the API key (HTTP 401)" in line and "wrong" not in line
        right = studio(["continue", "--server", server.url, "--max-tokens", "4", "--json"], studio_home,
                       stdin=STORY, env={"STUDIO_API_KEY": "s3cret-key"})
        assert right.returncode == 0, right.stderr
        assert "s3cret-key" not in right.stderr + right.stdout
    finally:
        server.stop()
