"""A machine without a system library Qt's X11 support needs: Studio names it instead of a silent abort."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from studio.ui import startup_check
from studio.ui.startup_check import Missing, describe, show_without_qt, xcb_expected
from tests.hidden_library import hiding_available, without_library

REPO = Path(__file__).resolve().parents[2]


def x11_environment(fake_bin: Path) -> dict[str, str]:
    """An X11 session (a display that is never reached: the check runs before Qt connects), with ``fake_bin``
    first on PATH so that a dialog tool there records what it was asked to show."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE", "QT_PLUGIN_PATH")}
    env.update(DISPLAY=":97", PATH=f"{fake_bin}{os.pathsep}{env.get('PATH', '')}")
    return env


def recording_tool(folder: Path, name: str, exit_code: int = 0) -> Path:
    """A stand-in dialog tool that writes its arguments, one per line, to ``<name>.args`` beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    tool = folder / name
    tool.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{folder / name}.args"\nexit {exit_code}\n', encoding="utf-8")
    tool.chmod(0o755)
    return folder / f"{name}.args"


def test_a_machine_without_libxcb_cursor_hears_which_library_and_package(tmp_path: Path):
    if not hiding_available():
        pytest.skip("needs root or unprivileged user namespaces to hide a system library")
    said = recording_tool(tmp_path / "bin", "zenity")
    command = without_library("libxcb-cursor.so.0", [sys.executable, "-m", "studio"], tmp_path / "ns")
    done = subprocess.run(command, env=x11_environment(tmp_path / "bin"), cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    # Qt alone aborts (SIGABRT, -6) with "Could not load the Qt platform plugin" and never names the file.
    assert done.returncode == 1, done.stderr
    assert "libxcb-cursor.so.0" in done.stderr
    assert "sudo apt install libxcb-cursor0" in done.stderr
    assert "xcb-util-cursor" in done.stderr
    assert "Traceback" not in done.stderr and "Could not load the Qt platform plugin" not in done.stderr
    shown = said.read_text(encoding="utf-8")
    assert "--title=Studio cannot open its window" in shown and "libxcb-cursor.so.0" in shown


def test_a_bundle_missing_its_own_qt_file_asks_for_a_reinstall(tmp_path: Path):
    """A real copy of the xcb plugin whose own Qt library (found through its rpath, $ORIGIN/../../lib) is absent:
    not a package to install but an incomplete install. Run in a child: this process may hold the library already."""
    from PySide6.QtCore import QLibraryInfo

    real = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms" / "libqxcb.so"
    plugins = tmp_path / "Qt" / "plugins"
    (plugins / "platforms").mkdir(parents=True)
    shutil.copy2(real, plugins / "platforms" / "libqxcb.so")
    code = ("import sys; from pathlib import Path; from studio.ui.startup_check import find_missing, describe; "
            "m = find_missing(Path(sys.argv[1])); print(m.files); print(describe(m))")
    done = subprocess.run([sys.executable, "-c", code, str(plugins)], cwd=REPO, capture_output=True, text=True,
                          timeout=60, check=True)
    assert "('libQt6XcbQpa.so.6',)" in done.stdout
    assert "Studio's own file libQt6XcbQpa.so.6 is missing" in done.stdout and "Install Studio again" in done.stdout


def test_the_check_runs_only_where_qt_would_use_x11():
    assert xcb_expected({}, "linux")
    assert xcb_expected({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert xcb_expected({"QT_QPA_PLATFORM": "xcb:nograb;wayland"}, "linux")
    assert not xcb_expected({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not xcb_expected({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux")
    assert not xcb_expected({"WAYLAND_DISPLAY": "wayland-0"}, "linux")  # Qt tries Wayland first there
    assert not xcb_expected({"XDG_SESSION_TYPE": "wayland"}, "linux")
    assert not xcb_expected({}, "darwin") and not xcb_expected({}, "win32")


def test_every_missing_library_is_named_with_its_packages():
    missing = Missing(Path("/q/libqxcb.so"), ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libweird.so.2"),
                      "libxcb-cursor.so.0: cannot open shared object file: No such file or directory")
    text = describe(missing)  # the shipped table
    assert "The system libraries libxcb-cursor.so.0, libxcb-icccm.so.4, libweird.so.2 are missing" in text
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4" in text
    assert "sudo dnf install xcb-util-cursor xcb-util-wm" in text
    assert "package search finds the package that holds libweird.so.2" in text


def test_every_library_the_xcb_plugin_needs_from_the_system_is_in_the_table():
    """The table is data taken from the plugin's NEEDED entries: a Qt update that needs a new library fails here."""
    from PySide6.QtCore import QLibraryInfo

    if shutil.which("readelf") is None:
        pytest.skip("readelf (binutils) is not installed")
    plugin = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms" / "libqxcb.so"
    qt_lib = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.LibrariesPath))
    needed: set[str] = set()
    for elf in (plugin, qt_lib / "libQt6XcbQpa.so.6", qt_lib / "libQt6Gui.so.6"):
        dynamic = subprocess.run(["readelf", "-d", str(elf)], capture_output=True, text=True, check=True).stdout
        needed |= {line.split("[", 1)[1].rstrip("]") for line in dynamic.splitlines() if "(NEEDED)" in line}
    glibc = {"libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "ld-linux-x86-64.so.2"}
    system = {n for n in needed - glibc if not n.startswith(("libQt6", "libicu"))}
    assert system - set(startup_check.library_packages()) == set()


def test_the_dialog_is_the_first_tool_that_can_show_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    cannot = recording_tool(tmp_path, "zenity", exit_code=5)  # e.g. it cannot reach the display
    shown = recording_tool(tmp_path, "kdialog")
    never = recording_tool(tmp_path, "xmessage")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("DISPLAY", ":97")
    assert show_without_qt("Studio cannot open its window", "libxcb-cursor.so.0 is missing") == "kdialog"
    assert cannot.exists() and not never.exists()
    assert shown.read_text(encoding="utf-8").splitlines() == [
        "--title", "Studio cannot open its window", "--error", "libxcb-cursor.so.0 is missing"]


def test_without_a_display_no_dialog_is_tried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    tried = recording_tool(tmp_path, "zenity")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert show_without_qt("t", "x") is None and not tried.exists()


def test_every_text_is_read_in_the_system_s_language(tmp_path: Path):
    """Before any QApplication: each text goes through Studio's .qm (real lupdate and lrelease; every translation
    here is the source with a marker) for a Chinese system locale; the package commands stay as they are."""
    from tests.ui.ts_files import LRELEASE, LUPDATE

    ts = tmp_path / "studio_zh_CN.ts"
    subprocess.run([str(LUPDATE), str(REPO / "studio" / "ui" / "startup_check.py"), "-ts", str(ts)], check=True,
                   capture_output=True, timeout=120)
    text = re.sub(r"<source>(.*?)</source>\s*<translation type=\"unfinished\"></translation>",
                  r"<source>\1</source><translation>译 \1</translation>", ts.read_text(encoding="utf-8"))
    assert "unfinished" not in text
    ts.write_text(text, encoding="utf-8")
    subprocess.run([str(LRELEASE), "-silent", str(ts), "-qm", str(tmp_path / "studio_zh_CN.qm")], check=True,
                   timeout=120)
    (tmp_path / "studio_zh_CN.ts").unlink()  # as in the bundle: the .qm is taken as it is
    code = ("import sys; from pathlib import Path; from studio.ui.startup_check import *; "
            "tr = system_translation(Path(sys.argv[1])); print(tr(TITLE)); "
            "print(describe(Missing(Path('/q/libqxcb.so'), ('libxcb-cursor.so.0', 'libweird.so.2'), 'e'), tr=tr))")
    env = {**os.environ, "LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8", "LANGUAGE": "zh_CN"}
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=60, check=True)
    lines = done.stdout.splitlines()
    assert lines[0] == "译 Studio cannot open its window"
    assert [line for line in lines if not line.startswith("译 ")] == [
        "  Debian, Ubuntu:  sudo apt install libxcb-cursor0", "  Fedora:          sudo dnf install xcb-util-cursor"]
    english = subprocess.run([sys.executable, "-c", code, str(tmp_path)], env={**env, "LANG": "C.UTF-8",
                             "LC_ALL": "C.UTF-8", "LANGUAGE": "en"}, cwd=REPO, capture_output=True, text=True,
                             timeout=60, check=True)
    assert english.stdout.startswith("Studio cannot open its window\n")


@pytest.mark.parametrize("display", ["", ":97"])
def test_without_a_reachable_display_the_window_says_so(tmp_path: Path, display: str):
    """Started over ssh, from a cron job or with a stale DISPLAY, Qt alone aborts (SIGABRT) with "could not connect
    to display"; Studio says there is no display to open the window on, and that the command line needs none."""
    env = x11_environment(tmp_path / "bin")
    env["STUDIO_HOME"] = str(tmp_path / "home")
    if display:
        env["DISPLAY"] = display
    else:
        env.pop("DISPLAY")
    done = subprocess.run([sys.executable, "-m", "studio"], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert "no display" in done.stderr and "studio --help" in done.stderr, done.stderr
    assert (display in done.stderr) if display else "DISPLAY is not set" in done.stderr
    assert "Traceback" not in done.stderr and "could not connect to display" not in done.stderr
