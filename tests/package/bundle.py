"""The Linux bundle for the tests: built once per set of inputs into the test cache, and run the way a writer's
machine runs it: ``env -i`` with only HOME, the XDG folders and a PATH with no Python, from a folder outside the
checkout, with the dynamic loader reporting every shared library it maps (LD_DEBUG).

The same child code runs on the Python install (``.venv/bin/python -c``) and on the bundle (``studio -c``, which
packaging/launcher.py runs as ``python -c`` would), so a check written once holds both to the same behaviour.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".studio-test-cache"
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
# What goes into the bundle: a change to any of these builds it again.
INPUTS = ("studio", "resources", "packaging", "scripts/package", "scripts/setup", "pyproject.toml")

_CHILD = "{prelude}\nimport sys\nfrom studio.app import main\nsys.exit(main({argv!r}))\n"

# Where a bundle may take a library from the system: the C library, the graphics stack (GL/EGL/Mesa and the
# drivers it picks), the display (X11, xcb, xkb, Wayland), fonts (fontconfig, freetype and what they decompress
# with) and zlib, which PyInstaller's own bootloader links. Anything else must come from inside the bundle.
SYSTEM_ALLOWED = re.compile(
    r"^(ld-linux[-\w.]*|lib(c|m|dl|pthread|rt|util|resolv|anl|nss_\w+|mvec)\.so[.\d]*"
    r"|lib(GL|EGL|GLX|GLdispatch|OpenGL|GLESv2|gbm|drm\w*|glapi|gallium[-\w.]*|LLVM[-\w.]*|vulkan\w*|elf|sensors"
    r"|xshmfence|edit|tinfo|pciaccess)[-\w]*\.so[.\d]*|\w+_dri\.so|libEGL_mesa\.so[.\d]*|libGLX_mesa\.so[.\d]*"
    r"|lib(X11|X11-xcb|Xau|Xdmcp|Xext|Xrender|Xfixes|Xi|Xrandr|Xcursor|Xxf86vm|xcb[-\w]*|xkbcommon[-\w]*"
    r"|wayland-[-\w]+|ffi)\.so[.\d]*"
    r"|lib(fontconfig|freetype|expat|png16|brotli\w+|bz2|z|zstd|lzma|uuid)\.so[.\d]*)$"
)
SYSTEM_FOLDERS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")
_LOADED = re.compile(r"(?:calling init: |file=)(/\S+)")


def inputs_key() -> str:
    """A hash of everything the bundle is built from: the files above and the installed distributions."""
    digest = hashlib.sha256()
    for top in INPUTS:
        base = REPO / top
        files = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base]
        for path in files:
            if "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            digest.update(str(path.relative_to(REPO)).encode())
            digest.update(path.read_bytes())
    site = next((REPO / ".venv" / "lib").glob("python3*/site-packages"))
    digest.update(" ".join(sorted(p.name for p in site.glob("*.dist-info"))).encode())
    return digest.hexdigest()[:16]


def build_bundle() -> Path:
    """The bundle's folder (holding the launcher ``studio``), built by scripts/package unless this key's is cached.

    Bundles of other keys are removed (each is over 400 MB); PyInstaller's work folder is kept between keys, so a
    change of code rebuilds in about a minute.
    """
    from filelock import FileLock

    key = inputs_key()
    done = CACHE / f"bundle-{key}"
    bundle = done / "studio"
    CACHE.mkdir(exist_ok=True)
    with FileLock(str(CACHE / "bundle.lock")):
        if (bundle / "studio").is_file():
            return bundle
        building = CACHE / f"bundle-{key}.building"
        shutil.rmtree(building, ignore_errors=True)
        started = time.perf_counter()
        proc = subprocess.run([str(REPO / "scripts" / "package"), "--dist", str(building), "--work",
                               str(CACHE / "bundle-work")], cwd=REPO, capture_output=True, text=True, timeout=1800)
        assert proc.returncode == 0, f"scripts/package failed ({proc.returncode}):\n{proc.stderr[-4000:]}"
        for old in CACHE.glob("bundle-*"):
            if old.name not in ("bundle-work", "bundle.lock", building.name):
                shutil.rmtree(old, ignore_errors=True)
        building.rename(done)
        print(f"\nbundle built in {time.perf_counter() - started:.0f} s: {bundle}")
    return bundle


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and link under ``folder`` with its size and mtime: a read-only bundle must never change."""
    out = {}
    for path in folder.rglob("*"):
        st = path.lstat()
        out[str(path.relative_to(folder))] = (st.st_size, st.st_mtime_ns)
    return out


@dataclass
class Machine:
    """A writer's machine in a temporary folder: an empty home, its XDG folders, a PATH with nothing in it."""

    root: Path
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("home", "bin", "elsewhere", "tmp", "ld", "run"):
            (self.root / name).mkdir(parents=True, exist_ok=True)
        (self.root / "run").chmod(0o700)

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def data(self) -> Path:
        """Where platformdirs puts Studio's data folder on Linux for this HOME."""
        return self.home / ".local" / "share" / "Studio"

    def env(self) -> dict[str, str]:
        home = self.home
        env = {"HOME": str(home), "PATH": str(self.root / "bin"), "LANG": "C.UTF-8", "TMPDIR": str(self.root / "tmp"),
               "XDG_DATA_HOME": str(home / ".local" / "share"), "XDG_CONFIG_HOME": str(home / ".config"),
               "XDG_CACHE_HOME": str(home / ".cache"), "XDG_RUNTIME_DIR": str(self.root / "run"),
               "QT_QPA_PLATFORM": "offscreen"}
        env.update(self.extra)
        return env


@dataclass
class Studio:
    """One way of running Studio: the Python install or the bundle."""

    kind: str  # "python" or "bundle"
    folder: Path | None = None  # the bundle's folder

    def command(self, argv: list[str], prelude: str = "") -> list[str]:
        """``studio ARGV`` (with ``prelude`` run first); ``["-c", CODE]`` is Python code on both."""
        program = str(self.folder / "studio") if self.folder else str(VENV_PYTHON)
        if prelude:
            return [program, "-c", _CHILD.format(prelude=prelude, argv=list(argv))]
        if argv[:1] == ["-c"] or self.folder:
            return [program, *argv]
        return [program, "-m", "studio", *argv]

    def run(self, machine: Machine, argv: list[str], *, prelude: str = "", stdin: str = "",
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run, then check (for the bundle) that every library came from inside it and nothing in it changed."""
        env = machine.env()
        trace = machine.root / "ld" / f"run-{time.monotonic_ns()}"
        if self.folder is not None:
            env.update(LD_DEBUG="files", LD_DEBUG_OUTPUT=str(trace))
            before = listing(self.folder)
        proc = subprocess.run(self.command(argv, prelude), input=stdin, capture_output=True, text=True, env=env,
                              cwd=machine.root / "elsewhere", timeout=timeout)
        if self.folder is not None:
            outside = libraries_from_outside(self.folder, trace)
            assert outside == [], f"{argv}: loaded from outside the bundle: {outside}"
            assert listing(self.folder) == before, f"{argv}: the bundle's files changed"
        return proc


def loaded_libraries(trace: Path) -> set[str]:
    """Every shared object the loader mapped, by path, from LD_DEBUG=files output (one file per process)."""
    found: set[str] = set()
    for part in trace.parent.glob(trace.name + ".*"):
        found.update(_LOADED.findall(part.read_text(errors="replace")))
    return found


def libraries_from_outside(bundle: Path, trace: Path) -> list[str]:
    loaded = loaded_libraries(trace)
    assert any(p.startswith(str(bundle)) for p in loaded), f"LD_DEBUG recorded nothing from the bundle in {trace}"
    inside = str(bundle) + os.sep
    return sorted(p for p in loaded if not p.startswith(inside) and not _system_library(p))


def _system_library(path: str) -> bool:
    return (path.startswith(SYSTEM_FOLDERS) and "python" not in path
            and SYSTEM_ALLOWED.match(Path(path).name) is not None)


def bundle_cli(root: Path) -> Callable[[Path], subprocess.CompletedProcess[str]]:
    """``studio drafts list`` on a given data folder, by the bundle on a clean machine (tests/faults' CLI runs)."""
    studio = Studio("bundle", build_bundle())
    machine = Machine(root)

    def run(home: Path) -> subprocess.CompletedProcess[str]:
        machine.extra["STUDIO_HOME"] = str(home)
        return studio.run(machine, ["drafts", "list"], timeout=120)

    return run


def read_only_copy(bundle: Path, where: Path) -> Path:
    """The bundle in ``where`` with every folder 0555, so nothing can be created, renamed or removed in it by a
    process that obeys file modes (tests.unprivileged). Files are hard links where possible (no 400 MB copy)."""
    copy = where / "studio"
    where.mkdir(parents=True)
    if subprocess.run(["cp", "-al", str(bundle), str(copy)], capture_output=True).returncode != 0:
        shutil.copytree(bundle, copy, symlinks=True)
    for folder in [copy, *(p for p in copy.rglob("*") if p.is_dir() and not p.is_symlink())]:
        folder.chmod(0o555)
    return copy


def writable_again(copy: Path) -> None:
    for folder in [copy, *(p for p in copy.rglob("*") if p.is_dir() and not p.is_symlink())]:
        folder.chmod(0o755)


def run_read_only(copy: str, root: str, model_cache: str, runs: list[tuple[list[str], str, str]]) -> dict[str, object]:
    """In a process that obeys file modes: first that the bundle really is read-only to it, then each (argv,
    prelude, stdin) on the bundle (with Studio.run's own checks). Returns what a test needs to see."""
    try:
        (Path(copy) / "_internal" / "probe").write_text("x")
        writable = True
    except OSError:
        writable = False
    machine = Machine(Path(root), {"STUDIO_MODEL_CACHE": model_cache})
    studio = Studio("bundle", Path(copy))
    done = [studio.run(machine, argv, prelude=prelude, stdin=stdin) for argv, prelude, stdin in runs]
    return {"writable": writable, "runs": [(p.returncode, p.stdout, p.stderr) for p in done]}
