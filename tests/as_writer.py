"""Run ``studio`` where file permissions really bite, for the tests of folders Studio cannot use.

As root the command runs under tests/unprivileged.py's ``call_unprivileged``: a child with no capabilities, so
root's files are judged by their mode bits like anyone's; as any other user chmod already binds. The command is
a real ``studio`` process running a copy of the package (with resources/, pyproject.toml and an empty models/
drop folder, so the copy is a checkout) from a sandbox folder in /tmp: the copy's models/ can be locked without
touching the real checkout others work in, and nothing depends on where the checkout lives.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.unprivileged import call_unprivileged

REPO = Path(__file__).resolve().parent.parent

_CHILD = """\
import os, sys
import studio
assert studio.__file__.startswith(os.environ["PYTHONPATH"]), "not the copy: " + studio.__file__
{prelude}
from studio.app import main
sys.exit(main({argv!r}))
"""


class Sandbox:
    """A folder under /tmp with a copy of Studio in ``code`` and room for data folders and caches."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="studio-folders-", dir="/tmp"))
        self.code = self.root / "code"
        shutil.copytree(REPO / "studio", self.code / "studio", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(REPO / "resources", self.code / "resources")
        shutil.copy2(REPO / "pyproject.toml", self.code / "pyproject.toml")
        (self.code / "models").mkdir()
        self.tmp = self.folder("tmp")  # the child's TMPDIR: what it leaves there goes with the sandbox

    def folder(self, name: str) -> Path:
        p = self.root / name
        p.mkdir(parents=True)
        return p

    def lock(self, path: Path, mode: int) -> None:
        path.chmod(mode)

    def model_cache(self, default_model: Path) -> Path:
        """A model cache holding the verified default model: a hard link to the suite's (same bytes, same
        mtime, so its stamp matches), or a copy where links cannot be made."""
        cache = self.folder("model-cache")
        target = cache / default_model.name
        try:
            os.link(default_model, target)
        except OSError:
            shutil.copy2(default_model, target)
        stamp = default_model.with_name(default_model.name + ".verified.json")
        shutil.copy2(stamp, cache / stamp.name)
        return cache

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")}
        env.update(PYTHONPATH=str(self.code), PYTHONDONTWRITEBYTECODE="1", QT_QPA_PLATFORM="offscreen",
                   HOME=str(self.root), TMPDIR=str(self.tmp), PYTHONIOENCODING="utf-8")
        env.update(extra)
        return env

    def run(self, argv: list[str], *, env: dict[str, str], stdin: str = "", prelude: str = "",
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """``studio *argv`` from the copy, where permissions bite: its exit status, stdout and stderr."""
        code = _CHILD.format(prelude=prelude, argv=list(argv))
        return call_unprivileged(_run_child, code, env, stdin, str(self.root), timeout)

    def close(self) -> None:
        _unlock_all(self.root)  # root removes anything; anyone else must open the locked folders first
        shutil.rmtree(self.root, ignore_errors=True)


def _run_child(code: str, env: dict[str, str], stdin: str, cwd: str,
               timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], input=stdin, capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=timeout, check=False)


def _unlock_all(root: Path) -> None:
    """chmod u+rwx every folder from the top down (rglob cannot see into a folder locked at mode 000)."""
    stack = [root]
    while stack:
        d = stack.pop()
        try:
            d.chmod(0o700)
            stack.extend(p for p in d.iterdir() if p.is_dir() and not p.is_symlink())
        except OSError:
            pass


# ------------------------------------------------------------------------------------------- the checks


_PYTHON_DEBRIS = re.compile(r"Traceback|File \"|\b[A-Z]\w*(?:Error|Exception)\b|Errno|/dev/null")


def one_readable_line(stderr: str, folder: Path, *, kind: str = "error") -> str:
    """The one line ``stderr`` holds: ``studio: <kind>: ...`` naming ``folder``, with nothing of Python in it."""
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{stderr}"
    line = lines[0]
    assert line.startswith(f"studio: {kind}: "), line
    assert str(folder) in line, f"the line does not name {folder}: {line}"
    debris = _PYTHON_DEBRIS.findall(line)
    assert not debris, f"Python internals in {line!r}: {debris}"
    return line


def dialogs_prelude() -> str:
    """Child code that records start-up dialogs (and a window that would open) on stdout as JSON lines."""
    return (
        "import json as _json\n"
        "import studio.ui as _ui\n"
        "_ui.show_startup_error = lambda title, message, details='': "
        "print('DIALOG ' + _json.dumps([title, message], ensure_ascii=False), flush=True)\n"
        "_ui.launch = lambda services, **kw: print('LAUNCHED', flush=True) or 0\n"
    )


def dialogs(stdout: str) -> list[tuple[str, str]]:
    return [tuple(json.loads(ln[len("DIALOG "):])) for ln in stdout.splitlines() if ln.startswith("DIALOG ")]
