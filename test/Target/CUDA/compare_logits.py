#!/usr/bin/env python3
# Compares two logits files (tern-run --logits-out) element-wise, e.g. GPU
# against CPU or AArch64 against x86-64: prints the largest absolute
# difference and fails above the tolerance.
import argparse
import sys

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gpu")
    ap.add_argument("cpu")
    ap.add_argument("--tolerance", type=float, required=True)
    ap.add_argument("--label", default="GPU vs CPU")
    args = ap.parse_args()
    gpu, cpu = np.load(args.gpu), np.load(args.cpu)
    if gpu.shape != cpu.shape:
        print(f"shapes differ: {gpu.shape} vs {cpu.shape}")
        return 1
    diff = float(np.abs(gpu.astype(np.float64) - cpu).max())
    ok = diff <= args.tolerance
    print(f"{args.label} logits: max abs difference {diff:.2e} "
          f"({'ok' if ok else 'above'} {args.tolerance:g})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
