#!/usr/bin/env python3
# ===- compare_with_reference.py - Compiled checkpoints vs numpy -------=== #
#
# Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
# LLMs.
#
# ===----------------------------------------------------------------------=== #
#
# Compiles a checkpoint (or, with --model, the same model in another format)
# with ternc and checks the artifact against the numpy
# reference decoder (python/tern/bitnet/reference_numpy.py; for a .gguf file
# python/tern/gguf/reference.py, which reads the same file):
#   * logits for a token sequence, through prefill and through one prefill
#     token then decode steps: max |difference| <= --tolerance;
#   * --greedy N generated tokens identical to the reference's.
# The tolerance (default 1e-3) covers float32 summation-order differences;
# the integer matmuls are exact on both sides.
#
# ===----------------------------------------------------------------------=== #
import argparse
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "python"))
from tern.bitnet import reference_numpy  # noqa: E402
from tern.gguf import reference as gguf_reference  # noqa: E402


class ref:  # the reference for what is compared
    @staticmethod
    def load(path, dense=None):
        if path.endswith(".gguf"):
            if dense:
                raise SystemExit("--dense is for checkpoints")
            return gguf_reference.load(path)
        return reference_numpy.load(path, dense=dense)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoint")
    ap.add_argument("--model", help="what ternc compiles (default: the checkpoint), "
                                    "e.g. the checkpoint exported to ONNX")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--tokens", type=int, default=12)
    ap.add_argument("--greedy", type=int, default=64)
    ap.add_argument("--context", type=int, default=96)
    ap.add_argument("--tolerance", type=float, default=1e-3)
    ap.add_argument("--ternc-flag", action="append", default=[])
    ap.add_argument("--dense", choices=("f32", "bf16"),
                    help="compile and check the dense baseline (ternc --dense)")
    args = ap.parse_args()
    if args.dense:
        args.ternc_flag.append("--dense=" + args.dense)
    os.makedirs(args.workdir, exist_ok=True)
    model_path = args.model or args.checkpoint
    so = os.path.join(args.workdir, os.path.basename(model_path.rstrip("/")) + ".so")
    subprocess.run(["ternc", model_path, "-o", so, "--max-context", str(args.context)]
                   + args.ternc_flag, check=True)
    model = ref.load(args.checkpoint, dense=args.dense)
    vocab = model.logits([0]).shape[-1]
    rng = np.random.default_rng(7)
    ids = rng.integers(0, vocab, size=args.tokens).tolist()
    want = ref.load(args.checkpoint, dense=args.dense).logits(ids)
    failures = 0
    for mode, extra in (("prefill", []), ("decode", ["--decode-from=1"])):
        out = os.path.join(args.workdir, mode + ".npy")
        subprocess.run(["tern-run", so, "--tokens=" + ",".join(map(str, ids)),
                        "--logits-out=@" + out] + extra, check=True)
        diff = float(np.max(np.abs(np.load(out) - want)))
        ok = diff <= args.tolerance
        failures += not ok
        print(f"{mode} logits: max abs difference {diff:.2e} "
              f"({'ok' if ok else 'FAIL'}, tolerance {args.tolerance:g})")
    run = subprocess.run(["tern-run", so, "--tokens=" + ",".join(map(str, ids[:4])),
                          "-n", str(args.greedy), "--ignore-eos"], check=True,
                         capture_output=True, text=True)
    got = [int(t) for t in run.stdout.split(":")[1].split(",")]
    expected = ref.load(args.checkpoint, dense=args.dense).generate_greedy(ids[:4], args.greedy)
    same = got == list(expected)[:len(got)] and len(got) == len(expected)
    failures += not same
    print(f"greedy {len(got)} tokens: {'identical' if same else 'DIFFERENT'}")
    if not same:
        print("  tern:     ", got)
        print("  reference:", list(expected))
    print("OK" if not failures else "FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
