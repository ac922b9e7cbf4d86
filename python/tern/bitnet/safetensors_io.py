"""Hand-written .safetensors reader/writer (no dependency on the safetensors package).

Layout: 8-byte little-endian unsigned header length N, N bytes of UTF-8 JSON
({name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}),
then the raw little-endian data; offsets are relative to the end of the header.

Supported dtypes: F32, F16, BF16, U8, I8 (plus I32/I64 for convenience).
BF16 tensors are returned as float32 numpy arrays by default (exact widening) or as
raw uint16 bit patterns with ``raw_bf16=True``.
"""
import json
import os
import struct

import numpy as np

__all__ = ["SafetensorsError", "load", "load_dir", "save", "read_header",
           "f32_to_bf16_bits", "bf16_bits_to_f32", "round_to_bf16", "BF16"]


class SafetensorsError(ValueError):
    """A malformed or unsupported .safetensors file."""


_DTYPES = {
    "F32": np.dtype("<f4"),
    "F16": np.dtype("<f2"),
    "BF16": np.dtype("<u2"),   # stored as raw bits
    "U8": np.dtype("u1"),
    "I8": np.dtype("i1"),
    "I32": np.dtype("<i4"),
    "I64": np.dtype("<i8"),
}
_MAX_HEADER = 100 * 1024 * 1024


class BF16:
    """Marker wrapper: save(..., {name: BF16(array)}) stores array rounded to bfloat16."""

    def __init__(self, array):
        self.array = np.asarray(array, dtype=np.float32)


def f32_to_bf16_bits(x):
    """float32 -> bfloat16 bit patterns (uint16), round to nearest even; NaN stays NaN."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    u = x.view(np.uint32).astype(np.uint64)
    rounding = ((u >> 16) & 1) + 0x7FFF
    out = ((u + rounding) >> 16).astype(np.uint16)
    nan = np.isnan(x)
    if nan.any():
        out[nan] = 0x7FC0
    return out


def bf16_bits_to_f32(b):
    b = np.ascontiguousarray(b, dtype=np.uint16)
    return (b.astype(np.uint32) << 16).view(np.float32)


def round_to_bf16(x):
    """Round float32 values to the nearest bfloat16 value, returned as float32."""
    return bf16_bits_to_f32(f32_to_bf16_bits(x))


def _err(path, msg):
    return SafetensorsError(f"{path}: {msg}")


def read_header(path):
    """Returns (header dict without __metadata__, metadata dict, data start offset, file size)."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        head = f.read(8)
        if len(head) < 8:
            raise _err(path, f"file too short ({size} bytes) for the 8-byte header length")
        (n,) = struct.unpack("<Q", head)
        if n > _MAX_HEADER or 8 + n > size:
            raise _err(path, f"header length {n} exceeds the file size {size}")
        raw = f.read(n)
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise _err(path, f"header is not valid UTF-8 JSON: {e}") from None
    if not isinstance(header, dict):
        raise _err(path, "header JSON is not an object")
    meta = header.pop("__metadata__", None) or {}
    data_start = 8 + n
    data_len = size - data_start
    spans = []
    for name, info in header.items():
        if not isinstance(info, dict):
            raise _err(path, f"tensor '{name}': entry is not an object")
        for key in ("dtype", "shape", "data_offsets"):
            if key not in info:
                raise _err(path, f"tensor '{name}': missing '{key}'")
        dt = info["dtype"]
        if dt not in _DTYPES:
            raise _err(path, f"tensor '{name}': unsupported dtype '{dt}'")
        shape = info["shape"]
        if not isinstance(shape, list) or not all(isinstance(d, int) and d >= 0 for d in shape):
            raise _err(path, f"tensor '{name}': bad shape {shape!r}")
        offs = info["data_offsets"]
        if (not isinstance(offs, list) or len(offs) != 2
                or not all(isinstance(o, int) for o in offs) or not 0 <= offs[0] <= offs[1]):
            raise _err(path, f"tensor '{name}': bad data_offsets {offs!r}")
        if offs[1] > data_len:
            raise _err(path, f"tensor '{name}': data_offsets {offs} run past the end of the "
                             f"data ({data_len} bytes): file truncated?")
        nbytes = int(np.prod(shape, dtype=np.int64)) * _DTYPES[dt].itemsize
        if offs[1] - offs[0] != nbytes:
            raise _err(path, f"tensor '{name}': {dt}{shape} needs {nbytes} bytes but "
                             f"data_offsets span {offs[1] - offs[0]}")
        spans.append((offs[0], offs[1], name))
    spans.sort()
    for (b0, e0, n0), (b1, e1, n1) in zip(spans, spans[1:]):
        if b1 < e0:
            raise _err(path, f"tensors '{n0}' and '{n1}' overlap")
    return header, meta, data_start, size


def load(path, raw_bf16=False, names=None):
    """Load a .safetensors file into {name: numpy array}. BF16 -> float32 unless raw_bf16."""
    header, _meta, data_start, _size = read_header(path)
    out = {}
    with open(path, "rb") as f:
        for name, info in header.items():
            if names is not None and name not in names:
                continue
            b, e = info["data_offsets"]
            f.seek(data_start + b)
            buf = f.read(e - b)
            if len(buf) != e - b:
                raise _err(path, f"tensor '{name}': short read")
            arr = np.frombuffer(buf, dtype=_DTYPES[info["dtype"]]).reshape(info["shape"]).copy()
            if info["dtype"] == "BF16" and not raw_bf16:
                arr = bf16_bits_to_f32(arr).reshape(info["shape"])
            out[name] = arr
    return out


def load_dir(checkpoint_dir, raw_bf16=False):
    """Load model.safetensors or a sharded checkpoint (model.safetensors.index.json)."""
    index = os.path.join(checkpoint_dir, "model.safetensors.index.json")
    single = os.path.join(checkpoint_dir, "model.safetensors")
    if os.path.exists(index):
        with open(index) as f:
            try:
                wm = json.load(f)["weight_map"]
            except (json.JSONDecodeError, KeyError) as e:
                raise SafetensorsError(f"{index}: bad index file: {e}") from None
        tensors = {}
        for shard in sorted(set(wm.values())):
            if os.path.basename(shard) != shard:
                raise SafetensorsError(f"{index}: shard name '{shard}' is not a plain file name")
            part = load(os.path.join(checkpoint_dir, shard), raw_bf16=raw_bf16)
            for k, v in part.items():
                if wm.get(k) == shard:
                    tensors[k] = v
        missing = [k for k in wm if k not in tensors]
        if missing:
            raise SafetensorsError(f"{index}: tensors listed but not found in their shards: "
                                   f"{missing[:5]}")
        return tensors
    if os.path.exists(single):
        return load(single, raw_bf16=raw_bf16)
    raise SafetensorsError(f"{checkpoint_dir}: neither model.safetensors nor "
                           "model.safetensors.index.json found")


def _to_bytes(value):
    if isinstance(value, BF16):
        return "BF16", list(value.array.shape), f32_to_bf16_bits(value.array).tobytes()
    arr = np.asarray(value)
    if arr.dtype == np.float32:
        dt = "F32"
    elif arr.dtype == np.float16:
        dt = "F16"
    elif arr.dtype == np.uint8:
        dt = "U8"
    elif arr.dtype == np.int8:
        dt = "I8"
    elif arr.dtype == np.int32:
        dt = "I32"
    elif arr.dtype == np.int64:
        dt = "I64"
    else:
        raise SafetensorsError(f"cannot store numpy dtype {arr.dtype}")
    return dt, list(arr.shape), np.ascontiguousarray(arr, dtype=_DTYPES[dt]).tobytes()


def save(path, tensors, metadata=None):
    """Write {name: array or BF16(array)} to path. Header padded to 8 bytes with spaces."""
    header = {}
    blobs = []
    off = 0
    for name in tensors:
        dt, shape, data = _to_bytes(tensors[name])
        header[name] = {"dtype": dt, "shape": shape, "data_offsets": [off, off + len(data)]}
        blobs.append(data)
        off += len(data)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def save_sharded(checkpoint_dir, tensors, num_shards=2, metadata=None):
    """Write model-0000i-of-0000n.safetensors shards + model.safetensors.index.json."""
    names = list(tensors)
    per = (len(names) + num_shards - 1) // num_shards
    weight_map = {}
    total = 0
    for i in range(num_shards):
        part = names[i * per:(i + 1) * per]
        fname = f"model-{i + 1:05d}-of-{num_shards:05d}.safetensors"
        save(os.path.join(checkpoint_dir, fname), {k: tensors[k] for k in part}, metadata)
        for k in part:
            weight_map[k] = fname
            v = tensors[k]
            total += (v.array.size * 2) if isinstance(v, BF16) else np.asarray(v).nbytes
    with open(os.path.join(checkpoint_dir, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)
