"""The stand-in hub, serving the real default model under a repo name, and the environment that points Studio at it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hub.stand_in_hub import StandInHub

REPO = "studio-test/gemma-3-270m-GGUF"
FILE = "gemma-3-270m-Q4_K_M.gguf"
SPEC = f"{REPO}:{FILE}"
GATED_REPO = "studio-test/gated-GGUF"


@pytest.fixture(scope="session")
def default_model_sha(default_model_path: Path) -> str:
    import importlib

    from studio.engine.discovery import DEFAULT_MODEL_PACKAGE

    return str(importlib.import_module(DEFAULT_MODEL_PACKAGE).EXPECTED_SHA256)


@pytest.fixture
def hub(default_model_path: Path, default_model_sha: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[StandInHub]:
    h = StandInHub()
    h.host(REPO, FILE, default_model_path, default_model_sha)
    h.host(GATED_REPO, FILE, default_model_path, default_model_sha, gated=True)
    h.start()
    monkeypatch.setenv("HF_ENDPOINT", h.url)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    try:
        yield h
    finally:
        h.stop()


def studio_env(home: Path, hub: StandInHub, **extra: str) -> dict[str, str]:
    env = dict(os.environ, STUDIO_HOME=str(home), HF_ENDPOINT=hub.url, PYTHONUNBUFFERED="1")
    env.pop("HF_TOKEN", None)
    env.update(extra)
    return env
