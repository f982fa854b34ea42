"""The layering rules of ../shared/design.md, checked so they cannot rot."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_hold():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert exe, "import-linter is a test dependency"
    p = subprocess.run([exe], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr


def test_nothing_heavy_at_import_time():
    code = (
        "import sys, studio, studio.app, studio.cli, studio.services, studio.engine, studio.storage, "
        "studio.forms, studio.export, studio.domain, studio.paths\n"
        "heavy = [m for m in ('llama_cpp', 'PySide6', 'numpy', 'gguf') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    env = dict(os.environ)
    p = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr


def test_no_module_level_singletons_in_services():
    # Services are built by studio.app / studio.cli; a module-level instance would outlive a data folder switch.
    for path in (REPO / "studio" / "services").glob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert not line.startswith(("_instance", "INSTANCE", "_services =", "_store =")), f"{path.name}: {line}"


def test_no_module_over_500_lines():
    # The redesign's goal (issue 10): a module a newcomer can read; applied migrations aside (never edited).
    long = {str(p.relative_to(REPO)): n for p in (REPO / "studio").rglob("*.py")
            if "migrations" not in p.parts and (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert not long, long
