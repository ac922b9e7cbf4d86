#!/usr/bin/env python3
# ===- make_corpus.py - Seed corpora of the fuzz targets ------------------=== #
#
# Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
# LLMs.
#
# ===----------------------------------------------------------------------=== #
#
# Writes test/fuzz/corpus/<target>/: small valid inputs made by Tern's own
# generators, and invalid ones (truncated, wrong magic, oversized counts,
# bad JSON), so each fuzzer starts from files that reach deep into its
# reader. Inputs of the two-file targets are "FILE1\n----\nFILE2"
# (FuzzFiles.h). Run from the repository root with Debian's Python:
#
#   /usr/bin/python3 test/fuzz/make_corpus.py --ternc build/bin/ternc
#
# ===----------------------------------------------------------------------=== #
import argparse
import glob
import os
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "python"))

from tern.bitnet import synthetic as hf_synthetic  # noqa: E402
from tern.gguf import synthetic as gguf_synthetic  # noqa: E402
from tern.tokenizer import bpe  # noqa: E402

SEP = b"\n----\n"


def write(target, name, data):
    d = os.path.join(ROOT, "test", "fuzz", "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def checkpoint(tmp):
    for layout in hf_synthetic.LAYOUTS:
        d = os.path.join(tmp, layout)
        hf_synthetic.make_checkpoint(d, layout=layout, hidden=16, heads=2, kv_heads=1,
                                     intermediate=32, vocab=24, layers=1, max_pos=16)
        config, tensors = read(os.path.join(d, "config.json")), read(os.path.join(d, "model.safetensors"))
        write("checkpoint", f"{layout}.ckpt", config + SEP + tensors)
        if layout == "bitnet":
            write("checkpoint", "truncated-tensors.ckpt", config + SEP + tensors[:len(tensors) // 2])
            write("checkpoint", "bad-json.ckpt", config[:-5] + SEP + tensors)
            huge = struct.pack("<Q", 1 << 62) + tensors[8:]
            write("checkpoint", "huge-header-length.ckpt", config + SEP + huge)
            write("checkpoint", "no-tensors.ckpt", config + SEP + struct.pack("<Q", 2) + b"{}")


def gguf(tmp):
    path = os.path.join(tmp, "tiny.gguf")
    for arch, ltype in (("llama", "tq2_0"), ("bitnet-b1.58", "i2_s")):
        model = gguf_synthetic.make_model(arch, ltype, hidden=256, ff=256, layers=1, heads=2,
                                          kv_heads=1, vocab=320, context=16, embd_type="lowbit")
        gguf_synthetic.write_gguf(model, path)
        write("gguf", f"{arch}-{ltype}.gguf", read(path))
    for bad in sorted(glob.glob(os.path.join(ROOT, "test", "Import", "GGUF", "bad", "*.gguf"))):
        write("gguf", os.path.basename(bad), read(bad))


def onnx():
    data = "/usr/share/libonnx-testdata/data/node"
    for test in ("test_add", "test_matmul_2d", "test_gather_0", "test_softmax_axis_1",
                 "test_reshape_reordered_all_dims", "test_cast_FLOAT_to_FLOAT16"):
        path = os.path.join(data, test, "model.onnx")
        if os.path.exists(path):
            write("onnx", test + ".onnx", read(path))
    write("onnx", "empty.onnx", b"")
    write("onnx", "garbage.onnx", b"\x08\x07\x12\x04tern\x3a\xff\xff\xff\xff\x0f")


def tokenizer(tmp):
    texts = ["the quick brown fox jumps over the lazy dog. " * 4,
             "Ternary weights: -1, 0 and +1; 1.58 bits each! ünïcödé 日本語"]
    tok = bpe.train_bpe(texts, vocab_size=300)
    path = os.path.join(tmp, "tokenizer.json")
    tok.save(path)
    small = read(path)
    write("tokenizer", "trained.tok", small + SEP + texts[1].encode())
    write("tokenizer", "bundled.tok", read(os.path.join(ROOT, "models", "bitnet-fortunes",
                                                        "tokenizer.json")) + SEP +
          b"<|begin_of_text|>Hello\xff\xfe world\n\t<|eot_id|>")
    write("tokenizer", "truncated.tok", small[:len(small) // 2] + SEP + b"abc")
    write("tokenizer", "not-json.tok", b"{\"model\": [1, 2" + SEP + b"x")


def artifact(tmp, ternc):
    source = os.path.join(ROOT, "test", "tools", "tern-run", "Inputs", "twice.mlir")
    out = os.path.join(tmp, "twice.so")
    subprocess.run([ternc, source, "-o", out, "--mcpu=x86-64"], check=True)
    data = read(out)
    write("artifact", "twice.so", data)
    start = data.index(b"tern-artifact ")
    header = data[start:data.index(b"\0", start)]
    write("artifact", "header.txt", header)
    write("artifact", "newer-version.txt", header.replace(b"tern-artifact 1", b"tern-artifact 99", 1))
    write("artifact", "truncated.so", data[:len(data) // 3])
    write("artifact", "elf-header-only.so", data[:64])


def mlir():
    for path in sorted(glob.glob(os.path.join(ROOT, "test", "Dialect", "Tern", "IR", "*.mlir"))):
        text = read(path)
        lines = [l for l in text.split(b"\n") if not l.lstrip().startswith(b"// RUN")
                 and not l.lstrip().startswith(b"// CHECK")]
        for i, part in enumerate(b"\n".join(lines).split(b"// -----")):
            if part.strip():
                name = os.path.basename(path)[:-5]
                write("mlir", f"{name}-{i}.mlir", part.strip() + b"\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ternc", required=True)
    args = ap.parse_args()
    corpus = os.path.join(ROOT, "test", "fuzz", "corpus")
    shutil.rmtree(corpus, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        checkpoint(tmp)
        gguf(tmp)
        onnx()
        tokenizer(tmp)
        artifact(tmp, args.ternc)
        mlir()
    for target in sorted(os.listdir(corpus)):
        files = os.listdir(os.path.join(corpus, target))
        size = sum(os.path.getsize(os.path.join(corpus, target, f)) for f in files)
        print(f"{target}: {len(files)} inputs, {size} bytes")


if __name__ == "__main__":
    main()
