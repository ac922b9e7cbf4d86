#!/usr/bin/env python3
"""Writes the corpus of malformed GGUF files in test/Import/GGUF/bad and
EXPECTED (one `file: part of the error` line each), which GgufTest checks:
every file must be rejected with that message, naming the file. Also
good.gguf, the well-formed file (python/tern/gguf's GGUFWriter) the first
ones are cut from, which GgufTest reads back: the writer and the C++ reader
agree; and blocks.gguf, weights encoded in TQ2_0 and TQ1_0 by
tern.gguf.ternary next to their F32 values, which the C++ decoders must
reproduce exactly.

    /usr/bin/python3 test/Import/GGUF/make_bad_files.py test/Import/GGUF/bad
"""
import os
import struct
import sys

import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "python"))
from tern.gguf import GGUFWriter  # noqa: E402
from tern.gguf import ternary  # noqa: E402,F401  (registers TQ1_0, TQ2_0)

import numpy as np  # noqa: E402

# Metadata value types and ggml tensor types used below (gguf.h, ggml.h).
U32, BOOL, ARRAY = 4, 7, 9
F32, TQ2_0 = 0, 35


def written(writer):
    """The bytes GGUFWriter writes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "x.gguf")
        writer.write(path)
        with open(path, "rb") as f:
            return f.read()


def good():
    gw = GGUFWriter()
    gw.add_string("general.architecture", "llama")
    gw.add_uint32("llama.block_count", 1)
    gw.add_tensor("weight", np.arange(6, dtype=np.float32).reshape(2, 3))
    gw.add_tensor("tq", bytes(66), ttype="TQ2_0", shape=(1, 256), raw=True)
    return written(gw)


def blocks():
    """Ternary weights times a float16 scale per 256-block, as F32 and
    encoded by tern.gguf.ternary in TQ2_0 and TQ1_0: GgufTest decodes both
    back to the F32 tensor exactly."""
    rng = np.random.default_rng(11)
    values = rng.integers(-1, 2, (3, 512)).astype(np.float32)
    scales = np.array([0.5, 0.0078125, 3.0, 0.25, 1.5, 0.125], np.float16)
    weights = (values.reshape(-1, 256) * scales.astype(np.float32)[:, None]).reshape(3, 512)
    weights[1, :256] = 0  # an all-zero block
    gw = GGUFWriter()
    gw.add_tensor("expected", weights)
    gw.add_tensor("tq2_0", weights, ttype="TQ2_0")
    gw.add_tensor("tq1_0", weights, ttype="TQ1_0")
    return written(gw)


def header(tensors, entries, version=3):
    return b"GGUF" + struct.pack("<IQQ", version, tensors, entries)


def string(s):
    return struct.pack("<Q", len(s)) + s.encode()


def entry_u32(key, value):
    return string(key) + struct.pack("<II", U32, value)


def tensor_info(name, ne, ttype, offset):
    return (string(name) + struct.pack("<I", len(ne)) +
            b"".join(struct.pack("<Q", d) for d in ne) + struct.pack("<IQ", ttype, offset))


def padded(data, alignment=32):
    return data + bytes(-len(data) % alignment)


def main(out):
    os.makedirs(out, exist_ok=True)
    g = good()
    with open(os.path.join(out, "good.gguf"), "wb") as f:
        f.write(g)
    with open(os.path.join(out, "blocks.gguf"), "wb") as f:
        f.write(blocks())
    cases = {
        "bad-magic.gguf": (b"GGML" + g[4:], "no 'GGUF' magic"),
        "version-1.gguf": (g[:4] + struct.pack("<I", 1) + g[8:],
                           "GGUF version 1 is not supported"),
        "version-9.gguf": (g[:4] + struct.pack("<I", 9) + g[8:],
                           "GGUF version 9 is not supported"),
        "empty.gguf": (b"", "no 'GGUF' magic"),
        "truncated-header.gguf": (g[:12], "the file ends inside the tensor count"),
        "truncated-metadata.gguf": (g[:80], "metadata key #1 is 17 bytes long"),
        "truncated-data.gguf": (g[:-80], "runs past the end of the file"),
        "huge-metadata-count.gguf": (header(0, 1 << 60) + bytes(64),
                                     "the metadata count 1152921504606846976 is more"),
        "huge-tensor-count.gguf": (header(1 << 40, 0) + bytes(64),
                                   "the tensor count 1099511627776 is more"),
        "string-overflow.gguf": (header(0, 1) + struct.pack("<Q", (1 << 64) - 1) + bytes(16),
                                 "metadata key #0 is 18446744073709551615 bytes long"),
        "array-overflow.gguf": (header(0, 1) + string("k") +
                                struct.pack("<IIQ", ARRAY, U32, 1 << 62),
                                "'k' claims 4611686018427387904 elements"),
        "nested-array.gguf": (header(0, 1) + string("k") +
                              struct.pack("<IIQ", ARRAY, ARRAY, 1) + bytes(16),
                              "'k' nests arrays"),
        "unknown-value-type.gguf": (header(0, 1) + string("k") + struct.pack("<I", 77) +
                                    bytes(8), "unknown value type 77"),
        "bad-bool.gguf": (header(0, 1) + string("k") + struct.pack("<IB", BOOL, 7) +
                          bytes(8), "'k' is a bool of value 7"),
        "bad-alignment.gguf": (header(0, 1) + entry_u32("general.alignment", 48),
                               "general.alignment must be a power-of-two u32"),
        "misaligned-offset.gguf": (header(1, 0) + string("t") +
                                   struct.pack("<IQIQ", 1, 4, 0, 8) + bytes(64),
                                   "not a multiple of the 32-byte alignment"),
        "offset-past-end.gguf": (header(1, 0) + string("t") +
                                 struct.pack("<IQIQ", 1, 4, 0, 1 << 20) + bytes(64),
                                 "runs past the end of the file"),
        "zero-dim.gguf": (header(1, 0) + string("t") +
                          struct.pack("<IQIQ", 1, 0, 0, 0) + bytes(64),
                          "has a dimension of 0"),
        "too-many-dims.gguf": (header(1, 0) + string("t") + struct.pack("<I", 9) +
                               bytes(64), "has 9 dimensions"),
        "element-overflow.gguf": (header(1, 0) + string("t") +
                                  struct.pack("<IQQQ", 3, 1 << 40, 1 << 40, 1 << 40) +
                                  struct.pack("<IQ", 0, 0) + bytes(64),
                                  "the element count overflows"),
        "partial-block.gguf": (padded(header(1, 0) + tensor_info("t", (100, 1), TQ2_0, 0)) +
                               bytes(66),
                               "which the type's blocks do not divide"),
        "duplicate-key.gguf": (header(0, 2) + entry_u32("k", 1) + entry_u32("k", 2),
                               "metadata key 'k' appears twice"),
        "duplicate-tensor.gguf": (padded(header(2, 0) + tensor_info("t", (4,), F32, 0) +
                                         tensor_info("t", (4,), F32, 32)) + bytes(48),
                                  "tensor 't' appears twice"),
    }
    with open(os.path.join(out, "EXPECTED"), "w") as expected:
        expected.write("# file: part of the error GgufFile::open must give (make_bad_files.py)\n")
        for name, (data, message) in sorted(cases.items()):
            with open(os.path.join(out, name), "wb") as f:
                f.write(data)
            expected.write(f"{name}: {message}\n")


if __name__ == "__main__":
    main(sys.argv[1])
