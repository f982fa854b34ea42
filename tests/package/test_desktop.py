"""The desktop entry and icon: valid by freedesktop's own validator, installed for the writer by
``studio --install-desktop`` with an Exec that really starts this Studio, removed by ``--uninstall-desktop``."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from studio.cli.desktop import MARK

REPO = Path(__file__).resolve().parents[2]
ENTRY = REPO / "packaging" / "linux" / "studio.desktop"


@pytest.fixture(scope="session")
def validate() -> str:
    """desktop-file-validate (desktop-file-utils), installed here when missing where apt and root allow."""
    tool = shutil.which("desktop-file-validate")
    if tool is None and shutil.which("apt-get") and os.geteuid() == 0:
        install = ["apt-get", "install", "-y", "-qq", "desktop-file-utils"]
        if subprocess.run(install, capture_output=True, timeout=600).returncode != 0:  # no package lists yet
            subprocess.run(["apt-get", "update", "-qq"], capture_output=True, timeout=600)
            subprocess.run(install, capture_output=True, timeout=600)
        tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate is not installed (apt install desktop-file-utils)")
    return tool


def check_valid(validate: str, entry: Path) -> None:
    done = subprocess.run([validate, str(entry)], capture_output=True, text=True)
    # Hints are advice (it suggests Utility beside TextEditor); errors and warnings fail.
    problems = [line for line in done.stdout.splitlines() if ": error: " in line or ": warning: " in line]
    assert done.returncode == 0 and problems == [], done.stdout


def read_entry(entry: Path) -> dict[str, str]:
    parser = configparser.RawConfigParser(interpolation=None, comment_prefixes=("#",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(entry, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def exec_argv(value: str) -> list[str]:
    """The Exec value as a launcher reads it (the spec's order: the string escapes, then the quoting, in which a
    backslash escapes only " ` $ and itself; shlex's rules differ there)."""
    text = value.replace("\\\\", "\\")
    args: list[str] = []
    current: list[str] | None = None
    quoted = escaped = False
    for ch in text:
        if escaped:
            current = (current or []) + [ch]
            escaped = False
        elif quoted and ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
            current = current or []
        elif ch == " " and not quoted:
            if current is not None:
                args.append("".join(current))
            current = None
        else:
            current = (current or []) + [ch]
    assert not quoted and not escaped, value
    if current is not None:
        args.append("".join(current))
    return [arg.replace("%%", "%") for arg in args]


def test_the_shipped_entry_is_valid_and_speaks_english_and_chinese(validate: str):
    check_valid(validate, ENTRY)
    keys = read_entry(ENTRY)
    assert keys["Icon"] == "studio" and keys["Categories"] == "Office;TextEditor;" and keys["Type"] == "Application"
    for key in ("Name", "GenericName", "Comment"):
        assert keys[key] and keys[f"{key}[zh_CN]"], key
    assert any("\u4e00" <= ch <= "\u9fff" for ch in keys["Comment[zh_CN]"])


def install(launcher: list[str], data_home: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_DATA_HOME": str(data_home)}
    env.pop("APPIMAGE", None)
    return subprocess.run([*launcher, *flags], env=env, capture_output=True, text=True, timeout=120, cwd="/")


def check_installed(validate: str, data_home: Path, launcher: list[str]) -> None:
    """Valid, pointing at ``launcher``, whose Exec starts a Studio that answers --version; the icon in place."""
    entry = data_home / "applications" / "studio.desktop"
    check_valid(validate, entry)
    argv = exec_argv(read_entry(entry)["Exec"])
    assert argv == launcher and Path(argv[0]).is_absolute()
    assert read_entry(entry)["TryExec"].replace("\\\\", "\\") == launcher[0]
    started = subprocess.run([*argv, "--version"], capture_output=True, text=True, timeout=120, cwd="/")
    assert started.returncode == 0 and started.stdout.startswith("studio "), started.stderr
    svg = data_home / "icons" / "hicolor" / "scalable" / "apps" / "studio.svg"
    assert svg.read_bytes() == (REPO / "resources" / "icons" / "studio.svg").read_bytes()


def test_install_desktop_writes_an_entry_that_starts_this_studio_and_uninstall_removes_it(validate: str,
                                                                                         tmp_path: Path):
    data_home = tmp_path / "share"
    launcher = [os.path.abspath(sys.executable), "-m", "studio"]
    done = install(launcher, data_home, "--install-desktop")
    assert done.returncode == 0, done.stderr
    check_installed(validate, data_home, launcher)
    done = install(launcher, data_home, "--uninstall-desktop")
    assert done.returncode == 0, done.stderr
    assert not (data_home / "applications" / "studio.desktop").exists()
    assert list((data_home / "icons").rglob("studio.*")) == []


def test_a_launcher_in_a_folder_with_spaces_and_quotes_is_quoted_as_the_spec_says(validate: str, tmp_path: Path):
    odd = tmp_path / "My Apps $HOME 'n' \"quotes\" 100%"
    odd.mkdir()
    script = odd / "studio"
    shutil.copy2(Path(sys.executable).parent / "studio", script)  # the console script, its shebang absolute
    done = install([str(script)], tmp_path / "share", "--install-desktop")
    assert done.returncode == 0, done.stderr
    check_installed(validate, tmp_path / "share", [str(script)])


def test_uninstall_leaves_an_entry_it_did_not_write(tmp_path: Path):
    foreign = tmp_path / "share" / "applications" / "studio.desktop"
    foreign.parent.mkdir(parents=True)
    foreign.write_text("[Desktop Entry]\nType=Application\nName=Another Studio\nExec=other\n", encoding="utf-8")
    done = install([sys.executable, "-m", "studio"], tmp_path / "share", "--uninstall-desktop")
    assert done.returncode == 4 and "was not written by studio --install-desktop" in done.stderr
    assert "Traceback" not in done.stderr and foreign.read_text(encoding="utf-8").startswith("[Desktop Entry]")
    assert MARK.startswith("# ")


def test_a_data_folder_it_cannot_write_is_one_line(tmp_path: Path):
    blocker = tmp_path / "share"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    done = install([sys.executable, "-m", "studio"], blocker, "--install-desktop")
    assert done.returncode == 4, done.stderr
    assert done.stderr.startswith("studio: error: Studio cannot write") and "Traceback" not in done.stderr
