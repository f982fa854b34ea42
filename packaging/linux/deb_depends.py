"""The Depends line of Studio's .deb: the Debian packages of the system libraries the bundle leaves to the system.

    python packaging/linux/deb_depends.py BUNDLE      ->  libc6 (>= 2.34), libgl1, libxcb1, ...

Every ELF file in the bundle is read with readelf; a NEEDED library that the bundle does not carry must come from
the machine, and `dpkg -S` names the package that holds it here (the build machine's Debian/Ubuntu). libc6 gets
the newest GLIBC symbol version any file asks for, so apt refuses an older system instead of Studio failing.
Optional plugins (Wayland, input methods, GL glue) are left out: Qt does without them when they cannot load, and
a Depends on them would pull a desktop stack into a minimal system.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Plugins Qt loads only when it can (another display server, an input method, a GL integration): their libraries
# are recommendations, not dependencies. The xcb platform plugin itself is required: it is how the window opens.
OPTIONAL = re.compile(r"/plugins/(?!platforms/libqxcb\.so)(platforms|platforminputcontexts|xcbglintegrations|"
                      r"wayland-[^/]+|egldeviceintegrations|platformthemes)/"
                      r"|/libQt6(Wayland\w*|WlShellIntegration|EglFs\w*)\.so")  # the libraries only those load
_QT_OWN = ("libQt6", "libicu", "libpyside6", "libshiboken6")
_GLIBC = re.compile(rb"GLIBC_(\d+)\.(\d+)")


def elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def needed(elf: Path) -> list[str]:
    out = subprocess.run(["readelf", "-d", str(elf)], capture_output=True, text=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def system_path(soname: str) -> str | None:
    listing = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout
    found = re.findall(rf"^\s*{re.escape(soname)} \(([^)]*)\) => (\S+)$", listing, re.M)
    native = [path for flags, path in found if "x86-64" in flags or "64bit" in flags] or [p for _f, p in found]
    return native[0] if native else None


def package_of(path: str) -> str | None:
    for candidate in (path, str(Path(path).resolve())):
        done = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if done.returncode == 0:
            return done.stdout.split(":", 1)[0].split(",")[0].strip()
    return None


def known_packages() -> dict[str, str]:
    with (REPO / "resources" / "system_libraries.toml").open("rb") as fh:
        return {name: p["debian"] for name, p in tomllib.load(fh)["libraries"].items() if "debian" in p}


def depends(bundle: Path) -> str:
    files = elf_files(bundle)
    inside = {f.name for f in files} | {p.name for p in bundle.rglob("*.so*")}
    wanted: set[str] = set()
    newest_glibc = (2, 17)
    for elf in files:
        if OPTIONAL.search(elf.as_posix()):
            continue
        for name in needed(elf):
            # Qt's own libraries are never a system package: one the bundle left out (the spec trims Qt modules
            # Studio never loads) belongs to a plugin that cannot load anyway.
            if name not in inside and not name.startswith(_QT_OWN):
                wanted.add(name)
        for major, minor in _GLIBC.findall(elf.read_bytes()):
            newest_glibc = max(newest_glibc, (int(major), int(minor)))
    packages: set[str] = set()
    table = known_packages()
    for soname in sorted(wanted):
        path = system_path(soname)
        # Not installed on the build machine (then the bundle could not carry it either): the start-up check's
        # table of what Qt needs names its package.
        package = (package_of(path) if path else None) or table.get(soname)
        if package is None:
            raise SystemExit(f"deb_depends: no package known here provides {soname}, which the bundle needs")
        packages.add(package)
    packages.discard("libc6")
    return ", ".join([f"libc6 (>= {newest_glibc[0]}.{newest_glibc[1]})", *sorted(packages)])


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: deb_depends.py BUNDLE_FOLDER")
    print(depends(Path(sys.argv[1])))
