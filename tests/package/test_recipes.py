"""The macOS and Windows recipes and the CI workflow that runs them. Their builds cannot run on Linux, so this
checks what can be checked here: the workflow is valid YAML with the three runners, each building, smoke-running
its launcher and uploading; every file the recipes name exists; the shell scripts parse; and the icons they
need (.icns, .ico) are made here and read back by Qt's own image readers."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "package.yml"
SHELL_SCRIPTS = ["scripts/package_deb", "scripts/package_appimage", "packaging/macos/build.sh"]


def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_workflow_builds_smoke_runs_and_uploads_on_linux_macos_and_windows():
    data = workflow()
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` as true; GitHub reads the key
    assert {"workflow_dispatch", "push", "pull_request"} <= set(triggers)
    job = data["jobs"]["package"]
    matrix = job["strategy"]["matrix"]["include"]
    assert {m["os"] for m in matrix} == {"ubuntu-22.04", "macos-14", "windows-latest"}
    assert job["runs-on"] == "${{ matrix.os }}"
    steps = job["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    for command in ("./scripts/package", "./scripts/package_deb", "./scripts/package_appimage",
                    "packaging/macos/build.sh", "packaging/windows/build.ps1"):
        assert command in runs, command
    smoke = next(s for s in steps if s.get("name", "").startswith("Smoke-run the packaged"))
    assert '"${{ matrix.launcher }}" --version' in smoke["run"] and "drafts list" in smoke["run"]
    assert "if" not in smoke  # every platform's launcher is run
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "${{ matrix.artifacts }}" and upload["with"]["if-no-files-found"] == "error"
    for m in matrix:
        assert m["launcher"] and m["artifacts"].strip()


def test_every_script_the_recipes_name_exists():
    for script in ("scripts/package", *SHELL_SCRIPTS):
        path = REPO / script
        assert path.is_file() and path.stat().st_mode & 0o111, script
    ps1 = (REPO / "packaging" / "windows" / "build.ps1").read_text(encoding="utf-8")
    for named in re.findall(r"(packaging\\[\w\\.]+|resources\\i18n|studio\\__init__\.py)", ps1):
        assert (REPO / named.replace("\\", "/")).exists(), named
    mac = (REPO / "packaging" / "macos" / "build.sh").read_text(encoding="utf-8")
    assert 'CMAKE_ARGS="-DGGML_METAL=on"' in mac and "hdiutil create" in mac and "packaging/studio.spec" in mac


@pytest.mark.parametrize("script", [*SHELL_SCRIPTS, "packaging/linux/AppRun"])
def test_the_shell_scripts_parse(script: str):
    shell = "sh" if script.endswith("AppRun") else "bash"
    done = subprocess.run([shell, "-n", str(REPO / script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_inno_setup_script_names_what_exists():
    iss = REPO / "packaging" / "windows" / "studio.iss"
    text = iss.read_text(encoding="utf-8")
    sections = re.findall(r"^\[(\w+)\]$", text, re.M)
    assert sections[:2] == ["Setup", "Languages"] and {"Files", "Icons", "Run"} <= set(sections)
    setup = dict(re.findall(r"^(\w+)=(.*)$", text.split("[Setup]")[1].split("\n[")[0], re.M))
    for key in ("AppId", "AppName", "AppVersion", "DefaultDirName", "OutputBaseFilename", "SetupIconFile"):
        assert setup.get(key), key
    assert setup["PrivilegesRequired"] == "lowest"  # a writer without administrator rights can install it
    assert (iss.parent / setup["LicenseFile"].replace("\\", "/")).resolve() == REPO / "LICENSE"
    assert 'Source: "{#SourceDir}\\*"' in text and "{app}\\studio.exe" in text


@pytest.mark.parametrize(("kind", "count", "largest"), [("icns", 11, 1024), ("ico", 7, 256)])
def test_the_mac_and_windows_icons_are_made_here_and_read_back_by_qt(tmp_path: Path, kind: str, count: int,
                                                                     largest: int):
    from PySide6.QtGui import QImageReader

    target = tmp_path / f"studio.{kind}"
    subprocess.run([sys.executable, str(REPO / "packaging" / "icons.py"), kind, str(target)], check=True,
                   capture_output=True, timeout=120)
    reader = QImageReader(str(target))
    assert reader.canRead(), reader.errorString()
    assert reader.imageCount() == count
    sizes = []
    for index in range(reader.imageCount()):
        assert reader.jumpToImage(index)
        image = reader.read()
        assert not image.isNull(), reader.errorString()
        assert image.pixelColor(image.width() // 2, image.height() // 2).alpha() > 0  # drawn, not blank
        sizes.append(image.width())
    assert max(sizes) == largest


def test_the_spec_has_the_mac_and_windows_branches():
    spec = (REPO / "packaging" / "studio.spec").read_text(encoding="utf-8")
    assert 'name="Studio.app"' in spec and "studio.icns" in spec and "studio.ico" in spec
    assert "LINUX = sys.platform" in spec  # the Linux wheels' file names are not trimmed for elsewhere
