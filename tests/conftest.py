"""Shared fixtures. Qt runs offscreen; every test gets its own data folder; the model file is shared."""

from __future__ import annotations

import os
import threading
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import pytest

from tests import skipguard

REPO = Path(__file__).resolve().parent.parent
# The embedded default model is assembled once per machine for the whole suite, not once per test.
os.environ.setdefault("STUDIO_MODEL_CACHE", str(REPO / ".studio-test-cache" / "models"))


def pytest_configure(config: pytest.Config) -> None:
    # CI runs as root with the package registries reachable, so nothing a test needs can be missing there: a skip
    # in CI (or anywhere as root) is a test that stopped testing, and it fails the session (tests/skipguard.py).
    skipguard.pytest_configure(config)


@pytest.fixture(autouse=True)
def studio_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data folder at a fresh temporary folder for each test."""
    home = tmp_path / "studio-home"
    monkeypatch.setenv("STUDIO_HOME", str(home))
    return home


@pytest.fixture
def paths(studio_home: Path):
    from studio.paths import resolve_paths

    return resolve_paths().ensure()


@pytest.fixture
def services(paths):
    """Studio's use cases over the test's own data folder, closed after the test."""
    from studio.services import Services

    svc = Services.open(paths)
    yield svc
    svc.close()


@pytest.fixture
def sv(services):
    return services


@pytest.fixture(scope="session")
def default_model_path() -> Path:
    """The real embedded default model (Gemma 3 270M base Q4_K_M), assembled once and checked."""
    from studio.engine.discovery import ensure_default_model

    return ensure_default_model(Path(os.environ["STUDIO_MODEL_CACHE"]))


@pytest.fixture(autouse=True)
def _no_leaked_threads():
    before = {t.ident for t in threading.enumerate()}
    yield
    leaked = [t for t in threading.enumerate() if t.ident not in before and t.is_alive() and not t.daemon]
    assert not leaked, f"test left threads running: {leaked}"
