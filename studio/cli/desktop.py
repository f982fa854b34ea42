"""``studio --install-desktop`` / ``--uninstall-desktop``: Studio in the desktop's menus for the current user.

A flag of the launcher itself rather than an install script beside it: it works the same from the folder bundle,
the AppImage (where only the one file exists, and Exec must name that file, not the mount that changes each run)
and the Python install, and it knows its own absolute path. It writes the freedesktop entry into
$XDG_DATA_HOME/applications and the icon into $XDG_DATA_HOME/icons/hicolor, nothing outside the writer's home.
The .deb installs the same entry system-wide instead (scripts/package_deb).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from studio.cli.output import EXIT_OK, EXIT_STORAGE
from studio.paths import os_reason, package_root, resources_dir

ENTRY = "studio.desktop"
ICON = "studio"
# The first line of every entry this command writes: --uninstall-desktop removes only such a file (and its icons),
# never an entry of the same name that something else put there.
MARK = "# Written by studio --install-desktop; removed by studio --uninstall-desktop."
# The characters for which the desktop entry spec wants an Exec argument quoted.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def add_desktop_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--install-desktop", action=_DesktopAction, nargs=0,
                       help="add Studio to the desktop's menus (for you only), with its icon, then quit")
    group.add_argument("--uninstall-desktop", action=_DesktopAction, nargs=0,
                       help="remove what --install-desktop added, then quit")


class _DesktopAction(argparse.Action):
    """Runs at parse time and exits, as --version does: it needs no data folder and no command."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        data_home = xdg_data_home()
        try:
            done = install(data_home) if self.dest == "install_desktop" else uninstall(data_home)
        except (OSError, DesktopError) as exc:
            if isinstance(exc, OSError):
                where = f" {exc.filename}" if exc.filename else ""
                parser.exit(EXIT_STORAGE, f"studio: error: Studio cannot write{where} ({os_reason(exc)}).\n")
            parser.exit(EXIT_STORAGE, f"studio: error: {exc}\n")
        for line in done:
            print(line)
        parser.exit(EXIT_OK)


class DesktopError(Exception):
    pass


def xdg_data_home() -> Path:
    value = os.environ.get("XDG_DATA_HOME", "")
    # The spec: an unset, empty or relative value means ~/.local/share.
    return Path(value) if value and Path(value).is_absolute() else Path.home() / ".local" / "share"


def launcher() -> list[str]:
    """The command that starts this Studio, as absolute paths."""
    appimage = os.environ.get("APPIMAGE")  # set by the AppImage runtime to the .AppImage file itself
    if appimage and os.environ.get("APPDIR") and Path(sys.executable).resolve().is_relative_to(
            Path(os.environ["APPDIR"]).resolve()):
        return [str(Path(appimage).resolve())]
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == "studio" and script.is_file():
        return [os.path.abspath(script)]  # the console script (or a link to it) the writer started
    return [os.path.abspath(sys.executable), "-m", "studio"]  # not resolved: a venv's python is a link


def exec_value(argv: Sequence[str]) -> str:
    """``argv`` as an Exec value: each argument quoted where the spec asks, then escaped as a string value."""
    quoted = []
    for arg in argv:
        if _RESERVED & set(arg):
            arg = '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
        quoted.append(arg.replace("%", "%%"))
    return " ".join(quoted).replace("\\", "\\\\")


def string_value(text: str) -> str:
    """``text`` with the string escapes of the spec (a key's value is one line)."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def _share_folders() -> list[Path]:
    """Where a bundle keeps its share/ (applications/, icons/hicolor/): beside the launcher, in PyInstaller's
    internal folder, in the AppImage's AppDir."""
    folders = []
    if getattr(sys, "frozen", False):
        folders.append(Path(sys.executable).resolve().parent / "share")
        if meipass := getattr(sys, "_MEIPASS", None):
            folders.append(Path(meipass) / "share")
    if appdir := os.environ.get("APPDIR"):
        folders.append(Path(appdir) / "usr" / "share")
    return folders


def entry_template() -> Path:
    candidates = [f / "applications" / ENTRY for f in _share_folders()]
    candidates.append(package_root().parent / "packaging" / "linux" / ENTRY)  # a checkout
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise DesktopError("this Studio has no desktop entry to install (the bundle, the AppImage and a checkout of "
                       "the repository carry packaging/linux/studio.desktop; a Python package install does not).")


def entry_text(template: str, argv: Sequence[str]) -> str:
    lines = [MARK]
    for line in template.splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + exec_value(argv)
        elif line.startswith("TryExec="):
            line = "TryExec=" + string_value(argv[0])  # a plain path, not an Exec command line
        lines.append(line)
    return "\n".join(lines) + "\n"


def _icons() -> list[tuple[Path, str]]:
    """(source, path under icons/hicolor) for the scalable icon and every rendered size the bundle ships."""
    icons = [(resources_dir() / "icons" / "studio.svg", f"scalable/apps/{ICON}.svg")]
    for share in _share_folders():
        hicolor = share / "icons" / "hicolor"
        if hicolor.is_dir():
            icons += [(png, png.relative_to(hicolor).as_posix()) for png in sorted(hicolor.glob(f"*/apps/{ICON}.png"))]
            break
    return icons


def install(data_home: Path) -> list[str]:
    argv = launcher()
    entry = data_home / "applications" / ENTRY
    entry.parent.mkdir(parents=True, exist_ok=True)
    text = entry_text(entry_template().read_text(encoding="utf-8"), argv)
    partial = entry.with_name(ENTRY + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(entry)  # a menu never reads half an entry
    written = [entry]
    for source, relative in _icons():
        target = data_home / "icons" / "hicolor" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    _refresh(data_home)
    icons = len(written) - 1
    return [f"Studio is in your desktop's menus: {entry} starts {' '.join(argv)}.",
            f"Icon: {icons} file{'s' if icons != 1 else ''} under {data_home / 'icons' / 'hicolor'}."]


def uninstall(data_home: Path) -> list[str]:
    entry = data_home / "applications" / ENTRY
    try:
        first = entry.read_text(encoding="utf-8").splitlines()[:1]
    except FileNotFoundError:
        return [f"Nothing to remove: {entry} does not exist."]
    if first != [MARK]:
        raise DesktopError(f"{entry} was not written by studio --install-desktop; it is left as it is.")
    entry.unlink()
    removed = 1
    for icon in (data_home / "icons" / "hicolor").glob(f"*/apps/{ICON}.*"):
        if icon.suffix in (".png", ".svg"):
            icon.unlink()
            removed += 1
    _refresh(data_home)
    return [f"Removed Studio from your desktop's menus ({removed} files)."]


def _refresh(data_home: Path) -> None:
    """Tell the desktop now rather than at the next login, where its tools exist; nothing depends on them."""
    for command in (["update-desktop-database", "-q", str(data_home / "applications")],
                    ["gtk-update-icon-cache", "-q", "-t", "-f", str(data_home / "icons" / "hicolor")]):
        if shutil.which(command[0]):
            try:
                subprocess.run(command, capture_output=True, timeout=30, check=False)
            except (OSError, subprocess.TimeoutExpired):
                pass
