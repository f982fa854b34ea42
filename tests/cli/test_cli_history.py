"""`studio history --draft ID [--json] [--search TEXT]` and `studio history delete RUN_ID` in real processes on a
real data folder; the runs are made by `studio continue` on the real default model."""

from __future__ import annotations

import json

from tests.cli.run import studio


def test_history_lists_searches_and_deletes_runs_of_the_real_model(default_model_path, studio_home):
    made = studio(["drafts", "new", "--title", "灯塔", "--file", "-"], studio_home,
                  stdin="The boats came in at dusk. Mara climbed the stairs of the lighthouse and")
    assert made.returncode == 0, made.stderr
    draft_id = made.stdout.strip()
    p = studio(["history", "--draft", draft_id], studio_home)
    assert p.returncode == 0 and p.stdout == "" and "no generations yet" in p.stderr

    p = studio(["continue", "--draft", draft_id, "--max-tokens", "12", "--seed", "3", "--alternatives", "2",
                "--json"], studio_home)
    assert p.returncode == 0, p.stderr
    p = studio(["continue", "--draft", draft_id, "--max-tokens", "12", "--seed", "5", "--append"], studio_home)
    assert p.returncode == 0, p.stderr
    appended = p.stdout.strip()

    listed = json.loads(studio(["history", "--draft", draft_id, "--json"], studio_home).stdout)
    runs = listed["runs"]
    assert [len(r["alternatives"]) for r in runs] == [1, 2]  # newest first, alternatives grouped
    newest, older = runs
    assert newest["accepted"] and newest["alternatives"][0]["accepted"]  # --append took it
    assert not older["accepted"] and [a["alternative"] for a in older["alternatives"]] == [0, 1]
    assert all(r["action"] == "continue" and r["model"].endswith(".gguf") and r["preset"] for r in runs)
    assert newest["alternatives"][0]["output"].strip() == appended
    assert all(a["generated_tokens"] > 0 for r in runs for a in r["alternatives"])

    table = studio(["history", "--draft", draft_id], studio_home)
    assert table.returncode == 0, table.stderr
    assert f"run {newest['id']}" in table.stdout and f"run {older['id']}" in table.stdout
    assert "not accepted" in table.stdout and "continue" in table.stdout

    # Search: a word of the older run's second output, in another case, finds that run whole.
    word = max(older["alternatives"][1]["output"].split(), key=len).strip(".,;:!?\"'")
    found = json.loads(studio(["history", "--draft", draft_id, "--json", "--search", word.swapcase()],
                              studio_home).stdout)
    assert older["id"] in [r["id"] for r in found["runs"]]
    assert all(len(r["alternatives"]) == (2 if r["id"] == older["id"] else 1) for r in found["runs"])
    p = studio(["history", "--draft", draft_id, "--search", "海鸥从未出现"], studio_home)
    assert p.returncode == 0 and p.stdout == "" and "海鸥从未出现" in p.stderr

    p = studio(["history", "delete", str(older["alternatives"][1]["id"])], studio_home)
    assert p.returncode == 0 and f"Run {older['id']} deleted (2 outputs)" in p.stderr
    left = json.loads(studio(["history", "--draft", draft_id, "--json"], studio_home).stdout)["runs"]
    assert [r["id"] for r in left] == [newest["id"]]
    body = studio(["drafts", "show", draft_id], studio_home).stdout
    assert appended in body  # deleting history never touches the draft


def test_bad_input_gets_one_readable_line(studio_home):
    p = studio(["history"], studio_home)
    assert p.returncode == 2 and "--draft ID" in p.stderr and "Traceback" not in p.stderr
    p = studio(["history", "--draft", "77"], studio_home)
    assert p.returncode != 0 and "No draft with id 77" in p.stderr and "Traceback" not in p.stderr
    p = studio(["history", "delete", "5"], studio_home)
    assert p.returncode != 0 and "No generation with id 5" in p.stderr and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) <= 2
