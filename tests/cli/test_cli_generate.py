"""`studio continue`, `studio rewrite` and `studio models` on the real default model, in real processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from tests.cli.run import studio


def test_continue_streams_and_reports_stats(default_model_path, studio_home):
    p = studio(["continue", "--max-tokens", "24", "--seed", "7", "--json"], studio_home,
               stdin="The lighthouse keeper climbed the stairs every night. On the last night of the year,")
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip(), "a continuation was printed"
    stats = json.loads(p.stderr.strip().splitlines()[-1])
    assert stats["generated_tokens"] > 0 and stats["prompt_tokens"] > 10
    assert stats["stop_reason"] in {"length", "stop"} and stats["tokens_per_s"] > 0


def test_continue_appends_to_a_draft_with_a_revision(default_model_path, studio_home):
    made = studio(["drafts", "new", "--title", "Harbour", "--file", "-"], studio_home,
                  stdin="The boats came in at dusk, heavy with fish and gulls.")
    draft_id = made.stdout.strip()
    p = studio(["continue", "--draft", draft_id, "--append", "--max-tokens", "16", "--seed", "1"], studio_home)
    assert p.returncode == 0, p.stderr
    body = studio(["drafts", "show", draft_id], studio_home).stdout
    assert body.startswith("The boats came in at dusk, heavy with fish and gulls.")
    assert len(body.strip()) > len("The boats came in at dusk, heavy with fish and gulls.")
    revs = json.loads(studio(["drafts", "revisions", draft_id, "--json"], studio_home).stdout)
    assert "before-continue" in {r["reason"] for r in revs}


def test_rewrite_from_stdin(default_model_path, studio_home):
    p = studio(["rewrite", "--instruction", "more vivid", "--max-tokens", "48", "--seed", "3", "--json"], studio_home,
               stdin="He walked into the room and sat down.")
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip()


def test_bad_model_exit_3_one_line(studio_home, tmp_path):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + os.urandom(64))
    p = studio(["continue", "--model", str(bad), "--max-tokens", "4"], studio_home, stdin="Hello")
    assert p.returncode == 3, p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and "broken.gguf" in p.stderr and "Traceback" not in p.stderr


def test_models_lists_the_embedded_default(default_model_path, studio_home):
    p = studio(["models", "--json"], studio_home)
    assert p.returncode == 0, p.stderr
    models = json.loads(p.stdout)
    default = [m for m in models if m["default"]]
    assert len(default) == 1 and default[0]["architecture"] == "gemma3" and default[0]["source"] == "embedded"


def test_ctrl_c_stops_cleanly(default_model_path, studio_home):
    env = dict(os.environ, STUDIO_HOME=str(studio_home))
    proc = subprocess.Popen([sys.executable, "-m", "studio", "continue", "--max-tokens", "2000", "--json"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdin and proc.stdout
    proc.stdin.write("Once upon a time, in a city of bridges,")
    proc.stdin.close()
    proc.stdin = None  # communicate() must not flush a closed pipe
    first = proc.stdout.read(1)  # wait for the first streamed character
    assert first
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    stats = json.loads(err.strip().splitlines()[-1])
    assert stats["stop_reason"] == "cancelled" and stats["partial"] is True
