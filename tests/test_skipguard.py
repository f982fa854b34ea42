"""The guard that turns a skip into a failure as root or in CI (tests/skipguard.py), run in small inner sessions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import skipguard

REPO = Path(__file__).resolve().parent.parent
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

TESTS = '''
import pytest

def test_passes():
    pass

def test_skips():
    pytest.skip("the input is not here")

@pytest.mark.skipif(True, reason="decided at collection")
def test_marked():
    pass
'''
CLEAN = '''
import pytest

def test_passes():
    pass

@pytest.mark.xfail(reason="a known failure, not a skip", strict=True)
def test_expected_failure():
    assert False
'''
MODULE_SKIP = '''
import pytest

pytest.importorskip("no_such_module_anywhere")

def test_never_collected():
    pass
'''


def _inner(tmp_path: Path, source: str, ci: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # the inner session's own rootdir
    (tmp_path / "test_inner.py").write_text(source, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS")}
    env["PYTHONPATH"] = str(REPO)
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.skipguard", "-p", "no:cacheprovider", "-q", "test_inner.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )


def test_a_skip_fails_the_session_in_ci_and_is_listed(tmp_path: Path) -> None:
    p = _inner(tmp_path, TESTS, ci="true")
    out = p.stdout + p.stderr
    assert p.returncode == 1, out
    assert "skips are failures here" in out and "2 skipped (running as root or with CI set" in out, out
    assert "SKIPPED test_inner.py::test_skips: the input is not here" in out, out
    assert "SKIPPED test_inner.py::test_marked: decided at collection" in out, out
    assert "1 passed, 2 skipped" in out, out


def test_a_module_skipped_at_collection_fails_the_session_in_ci(tmp_path: Path) -> None:
    p = _inner(tmp_path, MODULE_SKIP, ci="1")
    out = p.stdout + p.stderr
    assert p.returncode == 1, out
    assert "SKIPPED test_inner.py: could not import 'no_such_module_anywhere'" in out, out


def test_no_skip_passes_in_ci_and_an_xfail_is_not_a_skip(tmp_path: Path) -> None:
    p = _inner(tmp_path, CLEAN, ci="1")
    out = p.stdout + p.stderr
    assert p.returncode == 0, out
    assert "skips are failures here" not in out and "1 passed, 1 xfailed" in out, out


def test_without_ci_a_skip_fails_only_as_root(tmp_path: Path) -> None:
    p = _inner(tmp_path, TESTS, ci=None)
    out = p.stdout + p.stderr
    assert p.returncode == (1 if ROOT else 0), out
    assert ("skips are failures here" in out) is ROOT, out


@pytest.mark.parametrize(("euid", "ci", "strict"), [
    (0, None, True), (0, "0", True), (1000, None, False), (1000, "", False), (1000, "0", False),
    (1000, "false", False), (1000, "true", True), (1000, "1", True), (1000, "yes", True),
])
def test_when_skips_are_failures(euid: int, ci: str | None, strict: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: euid, raising=False)  # Windows has none
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    assert skipguard.skips_are_failures() is strict
