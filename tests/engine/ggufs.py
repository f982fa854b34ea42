"""Small GGUF files for tests: valid-looking tiny models (gguf.GGUFWriter) and malformed variants."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np


def tiny_gguf(path: Path, arch: str = "llama", *, tokens: int = 8, rows: int = 64, scores: int | None = None,
              chat_template: str | None = None) -> Path:
    """A structurally valid GGUF with a vocabulary and one tensor; llama.cpp refuses it later (missing
    hyper-parameters), which is what the tests of llama.cpp's own error messages need."""
    import gguf

    w = gguf.GGUFWriter(str(path), arch)
    w.add_context_length(128)
    w.add_tokenizer_model("llama")
    w.add_token_list([f"t{i}".encode() for i in range(tokens)])
    w.add_token_scores([0.0] * (tokens if scores is None else scores))
    w.add_token_types([1] * tokens)
    if chat_template is not None:
        w.add_chat_template(chat_template)
    w.add_tensor("token_embd.weight", np.zeros((rows, 64), dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def head_of(model: Path, n: int) -> bytes:
    with model.open("rb") as fh:
        return fh.read(n)


def malformed_files(folder: Path, real_model: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, a phrase the refusal must contain)."""
    folder.mkdir(parents=True, exist_ok=True)
    head = head_of(real_model, 1 << 20)
    out: dict[str, tuple[Path, str]] = {}

    def put(name: str, data: bytes, phrase: str, suffix: str = ".gguf") -> None:
        p = folder / f"{name}{suffix}"
        p.write_bytes(data)
        out[name] = (p, phrase)

    put("empty", b"", "empty")
    put("random-bytes", os.urandom(4096), "not a GGUF")
    put("wrong-magic", b"GGML" + head[4:4096], "not a GGUF")
    put("text-file", b"This is not a model, just some notes.\n" * 50, "not a GGUF")
    put("truncated-header", head[:2000], "truncated")
    put("version-1", head[:4] + struct.pack("<I", 1) + head[8:65536], "version 1")
    put("absurd-tensor-count", head[:8] + struct.pack("<q", 1 << 40) + head[16:65536], "tensors")
    put("absurd-kv-count", head[:16] + struct.pack("<q", 1 << 50) + head[24:65536], "metadata entries")
    # The first key's length field sits right after the 24-byte header.
    put("huge-string-length", head[:24] + struct.pack("<Q", 1 << 60) + head[32:65536], "bytes long")
    tiny = tiny_gguf(folder / "tiny-valid.bin", rows=4096)
    data = tiny.read_bytes()
    tiny.unlink()
    put("truncated-tensor-data", data[: len(data) - 20000], "not within the file bounds")
    foobar = tiny_gguf(folder / "unknown-arch.gguf", arch="foobar")
    out["unknown-architecture"] = (foobar, "unknown model architecture")
    bad_vocab = tiny_gguf(folder / "scores-mismatch.gguf", scores=3)
    out["vocabulary-mismatch"] = (bad_vocab, "does not match the vocabulary")
    missing = folder / "missing.gguf"
    out["missing"] = (missing, "does not exist")
    return out
