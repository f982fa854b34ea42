"""`studio check` with rhyme and tone, through the real CLI in a subprocess: exit 0/1/2, the tones per line for
Chinese forms, the JSON fields per line, and --rhyme."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
CHUNXIAO = "春眠不觉晓，\n处处闻啼鸟。\n夜来风雨声，\n花落知多少。\n"
JINGYESI = "床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡。\n"
CHUNWANG = (REPO / "tests" / "data" / "corpus" / "chunwang_dufu.txt").read_text(encoding="utf-8")


def studio(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, STUDIO_HOME=str(home), PYTHONIOENCODING="utf-8")
    env.pop("STUDIO_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "studio", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120, check=False)


@pytest.fixture
def poem(tmp_path: Path):
    def write(text: str) -> str:
        path = tmp_path / "poem.txt"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def test_a_broken_rhyme_exits_1_and_names_line_character_and_groups(poem, studio_home) -> None:
    done = studio("check", poem(CHUNXIAO.replace("多少", "多天")), "--form", "五言绝句", home=studio_home)
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    assert ("line 4: 天 (下平一先) does not rhyme with 晓 (line 1: 上声十七筱), 鸟 (line 2: 上声十七筱) under 平水韵; "
            "五言绝句 rhymes in one group") in done.stdout
    assert "  4    5  花落知多天。  ⊙仄平平平" in done.stdout  # the tones of each line are shown


def test_a_fitting_poem_exits_0_with_tones_and_warnings(poem, studio_home) -> None:
    done = studio("check", poem(JINGYESI), "--form", "wujue", home=studio_home)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert out.splitlines()[0] == "五言绝句 by 平水韵: 平起首句入韵，平韵"
    assert "  1    5  床前明月光，  平平平仄平  光: 下平七阳" in out
    assert "warning: line 2: tones 平仄仄仄平" in out
    assert out.rstrip().splitlines()[-1] == "OK: fits wujue. (2 warnings; --strict fails on them)"
    strict = studio("check", poem(JINGYESI), "--form", "wujue", "--strict", home=studio_home)
    assert strict.returncode == 1


def test_json_carries_per_line_count_rhyme_tones_pattern_and_deviations(poem, studio_home) -> None:
    done = studio("check", poem(CHUNXIAO.replace("多少", "多天")), "--form", "wujue", "--json", home=studio_home)
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert data["ok"] is False and data["rhyme_system"] == "pingshui"
    assert data["pattern"].startswith("五言绝句 ") and data["pattern"].endswith("首句入韵，仄韵")
    line4 = data["lines"][3]
    assert line4["count"] == 5 and line4["rhyme_char"] == "天" and line4["rhyme_groups"] == ["下平一先"]
    assert line4["tones"] == "⊙仄平平平" and line4["pattern_ok"] is False
    assert line4["pattern"] in ("仄仄平平仄", "平平平仄仄")  # a rhyme line of a 仄韵 poem ends 仄
    assert any("does not rhyme" in m for m in line4["issues"])
    assert data["lines"][1]["rhyme_char"] == "鸟" and data["lines"][1]["rhyme_groups"] == ["上声十七筱"]
    assert {"deviations", "warnings", "notes"} <= set(data)
    assert data["deviations"][0]["line_no"] == 4


def test_rhyme_choices(poem, studio_home) -> None:
    path = poem(CHUNWANG)
    assert studio("check", path, "--form", "wulv", home=studio_home).returncode == 0
    assert studio("check", path, "--form", "wulv", "--rhyme", "pingshui", home=studio_home).returncode == 0
    modern = studio("check", path, "--form", "wulv", "--rhyme", "xinyun", "--json", home=studio_home)
    assert modern.returncode == 1 and json.loads(modern.stdout)["rhyme_system"] == "xinyun"
    assert studio("check", path, "--form", "wulv", "--rhyme", "shisanzhe", home=studio_home).returncode == 1
    wrong = studio("check", path, "--form", "wulv", "--rhyme", "guangyun", home=studio_home)
    assert wrong.returncode == 2 and "invalid choice: 'guangyun'" in wrong.stderr and "Traceback" not in wrong.stderr
    english = studio("check", poem("An old silent pond\nA frog jumps into the pond\nSplash! Silence again.\n"),
                     "--form", "haiku", "--rhyme", "xinyun", home=studio_home)
    assert english.returncode == 2 and "--rhyme chooses the rhyme book of a Chinese form" in english.stderr
    assert "Traceback" not in english.stderr


def test_sonnet_couplet_and_stress_through_the_cli(poem, studio_home) -> None:
    sonnet = (REPO / "tests" / "data" / "corpus" / "sonnet_18.txt").read_text(encoding="utf-8")
    good = studio("check", poem(sonnet), "--form", "sonnet", home=studio_home)
    assert good.returncode == 0, good.stdout
    assert good.stdout.splitlines()[0] == "sonnet: Shakespearean ABAB CDCD EFEF GG"
    assert " 13   10  So long as men can breathe or eyes can see,  x/x/x/x/x/" in good.stdout
    bad = studio("check", poem(sonnet.replace("to thee.", "to you.")), "--form", "sonnet", home=studio_home)
    assert bad.returncode == 1
    assert "line 14 does not rhyme with line 13, sonnet wants ABAB CDCD EFEF GG (Shakespearean)" in bad.stdout
