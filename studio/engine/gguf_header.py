"""A careful, bounded reader of GGUF headers (metadata and tensor table), without llama.cpp.

Why not just hand the file to llama.cpp? Some malformed files make it ``abort()`` (a ``GGML_ASSERT``) or read
out of bounds, which kills the whole app; and even its clean refusals only say "failed to load". Why not
``gguf.GGUFReader``? It builds a numpy object per array element (seconds for a 262k-token vocabulary) and
trusts counts and lengths from the file before checking them against the file size.

So this reader walks the header with ``struct`` over an ``mmap`` and checks every count and length against the
bytes that are really left *before* using it, mirroring the checks of llama.cpp's own ``gguf.cpp`` (version,
duplicate keys, value types, alignment, tensor shapes and types, sequential padded offsets) and adding the
one llama.cpp only makes while loading: every tensor's data must lie inside the file.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GGUF_MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)  # llama.cpp refuses v1 and anything newer than 3
DEFAULT_ALIGNMENT = 32
MAX_DIMS = 4  # GGML_MAX_DIMS
MAX_TENSOR_NAME = 64  # GGML_MAX_NAME (the name must be shorter)

# Sanity bounds well above any real model and far below what would hurt to allocate.
MAX_STRING_BYTES = 16 * 1024 * 1024  # a chat template is KBs; a vocabulary entry is bytes
MAX_ARRAY_ITEMS = 1 << 30  # llama.cpp's own GGUF_MAX_ARRAY_ELEMENTS
MAX_KV = 1_000_000
MAX_TENSORS = 1_000_000

# GGUF value types
T_UINT8, T_INT8, T_UINT16, T_INT16, T_UINT32, T_INT32, T_FLOAT32, T_BOOL = range(8)
T_STRING, T_ARRAY, T_UINT64, T_INT64, T_FLOAT64 = 8, 9, 10, 11, 12

_SCALAR: dict[int, struct.Struct] = {
    T_UINT8: struct.Struct("<B"),
    T_INT8: struct.Struct("<b"),
    T_UINT16: struct.Struct("<H"),
    T_INT16: struct.Struct("<h"),
    T_UINT32: struct.Struct("<I"),
    T_INT32: struct.Struct("<i"),
    T_FLOAT32: struct.Struct("<f"),
    T_BOOL: struct.Struct("<?"),
    T_UINT64: struct.Struct("<Q"),
    T_INT64: struct.Struct("<q"),
    T_FLOAT64: struct.Struct("<d"),
}
TYPE_NAMES = {
    T_UINT8: "uint8", T_INT8: "int8", T_UINT16: "uint16", T_INT16: "int16", T_UINT32: "uint32",
    T_INT32: "int32", T_FLOAT32: "float32", T_BOOL: "bool", T_STRING: "string", T_ARRAY: "array",
    T_UINT64: "uint64", T_INT64: "int64", T_FLOAT64: "float64",
}

# ggml tensor types known to the llama.cpp vendored in llama-cpp-python 0.3.36 (ggml.h / ggml.c type_traits):
# id -> (name, elements per block, bytes per block).
GGML_TYPES: dict[int, tuple[str, int, int]] = {
    0: ("F32", 1, 4), 1: ("F16", 1, 2), 2: ("Q4_0", 32, 18), 3: ("Q4_1", 32, 20), 6: ("Q5_0", 32, 22),
    7: ("Q5_1", 32, 24), 8: ("Q8_0", 32, 34), 9: ("Q8_1", 32, 40), 10: ("Q2_K", 256, 84), 11: ("Q3_K", 256, 110),
    12: ("Q4_K", 256, 144), 13: ("Q5_K", 256, 176), 14: ("Q6_K", 256, 210), 15: ("Q8_K", 256, 292),
    16: ("IQ2_XXS", 256, 66), 17: ("IQ2_XS", 256, 74), 18: ("IQ3_XXS", 256, 98), 19: ("IQ1_S", 256, 50),
    20: ("IQ4_NL", 32, 18), 21: ("IQ3_S", 256, 110), 22: ("IQ2_S", 256, 82), 23: ("IQ4_XS", 256, 136),
    24: ("I8", 1, 1), 25: ("I16", 1, 2), 26: ("I32", 1, 4), 27: ("I64", 1, 8), 28: ("F64", 1, 8),
    29: ("IQ1_M", 256, 56), 30: ("BF16", 1, 2), 34: ("TQ1_0", 256, 54), 35: ("TQ2_0", 256, 66),
    39: ("MXFP4", 32, 17), 40: ("NVFP4", 64, 36), 41: ("Q1_0", 128, 18), 42: ("Q2_0", 64, 18),
}

# llama_ftype (general.file_type) -> the name llama.cpp prints (llama_ftype_name).
FILE_TYPES: dict[int, str] = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K", 11: "Q3_K_S",
    12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K",
    19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL",
    26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 36: "TQ1_0",
    37: "TQ2_0", 38: "MXFP4_MOE", 39: "NVFP4", 40: "Q1_0", 41: "Q2_0",
}

# Arrays up to this many items are kept whole in ``metadata`` (per-layer hyper-parameters and the like).
_SMALL_ARRAY = 64

_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")
_I64 = struct.Struct("<q")


class GGUFFormatError(ValueError):
    """The file is not a GGUF llama.cpp can safely read. The message says why, in words."""


@dataclass(frozen=True)
class ArraySummary:
    """A long array from the header: its element type and length (the items themselves are not kept)."""

    elem_type: int
    length: int


@dataclass(frozen=True)
class TensorInfo:
    name: str
    shape: tuple[int, ...]
    ggml_type: int
    offset: int  # relative to the data section
    n_elements: int
    n_bytes: int


@dataclass
class GGUFHeader:
    path: Path
    file_size: int
    version: int
    alignment: int
    data_offset: int  # where the tensor data section starts in the file
    data_size: int  # bytes the tensor table says the data section holds (padded)
    metadata: dict[str, Any] = field(default_factory=dict)  # scalars, strings and small arrays
    arrays: dict[str, ArraySummary] = field(default_factory=dict)  # every array, with its element type
    tensors: list[TensorInfo] = field(default_factory=list)
    found_tokens: dict[str, int] = field(default_factory=dict)  # wanted vocabulary entries -> token id


class _Cursor:
    """Bounded reads over a buffer: every read checks the bytes that are left first."""

    def __init__(self, buf: memoryview, size: int) -> None:
        self.buf = buf
        self.size = size
        self.pos = 0

    def left(self) -> int:
        return self.size - self.pos

    def need(self, n: int, what: str) -> None:
        if n > self.left():
            raise GGUFFormatError(
                f"the file ends inside the header ({what} needs {n:,} bytes at offset {self.pos:,}, "
                f"only {self.left():,} left): it is truncated or damaged"
            )

    def u32(self, what: str) -> int:
        self.need(4, what)
        (v,) = _U32.unpack_from(self.buf, self.pos)
        self.pos += 4
        return int(v)

    def u64(self, what: str) -> int:
        self.need(8, what)
        (v,) = _U64.unpack_from(self.buf, self.pos)
        self.pos += 8
        return int(v)

    def i64(self, what: str) -> int:
        self.need(8, what)
        (v,) = _I64.unpack_from(self.buf, self.pos)
        self.pos += 8
        return int(v)

    def string_bytes(self, what: str, limit: int = MAX_STRING_BYTES) -> bytes:
        n = self.u64(f"the length of {what}")
        if n > limit:
            raise GGUFFormatError(f"{what} claims to be {n:,} bytes long (limit {limit:,}): the header is damaged")
        self.need(n, what)
        b = bytes(self.buf[self.pos : self.pos + n])
        self.pos += n
        return b

    def skip_string(self, what: str) -> int:
        n = self.u64(f"the length of {what}")
        if n > MAX_STRING_BYTES:
            raise GGUFFormatError(f"{what} claims to be {n:,} bytes long: the header is damaged")
        self.need(n, what)
        start = self.pos
        self.pos += n
        return start


def _decode(b: bytes, what: str) -> str:
    # llama.cpp does not insist on UTF-8 in names and values either; a replacement character is enough here.
    del what
    return b.decode("utf-8", errors="replace")


def read_header(path: Path, *, wanted_tokens: frozenset[str] = frozenset()) -> GGUFHeader:
    """Parse and sanity-check the header of the GGUF at ``path``.

    ``wanted_tokens``: vocabulary entries to look for while walking ``tokenizer.ggml.tokens`` (for example FIM
    control tokens); their ids land in ``GGUFHeader.found_tokens``. Raises :class:`GGUFFormatError` with a
    readable reason, or ``OSError`` when the file cannot be read at all.
    """
    size = path.stat().st_size
    if size == 0:
        raise GGUFFormatError("the file is empty")
    with path.open("rb") as fh:
        head = fh.read(4)
        if head != GGUF_MAGIC:
            shown = "".join(chr(c) if 32 <= c < 127 else "?" for c in head)
            raise GGUFFormatError(f"it is not a GGUF model file (it starts with {shown!r}, expected 'GGUF')")
        if size < 24:
            raise GGUFFormatError(f"the file is only {size} bytes: the GGUF header is truncated")
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            view = memoryview(mm)
            try:
                return _parse(path, view, size, wanted_tokens)
            finally:
                view.release()


def _parse(path: Path, buf: memoryview, size: int, wanted_tokens: frozenset[str]) -> GGUFHeader:
    cur = _Cursor(buf, size)
    cur.pos = 4
    version = cur.u32("the version")
    if version & 0xFFFF == 0:
        raise GGUFFormatError(f"the version field reads {version:#x}: a big-endian GGUF, which this machine cannot use")
    if version not in SUPPORTED_VERSIONS:
        if version == 1:
            raise GGUFFormatError("it is a GGUF version 1 file, which llama.cpp no longer supports")
        raise GGUFFormatError(f"it is GGUF version {version}; this Studio reads versions 2 and 3")
    n_tensors = cur.i64("the tensor count")
    n_kv = cur.i64("the metadata count")
    # Every tensor entry takes at least 8+1+4+4+8 bytes and every metadata entry 8+1+4+1: a count the rest of
    # the file cannot possibly hold is a damaged (or hostile) header, refused before anything is allocated.
    if n_tensors < 0 or n_tensors > MAX_TENSORS or n_tensors * 25 > cur.left():
        raise GGUFFormatError(f"the header claims {n_tensors:,} tensors, which a {size:,}-byte file cannot hold")
    if n_kv < 0 or n_kv > MAX_KV or n_kv * 14 > cur.left():
        raise GGUFFormatError(f"the header claims {n_kv:,} metadata entries, which a {size:,}-byte file cannot hold")

    header = GGUFHeader(path=path, file_size=size, version=version, alignment=DEFAULT_ALIGNMENT, data_offset=0,
                        data_size=0)
    wanted_bytes = {t.encode("utf-8"): t for t in wanted_tokens}
    wanted_lengths = {len(b) for b in wanted_bytes}

    for i in range(n_kv):
        key = _decode(cur.string_bytes(f"the name of metadata entry {i}", limit=65536), f"metadata key {i}")
        if not key:
            raise GGUFFormatError(f"metadata entry {i} has an empty name")
        if key in header.metadata or key in header.arrays:
            raise GGUFFormatError(f"metadata key {key!r} appears twice")
        vtype = cur.u32(f"the type of {key!r}")
        if vtype == T_ARRAY:
            etype = cur.u32(f"the element type of {key!r}")
            n = cur.u64(f"the length of {key!r}")
            if etype == T_ARRAY:
                raise GGUFFormatError(f"metadata {key!r} is an array of arrays, which llama.cpp cannot read")
            if etype not in _SCALAR and etype != T_STRING:
                raise GGUFFormatError(f"metadata {key!r} has an unknown element type {etype}")
            min_item = 8 if etype == T_STRING else _SCALAR[etype].size
            if n > MAX_ARRAY_ITEMS or n * min_item > cur.left():
                raise GGUFFormatError(f"metadata {key!r} claims {n:,} items, more than the rest of the file holds")
            header.arrays[key] = ArraySummary(etype, n)
            if etype == T_STRING:
                scan = key == "tokenizer.ggml.tokens" and bool(wanted_bytes)
                small: list[str] | None = [] if n <= _SMALL_ARRAY else None
                for j in range(n):
                    start = cur.skip_string(f"item {j} of {key!r}")
                    length = cur.pos - start
                    if small is not None:
                        small.append(_decode(bytes(buf[start : cur.pos]), f"item {j} of {key!r}"))
                    if scan and length in wanted_lengths:
                        token = wanted_bytes.get(bytes(buf[start : cur.pos]))
                        if token is not None and token not in header.found_tokens:
                            header.found_tokens[token] = j
                if small is not None:
                    header.metadata[key] = small
            else:
                st = _SCALAR[etype]
                nbytes = n * st.size
                if n <= _SMALL_ARRAY:
                    header.metadata[key] = [st.unpack_from(buf, cur.pos + k * st.size)[0] for k in range(n)]
                cur.pos += nbytes
        elif vtype == T_STRING:
            header.metadata[key] = _decode(cur.string_bytes(f"the value of {key!r}"), f"the value of {key!r}")
        elif vtype in _SCALAR:
            st = _SCALAR[vtype]
            cur.need(st.size, f"the value of {key!r}")
            header.metadata[key] = st.unpack_from(buf, cur.pos)[0]
            cur.pos += st.size
        else:
            raise GGUFFormatError(f"metadata {key!r} has an unknown value type {vtype}")

    align = header.metadata.get("general.alignment", DEFAULT_ALIGNMENT)
    if "general.alignment" in header.metadata and not isinstance(align, int):
        raise GGUFFormatError("general.alignment must be an unsigned integer")
    if align <= 0 or align & (align - 1):
        raise GGUFFormatError(f"the alignment {align} is not a power of two")
    header.alignment = align

    seen: set[str] = set()
    expected_offset = 0
    for i in range(n_tensors):
        name_b = cur.string_bytes(f"the name of tensor {i}", limit=4096)
        if len(name_b) >= MAX_TENSOR_NAME:
            raise GGUFFormatError(f"tensor {i} has a {len(name_b)}-byte name (llama.cpp allows {MAX_TENSOR_NAME - 1})")
        name = _decode(name_b, f"the name of tensor {i}")
        if name in seen:
            raise GGUFFormatError(f"tensor {name!r} appears twice")
        seen.add(name)
        n_dims = cur.u32(f"the dimension count of {name!r}")
        if n_dims > MAX_DIMS:
            raise GGUFFormatError(f"tensor {name!r} has {n_dims} dimensions (at most {MAX_DIMS})")
        shape = tuple(cur.i64(f"dimension {d} of {name!r}") for d in range(n_dims))
        n_el = 1
        for d in shape:
            if d < 0:
                raise GGUFFormatError(f"tensor {name!r} has a negative dimension {d}")
            n_el *= d
        if n_el >= 1 << 62:
            raise GGUFFormatError(f"tensor {name!r} claims {n_el:,} elements: the header is damaged")
        gtype = cur.u32(f"the type of {name!r}")
        info = GGML_TYPES.get(gtype)
        if info is None:
            raise GGUFFormatError(f"tensor {name!r} has tensor type {gtype}, unknown to this llama.cpp")
        _tname, block, type_size = info
        row = shape[0] if shape else 1
        if row % block:
            raise GGUFFormatError(f"tensor {name!r} rows ({row}) are not a multiple of its block size ({block})")
        n_bytes = n_el // block * type_size
        offset = cur.u64(f"the data offset of {name!r}")
        if offset != expected_offset:
            raise GGUFFormatError(
                f"tensor {name!r} starts at {offset:,}, expected {expected_offset:,}: damaged tensor table")
        expected_offset += -(-n_bytes // align) * align
        header.tensors.append(TensorInfo(name, shape, gtype, offset, n_el, n_bytes))

    data_offset = -(-cur.pos // align) * align if n_tensors else cur.pos
    header.data_offset = data_offset
    header.data_size = expected_offset
    for t in header.tensors:
        end = data_offset + t.offset + t.n_bytes
        if end > size:
            # llama.cpp's loader words the same failure "tensor data is not within the file bounds".
            raise GGUFFormatError(
                f"tensor data is not within the file bounds: {t.name!r} ends at byte {end:,} but the file has "
                f"{size:,} bytes (the file is truncated or incomplete)"
            )
    return header
