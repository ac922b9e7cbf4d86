#!/usr/bin/env python3
# ===- make_bad_checkpoints.py - Damaged checkpoints for importer tests ---=== #
#
# Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
# LLMs.
#
# ===----------------------------------------------------------------------=== #
#
# Writes a valid synthetic BitNet checkpoint (via python/tern) and, beside it,
# one damaged copy per failure the importer must report clearly. The
# safetensors files are written by hand here so each defect is exact.
#
# ===----------------------------------------------------------------------=== #
import json
import os
import shutil
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "python"))
from tern.bitnet.synthetic import make_checkpoint  # noqa: E402
from tern.bitnet import safetensors_io as st  # noqa: E402


def write_raw(path, header, data):
    text = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        f.write(data)


def read_raw(path):
    with open(path, "rb") as f:
        blob = f.read()
    n = struct.unpack("<Q", blob[:8])[0]
    return json.loads(blob[8:8 + n]), blob[8 + n:]


def variant(base, out, name, edit):
    d = os.path.join(out, name)
    shutil.copytree(base, d)
    header, data = read_raw(os.path.join(d, "model.safetensors"))
    header, data = edit(d, header, data)
    if header is not None:
        write_raw(os.path.join(d, "model.safetensors"), header, data)


def main():
    out = sys.argv[1]
    base = os.path.join(out, "good")
    make_checkpoint(base, layout="bitnet", seed=3)
    q = "model.layers.0.self_attn.q_proj.weight"
    k = "model.layers.0.self_attn.k_proj.weight"

    def missing(d, h, data):
        del h[q]
        return h, data

    def wrong_shape(d, h, data):
        n = h[q]["shape"]
        h[q]["shape"] = [n[1], n[0]]
        return h, data

    def truncated(d, h, data):
        return h, data[: len(data) // 2]

    def header_too_long(d, h, data):
        with open(os.path.join(d, "model.safetensors"), "r+b") as f:
            f.write(struct.pack("<Q", 1 << 40))
        return None, None

    def overlap(d, h, data):
        h[k]["data_offsets"] = list(h[q]["data_offsets"])
        h[k]["shape"] = list(h[q]["shape"])
        return h, data

    def bad_dtype(d, h, data):
        h[q]["dtype"] = "F64"
        return h, data

    def bad_json(d, h, data):
        with open(os.path.join(d, "model.safetensors"), "r+b") as f:
            f.seek(8)
            f.write(b"!")
        return None, None

    def escaping_index(d, h, data):
        os.rename(os.path.join(d, "model.safetensors"), os.path.join(out, "outside.safetensors"))
        index = {"metadata": {}, "weight_map": {name: "../outside.safetensors" for name in h
                                                if name != "__metadata__"}}
        with open(os.path.join(d, "model.safetensors.index.json"), "w") as f:
            json.dump(index, f)
        return None, None

    def bad_arch(d, h, data):
        cfg = json.load(open(os.path.join(d, "config.json")))
        cfg["architectures"] = ["GPT2LMHeadModel"]
        json.dump(cfg, open(os.path.join(d, "config.json"), "w"))
        return None, None

    def bad_config(d, h, data):
        with open(os.path.join(d, "config.json"), "w") as f:
            f.write("{ not json")
        return None, None

    for name, edit in [("missing", missing), ("wrong-shape", wrong_shape),
                       ("truncated", truncated), ("header-too-long", header_too_long),
                       ("overlap", overlap), ("bad-dtype", bad_dtype), ("bad-json", bad_json),
                       ("escaping-index", escaping_index), ("bad-arch", bad_arch),
                       ("bad-config", bad_config)]:
        variant(base, out, name, edit)
    print("wrote", out)


if __name__ == "__main__":
    main()
