"""The CLI end to end on a real database file in a temporary data folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio.app import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        rc = main(list(args))
    except SystemExit as exc:  # argparse usage errors
        rc = int(exc.code or 0)
    out, err = capsys.readouterr()
    return rc, out, err


def test_version(capsys):
    rc, out, _ = run(capsys, "--version")
    assert rc == 0 and out.startswith("studio ")


def test_new_list_show_delete_restore(capsys, studio_home: Path, tmp_path: Path):
    poem = tmp_path / "poem.txt"
    poem.write_text("床前明月光\n疑是地上霜\n", encoding="utf-8")
    rc, out, err = run(capsys, "drafts", "new", "--title", "Moon", "--form", "poetry", "--file", str(poem))
    assert rc == 0, err
    draft_id = int(out.strip())
    rc, out, _ = run(capsys, "drafts", "list", "--json")
    items = json.loads(out)
    assert [(d["id"], d["title"], d["form"], d["words"]) for d in items] == [(draft_id, "Moon", "poetry", 10)]
    rc, out, _ = run(capsys, "drafts", "show", str(draft_id))
    assert out == "床前明月光\n疑是地上霜\n"
    assert run(capsys, "drafts", "delete", str(draft_id))[0] == 0
    assert json.loads(run(capsys, "drafts", "list", "--json")[1]) == []
    assert [d["id"] for d in json.loads(run(capsys, "drafts", "list", "--trash", "--json")[1])] == [draft_id]
    assert run(capsys, "drafts", "restore", str(draft_id))[0] == 0
    assert [d["id"] for d in json.loads(run(capsys, "drafts", "list", "--json")[1])] == [draft_id]
    # the data folder is the one from STUDIO_HOME
    assert (studio_home / "studio.sqlite3").is_file()


def test_data_dir_flag_overrides_env(capsys, tmp_path: Path):
    other = tmp_path / "elsewhere"
    rc, out, err = run(capsys, "drafts", "new", "--title", "T", "--data-dir", str(other))
    assert rc == 0, err
    assert (other / "studio.sqlite3").is_file()
    assert json.loads(run(capsys, "--data-dir", str(other), "drafts", "list", "--json")[1])[0]["title"] == "T"
    assert json.loads(run(capsys, "drafts", "list", "--json")[1]) == []


def test_search_and_form_filter(capsys):
    run(capsys, "drafts", "new", "--title", "Harbour", "--form", "prose")
    run(capsys, "drafts", "new", "--title", "Chorus of gulls", "--form", "lyrics")
    rc, out, _ = run(capsys, "drafts", "list", "--form", "lyrics", "--json")
    assert [d["title"] for d in json.loads(out)] == ["Chorus of gulls"]
    rc, out, _ = run(capsys, "drafts", "list", "--search", "harb", "--json")
    assert [d["title"] for d in json.loads(out)] == ["Harbour"]


def test_import_and_export(capsys, tmp_path: Path):
    scene = tmp_path / "scene.fountain"
    scene.write_text("Title: Night Train\n\nINT. TRAIN - NIGHT\n\nRain on the glass.\n\nMARA\nWe're late.\n",
                     encoding="utf-8")
    rc, out, err = run(capsys, "drafts", "import", str(scene), "--json")
    assert rc == 0, err
    [d] = json.loads(out)
    assert d["form"] == "screenplay" and d["title"] == "Night Train"
    target = tmp_path / "out" / "night.md"
    target.parent.mkdir()
    rc, out, err = run(capsys, "drafts", "export", str(d["id"]), "--out", str(target))
    assert rc == 0, err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("---\n") and "Night Train" in text and "We're late." in text
    rc, out, err = run(capsys, "drafts", "export", "--all", "--out", str(tmp_path / "all"))
    assert rc == 0, err
    assert len(list((tmp_path / "all").iterdir())) == 1


def test_bad_inputs_give_one_line_and_codes(capsys, tmp_path: Path):
    rc, out, err = run(capsys, "drafts", "show", "999")
    assert rc == 1 and err.strip().count("\n") == 0 and "999" in err and "Traceback" not in err
    rc, _, err = run(capsys, "drafts", "new", "--title", "x", "--form", "opera")
    assert rc == 2 and "opera" in err
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    rc, _, err = run(capsys, "drafts", "import", str(binary))
    assert rc == 1 and "photo.txt" in err and "Traceback" not in err
    rc, _, err = run(capsys, "drafts", "new", "--title", "ok")
    draft_id = 1
    rc, _, err = run(capsys, "drafts", "export", str(draft_id), "--out", str(tmp_path / "missing" / "dir" / "a.md"))
    assert rc == 1 and "missing" in err and "Traceback" not in err
    assert run(capsys, "drafts", "show", str(draft_id))[0] == 0  # the draft is untouched


def test_corrupt_database_exit_4_and_file_kept(capsys, studio_home: Path):
    studio_home.mkdir(parents=True)
    db = studio_home / "studio.sqlite3"
    db.write_bytes(b"this is not a database at all" * 100)
    before = db.read_bytes()
    rc, _, err = run(capsys, "drafts", "list")
    assert rc == 4 and str(db) in err and "Traceback" not in err
    assert db.read_bytes() == before


def test_presets_and_styles_listed(capsys):
    rc, out, _ = run(capsys, "styles", "list", "--form", "poetry", "--json")
    styles = json.loads(out)
    assert rc == 0 and len(styles) >= 3 and {s["form"] for s in styles} == {"poetry"}
    rc, out, _ = run(capsys, "presets", "list", "--json")
    presets = json.loads(out)
    assert {"continue", "rewrite"} <= {p["action"] for p in presets}


def test_real_process_exit_codes(tmp_path: Path):
    env = dict(os.environ, STUDIO_HOME=str(tmp_path / "h"))
    p = subprocess.run([sys.executable, "-m", "studio", "drafts", "show", "42"], env=env, capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 1 and p.stderr.startswith("studio: error:") and len(p.stderr.strip().splitlines()) == 1
    p = subprocess.run([sys.executable, "-m", "studio", "drafts", "frobnicate"], env=env, capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 2
