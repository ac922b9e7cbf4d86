#!/usr/bin/env python3
# ===- make_bad_models.py - Well-formed GGUF files that are bad models --=== #
#
# Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
# LLMs.
#
# ===----------------------------------------------------------------------=== #
#
# Writes GGUF files that parse but cannot be compiled as models, and their
# EXPECTED list (check_bad_files.py's format): an unknown architecture, a
# missing key, a missing tensor, a misshapen one, one Tern does not use, a
# type Tern does not read (Q4_K), partial RoPE, a TQ2_0 code that is not
# ternary. Each message must name the
# tensor or key as the file does.
#
# ===----------------------------------------------------------------------=== #
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "python"))
from tern.gguf import synthetic  # noqa: E402
from tern.gguf.ternary import encode_tq2_0  # noqa: E402
from tern.gguf.writer import GGUFWriter, TensorType, register_tensor_type  # noqa: E402

# llama.cpp's Q4_K: 256 weights in 144 bytes. Tern does not read it; the
# writer stores raw bytes.
register_tensor_type(TensorType("Q4_K", 12, 256, 144, None))


def model(**kw):
    return synthetic.make_model("bitnet-b1.58", "tq2_0", layers=1, vocab=300, **kw)


def drop(writer, key):
    """Removes a metadata key the writer holds."""
    writer._kv.pop(key)
    writer._values.pop(key)


def write(m, path, patch_metadata=None):
    """synthetic.write_gguf, with a hook over the writer's metadata."""
    original = GGUFWriter.write

    def write_patched(self, p=None, progress=None):
        if patch_metadata:
            patch_metadata(self)
        return original(self, p, progress)

    GGUFWriter.write = write_patched
    try:
        synthetic.write_gguf(m, path)
    finally:
        GGUFWriter.write = original


def write_with_tensor_hook(m, path, hook):
    """write(), with GGUFWriter.add_tensor going through
    hook(writer, original, name, data, ttype, shape, raw)."""
    original = GGUFWriter.add_tensor

    def add_tensor(self, name, data, ttype="F32", shape=None, raw=False):
        return hook(self, original, name, data, ttype, shape, raw)

    GGUFWriter.add_tensor = add_tensor
    try:
        write(m, path)
    finally:
        GGUFWriter.add_tensor = original


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    expected = {}

    m = model()
    m.arch = "gptneox"
    write(m, os.path.join(out, "unknown-arch.gguf"))
    expected["unknown-arch.gguf"] = "unsupported architecture 'gptneox'"

    m = model()
    write(m, os.path.join(out, "missing-key.gguf"),
          lambda w: drop(w, "bitnet-b1.58.block_count"))
    expected["missing-key.gguf"] = "missing 'bitnet-b1.58.block_count'"

    m = model()
    del m.weights["blk.0.ffn_down.weight"]
    write(m, os.path.join(out, "missing-tensor.gguf"))
    expected["missing-tensor.gguf"] = "missing tensor 'blk.0.ffn_down.weight'"

    m = model()
    m.weights["blk.0.attn_q.weight"] = np.zeros((256, 512), np.float32)
    write(m, os.path.join(out, "wrong-shape.gguf"))
    expected["wrong-shape.gguf"] = \
        "tensor 'blk.0.attn_q.weight' has shape [256, 512], expected [256, 256]"

    m = model()
    m.weights["rope_freqs.weight"] = np.ones(32, np.float32)
    m.types["rope_freqs.weight"] = "F32"
    write(m, os.path.join(out, "unused-tensor.gguf"))
    expected["unused-tensor.gguf"] = "tensors the bitnet-b1.58 graph does not use: rope_freqs.weight"

    m = model()
    m.weights["blk.0.ffn_up.weight"] = np.zeros((512, 256 // 256 * 144), np.uint8)
    m.types["blk.0.ffn_up.weight"] = "Q4_K"

    def q4k_raw(self, original, name, data, ttype, shape, raw):
        if ttype == "Q4_K":
            return original(self, name, data, ttype, shape=(512, 256), raw=True)
        return original(self, name, data, ttype, shape, raw)

    write_with_tensor_hook(m, os.path.join(out, "unsupported-type.gguf"), q4k_raw)
    expected["unsupported-type.gguf"] = "blk.0.ffn_up.weight (Q4_K)"

    m = model()
    key = "bitnet-b1.58.rope.dimension_count"
    write(m, os.path.join(out, "partial-rope.gguf"),
          lambda w: (drop(w, key), w.add_uint32(key, 32)))
    expected["partial-rope.gguf"] = \
        "rope.dimension_count (32) is not the head size (64); partial RoPE is not supported"

    # A TQ2_0 block holding code 3 (value 2), which llama.cpp's quantizer
    # never writes: not ternary.
    m = model()

    def code3(self, original, name, data, ttype, shape, raw):
        if name == "blk.0.ffn_gate.weight":
            blocks = np.frombuffer(encode_tq2_0(data), np.uint8).copy()
            blocks[0] |= 3  # weight 0 of the first block: code 3
            return original(self, name, blocks, ttype, shape=np.shape(data), raw=True)
        return original(self, name, data, ttype, shape, raw)

    write_with_tensor_hook(m, os.path.join(out, "code-3.gguf"), code3)
    expected["code-3.gguf"] = \
        "tensor 'blk.0.ffn_gate.weight' (TQ2_0) holds the value 2 at [0, 0], which is not a ternary weight"

    with open(os.path.join(out, "EXPECTED"), "w") as f:
        f.write("# file: part of the error ternc must give (make_bad_models.py)\n")
        for name, text in expected.items():
            f.write(f"{name}: {text}\n")


if __name__ == "__main__":
    main()
