"""Malformed variants of a real GGUF file, kept small on disk.

The original header (metadata and tensor table, ~6.5 MB for the default model) is parsed once into a map of
byte offsets. A variant is then written as: a (possibly edited) header, optionally extended to the size the
tensor table promises with ``os.truncate`` (a sparse file: the weights read as zeros and take no disk), plus
a few patched bytes. Truncations inside the header are just the first N bytes.

Families (``Variant.family``): truncated, version, counts, header-flip, string-length, array, type-tag,
tensor-info, tensor-data, hparams (semantic metadata llama.cpp trusts: head counts, block count, context...),
vocab, misc. ``build_variants`` makes 200+ deterministic ones; ``ci_subset`` picks a spread of ~40.
"""

from __future__ import annotations

import os
import random
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

T_UINT8, T_INT8, T_UINT16, T_INT16, T_UINT32, T_INT32, T_FLOAT32, T_BOOL = range(8)
T_STRING, T_ARRAY, T_UINT64, T_INT64, T_FLOAT64 = 8, 9, 10, 11, 12
_SIZES = {T_UINT8: 1, T_INT8: 1, T_UINT16: 2, T_INT16: 2, T_UINT32: 4, T_INT32: 4, T_FLOAT32: 4, T_BOOL: 1,
          T_UINT64: 8, T_INT64: 8, T_FLOAT64: 8}
_FMT = {T_UINT8: "<B", T_INT8: "<b", T_UINT16: "<H", T_INT16: "<h", T_UINT32: "<I", T_INT32: "<i",
        T_FLOAT32: "<f", T_BOOL: "<?", T_UINT64: "<Q", T_INT64: "<q", T_FLOAT64: "<d"}


@dataclass
class KV:
    key: str
    vtype: int
    start: int  # offset of the key's length field
    type_off: int  # offset of the value type
    value_off: int  # offset of the value (for arrays: the element type)
    end: int
    elem_type: int | None = None
    length: int | None = None  # arrays: item count; strings: byte length
    scalar: object = None


@dataclass
class Tensor:
    name: str
    start: int
    ndims_off: int
    dim_offs: list[int]
    dims: list[int]
    type_off: int
    gtype: int
    offset_off: int
    offset: int
    end: int


@dataclass
class Layout:
    path: Path
    file_size: int
    version: int
    n_tensors: int
    n_kv: int
    kvs: list[KV]
    tensors: list[Tensor]
    infos_end: int
    alignment: int
    data_offset: int
    header: bytes  # bytes [0, data_offset)

    def kv(self, key: str) -> KV:
        for kv in self.kvs:
            if kv.key == key:
                return kv
        raise KeyError(key)

    @property
    def arch(self) -> str:
        return str(self.kv("general.architecture").scalar)


def parse_layout(path: Path) -> Layout:
    """Byte offsets of every field of a well-formed GGUF v2/v3 header."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        fh.seek(0)
        probe = fh.read(64 << 20)
    pos = 0

    def u32() -> int:
        nonlocal pos
        (v,) = struct.unpack_from("<I", probe, pos)
        pos += 4
        return int(v)

    def u64() -> int:
        nonlocal pos
        (v,) = struct.unpack_from("<Q", probe, pos)
        pos += 8
        return int(v)

    def string() -> str:
        nonlocal pos
        n = u64()
        s = probe[pos : pos + n].decode("utf-8", "replace")
        pos += n
        return s

    assert probe[:4] == b"GGUF"
    pos = 4
    version = u32()
    n_tensors = u64()
    n_kv = u64()
    kvs: list[KV] = []
    for _ in range(n_kv):
        start = pos
        key = string()
        type_off = pos
        vtype = u32()
        value_off = pos
        kv = KV(key, vtype, start, type_off, value_off, 0)
        if vtype == T_STRING:
            (kv.length,) = struct.unpack_from("<Q", probe, pos)
            kv.scalar = string()
        elif vtype == T_ARRAY:
            kv.elem_type = u32()
            kv.length = u64()
            if kv.elem_type == T_STRING:
                for _ in range(kv.length):
                    n = u64()
                    pos += n
            else:
                pos += _SIZES[kv.elem_type] * kv.length
        else:
            (kv.scalar,) = struct.unpack_from(_FMT[vtype], probe, pos)
            pos += _SIZES[vtype]
        kv.end = pos
        kvs.append(kv)
    alignment = 32
    for kv in kvs:
        if kv.key == "general.alignment":
            alignment = int(kv.scalar)  # type: ignore[arg-type]
    tensors: list[Tensor] = []
    for _ in range(n_tensors):
        start = pos
        name = string()
        ndims_off = pos
        nd = u32()
        dim_offs, dims = [], []
        for _ in range(nd):
            dim_offs.append(pos)
            dims.append(u64())
        type_off = pos
        gtype = u32()
        offset_off = pos
        offset = u64()
        tensors.append(Tensor(name, start, ndims_off, dim_offs, dims, type_off, gtype, offset_off, offset, pos))
    infos_end = pos
    data_offset = -(-infos_end // alignment) * alignment
    return Layout(path, size, version, n_tensors, n_kv, kvs, tensors, infos_end, alignment, data_offset,
                  probe[:data_offset])


# ------------------------------------------------------------------------------------------------ encoding


def enc_string(s: str | bytes) -> bytes:
    b = s.encode("utf-8") if isinstance(s, str) else s
    return struct.pack("<Q", len(b)) + b


def enc_kv(key: str, vtype: int, value: object, elem_type: int | None = None) -> bytes:
    out = enc_string(key) + struct.pack("<I", vtype)
    if vtype == T_STRING:
        return out + enc_string(value)  # type: ignore[arg-type]
    if vtype == T_ARRAY:
        items = list(value)  # type: ignore[call-overload]
        assert elem_type is not None
        out += struct.pack("<IQ", elem_type, len(items))
        for it in items:
            out += enc_string(it) if elem_type == T_STRING else struct.pack(_FMT[elem_type], it)
        return out
    return out + struct.pack(_FMT[vtype], value)


# ------------------------------------------------------------------------------------------------ variants


@dataclass
class Variant:
    """One malformed model file, described by how to write it (built lazily: 300 copies of a 6.5 MB header
    would not fit in a small machine's memory)."""

    name: str
    family: str
    prefix: bytes | Callable[[], bytes]  # the first bytes of the file (or a function making them)
    size: int  # total file size (sparse beyond ``prefix``)
    patches: list[tuple[int, bytes]] = field(default_factory=list)  # (offset, bytes) written after sizing
    note: str = ""

    def write(self, folder: Path) -> Path:
        path = folder / f"{self.name}.gguf"
        prefix = self.prefix() if callable(self.prefix) else self.prefix
        with open(path, "wb") as fh:
            fh.write(prefix[: self.size])
            fh.truncate(self.size)
            for off, data in self.patches:
                if off < self.size:
                    fh.seek(off)
                    fh.write(data[: self.size - off])
        return path


class _Patched:
    """The original header with a few bytes changed, written as patches over the shared original (no copy)."""

    def __init__(self, header: bytes, *patches: tuple[int, bytes]) -> None:
        self.header = header
        self.patches = list(patches)


def _patched(header: bytes, *patches: tuple[int, bytes]) -> _Patched:
    return _Patched(header, *patches)


def _rebuilt(lay: Layout, *, replace: dict[str, bytes | None] | None = None, add: list[bytes] | None = None,
             n_kv_delta: int = 0) -> tuple[bytes, int]:
    """A header with some metadata entries replaced (bytes of a whole encoded entry), removed (None) or added,
    the tensor table unchanged; returns (header bytes padded to alignment, total file size)."""
    replace = replace or {}
    body = bytearray()
    count = 0
    for kv in lay.kvs:
        if kv.key in replace:
            new = replace[kv.key]
            if new is None:
                continue
            body += new
        else:
            body += lay.header[kv.start : kv.end]
        count += 1
    for extra in add or []:
        body += extra
        count += 1
    infos = lay.header[lay.tensors[0].start : lay.infos_end] if lay.tensors else b""
    head = b"GGUF" + struct.pack("<IQQ", lay.version, lay.n_tensors, count + n_kv_delta) + bytes(body) + infos
    data_offset = -(-len(head) // lay.alignment) * lay.alignment
    head += b"\0" * (data_offset - len(head))
    return head, data_offset + (lay.file_size - lay.data_offset)


def _rebuilt_size(lay: Layout, *, replace: dict[str, bytes | None] | None = None, add: list[bytes] | None = None,
                  n_kv_delta: int = 0) -> tuple[int, int]:
    """(data offset, total size) of ``_rebuilt`` without building it."""
    del n_kv_delta
    replace = replace or {}
    n = 24
    for kv in lay.kvs:
        new = replace.get(kv.key, b"") if kv.key in replace else None
        n += (kv.end - kv.start) if new is None and kv.key not in replace else len(new or b"")
    n += sum(len(x) for x in add or [])
    n += lay.infos_end - (lay.tensors[0].start if lay.tensors else lay.infos_end)
    data_offset = -(-n // lay.alignment) * lay.alignment
    return data_offset, data_offset + (lay.file_size - lay.data_offset)


def build_variants(lay: Layout, seed: int = 1234) -> list[Variant]:
    rng = random.Random(seed)
    H = lay.header
    full = lay.file_size
    arch = lay.arch
    out: list[Variant] = []

    def add(name: str, family: str, prefix: bytes | _Patched | Callable[[], bytes], size: int | None = None,
            patches: list[tuple[int, bytes]] | None = None, note: str = "") -> None:
        extra = list(patches or [])
        if isinstance(prefix, _Patched):
            extra = prefix.patches + extra
            prefix = prefix.header
        out.append(Variant(f"{len(out):03d}-{name}", family, prefix, full if size is None else size, extra, note))

    def rebuilt(name: str, family: str, **kw: object) -> None:
        _head, size = _rebuilt_size(lay, **kw)  # type: ignore[arg-type]
        add(name, family, lambda: _rebuilt(lay, **kw)[0], size)  # type: ignore[arg-type]

    # -- truncated at structural and random points -------------------------------------------------------
    tok = lay.kv("tokenizer.ggml.tokens")
    landmarks = {
        "empty": 0, "magic-only": 4, "mid-version": 6, "no-counts": 8, "mid-tensor-count": 12,
        "mid-kv-count": 20, "counts-only": 24, "mid-first-key": 30, "first-key-length": 28,
        "inside-tokens": (tok.value_off + tok.end) // 2, "tokens-end": tok.end,
        "first-tensor-info": lay.tensors[0].start + 3, "mid-tensor-infos": lay.tensors[len(lay.tensors) // 2].start + 9,
        "last-tensor-offset": lay.tensors[-1].offset_off + 4, "infos-end": lay.infos_end,
        "data-start": lay.data_offset, "data-start+1": lay.data_offset + 1,
        "one-tensor-of-data": lay.data_offset + 4096, "half-data": lay.data_offset + (full - lay.data_offset) // 2,
        "minus-one-byte": full - 1, "minus-one-block": full - 4096,
    }
    for label, cut in landmarks.items():
        add(f"trunc-{label}", "truncated", H, cut)
    for i in range(16):
        cut = rng.randrange(24, lay.data_offset)
        add(f"trunc-header-r{i}", "truncated", H, cut)
    for i in range(8):
        cut = rng.randrange(lay.data_offset, full)
        add(f"trunc-data-r{i}", "truncated", H, cut)

    # -- versions ------------------------------------------------------------------------------------------
    for v in (0, 1, 2, 4, 5, 2**16, 2**31, 2**32 - 1, 0x03000000):
        add(f"version-{v}", "version", _patched(H, (4, struct.pack("<I", v))))

    # -- absurd counts -------------------------------------------------------------------------------------
    for label, n in (("max", 2**64 - 1), ("2^63", 2**63), ("2^62", 2**62), ("2^32", 2**32), ("2^31", 2**31),
                     ("plus1", lay.n_tensors + 1), ("minus1", lay.n_tensors - 1), ("zero", 0), ("1e6", 10**6)):
        add(f"tensors-{label}", "counts", _patched(H, (8, struct.pack("<Q", n))))
    for label, n in (("max", 2**64 - 1), ("2^63", 2**63), ("2^32", 2**32), ("plus1", lay.n_kv + 1),
                     ("minus1", lay.n_kv - 1), ("zero", 0), ("1e6", 10**6), ("half", lay.n_kv // 2)):
        add(f"kvs-{label}", "counts", _patched(H, (16, struct.pack("<Q", n))))

    # -- flipped bytes in the header ----------------------------------------------------------------------
    for i in range(24):
        off = rng.randrange(0, 24)
        add(f"flip-fixed-r{i}", "header-flip", _patched(H, (off, bytes([H[off] ^ (1 << rng.randrange(8))]))))
    for i in range(20):
        # Anywhere in the metadata and tensor table (mostly inside the vocabulary, which is most of it).
        off = rng.randrange(24, lay.infos_end)
        add(f"flip-meta-r{i}", "header-flip", _patched(H, (off, bytes([rng.randrange(256)]))))
    small_kvs = [kv for kv in lay.kvs if kv.vtype != T_ARRAY]
    for i in range(14):
        kv = rng.choice(small_kvs)
        off = rng.randrange(kv.start, kv.end)
        add(f"flip-kv-{kv.key}-r{i}", "header-flip", _patched(H, (off, bytes([H[off] ^ 0xFF]))))
    for i in range(10):
        t = rng.choice(lay.tensors)
        off = rng.randrange(t.ndims_off, t.end)
        add(f"flip-tinfo-{t.name}-r{i}", "header-flip", _patched(H, (off, bytes([H[off] ^ (1 << rng.randrange(8))]))))

    # -- string lengths -------------------------------------------------------------------------------------
    first = lay.kvs[0]
    for label, n in (("max", 2**64 - 1), ("2^63", 2**63), ("2^40", 2**40), ("past-eof", full + 1),
                     ("past-header", lay.data_offset), ("zero", 0)):
        add(f"keylen-{label}", "string-length", _patched(H, (first.start, struct.pack("<Q", n))))
    arch_kv = lay.kv("general.architecture")
    for label, n in (("max", 2**64 - 1), ("2^40", 2**40), ("past-eof", full + 1), ("16MiB+1", (16 << 20) + 1),
                     ("zero", 0), ("long-by-1", len(arch) + 1)):
        add(f"archlen-{label}", "string-length", _patched(H, (arch_kv.value_off, struct.pack("<Q", n))))
    tok_item0 = tok.value_off + 12
    for label, n in (("max", 2**64 - 1), ("2^33", 2**33), ("past-eof", full), ("1MiB", 1 << 20)):
        add(f"tokenlen-{label}", "string-length", _patched(H, (tok_item0, struct.pack("<Q", n))))
    t0 = lay.tensors[0]
    for label, n in (("max", 2**64 - 1), ("64", 64), ("1000", 1000), ("zero", 0)):
        add(f"tensorname-{label}", "string-length", _patched(H, (t0.start, struct.pack("<Q", n))))

    # -- array lengths ------------------------------------------------------------------------------------------
    for key in ("tokenizer.ggml.tokens", "tokenizer.ggml.scores", "tokenizer.ggml.token_type"):
        try:
            kv = lay.kv(key)
        except KeyError:
            continue
        short = key.rsplit(".", 1)[1]
        for label, n in (("max", 2**64 - 1), ("2^62", 2**62), ("2^32", 2**32), ("2^30", 2**30),
                         ("plus1", (kv.length or 0) + 1), ("minus1", (kv.length or 0) - 1), ("zero", 0)):
            add(f"arraylen-{short}-{label}", "array", _patched(H, (kv.value_off + 4, struct.pack("<Q", n))))
    for kv in [k for k in lay.kvs if k.vtype == T_ARRAY and (k.length or 0) <= 64][:2]:
        add(f"arraylen-{kv.key}-huge", "array", _patched(H, (kv.value_off + 4, struct.pack("<Q", 2**40))))

    # -- type tags ------------------------------------------------------------------------------------------------
    for label, t in (("13", 13), ("255", 255), ("max", 2**32 - 1), ("array", T_ARRAY), ("uint64", T_UINT64),
                     ("bool", T_BOOL)):
        add(f"archtype-{label}", "type-tag", _patched(H, (arch_kv.type_off, struct.pack("<I", t))))
    for label, t in (("13", 13), ("array", T_ARRAY), ("uint8", T_UINT8), ("uint64", T_UINT64)):
        add(f"tokens-elemtype-{label}", "type-tag", _patched(H, (tok.value_off, struct.pack("<I", t))))
    for _ in range(6):
        kv = rng.choice(small_kvs)
        t = rng.choice([T_UINT8, T_FLOAT64, T_STRING, T_INT64, 14, 99])
        add(f"type-{kv.key}-{t}", "type-tag", _patched(H, (kv.type_off, struct.pack("<I", t))))

    # -- tensor infos -------------------------------------------------------------------------------------------
    big = max(lay.tensors, key=lambda t: t.dims[0] * (t.dims[1] if len(t.dims) > 1 else 1))
    for t, label in ((t0, "first"), (big, "largest"), (lay.tensors[-1], "last")):
        for dl, d in (("2^62", 2**62), ("2^63", 2**63), ("max", 2**64 - 1), ("zero", 0), ("2^31", 2**31),
                      ("times2", t.dims[0] * 2)):
            add(f"dim0-{label}-{dl}", "tensor-info", _patched(H, (t.dim_offs[0], struct.pack("<Q", d))))
        for nl, nd in (("5", 5), ("max", 2**32 - 1), ("zero", 0)):
            add(f"ndims-{label}-{nl}", "tensor-info", _patched(H, (t.ndims_off, struct.pack("<I", nd))))
        for tl, gt in (("99", 99), ("max", 2**32 - 1), ("f32", 0), ("q8_0", 8), ("deprecated-4", 4)):
            add(f"ttype-{label}-{tl}", "tensor-info", _patched(H, (t.type_off, struct.pack("<I", gt))))
        for ol, o in (("max", 2**64 - 1), ("2^62", 2**62), ("past-eof", full), ("plus1", t.offset + 1),
                      ("plus32", t.offset + 32), ("minus32", max(0, t.offset - 32))):
            add(f"offset-{label}-{ol}", "tensor-info", _patched(H, (t.offset_off, struct.pack("<Q", o))))
    if len(lay.tensors) > 1:
        a, b = lay.tensors[0], lay.tensors[1]
        name_a = lay.header[a.start : a.ndims_off]
        name_b = lay.header[b.start : b.ndims_off]
        if len(name_a) == len(name_b):
            add("tensor-name-duplicate", "tensor-info", _patched(H, (b.start, name_a)))

    # -- tensor data -----------------------------------------------------------------------------------------
    for i in range(6):
        patches = [(rng.randrange(lay.data_offset, full - 64), rng.randbytes(64)) for _ in range(32)]
        add(f"data-noise-r{i}", "tensor-data", H, full, patches)
    nan = struct.pack("<f", float("nan")) * 1024
    add("data-nan-f32", "tensor-data", H, full,
        [(lay.data_offset + t.offset, nan) for t in lay.tensors if t.gtype == 0][:8])

    # -- semantic metadata (values llama.cpp trusts) ---------------------------------------------------------
    def kv_variant(name: str, key: str, vtype: int, value: object, family: str = "hparams") -> None:
        if key in {kv.key for kv in lay.kvs}:
            rebuilt(name, family, replace={key: enc_kv(key, vtype, value)})
        else:
            rebuilt(name, family, add=[enc_kv(key, vtype, value)])

    u32 = T_UINT32
    for key, values in (
        (f"{arch}.attention.head_count", (0, 1, 7, 2**31, 2**32 - 1)),
        (f"{arch}.attention.head_count_kv", (0, 3, 2**32 - 1)),
        (f"{arch}.block_count", (0, 1, 1000, 2**32 - 1)),
        (f"{arch}.embedding_length", (0, 1, 2**32 - 1)),
        (f"{arch}.feed_forward_length", (0, 2**32 - 1)),
        (f"{arch}.context_length", (0, 1, 2**32 - 1)),
        (f"{arch}.attention.key_length", (0, 1, 2**32 - 1)),
        (f"{arch}.attention.value_length", (0, 2**32 - 1)),
        (f"{arch}.attention.sliding_window", (0, 2**32 - 1)),
        (f"{arch}.rope.dimension_count", (0, 2**32 - 1)),
    ):
        for v in values:
            kv_variant(f"hp-{key.split('.', 1)[1]}-{v}", key, u32, v)
    kv_variant("hp-rms-eps-negative", f"{arch}.attention.layer_norm_rms_epsilon", T_FLOAT32, -1.0)
    kv_variant("hp-rms-eps-nan", f"{arch}.attention.layer_norm_rms_epsilon", T_FLOAT32, float("nan"))
    kv_variant("hp-rope-base-zero", f"{arch}.rope.freq_base", T_FLOAT32, 0.0)
    kv_variant("hp-rope-base-inf", f"{arch}.rope.freq_base", T_FLOAT32, float("inf"))
    kv_variant("hp-head-count-as-string", f"{arch}.attention.head_count", T_STRING, "four")
    kv_variant("hp-block-count-negative-int", f"{arch}.block_count", T_INT32, -1)
    for label, items in (("huge", [2**31] * 18), ("short", [4, 4]), ("zeros", [0] * 18), ("long", [4] * 4096)):
        key = f"{arch}.attention.head_count"
        rebuilt(f"hp-head-count-array-{label}", "hparams", replace={key: enc_kv(key, T_ARRAY, items, T_UINT32)})
    kv_variant("hp-arch-llama", "general.architecture", T_STRING, "llama", family="misc")
    kv_variant("hp-arch-unknown", "general.architecture", T_STRING, "skynet", family="misc")
    kv_variant("hp-arch-bert", "general.architecture", T_STRING, "bert", family="misc")
    kv_variant("hp-arch-empty", "general.architecture", T_STRING, "", family="misc")
    kv_variant("hp-alignment-0", "general.alignment", u32, 0, family="misc")
    kv_variant("hp-alignment-3", "general.alignment", u32, 3, family="misc")
    kv_variant("hp-alignment-2^31", "general.alignment", u32, 2**31, family="misc")
    kv_variant("hp-alignment-64", "general.alignment", u32, 64, family="misc")
    kv_variant("hp-alignment-string", "general.alignment", T_STRING, "32", family="misc")
    kv_variant("hp-file-type-999", "general.file_type", u32, 999, family="misc")

    # -- vocabulary ----------------------------------------------------------------------------------------------
    kv_variant("vocab-model-unknown", "tokenizer.ggml.model", T_STRING, "nonsense", family="vocab")
    kv_variant("vocab-model-empty", "tokenizer.ggml.model", T_STRING, "", family="vocab")
    kv_variant("vocab-model-gpt2-no-merges", "tokenizer.ggml.model", T_STRING, "gpt2", family="vocab")
    kv_variant("vocab-model-bert", "tokenizer.ggml.model", T_STRING, "bert", family="vocab")
    kv_variant("vocab-model-rwkv", "tokenizer.ggml.model", T_STRING, "rwkv", family="vocab")
    kv_variant("vocab-pre-unknown", "tokenizer.ggml.pre", T_STRING, "nonsense", family="vocab")
    for key in ("bos", "eos", "unknown", "padding"):
        kv_variant(f"vocab-{key}-id-huge", f"tokenizer.ggml.{key}_token_id", u32, 2**31, family="vocab")
        kv_variant(f"vocab-{key}-id-vocab", f"tokenizer.ggml.{key}_token_id", u32, tok.length or 0, family="vocab")
    kv_variant("vocab-bos-id-int64-neg", "tokenizer.ggml.bos_token_id", T_INT64, -5, family="vocab")
    rebuilt("vocab-tokens-empty", "vocab",
            replace={"tokenizer.ggml.tokens": enc_kv("tokenizer.ggml.tokens", T_ARRAY, [], T_STRING)})
    if "tokenizer.ggml.tokens" in {k.key for k in lay.kvs}:
        rebuilt("vocab-tokens-missing", "vocab", replace={"tokenizer.ggml.tokens": None})
    for key in ("tokenizer.ggml.scores", "tokenizer.ggml.token_type", "tokenizer.ggml.model"):
        if key in {k.key for k in lay.kvs}:
            rebuilt(f"vocab-missing-{key.rsplit('.', 1)[1]}", "vocab", replace={key: None})
    rebuilt("vocab-merges-bogus", "vocab",
            add=[enc_kv("tokenizer.ggml.merges", T_ARRAY, ["nospace", "", "a b c"], T_STRING)])
    kv_variant("vocab-add-bos-string", "tokenizer.ggml.add_bos_token", T_STRING, "yes", family="vocab")

    # -- whole-header oddities -----------------------------------------------------------------------------------
    rebuilt("kv-count-one-more-rebuilt", "counts", n_kv_delta=+1)
    rebuilt("kv-duplicate-key", "misc", add=[enc_kv("general.architecture", T_STRING, "llama")])
    rebuilt("kv-empty-key", "misc", add=[enc_kv("", T_UINT32, 1)])
    rebuilt("kv-key-70k", "misc", add=[enc_kv("x" * 70000, T_UINT32, 1)])
    rebuilt("chat-template-unparseable", "misc", add=[enc_kv("tokenizer.chat_template", T_STRING, "{% if %}{{")])
    rebuilt("name-invalid-utf8", "misc", add=[enc_kv("general.name", T_STRING, b"\xff\xfe\x00bad utf8")])
    add("not-gguf-ggml", "misc", b"ggml" + H[4:1024], 1024)
    add("not-gguf-text", "misc", b"This is not a model, it is my novel.\n" * 40, 40 * 37)
    add("big-endian-version", "misc", _patched(H, (4, struct.pack(">I", 3))))
    add("zeros-full-size", "misc", b"", full)
    return out


FAMILIES = ("truncated", "version", "counts", "header-flip", "string-length", "array", "type-tag", "tensor-info",
            "tensor-data", "hparams", "vocab", "misc")


# How many of each family the CI subset takes (41 in all): the families most likely to find a crash get more.
CI_QUOTAS = {"truncated": 5, "version": 3, "counts": 3, "header-flip": 4, "string-length": 3, "array": 3,
             "type-tag": 3, "tensor-info": 4, "tensor-data": 1, "hparams": 6, "vocab": 3, "misc": 3}


# Variants that once crashed or hung the app (see docs/faults.md): always in the CI subset, as regression guards.
REGRESSIONS = ("ttype-last-q8_0", "hp-block_count-0", "hp-block_count-1000", "hp-context_length-4294967295",
               "hp-rope.dimension_count-0", "hp-rope.dimension_count-4294967295", "hp-rms-eps-negative",
               "hp-rms-eps-nan", "vocab-model-bert", "vocab-model-rwkv")


def ci_subset(variants: list[Variant], quotas: dict[str, int] | None = None) -> list[Variant]:
    """A deterministic spread: per family, items at evenly spaced positions; plus the regression guards."""
    quotas = quotas or CI_QUOTAS
    by_family: dict[str, list[Variant]] = {}
    for v in variants:
        by_family.setdefault(v.family, []).append(v)
    chosen: list[Variant] = []
    for fam, group in by_family.items():
        q = min(quotas.get(fam, 1), len(group))
        chosen.extend(group[(i * len(group)) // q] for i in range(q))
    chosen += [v for v in variants if v.name.split("-", 1)[1] in REGRESSIONS and v not in chosen]
    return sorted(chosen, key=lambda v: v.name)


def disk_cost(folder: Path) -> int:
    return sum(os.stat(p).st_blocks * 512 for p in folder.glob("*.gguf"))


Builder = Callable[[Layout], list[Variant]]
