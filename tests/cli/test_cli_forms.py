"""`studio check` and `studio forms` as a script sees them: the real CLI in a subprocess, its exit code, stdout and
stderr. 0: the poem fits; 1: it does not; 2: a usage error (unknown form, missing argument); 4: the file cannot be
read. A script must be able to tell "does not fit" from "could not read", so those two codes differ."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
CORPUS = REPO / "tests" / "data" / "corpus"

JINGYESI = "床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡。\n"
HAIKU = "An old silent pond\nA frog jumps into the pond\nSplash! Silence again.\n"


def studio(*args: str, home: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, STUDIO_HOME=str(home), PYTHONIOENCODING="utf-8")
    env.pop("STUDIO_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "studio", *args], cwd=cwd or REPO, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120, check=False)


def one_clean_line(stderr: str) -> str:
    """Errors are one readable line on stderr, never a traceback."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "Error:" not in lines[0].split("error:", 1)[-1], stderr
    assert lines[0].startswith("studio: error: "), stderr
    return lines[0]


@pytest.fixture
def poem(tmp_path: Path):
    def write(text: str, name: str = "poem.txt") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.mark.parametrize(("text", "form"), [
    (JINGYESI, "五言绝句"),  # the title works as well as the name
    (JINGYESI, "wujue"),
    ((CORPUS / "jingyesi_libai.txt").read_text(encoding="utf-8"), "五绝"),
    (HAIKU, "haiku"),
])
def test_a_poem_that_fits_exits_0_and_says_so(poem, studio_home, text, form):
    done = studio("check", str(poem(text)), "--form", form, home=studio_home)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().splitlines()[-1].startswith("OK: fits ")
    assert done.stderr == ""
    if "床" in text:
        assert "  1    5  床前明月光，" in done.stdout  # UTF-8 out, the poem's own lines


@pytest.mark.parametrize(("text", "form", "said"), [
    ("床前明月光，\n疑是地上霜。\n", "wujue", "2 lines, 五言绝句 wants 4"),
    ("床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡啊。\n", "wujue", "line 4"),
    ("An old silent pond\nA frog jumps into the old pond\nSplash! Silence again.\n", "haiku", "line 2"),
])
def test_a_poem_that_does_not_fit_exits_1_and_says_where(poem, studio_home, text, form, said):
    done = studio("check", str(poem(text)), "--form", form, home=studio_home)
    assert done.returncode == 1, done.stderr
    assert said in done.stdout
    assert "OK: fits" not in done.stdout
    assert done.stderr == ""  # not fitting is an answer, not an error


def test_json_gives_the_same_answer_and_exit_code(poem, studio_home):
    fits = studio("check", str(poem(JINGYESI)), "--form", "wujue", "--json", home=studio_home)
    short = studio("check", str(poem("床前明月光，\n", "short.txt")), "--form", "wujue", "--json", home=studio_home)
    assert (fits.returncode, short.returncode) == (0, 1)
    assert json.loads(fits.stdout)["ok"] is True
    assert [line["text"] for line in json.loads(fits.stdout)["lines"]] == JINGYESI.splitlines()
    assert json.loads(short.stdout)["ok"] is False


@pytest.mark.parametrize("args", [
    ("check", "{poem}", "--form", "sonnetx"),  # an unknown form
    ("check", "{missing}", "--form", "sonnetx"),  # ... is a usage error even before the file is looked at
    ("check", "{poem}"),  # --form is required
    ("check", "--form", "haiku"),  # so is the file
    ("forms", "--bogus"),
    ("check", "{poem}", "--form", "haiku", "--strict=yes"),
])
def test_usage_errors_exit_2(poem, studio_home, tmp_path, args):
    path = poem(HAIKU)
    argv = [a.format(poem=path, missing=tmp_path / "missing.txt") for a in args]
    done = studio(*argv, home=studio_home)
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_an_unknown_form_names_the_known_ones(poem, studio_home):
    done = studio("check", str(poem(HAIKU)), "--form", "sonnetx", home=studio_home)
    line = one_clean_line(done.stderr)
    assert "sonnetx" in line and "haiku" in line and "五言绝句" in line


@pytest.mark.parametrize("what", ["missing", "folder", "binary", "undecodable"])
def test_a_file_that_cannot_be_read_exits_4_with_one_line_naming_it(studio_home, tmp_path, what):
    if what == "missing":
        path = tmp_path / "nope.txt"
    elif what == "folder":
        path = tmp_path / "poems"
        path.mkdir()
    elif what == "binary":
        path = tmp_path / "image.txt"
        path.write_bytes(bytes(range(256)) * 64)
    else:
        path = tmp_path / "garbled.txt"
        path.write_bytes(b"\x00\x01\x02\xff\xfe" * 2000)
    done = studio("check", str(path), "--form", "haiku", home=studio_home)
    assert done.returncode == 4, (done.returncode, done.stdout, done.stderr)
    line = one_clean_line(done.stderr)
    assert path.name in line
    assert done.stdout == ""


def test_check_and_forms_need_no_data_folder(poem, tmp_path):
    """Pure text commands: a data folder Studio cannot use (here a file stands where it should be) is no error."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x", encoding="utf-8")
    assert studio("check", str(poem(JINGYESI)), "--form", "wujue", home=blocked).returncode == 0
    assert studio("forms", home=blocked).returncode == 0


def test_forms_lists_every_form_and_exits_0(studio_home):
    from studio.forms import poetry

    table = studio("forms", home=studio_home)
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].split()[:2] == ["FORM", "ALIASES"]
    for name in poetry.FORMS:
        assert any(line.startswith(name + " ") for line in table.stdout.splitlines()), name
    listed = studio("forms", "--json", home=studio_home)
    assert listed.returncode == 0, listed.stderr
    forms = json.loads(listed.stdout)
    assert [f["name"] for f in forms] == list(poetry.FORMS)
    assert "五言绝句" in next(f for f in forms if f["name"] == "wujue")["aliases"]
    assert all(f["description"] for f in forms)
