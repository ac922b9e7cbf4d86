"""A numpy-only GGUF (version 3) writer.

File layout (all integers little-endian):

  header        u32 magic 0x46554747 ("GGUF" as bytes), u32 version (3),
                u64 tensor count, u64 metadata key/value count
  metadata      per pair: string key, u32 value type, value
  tensor infos  per tensor: string name, u32 n_dims, u64 dims[n_dims] (innermost first:
                dims[0] = ne[0] = the row length), u32 ggml type, u64 offset of its data
                relative to the start of the data section (a multiple of the alignment)
  padding       zero bytes up to a multiple of the alignment
  data          the tensors, each starting at a multiple of the alignment

A string is a u64 byte length followed by UTF-8 bytes (no terminator). An array value is
u32 element type, u64 count, then the elements (arrays of arrays are allowed). The alignment
is the u32 metadata value ``general.alignment`` when present, else 32.

Tensor types are described by :class:`TensorType` entries in :data:`TENSOR_TYPES`: a ggml
type id, a block size (elements per block along ne[0]) and a block byte size, plus an
encoder from float32 values to bytes. F32, F16 and BF16 (block size 1) are built in; a
block-quantized type (Q8_0, TQ2_0, ...) is added with :func:`register_tensor_type` and an
encoder taking a float32 array whose last axis is a multiple of the block size.

Usage::

    w = GGUFWriter("model.gguf")
    w.add_string("general.architecture", "llama")
    w.add_uint32("llama.block_count", 2)
    w.add_array("tokenizer.ggml.tokens", ["a", "b"])          # element type inferred
    w.add_tensor("token_embd.weight", emb, "F16")             # numpy shape [rows, row_len]
    w.add_tensor("blk.0.ffn_up.weight", lambda: load(), "F16", shape=(6912, 2560))
    w.write()

Tensor shapes are given in numpy order (outermost first, like the source checkpoint); the
writer reverses them into GGUF's innermost-first dims. Data may be a callable returning the
array, so that a large model is converted one tensor at a time while writing.
"""
import enum
import os
import struct
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

__all__ = ["GGUF_MAGIC", "GGUF_VERSION", "GGUF_DEFAULT_ALIGNMENT", "GGUFValueType",
           "TensorType", "TENSOR_TYPES", "register_tensor_type", "tensor_type",
           "GGUFWriter", "GGUFError", "f32_to_bf16_bits", "LlamaFileType"]

GGUF_MAGIC = 0x46554747            # b"GGUF" read as a little-endian u32
GGUF_VERSION = 3
GGUF_DEFAULT_ALIGNMENT = 32


class GGUFError(ValueError):
    """An invalid request to the writer (bad key, value, type or shape)."""


class GGUFValueType(enum.IntEnum):
    UINT8 = 0
    INT8 = 1
    UINT16 = 2
    INT16 = 3
    UINT32 = 4
    INT32 = 5
    FLOAT32 = 6
    BOOL = 7
    STRING = 8
    ARRAY = 9
    UINT64 = 10
    INT64 = 11
    FLOAT64 = 12


# struct format of each scalar value type
_SCALAR_FMT = {
    GGUFValueType.UINT8: "<B", GGUFValueType.INT8: "<b",
    GGUFValueType.UINT16: "<H", GGUFValueType.INT16: "<h",
    GGUFValueType.UINT32: "<I", GGUFValueType.INT32: "<i",
    GGUFValueType.UINT64: "<Q", GGUFValueType.INT64: "<q",
    GGUFValueType.FLOAT32: "<f", GGUFValueType.FLOAT64: "<d",
    GGUFValueType.BOOL: "<?",
}
_INT_RANGE = {
    GGUFValueType.UINT8: (0, 2**8 - 1), GGUFValueType.INT8: (-2**7, 2**7 - 1),
    GGUFValueType.UINT16: (0, 2**16 - 1), GGUFValueType.INT16: (-2**15, 2**15 - 1),
    GGUFValueType.UINT32: (0, 2**32 - 1), GGUFValueType.INT32: (-2**31, 2**31 - 1),
    GGUFValueType.UINT64: (0, 2**64 - 1), GGUFValueType.INT64: (-2**63, 2**63 - 1),
}
# numpy dtype of each scalar type, for fast packing of numeric arrays
_NP_DTYPE = {
    GGUFValueType.UINT8: "<u1", GGUFValueType.INT8: "<i1",
    GGUFValueType.UINT16: "<u2", GGUFValueType.INT16: "<i2",
    GGUFValueType.UINT32: "<u4", GGUFValueType.INT32: "<i4",
    GGUFValueType.UINT64: "<u8", GGUFValueType.INT64: "<i8",
    GGUFValueType.FLOAT32: "<f4", GGUFValueType.FLOAT64: "<f8",
    GGUFValueType.BOOL: "<u1",
}


_NP_SCALAR_TYPE = {
    np.dtype("u1"): GGUFValueType.UINT8, np.dtype("i1"): GGUFValueType.INT8,
    np.dtype("u2"): GGUFValueType.UINT16, np.dtype("i2"): GGUFValueType.INT16,
    np.dtype("u4"): GGUFValueType.UINT32, np.dtype("i4"): GGUFValueType.INT32,
    np.dtype("u8"): GGUFValueType.UINT64, np.dtype("i8"): GGUFValueType.INT64,
    np.dtype("f4"): GGUFValueType.FLOAT32, np.dtype("f8"): GGUFValueType.FLOAT64,
}


class LlamaFileType(enum.IntEnum):
    """Values of ``general.file_type`` (llama.cpp's llama_ftype) Tern writes."""
    ALL_F32 = 0
    MOSTLY_F16 = 1
    MOSTLY_BF16 = 32
    MOSTLY_TQ1_0 = 36
    MOSTLY_TQ2_0 = 37


# ----------------------------------------------------------------------------- tensor types
def f32_to_bf16_bits(x):
    """float32 -> bfloat16 bit patterns (uint16), round to nearest even; NaN stays a NaN."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    u = x.view(np.uint32).astype(np.uint64)
    out = ((u + (((u >> 16) & 1) + 0x7FFF)) >> 16).astype(np.uint16)
    nan = np.isnan(x)
    if nan.any():
        out[nan] = (x[nan].view(np.uint32) >> 16).astype(np.uint16) | np.uint16(0x0040)
    return out


@dataclass(frozen=True)
class TensorType:
    """One ggml tensor type as stored in GGUF.

    ``encode`` maps a float32 array (any shape whose last axis is a multiple of
    ``block_size``) to the stored bytes; ``raw_dtype`` is the numpy dtype of already
    encoded data (add_tensor(..., raw=True)): the element type for block size 1, uint8
    for block types."""
    name: str
    ggml_id: int
    block_size: int
    type_size: int
    encode: Optional[Callable[[np.ndarray], bytes]]
    raw_dtype: str = "u1"

    def nbytes(self, shape):
        ne0 = int(shape[-1]) if len(shape) else 1
        if ne0 % self.block_size:
            raise GGUFError(f"{self.name}: row length {ne0} is not a multiple of the block "
                            f"size {self.block_size}")
        n = int(np.prod(shape, dtype=np.int64)) if len(shape) else 1
        return n // self.block_size * self.type_size


TENSOR_TYPES = {}


def register_tensor_type(tt: TensorType):
    """Add (or replace) a tensor type, looked up by name (case-insensitive) or ggml id."""
    TENSOR_TYPES[tt.name.upper()] = tt
    return tt


def tensor_type(t):
    """A TensorType from a TensorType, a name ("F16", "bf16") or a registered ggml id."""
    if isinstance(t, TensorType):
        return t
    if isinstance(t, str):
        tt = TENSOR_TYPES.get(t.upper())
        if tt is None:
            raise GGUFError(f"unknown tensor type '{t}' (known: {sorted(TENSOR_TYPES)})")
        return tt
    if isinstance(t, (int, np.integer)):
        for tt in TENSOR_TYPES.values():
            if tt.ggml_id == int(t):
                return tt
        raise GGUFError(f"unknown ggml tensor type id {int(t)}")
    raise GGUFError(f"bad tensor type {t!r}")


register_tensor_type(TensorType(
    "F32", 0, 1, 4, lambda a: np.ascontiguousarray(a, dtype="<f4").tobytes(), "<f4"))
register_tensor_type(TensorType(
    "F16", 1, 1, 2, lambda a: np.ascontiguousarray(a, dtype=np.float32).astype("<f2").tobytes(),
    "<f2"))
register_tensor_type(TensorType(
    "BF16", 30, 1, 2, lambda a: f32_to_bf16_bits(a).astype("<u2").tobytes(), "<u2"))


# ----------------------------------------------------------------------------- metadata
def _enc_string(s):
    if isinstance(s, str):
        b = s.encode("utf-8")
    elif isinstance(s, (bytes, bytearray)):
        b = bytes(s)
    else:
        raise GGUFError(f"expected a string, got {type(s).__name__}")
    return struct.pack("<Q", len(b)) + b


def _infer_type(v):
    """Value type for a Python/numpy value: bool -> BOOL, int -> INT32 (or INT64/UINT64 when
    out of range), float -> FLOAT32, str -> STRING, list/tuple/ndarray -> ARRAY."""
    if isinstance(v, (bool, np.bool_)):
        return GGUFValueType.BOOL
    if isinstance(v, np.generic) and not isinstance(v, (np.str_, np.bytes_)):
        vt = _NP_SCALAR_TYPE.get(v.dtype.newbyteorder("="))
        return vt if vt is not None else _fail_type(v)
    if isinstance(v, (int, np.integer)):
        if -2**31 <= v < 2**31:
            return GGUFValueType.INT32
        return GGUFValueType.INT64 if v < 2**63 else GGUFValueType.UINT64
    if isinstance(v, (float, np.floating)):
        return GGUFValueType.FLOAT32
    if isinstance(v, (str, bytes, bytearray)):
        return GGUFValueType.STRING
    if isinstance(v, (list, tuple, np.ndarray)):
        return GGUFValueType.ARRAY
    return _fail_type(v)


def _fail_type(v):
    raise GGUFError(f"cannot store a value of type {type(v).__name__} in GGUF metadata")


def _infer_elem_type(values):
    if isinstance(values, np.ndarray):
        if values.ndim != 1:
            raise GGUFError("numpy metadata arrays must be 1-D")
        return _infer_type(values.dtype.type(0)) if values.dtype.kind != "b" else GGUFValueType.BOOL
    if len(values) == 0:
        raise GGUFError("the element type of an empty array cannot be inferred: pass elem_type")
    types = {_infer_type(v) for v in values}
    if types <= {GGUFValueType.INT32, GGUFValueType.INT64, GGUFValueType.UINT64}:
        if types == {GGUFValueType.INT32}:
            return GGUFValueType.INT32
        return GGUFValueType.UINT64 if min(values) >= 0 and max(values) >= 2**63 \
            else GGUFValueType.INT64
    if types <= {GGUFValueType.INT32, GGUFValueType.FLOAT32}:
        return GGUFValueType.FLOAT32 if GGUFValueType.FLOAT32 in types else GGUFValueType.INT32
    if len(types) != 1:
        raise GGUFError(f"array elements of mixed types {sorted(t.name for t in types)}")
    return types.pop()


def _enc_scalar(vtype, v):
    if vtype in _INT_RANGE:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
            raise GGUFError(f"{vtype.name}: expected an integer, got {v!r}")
        lo, hi = _INT_RANGE[vtype]
        if not lo <= int(v) <= hi:
            raise GGUFError(f"{vtype.name}: {v} is out of range [{lo}, {hi}]")
        return struct.pack(_SCALAR_FMT[vtype], int(v))
    if vtype in (GGUFValueType.FLOAT32, GGUFValueType.FLOAT64):
        if not isinstance(v, (int, float, np.integer, np.floating)) or isinstance(v, bool):
            raise GGUFError(f"{vtype.name}: expected a number, got {v!r}")
        return struct.pack(_SCALAR_FMT[vtype], float(v))
    if vtype == GGUFValueType.BOOL:
        if not isinstance(v, (bool, np.bool_)):
            raise GGUFError(f"BOOL: expected a bool, got {v!r}")
        return struct.pack("<?", bool(v))
    if vtype == GGUFValueType.STRING:
        return _enc_string(v)
    raise GGUFError(f"not a scalar value type: {vtype!r}")


def _enc_array(values, elem_type=None):
    """u32 element type, u64 count, elements. Nested lists become arrays of arrays (give
    elem_type=ARRAY; inner element types are inferred)."""
    et = GGUFValueType(elem_type) if elem_type is not None else _infer_elem_type(values)
    n = len(values)
    head = struct.pack("<IQ", int(et), n)
    if et == GGUFValueType.ARRAY:
        return head + b"".join(_enc_array(v) for v in values)
    if et == GGUFValueType.STRING:
        return head + b"".join(_enc_string(s) for s in values)
    if isinstance(values, np.ndarray) or n > 64:
        arr = np.asarray(values)
        if et in _INT_RANGE:
            if arr.dtype.kind not in "iu" and n:
                raise GGUFError(f"{et.name} array: expected integers, got dtype {arr.dtype}")
            lo, hi = _INT_RANGE[et]
            if n and (int(arr.min()) < lo or int(arr.max()) > hi):
                raise GGUFError(f"{et.name} array: values out of range [{lo}, {hi}]")
        elif et == GGUFValueType.BOOL:
            if arr.dtype.kind != "b" and n:
                raise GGUFError(f"BOOL array: expected bools, got dtype {arr.dtype}")
        elif arr.dtype.kind not in "iuf" and n:
            raise GGUFError(f"{et.name} array: expected numbers, got dtype {arr.dtype}")
        return head + np.ascontiguousarray(arr, dtype=_NP_DTYPE[et]).tobytes()
    return head + b"".join(_enc_scalar(et, v) for v in values)


# ----------------------------------------------------------------------------- writer
@dataclass
class _Tensor:
    name: str
    shape: tuple          # numpy order, outermost first
    ttype: TensorType
    data: object          # array, bytes, or callable returning one
    raw: bool
    nbytes: int
    offset: int = 0


class GGUFWriter:
    """Collects metadata and tensors, then writes a GGUF v3 file with :meth:`write`.

    Metadata keys keep their insertion order; ``general.alignment`` (u32, a power of two
    that is a multiple of 8, default 32) controls the data alignment and is written as a key
    only when ``alignment`` differs from the default or it was added explicitly."""

    def __init__(self, path=None, alignment=GGUF_DEFAULT_ALIGNMENT):
        self.path = path
        self._kv = {}           # key -> encoded (type + value) bytes
        self._values = {}       # key -> (value type, python value), for inspection
        self._tensors = []
        self._names = set()
        if alignment != GGUF_DEFAULT_ALIGNMENT:
            self.add_uint32("general.alignment", alignment)
        self._check_alignment(alignment)
        self.alignment = alignment

    # -- metadata ------------------------------------------------------------------------
    @staticmethod
    def _check_alignment(a):
        if not isinstance(a, (int, np.integer)) or a <= 0 or a & (a - 1) or a % 8:
            raise GGUFError(f"general.alignment must be a power of two and a multiple of 8, "
                            f"got {a!r}")

    def add_key_value(self, key, value, vtype=None, elem_type=None):
        """Add one metadata pair. vtype (a GGUFValueType) is inferred when None: bool ->
        BOOL, int -> INT32, float -> FLOAT32, str -> STRING, list/tuple/ndarray -> ARRAY
        (elem_type inferred from the elements unless given)."""
        if not isinstance(key, str) or not key:
            raise GGUFError(f"metadata key must be a non-empty string, got {key!r}")
        if key in self._kv:
            raise GGUFError(f"duplicate metadata key '{key}'")
        vt = GGUFValueType(vtype) if vtype is not None else _infer_type(value)
        if vt == GGUFValueType.ARRAY:
            if not isinstance(value, (list, tuple, np.ndarray)):
                raise GGUFError(f"{key}: ARRAY value must be a list, tuple or 1-D ndarray")
            body = _enc_array(value, elem_type)
        else:
            body = _enc_scalar(vt, value)
        if key == "general.alignment":
            if vt != GGUFValueType.UINT32:
                raise GGUFError("general.alignment must be a UINT32")
            self._check_alignment(value)
            self.alignment = int(value)
        self._kv[key] = struct.pack("<I", int(vt)) + body
        self._values[key] = (vt, value)

    def add_uint8(self, key, v): self.add_key_value(key, v, GGUFValueType.UINT8)
    def add_int8(self, key, v): self.add_key_value(key, v, GGUFValueType.INT8)
    def add_uint16(self, key, v): self.add_key_value(key, v, GGUFValueType.UINT16)
    def add_int16(self, key, v): self.add_key_value(key, v, GGUFValueType.INT16)
    def add_uint32(self, key, v): self.add_key_value(key, v, GGUFValueType.UINT32)
    def add_int32(self, key, v): self.add_key_value(key, v, GGUFValueType.INT32)
    def add_uint64(self, key, v): self.add_key_value(key, v, GGUFValueType.UINT64)
    def add_int64(self, key, v): self.add_key_value(key, v, GGUFValueType.INT64)
    def add_float32(self, key, v): self.add_key_value(key, v, GGUFValueType.FLOAT32)
    def add_float64(self, key, v): self.add_key_value(key, v, GGUFValueType.FLOAT64)
    def add_bool(self, key, v): self.add_key_value(key, v, GGUFValueType.BOOL)
    def add_string(self, key, v): self.add_key_value(key, v, GGUFValueType.STRING)

    def add_array(self, key, values, elem_type=None):
        self.add_key_value(key, values, GGUFValueType.ARRAY, elem_type)

    def metadata(self):
        """{key: (GGUFValueType, value)} in insertion order."""
        return dict(self._values)

    # -- tensors -------------------------------------------------------------------------
    def add_tensor(self, name, data, ttype="F32", shape=None, raw=False):
        """Add a tensor.

        data: a numpy array (its shape is used unless ``shape`` is given), or a callable
        returning one when the file is written (``shape`` required). Values are converted
        to ``ttype`` by its encoder unless raw=True, in which case data is already in the
        stored form (float16 array for F16, uint16 bit patterns for BF16, uint8 blocks for
        block types, or bytes) and must have exactly the stored size.
        shape is in numpy order (outermost first); GGUF dims are its reverse."""
        if not isinstance(name, str) or not name:
            raise GGUFError(f"tensor name must be a non-empty string, got {name!r}")
        if len(name.encode("utf-8")) >= 64:
            raise GGUFError(f"tensor name '{name}' is too long (ggml's limit is 63 bytes)")
        if name in self._names:
            raise GGUFError(f"duplicate tensor '{name}'")
        tt = tensor_type(ttype)
        if shape is None:
            if callable(data) or isinstance(data, (bytes, bytearray)):
                raise GGUFError(f"{name}: shape is required for lazy or byte data")
            shape = np.shape(data) if not raw or tt.block_size == 1 else None
            if shape is None:
                raise GGUFError(f"{name}: shape is required for raw block data")
        shape = tuple(int(d) for d in shape)
        if not 1 <= len(shape) <= 4:
            raise GGUFError(f"{name}: GGUF tensors have 1 to 4 dims, got shape {shape}")
        if any(d <= 0 for d in shape):
            raise GGUFError(f"{name}: dims must be positive, got {shape}")
        if tt.encode is None and not raw:
            raise GGUFError(f"{name}: type {tt.name} has no encoder; pass raw=True")
        nbytes = tt.nbytes(shape)
        self._tensors.append(_Tensor(name, shape, tt, data, raw, nbytes))
        self._names.add(name)

    # -- output --------------------------------------------------------------------------
    def _pad(self, n):
        return (-n) % self.alignment

    def _header_bytes(self):
        out = [struct.pack("<IIQQ", GGUF_MAGIC, GGUF_VERSION, len(self._tensors), len(self._kv))]
        for k, v in self._kv.items():
            out.append(_enc_string(k) + v)
        off = 0
        for t in self._tensors:
            t.offset = off
            dims = tuple(reversed(t.shape))
            out.append(_enc_string(t.name) + struct.pack("<I", len(dims))
                       + struct.pack(f"<{len(dims)}Q", *dims)
                       + struct.pack("<IQ", t.ttype.ggml_id, t.offset))
            off += t.nbytes + self._pad(t.nbytes)
        head = b"".join(out)
        return head + b"\0" * self._pad(len(head))

    def _tensor_bytes(self, t):
        data = t.data() if callable(t.data) else t.data
        if t.raw:
            if isinstance(data, (bytes, bytearray, memoryview)):
                b = bytes(data)
            else:
                b = np.ascontiguousarray(data, dtype=t.ttype.raw_dtype).tobytes()
        else:
            a = np.asarray(data)
            if a.shape != t.shape:
                if a.size != int(np.prod(t.shape, dtype=np.int64)):
                    raise GGUFError(f"{t.name}: data of shape {a.shape} does not match the "
                                    f"declared shape {t.shape}")
                a = a.reshape(t.shape)
            b = t.ttype.encode(a.astype(np.float32, copy=False))
        if len(b) != t.nbytes:
            raise GGUFError(f"{t.name}: {len(b)} bytes of data, expected {t.nbytes} for "
                            f"{t.ttype.name}{list(t.shape)}")
        return b

    def write(self, path=None, progress=None):
        """Write the file (to path, or the path given to the constructor). progress, when
        given, is called as progress(index, count, name) before each tensor."""
        path = path or self.path
        if path is None:
            raise GGUFError("no output path")
        head = self._header_bytes()
        tmp = path + ".tmp"
        try:
            with open(tmp, "wb") as f:
                f.write(head)
                for i, t in enumerate(self._tensors):
                    if progress:
                        progress(i, len(self._tensors), t.name)
                    b = self._tensor_bytes(t)
                    f.write(b)
                    f.write(b"\0" * self._pad(len(b)))
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.remove(tmp)
            raise
        return path
