"""A numpy-only GGUF (version 2 and 3, little-endian) reader and tensor decoders.

Written from the format (see writer.py's docstring for the byte layout), not from
gguf-py: header (magic "GGUF", u32 version, u64 tensor count, u64 key/value count),
typed metadata (every scalar type, strings, arrays, arrays of arrays), tensor infos
(name, n_dims, dims innermost first, ggml type, offset), the data section starting at the
next multiple of ``general.alignment`` (default 32), each tensor at its offset from there.
The file is memory-mapped; tensor data are read only when decoded.

ggml dims are innermost first: dims[0] = ne[0] is the row length (the columns), so a
tensor with dims [K, N] is the numpy matrix [N, K] (TensorInfo.shape is numpy order).

Decoders (each layout is described where its encoder is: writer.py, q8_0.py, ternary.py):
  dequantize()    F32, F16, BF16, Q8_0, TQ1_0, TQ2_0, I2_S, Q1_0 -> float32 [shape]
  decode_lowbit() TQ1_0, TQ2_0, I2_S, Q1_0 -> (values int8 [rows, cols] in {-1, 0, 1}
                  ({-1, 1} for Q1_0), scales float32 [rows, cols / block]); I2_S has one
                  scale for the whole tensor, returned as shape [1]. A weight is
                  value * scale of its block.
I2_S code 3 (never written by quantize_i2_s) is rejected rather than given a value: the
fork's dequantize and dot-product kernels would read it differently.

    r = GGUFReader("model.gguf")
    r.metadata["general.architecture"]        # python values; numeric arrays as numpy
    r.tensors["blk.0.attn_q.weight"].shape    # numpy order
    w = r.dequantize("token_embd.weight")
    vals, scales = r.decode_lowbit("blk.0.ffn_up.weight")
"""
import struct
from dataclasses import dataclass
from typing import Optional

import numpy as np

from .writer import GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUFValueType

__all__ = ["GGUFReader", "GGUFReadError", "TensorInfo", "GGML_TYPES", "LOWBIT_TYPES",
           "dequantize", "decode_lowbit", "type_nbytes"]


class GGUFReadError(ValueError):
    """A file that is not a GGUF file this reader can read, with what was wrong."""


@dataclass(frozen=True)
class GGMLType:
    name: str
    block_size: int     # weights per block along ne[0]
    type_size: int      # bytes per block


# ggml type ids -> sizes. Ids 36 and 41 are fork-specific: I2_S only in bitnet.cpp's
# fork, Q1_0 in PrismML's (where 39, 40, 42 are MXFP4, NVFP4, Q2_0, as upstream).
GGML_TYPES = {
    0: GGMLType("F32", 1, 4), 1: GGMLType("F16", 1, 2),
    2: GGMLType("Q4_0", 32, 18), 3: GGMLType("Q4_1", 32, 20),
    6: GGMLType("Q5_0", 32, 22), 7: GGMLType("Q5_1", 32, 24),
    8: GGMLType("Q8_0", 32, 34), 9: GGMLType("Q8_1", 32, 36),
    10: GGMLType("Q2_K", 256, 84), 11: GGMLType("Q3_K", 256, 110),
    12: GGMLType("Q4_K", 256, 144), 13: GGMLType("Q5_K", 256, 176),
    14: GGMLType("Q6_K", 256, 210),
    24: GGMLType("I8", 1, 1), 25: GGMLType("I16", 1, 2), 26: GGMLType("I32", 1, 4),
    27: GGMLType("I64", 1, 8), 28: GGMLType("F64", 1, 8), 30: GGMLType("BF16", 1, 2),
    34: GGMLType("TQ1_0", 256, 54), 35: GGMLType("TQ2_0", 256, 66),
    36: GGMLType("I2_S", 128, 32),
    39: GGMLType("MXFP4", 32, 17), 40: GGMLType("NVFP4", 64, 36),
    41: GGMLType("Q1_0", 128, 18), 42: GGMLType("Q2_0", 64, 18),
}
_ID = {t.name: i for i, t in GGML_TYPES.items()}
LOWBIT_TYPES = ("TQ1_0", "TQ2_0", "I2_S", "Q1_0")
FLOAT_TYPES = ("F32", "F16", "BF16", "Q8_0")
I2_S_TAIL = 32


def type_nbytes(type_id, shape):
    """Stored bytes of a tensor of numpy shape ``shape``; I2_S adds its 32-byte tail."""
    t = GGML_TYPES[type_id]
    n = int(np.prod(shape, dtype=np.int64))
    if shape[-1] % t.block_size:
        raise GGUFReadError(f"{t.name}: row length {shape[-1]} is not a multiple of the "
                            f"block size {t.block_size}")
    return n // t.block_size * t.type_size + (I2_S_TAIL if t.name == "I2_S" else 0)


@dataclass
class TensorInfo:
    name: str
    dims: tuple             # ggml order, ne[0] first
    type_id: int
    offset: int             # from the start of the data section
    nbytes: int
    data: Optional[np.ndarray] = None   # uint8 view of the mapped file

    @property
    def shape(self):
        return tuple(reversed(self.dims))

    @property
    def type_name(self):
        return GGML_TYPES[self.type_id].name


_SCALAR = {
    GGUFValueType.UINT8: "<u1", GGUFValueType.INT8: "<i1", GGUFValueType.UINT16: "<u2",
    GGUFValueType.INT16: "<i2", GGUFValueType.UINT32: "<u4", GGUFValueType.INT32: "<i4",
    GGUFValueType.FLOAT32: "<f4", GGUFValueType.BOOL: "<u1", GGUFValueType.UINT64: "<u8",
    GGUFValueType.INT64: "<i8", GGUFValueType.FLOAT64: "<f8",
}
_STRUCT = {
    GGUFValueType.UINT8: "<B", GGUFValueType.INT8: "<b", GGUFValueType.UINT16: "<H",
    GGUFValueType.INT16: "<h", GGUFValueType.UINT32: "<I", GGUFValueType.INT32: "<i",
    GGUFValueType.FLOAT32: "<f", GGUFValueType.BOOL: "<B", GGUFValueType.UINT64: "<Q",
    GGUFValueType.INT64: "<q", GGUFValueType.FLOAT64: "<d",
}


class _Cursor:
    def __init__(self, buf, path):
        self.buf = buf
        self.pos = 0
        self.path = path

    def need(self, n, what):
        if n < 0 or self.pos + n > len(self.buf):
            raise GGUFReadError(f"{self.path}: truncated at byte {self.pos} reading {what}")

    def unpack(self, fmt, what):
        n = struct.calcsize(fmt)
        self.need(n, what)
        v = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += n
        return v[0] if len(v) == 1 else v

    def string(self, what):
        n = self.unpack("<Q", what)
        self.need(n, what)
        b = bytes(self.buf[self.pos:self.pos + n])
        self.pos += n
        try:
            return b.decode("utf-8")
        except UnicodeDecodeError:
            raise GGUFReadError(f"{self.path}: {what} is not valid UTF-8") from None

    def value(self, vt, what):
        try:
            vt = GGUFValueType(vt)
        except ValueError:
            raise GGUFReadError(f"{self.path}: {what} has unknown value type {vt}") from None
        if vt == GGUFValueType.STRING:
            return self.string(what)
        if vt == GGUFValueType.ARRAY:
            et, n = self.unpack("<I", what), self.unpack("<Q", what)
            if et in (GGUFValueType.STRING, GGUFValueType.ARRAY):
                if n > len(self.buf) - self.pos:
                    raise GGUFReadError(f"{self.path}: {what}: array of {n} elements "
                                        "cannot fit in the file")
                return [self.value(et, f"{what}[{i}]") for i in range(n)]
            if et not in _SCALAR:
                raise GGUFReadError(f"{self.path}: {what} has unknown element type {et}")
            dt = np.dtype(_SCALAR[GGUFValueType(et)])
            self.need(n * dt.itemsize, what)
            a = np.frombuffer(self.buf, dt, n, self.pos).copy()
            self.pos += n * dt.itemsize
            if et == GGUFValueType.BOOL:
                if a.size and a.max() > 1:
                    raise GGUFReadError(f"{self.path}: {what}: bool array element not 0/1")
                a = a.astype(bool)
            return a
        v = self.unpack(_STRUCT[vt], what)
        if vt == GGUFValueType.BOOL:
            if v > 1:
                raise GGUFReadError(f"{self.path}: {what}: bool value {v} is not 0 or 1")
            return bool(v)
        return v


class GGUFReader:
    """Parses the header and tensor infos of a GGUF file and maps its data.

    metadata: {key: value} in file order (str, int, float, bool, numpy array for numeric
    arrays, list for string arrays and arrays of arrays); value_types: {key:
    GGUFValueType}; tensors: {name: TensorInfo} in file order."""

    def __init__(self, path):
        self.path = str(path)
        try:
            self._map = np.memmap(self.path, dtype=np.uint8, mode="r")
        except ValueError:                       # an empty file cannot be mapped
            raise GGUFReadError(f"{self.path}: empty file") from None
        c = _Cursor(self._map, self.path)
        if len(self._map) < 4 or struct.unpack_from("<I", self._map, 0)[0] != GGUF_MAGIC:
            raise GGUFReadError(f"{self.path}: not a GGUF file (bad magic)")
        c.pos = 4
        self.version = c.unpack("<I", "version")
        if self.version not in (2, 3):
            swapped = struct.unpack("<I", struct.pack(">I", self.version))[0]
            hint = " (a big-endian file?)" if swapped in (2, 3) else ""
            raise GGUFReadError(f"{self.path}: GGUF version {self.version} is not supported "
                                f"(2 and 3 are){hint}")
        n_tensors, n_kv = c.unpack("<Q", "tensor count"), c.unpack("<Q", "metadata count")
        if n_tensors > len(self._map) or n_kv > len(self._map):
            raise GGUFReadError(f"{self.path}: implausible counts ({n_tensors} tensors, "
                                f"{n_kv} metadata pairs)")
        self.metadata, self.value_types = {}, {}
        for i in range(n_kv):
            key = c.string(f"metadata key {i}")
            vt = c.unpack("<I", f"type of '{key}'")
            if key in self.metadata:
                raise GGUFReadError(f"{self.path}: duplicate metadata key '{key}'")
            self.metadata[key] = c.value(vt, f"'{key}'")
            self.value_types[key] = GGUFValueType(vt)
        self.alignment = self.metadata.get("general.alignment", GGUF_DEFAULT_ALIGNMENT)
        if "general.alignment" in self.metadata and \
                self.value_types["general.alignment"] != GGUFValueType.UINT32:
            raise GGUFReadError(f"{self.path}: general.alignment must be a UINT32")
        a = self.alignment
        if not isinstance(a, int) or a <= 0 or a & (a - 1):
            raise GGUFReadError(f"{self.path}: general.alignment {a!r} is not a power of two")
        infos, unknown = [], []
        for i in range(n_tensors):
            name = c.string(f"tensor {i} name")
            nd = c.unpack("<I", f"'{name}' n_dims")
            if not 1 <= nd <= 4:
                raise GGUFReadError(f"{self.path}: tensor '{name}' has {nd} dims (1 to 4)")
            dims = tuple(c.unpack("<Q", f"'{name}' dims") for _ in range(nd))
            tid, off = c.unpack("<I", f"'{name}' type"), c.unpack("<Q", f"'{name}' offset")
            if tid not in GGML_TYPES:
                unknown.append(f"{name} (type {tid})")
            infos.append((name, dims, tid, off))
        if unknown:
            raise GGUFReadError(f"{self.path}: tensors of unknown ggml types: "
                                + ", ".join(unknown))
        self.data_offset = -(-c.pos // a) * a
        self.tensors = {}
        for name, dims, tid, off in infos:
            if name in self.tensors:
                raise GGUFReadError(f"{self.path}: duplicate tensor '{name}'")
            if any(d <= 0 for d in dims):
                raise GGUFReadError(f"{self.path}: tensor '{name}' has a zero dim {list(dims)}")
            if off % a:
                raise GGUFReadError(f"{self.path}: tensor '{name}' offset {off} is not a "
                                    f"multiple of the alignment {a}")
            try:
                nbytes = type_nbytes(tid, tuple(reversed(dims)))
            except GGUFReadError as e:
                raise GGUFReadError(f"{self.path}: tensor '{name}': {e}") from None
            start = self.data_offset + off
            if start + nbytes > len(self._map):
                raise GGUFReadError(f"{self.path}: tensor '{name}' data [{start}, "
                                    f"{start + nbytes}) runs past the end of the file "
                                    f"({len(self._map)} bytes)")
            self.tensors[name] = TensorInfo(name, dims, tid, off, nbytes,
                                            self._map[start:start + nbytes])

    def get(self, key, default=None):
        return self.metadata.get(key, default)

    def tensor(self, name):
        t = self.tensors.get(name)
        if t is None:
            raise KeyError(f"{self.path}: no tensor '{name}'")
        return t

    def dequantize(self, name):
        t = self.tensor(name)
        return dequantize(t.data, t.type_id, t.shape)

    def decode_lowbit(self, name):
        t = self.tensor(name)
        return decode_lowbit(t.data, t.type_id, t.shape)


# ----------------------------------------------------------------------------- decoders
def _type_id(t):
    if isinstance(t, str):
        if t.upper() not in _ID:
            raise GGUFReadError(f"unknown ggml type '{t}'")
        return _ID[t.upper()]
    return int(t)


def _rows_cols(shape):
    shape = tuple(int(s) for s in shape)
    cols = shape[-1]
    return int(np.prod(shape[:-1], dtype=np.int64)) if len(shape) > 1 else 1, cols


def _blocks(raw, type_id, shape):
    t = GGML_TYPES[type_id]
    rows, cols = _rows_cols(shape)
    b = np.frombuffer(raw, np.uint8, rows * cols // t.block_size * t.type_size)
    return b.reshape(rows, cols // t.block_size, t.type_size), rows, cols


def _f16(b):
    return np.ascontiguousarray(b).view("<f2")[..., 0].astype(np.float32)


def _ternary_codes(byte, n_digits):
    """The base-3 digits of TQ1_0 bytes (first digit most significant): digit n of byte
    b is ((uint8)(b * 3^n) * 3) >> 8."""
    out = []
    for n in range(n_digits):
        q = (byte.astype(np.uint32) * 3 ** n) & 0xFF
        out.append(((q * 3) >> 8).astype(np.int8))
    return out


def decode_lowbit(raw, type_id, shape):
    """(values int8 [rows, cols], scales float32 [rows, cols / block], or [1] for I2_S)."""
    tid = _type_id(type_id)
    name = GGML_TYPES[tid].name if tid in GGML_TYPES else str(tid)
    if name not in LOWBIT_TYPES:
        raise GGUFReadError(f"decode_lowbit: {name} is not a low-bit type {LOWBIT_TYPES}")
    rows, cols = _rows_cols(shape)
    if name == "I2_S":
        n = rows * cols
        if n % 128 or cols % 128:
            raise GGUFReadError(f"I2_S: row length {cols} is not a multiple of 128")
        raw = np.frombuffer(raw, np.uint8, n // 4 + I2_S_TAIL)
        packed = raw[:n // 4].reshape(-1, 32)
        codes = np.stack([(packed >> s) & 3 for s in (6, 4, 2, 0)], axis=1)  # [blk, j//32, j%32]
        if (codes == 3).any():
            raise GGUFReadError("I2_S: code 3 in the packed data (only 0, 1, 2 are defined)")
        vals = (codes.astype(np.int8) - 1).reshape(rows, cols)
        scale = np.frombuffer(raw[n // 4:n // 4 + 4].tobytes(), "<f4").astype(np.float32)
        return vals, scale
    blk, rows, cols = _blocks(raw, tid, shape)
    nb = blk.shape[1]
    if name == "TQ2_0":
        qs = blk[..., :64]
        parts = []
        for j in (0, 32):
            for n in range(4):
                parts.append(((qs[..., j:j + 32] >> (2 * n)) & 3).astype(np.int8) - 1)
        vals = np.concatenate(parts, axis=-1)                    # weights 4j + 32n + m
        d = _f16(blk[..., 64:66])
    elif name == "TQ1_0":
        parts = _ternary_codes(blk[..., 0:32], 5) + _ternary_codes(blk[..., 32:48], 5) \
            + _ternary_codes(blk[..., 48:52], 4)
        vals = np.concatenate(parts, axis=-1) - np.int8(1)
        d = _f16(blk[..., 52:54])
    else:  # Q1_0
        bits = np.unpackbits(np.ascontiguousarray(blk[..., 2:18]), axis=-1, bitorder="little")
        vals = bits.astype(np.int8) * 2 - 1
        d = _f16(blk[..., 0:2])
    return vals.reshape(rows, cols), d.reshape(rows, nb)


def dequantize(raw, type_id, shape):
    """float32 array of numpy shape ``shape`` from the stored bytes."""
    tid = _type_id(type_id)
    shape = tuple(int(s) for s in shape)
    name = GGML_TYPES[tid].name if tid in GGML_TYPES else str(tid)
    n = int(np.prod(shape, dtype=np.int64))
    if name == "F32":
        return np.frombuffer(raw, "<f4", n).astype(np.float32).reshape(shape)
    if name == "F16":
        return np.frombuffer(raw, "<f2", n).astype(np.float32).reshape(shape)
    if name == "BF16":
        bits = np.frombuffer(raw, "<u2", n).astype(np.uint32) << 16
        return bits.view(np.float32).reshape(shape)
    if name == "Q8_0":
        blk, rows, cols = _blocks(raw, tid, shape)
        d = _f16(blk[..., 0:2])
        qs = np.ascontiguousarray(blk[..., 2:]).view(np.int8).astype(np.float32)
        return (qs * d[..., None]).astype(np.float32).reshape(shape)
    if name in LOWBIT_TYPES:
        vals, scales = decode_lowbit(raw, tid, shape)
        rows, cols = _rows_cols(shape)
        if name == "I2_S":
            w = vals.astype(np.float32) * scales[0]
        else:
            bs = GGML_TYPES[tid].block_size
            w = (vals.reshape(rows, -1, bs).astype(np.float32) * scales[..., None])
        return w.astype(np.float32).reshape(shape)
    raise GGUFReadError(f"dequantize: type {name} is not supported (F32, F16, BF16, Q8_0, "
                        f"{', '.join(LOWBIT_TYPES)} are)")
