"""`studio` in a real process on a data folder of its own, as the CLI tests run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def studio(args: list[str], home: Path, stdin: str = "", timeout: int = 240) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, STUDIO_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "studio", *args], input=stdin, env=env, capture_output=True,
                          text=True, timeout=timeout)


def new_draft(home: Path, text: str, timeout: int = 240) -> str:
    """A draft titled "Harbour" holding ``text`` (from stdin, as a writer pipes one in); its id."""
    made = studio(["drafts", "new", "--title", "Harbour", "--file", "-"], home, stdin=text, timeout=timeout)
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()
