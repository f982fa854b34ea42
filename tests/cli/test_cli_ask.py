"""`studio ask` in real processes on a real data folder: rhymes from the tables without a model, an answer from the
real default model with the draft unchanged and the answer kept in its history, and no model as one line (exit 3)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.cli import run

BODY = ("The boats came in at dusk. Mara climbed the hundred stairs of the lighthouse, lit the lamp, and watched "
        "the fishing fleet come home through the fog. One boat was missing.")


def studio(args: list[str], home: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return run.studio(args, home, stdin, timeout=300)  # an answer from the model: more than a plain command


def new_draft(home: Path, text: str) -> str:
    return run.new_draft(home, text, timeout=300)


def _body(home: Path, draft_id: str) -> str:
    return json.loads(studio(["drafts", "show", draft_id, "--json"], home).stdout)["body"]


def test_rhymes_from_the_tables_without_a_model(studio_home, tmp_path):
    draft_id = new_draft(studio_home, BODY)
    missing = tmp_path / "no-such-model.gguf"
    # A model that does not exist is never looked at: the tables answer.
    p = studio(["ask", "--draft", draft_id, "--model", str(missing), "rhymes for 'light'"], studio_home)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("Rhymes for “light”") and "night" in p.stdout and "bright" in p.stdout
    p = studio(["ask", "--draft", draft_id, "--model", str(missing), "光的韵脚"], studio_home)
    assert p.returncode == 0, p.stderr
    assert "十三辙 江阳：" in p.stdout and "平水韵 下平七阳：" in p.stdout and "霜" in p.stdout
    assert _body(studio_home, draft_id) == BODY


def test_no_model_is_one_line_exit_3(studio_home, tmp_path):
    draft_id = new_draft(studio_home, BODY)
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"not a model at all" * 100)
    for model in (tmp_path / "no-such-model.gguf", broken):
        p = studio(["ask", "--draft", draft_id, "--model", str(model), "Five titles for this"], studio_home)
        assert p.returncode == 3, (p.returncode, p.stderr)
        assert p.stdout == "" and "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1
        assert p.stderr.startswith("studio: error:")
    assert _body(studio_home, draft_id) == BODY


def test_an_answer_from_the_real_model_leaves_the_draft_unchanged(default_model_path, studio_home):
    draft_id = new_draft(studio_home, BODY)
    p = studio(["ask", "--draft", draft_id, "--model", str(default_model_path), "--seed", "3",
                "Five titles for this story"], studio_home)
    assert p.returncode == 0, p.stderr
    answer = p.stdout.strip()
    assert answer.startswith("1.") and len(answer) > 4, answer  # the base frame's numbered list
    assert _body(studio_home, draft_id) == BODY
    history = studio(["history", "--draft", draft_id, "--json"], studio_home)
    assert history.returncode == 0, history.stderr
    assert "Five titles for this story" in history.stdout and '"ask"' in history.stdout


def test_a_list_answer_stops_where_the_list_does(default_model_path, studio_home):
    """On the real default model, seeds 2 and 5 went on after the titles with "Answer: 3) ..." and a paragraph of
    rambling ("I am an expert on the topic of ..."): the answer is the list, nothing after it."""
    draft_id = new_draft(studio_home, BODY)
    for seed in ("2", "5"):
        p = studio(["ask", "--draft", draft_id, "--model", str(default_model_path), "--seed", seed,
                    "Five titles for this story"], studio_home)
        assert p.returncode == 0, p.stderr
        lines = [line.strip() for line in p.stdout.strip().splitlines() if line.strip()]
        assert lines and all(line[0].isdigit() and line.split(" ")[0][-1] in ".)" for line in lines), p.stdout
