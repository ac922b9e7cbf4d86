#!/usr/bin/env python3
# ===- aarch64_kernels.py - Static throughput of the AArch64 microkernels -=== #
#
# Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
# LLMs.
#
# ===----------------------------------------------------------------------=== #
#
# There is no AArch64 machine here (QEMU runs the code, but its timings say
# nothing about a real core), so this compares the AArch64 matmul kernels
# statically: ternc cross-compiles one tern.matmul (N x K ternary weights) per
# kernel variant to assembly, the hottest inner loop is cut out (the loop with
# the most dot-product or table-lookup instructions in the kernel's task
# function: the full register tile),
# and llvm-mca runs it on the scheduling models of real cores. Reported per
# variant and core: instructions and multiply-accumulates (weights x tokens)
# per iteration, simulated cycles per iteration, and MACs per cycle.
#
# MACs an instruction does: sdot 16, smmla 32 (a 2x8 by 8x2 block), smull /
# smlal (and their "2" forms) 8; four tbl lookups (low and high bytes of two nibble tables) cover
# 16 rows x 4 weights = 64.
#
#   bench/aarch64_kernels.py --ternc build/bin/ternc [--cpu neoverse-v2 ...]
#
# ===----------------------------------------------------------------------=== #
import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

# (name, tern.matmul M (1 = the matrix-vector kernel), --mattr, --layout)
VARIANTS = [
    ("GEMV neon (smull+sadalp)", 1, "", "i2:64:rows=4"),
    ("GEMV dotprod (sdot)", 1, "+dotprod", "i2:64:rows=4"),
    ("GEMV LUT (tbl)", 1, "+dotprod", "lut:4:rows=16"),
    ("GEMM neon (smull+sadalp)", None, "", "i2:64:rows=4"),
    ("GEMM dotprod (sdot)", None, "+dotprod", "i2:64:rows=4"),
    ("GEMM i8mm (smmla)", None, "+dotprod,+i8mm", "i2:64:rows=4"),
    ("GEMM LUT (tbl)", None, "+dotprod", "lut:4:rows=16"),
]
MACS = {"sdot": 16, "smmla": 32, "smull": 8, "smull2": 8, "smlal": 8,
        "smlal2": 8}
# Cores and the features their models have (i8mm variants need it).
CPUS = {"cortex-a76": {"dotprod"}, "neoverse-n1": {"dotprod"},
        "neoverse-v2": {"dotprod", "i8mm"}}


def source(n, k, m):
    rng = np.random.default_rng(0)
    w = rng.integers(-1, 2, size=(n, k), dtype=np.int8)
    rows = "1" if m == 1 else "?"
    return f"""
func.func @mm(%a: tensor<{rows}x{k}xi8>) -> tensor<{rows}x{n}xi32> {{
  %w = arith.constant dense<"0x{w.tobytes().hex().upper()}"> : tensor<{n}x{k}xi8>
  %r = tern.matmul %a, %w : tensor<{rows}x{k}xi8>, tensor<{n}x{k}xi8> -> tensor<{rows}x{n}xi32>
  return %r : tensor<{rows}x{n}xi32>
}}"""


def hottest_loop(asm):
    """The instructions of the innermost loop (a label and a later branch
    back to it, with no loop inside) with the most kernel instructions; ties
    go to the shorter loop."""
    # The task function holds the tiles (the outer one builds tables).
    lines, inTask = [], False
    for l in asm.splitlines():
        if re.match(r"^[\w.$]+:", l) and not l.startswith(".L"):
            inTask = l.startswith("tern_matmul_") and l.rstrip().endswith("_task:")
        if inTask:
            lines.append(l.strip())
    labels = {l[:-1]: i for i, l in enumerate(lines) if re.match(r"^\.LBB\w+:$", l)}
    loops = []
    for j, line in enumerate(lines):
        m = re.match(r"^b(\.\w+)?\s+(\.LBB\w+)$", line) or re.match(
            r"^(cbn?z|tbn?z)\s+.*,\s*(\.LBB\w+)$", line)
        if m and m.group(2) in labels and labels[m.group(2)] < j:
            loops.append((labels[m.group(2)], j))
    best = None
    for i, j in loops:
        if any((i, j) != (a, z) and i <= a and z <= j for a, z in loops):
            continue  # not innermost
        body = [l for l in lines[i + 1:j + 1]
                if l and not l.startswith((".", "//", "@")) and not l.endswith(":")]
        ops = [l.split()[0] for l in body]
        score = sum(op in MACS or op == "tbl" for op in ops)
        key = (score, -len(body))
        if score and (best is None or key > best[0]):
            best = (key, body)
    return best[1] if best else None


def macs_per_iteration(body):
    ops = [l.split()[0] for l in body]
    return sum(MACS.get(op, 0) for op in ops) + 16 * ops.count("tbl")


def mca_cycles(body, cpu, mca, iterations=200):
    text = "\n".join(body) + "\n"
    out = subprocess.run([mca, "-mtriple=aarch64-linux-gnu", f"-mcpu={cpu}",
                          f"-iterations={iterations}"], input=text, text=True,
                         capture_output=True, check=True).stdout
    total = int(re.search(r"Total Cycles:\s+(\d+)", out).group(1))
    return total / iterations


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ternc", required=True)
    parser.add_argument("--llvm-mca", default="llvm-mca-22")
    parser.add_argument("--cpu", action="append",
                        help=f"cores to simulate (default: {', '.join(CPUS)})")
    parser.add_argument("--n", type=int, default=256)
    parser.add_argument("--k", type=int, default=2560)
    args = parser.parse_args()
    cpus = args.cpu or list(CPUS)
    with tempfile.TemporaryDirectory() as tmp:
        header = f"| kernel | layout | instrs/iter | MACs/iter |"
        header += "".join(f" {c} cycles/iter | {c} MACs/cycle |" for c in cpus)
        print(header)
        print("|" + "---|" * (4 + 2 * len(cpus)))
        for name, m, mattr, layout in VARIANTS:
            path = os.path.join(tmp, "mm.mlir")
            with open(path, "w") as f:
                f.write(source(args.n, args.k, m))
            asm = os.path.join(tmp, "mm.s")
            cmd = [args.ternc, path, "--target=aarch64", "--layout=" + layout,
                   "--emit=asm", "-o", asm]
            if mattr:
                cmd.append("--mattr=" + mattr)
            subprocess.run(cmd, check=True)
            with open(asm) as f:
                body = hottest_loop(f.read())
            if body is None:
                print(f"error: no kernel loop in the assembly of {name}", file=sys.stderr)
                return 1
            macs = macs_per_iteration(body)
            row = f"| {name} | {layout} | {len(body)} | {macs} |"
            features = {f.lstrip("+") for f in mattr.split(",") if f}
            for cpu in cpus:
                if not features <= CPUS.get(cpu, features):
                    row += " - | - |"
                    continue
                cycles = mca_cycles(body, cpu, args.llvm_mca)
                row += f" {cycles:.1f} | {macs / cycles:.1f} |"
            print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
