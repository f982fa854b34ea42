"""The .deb (scripts/package_deb) and the AppImage's AppDir (scripts/package_appimage), built from the real bundle:
what dpkg-deb says is inside, the packaged launcher run from the extracted files, the AppDir's AppRun run from a
clean environment, and the desktop entry installed from the bundle pointing at the bundle's own launcher."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from studio import __version__
from tests.package.bundle import Machine, build_bundle
from tests.package.test_desktop import check_valid, exec_argv, read_entry, validate  # noqa: F401 - a fixture

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def bundle() -> Path:
    return build_bundle()


@pytest.fixture(scope="module")
def deb(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deb")
    done = subprocess.run([str(REPO / "scripts" / "package_deb"), "--bundle", str(bundle), "--out", str(out),
                           "--fast"], cwd=REPO, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    (built,) = out.glob("*.deb")
    return built


def run_clean(machine: Machine, command: list[str], **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env={**machine.env(), **extra}, cwd=machine.root / "elsewhere",
                          capture_output=True, text=True, timeout=300)


def test_the_deb_installs_the_bundle_in_opt_with_a_command_an_entry_and_icons(deb: Path):
    assert deb.name == f"studio-writer_{__version__}_amd64.deb"
    info = subprocess.run(["dpkg-deb", "--info", str(deb)], capture_output=True, text=True, check=True).stdout
    fields = dict(re.findall(r"^ (\w[\w-]*): (.*)$", info, re.M))
    assert fields["Package"] == "studio-writer" and fields["Version"] == __version__
    assert fields["Architecture"] == "amd64" and int(fields["Installed-Size"]) > 100_000  # KiB: the model is inside
    depends = [d.strip() for d in fields["Depends"].split(",")]
    assert depends[0].startswith("libc6 (>= 2.") and "libgl1" in depends
    contents = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True,
                              check=True).stdout
    assert re.search(r"^-rwxr-xr-x root/root .* \./opt/studio/studio$", contents, re.M)
    assert re.search(r"^lrwxrwxrwx root/root .* \./usr/bin/studio -> /opt/studio/studio$", contents, re.M)
    for path in ("./usr/share/applications/studio.desktop", "./usr/share/icons/hicolor/scalable/apps/studio.svg",
                 "./usr/share/icons/hicolor/256x256/apps/studio.png", "./usr/share/doc/studio-writer/copyright",
                 "./opt/studio/_internal/studio/resources/system_libraries.toml"):
        assert f" {path}\n" in contents + "\n", path
    assert "./opt/studio/share/" not in contents  # /usr/share has the entry and icons


def test_the_deb_s_files_run_and_its_entry_is_valid(deb: Path, tmp_path: Path, validate: str):  # noqa: F811
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True, timeout=300)
    check_valid(validate, root / "usr" / "share" / "applications" / "studio.desktop")
    assert read_entry(root / "usr" / "share" / "applications" / "studio.desktop")["Exec"] == "studio"
    done = run_clean(Machine(tmp_path / "machine"), [str(root / "opt" / "studio" / "studio"), "--version"])
    assert (done.returncode, done.stdout.strip()) == (0, f"studio {__version__}"), done.stderr


@pytest.fixture(scope="module")
def appdir(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("appimage")
    env = {k: v for k, v in os.environ.items() if k != "APPIMAGETOOL"}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if not (Path(p) / "appimagetool").exists())
    done = subprocess.run([str(REPO / "scripts" / "package_appimage"), "--bundle", str(bundle), "--out", str(out)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    # Without appimagetool the AppDir is built and the script stops with 3 and the way to get the tool.
    assert done.returncode == 3 and "needs appimagetool" in done.stderr and "APPIMAGETOOL=" in done.stderr, done.stderr
    return out / "Studio.AppDir"


def test_the_appdir_has_its_entry_icon_and_a_runnable_apprun(appdir: Path, tmp_path: Path, validate: str):  # noqa: F811
    for name in ("AppRun", "studio.desktop", "studio.png", ".DirIcon", "usr/lib/studio/studio"):
        assert (appdir / name).exists(), name
    check_valid(validate, appdir / "studio.desktop")
    assert read_entry(appdir / "studio.desktop")["Icon"] == "studio"
    done = run_clean(Machine(tmp_path / "machine"), [str(appdir / "AppRun"), "--version"])
    assert (done.returncode, done.stdout.strip()) == (0, f"studio {__version__}"), done.stderr


def test_the_appimage_s_desktop_entry_starts_the_appimage_file(appdir: Path, tmp_path: Path, validate: str):  # noqa: F811
    """The AppImage runtime sets APPIMAGE (the file) and APPDIR (its mount); the entry must name the file."""
    machine = Machine(tmp_path / "machine")
    image = tmp_path / "Downloads" / "Studio 0.1.AppImage"
    done = run_clean(machine, [str(appdir / "AppRun"), "--install-desktop"], APPIMAGE=str(image),
                     APPDIR=str(appdir))
    assert done.returncode == 0, done.stderr
    entry = machine.home / ".local" / "share" / "applications" / "studio.desktop"
    check_valid(validate, entry)
    assert exec_argv(read_entry(entry)["Exec"]) == [str(image)]
    icons = machine.home / ".local" / "share" / "icons" / "hicolor"
    assert (icons / "256x256" / "apps" / "studio.png").is_file()
    assert (icons / "scalable" / "apps" / "studio.svg").is_file()


def test_the_bundle_s_desktop_entry_starts_the_bundle(bundle: Path, tmp_path: Path, validate: str):  # noqa: F811
    machine = Machine(tmp_path / "machine")
    done = run_clean(machine, [str(bundle / "studio"), "--install-desktop"])
    assert done.returncode == 0, done.stderr
    entry = machine.home / ".local" / "share" / "applications" / "studio.desktop"
    check_valid(validate, entry)
    argv = exec_argv(read_entry(entry)["Exec"])
    assert argv == [str(bundle / "studio")]
    started = run_clean(machine, [*argv, "--version"])
    assert started.stdout.strip() == f"studio {__version__}", started.stderr
    assert len(list((machine.home / ".local" / "share" / "icons" / "hicolor").glob("*/apps/studio.*"))) == 9
    removed = run_clean(machine, [str(bundle / "studio"), "--uninstall-desktop"])
    assert removed.returncode == 0 and not entry.exists(), removed.stderr
