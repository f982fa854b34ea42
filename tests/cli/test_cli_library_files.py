"""`studio presets export|import FILE` and `studio styles export|import FILE` in real processes on a real data
folder: a round trip, a named export, and a bad file refused with one readable line (exit 2), nothing saved."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path


def studio(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, STUDIO_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "studio", *args], env=env, capture_output=True, text=True,
                          timeout=120)


def _listed(kind: str, home: Path) -> list[dict]:
    p = studio([kind, "list", "--json"], home)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def test_presets_and_styles_round_trip_through_files(studio_home, tmp_path: Path):
    presets = _listed("presets", studio_home)
    out = tmp_path / "presets.toml"
    p = studio(["presets", "export", str(out)], studio_home)
    assert p.returncode == 0, p.stderr
    assert f"Wrote {len(presets)} presets" in p.stderr
    assert len(tomllib.loads(out.read_text(encoding="utf-8"))["preset"]) == len(presets)

    name = presets[0]["name"]
    one = tmp_path / "one.toml"
    assert studio(["presets", "export", str(one), "--name", name], studio_home).returncode == 0
    p = studio(["presets", "import", str(one), "--json"], studio_home)
    assert p.returncode == 0, p.stderr
    assert [x["name"] for x in json.loads(p.stdout)] == [f"{name} (imported)"]
    assert len(_listed("presets", studio_home)) == len(presets) + 1

    styles = tmp_path / "styles.toml"
    p = studio(["styles", "export", str(styles), "--form", "poetry"], studio_home)
    assert p.returncode == 0, p.stderr
    forms = {s["form"] for s in tomllib.loads(styles.read_text(encoding="utf-8"))["style"]}
    assert forms == {"poetry"}
    p = studio(["styles", "import", str(styles)], studio_home)
    assert p.returncode == 0, p.stderr and "Imported" in p.stderr

    p = studio(["presets", "export", str(one), "--name", "No such preset"], studio_home)
    assert p.returncode == 2 and "No preset is named" in p.stderr


def test_a_bad_preset_file_exits_2_with_one_line_and_saves_nothing(studio_home, tmp_path: Path):
    before = _listed("presets", studio_home)
    bad = tmp_path / "bad.toml"
    bad.write_text("[[preset]]\nname = 'Fine'\naction = 'continue'\ntemplate_base = 'b'\n"
                   "[[preset]]\nname = 'Hot'\naction = 'continue'\ntemplate_base = 'b'\n"
                   "[preset.sampler]\ntemperature = 'very'\n", encoding="utf-8")
    p = studio(["presets", "import", str(bad)], studio_home)
    assert p.returncode == 2, p.stderr
    assert "preset #2 “Hot”" in p.stderr and "sampler temperature must be a number" in p.stderr
    assert "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1
    assert _listed("presets", studio_home) == before

    p = studio(["styles", "import", str(tmp_path / "missing.toml")], studio_home)
    assert p.returncode != 0 and "could not be read" in p.stderr and "Traceback" not in p.stderr
