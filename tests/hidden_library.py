"""Run a command on this machine as if a system library were not installed.

The command runs in its own mount namespace (``unshare``) where the folder holding the library is replaced by a
folder of links to everything else in it: the dynamic loader then finds no such file anywhere, exactly as on a
machine without the package, while the rest of the system is untouched. Needs root (as CI runs) or unprivileged
user namespaces; :func:`hiding_available` says whether this machine allows it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

# Binds the real folder aside, then the folder of links over it, then runs the command ("$@" after mount and the
# three folders). Tools by absolute path: the command's own environment may have an empty PATH.
_SCRIPT = '"$1" --bind "$2" "$3" && "$1" --bind "$4" "$2" && shift 4 && exec "$@"'


def _unshare() -> list[str] | None:
    tool = shutil.which("unshare")
    if tool is None:
        return None
    for flags in (["-m"], ["-r", "-m"]) if os.geteuid() == 0 else (["-r", "-m"],):
        if subprocess.run([tool, *flags, "true"], capture_output=True).returncode == 0:
            return [tool, *flags]
    return None


def hiding_available() -> bool:
    return _unshare() is not None


def library_folder(soname: str) -> Path | None:
    """The folder the loader finds ``soname`` in (its real path), or None when it is not installed at all."""
    listing = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout
    match = re.search(rf"^\s*{re.escape(soname)} \(.*\) => (\S+)$", listing, re.M)
    return Path(match[1]).resolve().parent if match else None


def without_library(soname: str, command: list[str], work: Path) -> list[str]:
    """``command`` wrapped so that it runs where ``soname`` (every file named ``<soname>*``) does not exist. When the
    machine has no such library, that is already so and ``command`` comes back as it was."""
    folder = library_folder(soname)
    if folder is None:
        return command
    unshare = _unshare()
    assert unshare is not None, "check hiding_available() first"
    stem = soname.split(".so")[0] + ".so"
    side, links = work / "real-libs", work / "libs-without"
    side.mkdir(parents=True)
    links.mkdir()
    for entry in os.listdir(folder):
        if not entry.startswith(stem):
            (links / entry).symlink_to(side / entry)
    shell, mount = shutil.which("sh") or "/bin/sh", shutil.which("mount") or "/bin/mount"
    return [*unshare, shell, "-c", _SCRIPT, "sh", mount, str(folder), str(side), str(links), *command]
