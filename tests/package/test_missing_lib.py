"""The bundle on a machine without libxcb-cursor0: it names the library and its packages, on the terminal and in a
dialog, and exits 1, where Qt alone aborts with "Could not load the Qt platform plugin". The bundle carries a copy
of libxcb-cursor (PyInstaller collects it from the build machine), so the copy here has it removed, and the
system's is hidden as on a machine without the package (tests/hidden_library.py)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.hidden_library import hiding_available, without_library
from tests.package.bundle import Machine, build_bundle
from tests.ui.test_startup_check import recording_tool


@pytest.fixture(scope="session")
def bundle() -> Path:
    return build_bundle()


def bundle_copy(bundle: Path, into: Path) -> Path:
    """The bundle as links to the cached one's files (the cache is never touched), made cheaply."""
    into.mkdir(parents=True)
    done = subprocess.run(["cp", "-al", str(bundle), str(into)], capture_output=True)
    if done.returncode != 0:
        shutil.copytree(bundle, into / bundle.name, symlinks=True, dirs_exist_ok=True)
    return into / bundle.name


def test_the_bundle_without_libxcb_cursor_names_it(bundle: Path, tmp_path: Path):
    if not hiding_available():
        pytest.skip("needs root or unprivileged user namespaces to hide a system library")
    copy = bundle_copy(bundle, tmp_path / "copy")
    carried = list(copy.rglob("libxcb-cursor.so*"))
    for library in carried:
        library.unlink()
    machine = Machine(tmp_path / "machine")
    said = recording_tool(machine.root / "bin", "zenity")
    env = machine.env()
    del env["QT_QPA_PLATFORM"]  # a desktop session: Qt would open the window through X11
    env["DISPLAY"] = ":97"  # never reached: the check runs before Qt connects
    command = without_library("libxcb-cursor.so.0", [str(copy / "studio")], tmp_path / "ns")
    done = subprocess.run(command, env=env, cwd=machine.root / "elsewhere", capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1, done.stderr
    assert "libxcb-cursor.so.0" in done.stderr and "sudo apt install libxcb-cursor0" in done.stderr
    assert "Traceback" not in done.stderr and "Failed to load dynlib" not in done.stderr
    shown = said.read_text(encoding="utf-8")
    assert "--title=Studio cannot open its window" in shown and "libxcb-cursor.so.0" in shown
    assert not (machine.data / "studio.sqlite3").exists()  # it stopped before opening the store
    logged = "".join(p.read_text(encoding="utf-8") for p in machine.data.rglob("studio.log*"))
    assert "Studio cannot open its window: libxcb-cursor.so.0: cannot open shared object file" in logged
