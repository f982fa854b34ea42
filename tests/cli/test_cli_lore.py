"""`studio lore add|list|remove` and `studio continue --show-prompt`, in real processes on a real data folder; the
prompt and a Continue through the real default model."""

from __future__ import annotations

import json

from tests.cli.run import new_draft, studio


def test_lore_add_list_remove_and_bad_input(studio_home):
    draft_id = new_draft(studio_home, "At dusk the boats came in.")
    p = studio(["lore", "add", "--draft", draft_id, "--keys", "Mara,玛拉", "--text", "Mara keeps the light.",
                "--whole-word"], studio_home)
    assert p.returncode == 0, p.stderr
    first = p.stdout.strip()
    p = studio(["lore", "add", "--draft", draft_id, "--keys", "灯塔", "--text", "灯塔在北端。", "--pinned", "--json"],
               studio_home)
    assert p.returncode == 0, p.stderr
    second = json.loads(p.stdout)
    assert second["keys"] == ["灯塔"] and second["pinned"] is True

    listed = json.loads(studio(["lore", "list", "--draft", draft_id, "--json"], studio_home).stdout)
    assert listed["scan_chars"] == 2000
    assert [(e["id"], e["keys"], e["whole_word"]) for e in listed["entries"]] == [
        (int(first), ["Mara", "玛拉"], True), (second["id"], ["灯塔"], False)]
    table = studio(["lore", "list", "--draft", draft_id], studio_home)
    assert "Mara, 玛拉" in table.stdout and "pinned" in table.stdout

    for bad, why in ((["--keys", " , ", "--text", "x"], "at least one key"),
                     (["--keys", "Mara", "--text", "  "], "needs a text"),
                     (["--keys", "Mara", "--text", "word " * 20000], "too large for the context")):
        p = studio(["lore", "add", "--draft", draft_id, *bad], studio_home)
        assert p.returncode == 2, p.stderr
        assert why in p.stderr and "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) <= 2

    assert studio(["lore", "remove", first], studio_home).returncode == 0
    listed = json.loads(studio(["lore", "list", "--draft", draft_id, "--json"], studio_home).stdout)
    assert [e["id"] for e in listed["entries"]] == [second["id"]]
    p = studio(["lore", "remove", first], studio_home)
    assert p.returncode != 0 and "No lore entry" in p.stderr


def test_show_prompt_has_the_triggered_entry_and_continue_runs(default_model_path, studio_home):
    draft_id = new_draft(studio_home, "The boats came in at dusk. Mara climbed the stairs of the tower and")
    for keys, text in (("Mara,玛拉", "Mara is the lighthouse keeper; her lamp is called Old Wenna."),
                       ("gull", "Gulls nest on the rocks below the tower.")):
        assert studio(["lore", "add", "--draft", draft_id, "--keys", keys, "--text", text],
                      studio_home).returncode == 0
    p = studio(["continue", "--draft", draft_id, "--show-prompt", "--max-tokens", "24"], studio_home)
    assert p.returncode == 0, p.stderr
    assert "Lore: Mara is the lighthouse keeper; her lamp is called Old Wenna." in p.stdout
    assert "Gulls nest" not in p.stdout  # its key is nowhere before the cursor
    assert p.stdout.index("Old Wenna") < p.stdout.index("The boats came in at dusk.")
    assert "lore in: entry 1 (key “Mara”)" in p.stderr
    assert "generation" not in p.stderr.lower()
    body = studio(["drafts", "show", draft_id], studio_home).stdout
    assert body.strip() == "The boats came in at dusk. Mara climbed the stairs of the tower and"  # nothing written

    p = studio(["continue", "--draft", draft_id, "--max-tokens", "16", "--seed", "2", "--json"], studio_home)
    assert p.returncode == 0, p.stderr
    stats = json.loads(p.stderr.strip().splitlines()[-1])
    assert stats["generated_tokens"] > 0 and p.stdout.strip()
    # The model read the lore: the prompt it was given is longer than the draft's alone.
    bare = studio(["continue", "--show-prompt", "--max-tokens", "16"], studio_home,
                  stdin="The boats came in at dusk. Mara climbed the stairs of the tower and")
    assert bare.returncode == 0 and "Old Wenna" not in bare.stdout
    assert stats["prompt_tokens"] > int(bare.stderr.split(" prompt tokens")[0].replace(",", ""))
