"""Writes GGUF files (version 3, little-endian) from the format's definition.

    "GGUF" | u32 version | u64 tensor count | u64 metadata count
    metadata: string key | u32 value type | value
    tensor infos: string name | u32 n_dims | u64 ne[n_dims] | u32 type | u64 offset
    padding to general.alignment | tensor data (each at an aligned offset)

Strings are u64 length + UTF-8 bytes; arrays are u32 element type + u64 count
+ elements. ne[0] is the innermost dimension (a [rows, cols] matrix has
ne = (cols, rows)). Only numpy and the standard library are used.
"""
import struct

import numpy as np

# Metadata value types (gguf.h).
U8, I8, U16, I16, U32, I32, F32, BOOL, STRING, ARRAY, U64, I64, F64 = range(13)
_SCALAR = {U8: "<B", I8: "<b", U16: "<H", I16: "<h", U32: "<I", I32: "<i",
           F32: "<f", BOOL: "<?", U64: "<Q", I64: "<q", F64: "<d"}

# ggml tensor type ids (ggml.h; I2_S from bitnet.cpp, Q1_0 from PrismML).
GGML_F32, GGML_F16, GGML_Q8_0, GGML_BF16 = 0, 1, 8, 30
GGML_TQ1_0, GGML_TQ2_0, GGML_I2_S, GGML_Q1_0 = 34, 35, 36, 41


def _string(s):
    data = s.encode("utf-8") if isinstance(s, str) else bytes(s)
    return struct.pack("<Q", len(data)) + data


def _value(vtype, value, element_type=None):
    if vtype == STRING:
        return _string(value)
    if vtype == ARRAY:
        out = struct.pack("<IQ", element_type, len(value))
        return out + b"".join(_value(element_type, v) for v in value)
    return struct.pack(_SCALAR[vtype], value)


def encode(metadata, tensors, alignment=32, version=3):
    """The bytes of a GGUF file.

    metadata: list of (key, type, value) or (key, ARRAY, values, element type).
    tensors: list of (name, ne, ggml type, data bytes); each is placed at the
    next aligned offset of the data section.
    """
    out = bytearray(b"GGUF" + struct.pack("<IQQ", version, len(tensors), len(metadata)))
    for entry in metadata:
        key, vtype, value = entry[:3]
        out += _string(key) + struct.pack("<I", vtype)
        out += _value(vtype, value, entry[3] if len(entry) > 3 else None)
    offset = 0
    placed = []
    for name, ne, ttype, data in tensors:
        offset = (offset + alignment - 1) // alignment * alignment
        out += _string(name) + struct.pack("<I", len(ne))
        out += b"".join(struct.pack("<Q", d) for d in ne)
        out += struct.pack("<IQ", ttype, offset)
        placed.append((offset, bytes(data)))
        offset += len(data)
    out += b"\0" * (-len(out) % alignment)
    start = len(out)
    for at, data in placed:
        out += b"\0" * (start + at - len(out))
        out += data
    return bytes(out)


def write(path, metadata, tensors, alignment=32, version=3):
    with open(path, "wb") as f:
        f.write(encode(metadata, tensors, alignment, version))


def f32_tensor(name, array):
    """An F32 tensor from a numpy array in row-major order (shape reversed
    into ne)."""
    a = np.ascontiguousarray(array, dtype="<f4")
    return (name, tuple(reversed(a.shape)), GGML_F32, a.tobytes())
