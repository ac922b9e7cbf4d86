#!/usr/bin/env python3
# ===- bitnet_ffn_demo.py - Compile and run a BitNet b1.58 FFN block -----=== #
#
# Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
# LLMs.
#
# ===----------------------------------------------------------------------=== #
#
# Writes the feed-forward block of a BitNet b1.58 2B4T decoder layer as tern
# IR with random float weights (a fixed seed), compiles it with ternc (the
# weights are ternarized with absmean and packed at compile time), runs it with
# tern-run, and compares with a numpy implementation of the same block:
#
#   h = rms_norm(x, g1); gate = bitlinear(h, Wg); up = bitlinear(h, Wu)
#   a = rms_norm(relu(gate)^2 * up, g2); y = x + bitlinear(a, Wd)
#
# Prints the artifact's signature, the output's shape and the largest
# relative difference; exits non-zero when it exceeds the tolerance.
#
# ===----------------------------------------------------------------------=== #
import argparse
import os
import subprocess
import sys
import time

import numpy as np

EPS = np.float32(1e-5)


def hex_dense(a):
    return 'dense<"0x' + np.ascontiguousarray(a).tobytes().hex().upper() + '">'


# --- numpy reference, written from the tern ops' documented semantics ----- #
def ternarize(w):
    gamma = np.maximum(np.float32(np.mean(np.abs(w), dtype=np.float32)), EPS)
    q = np.clip(np.rint(w * (np.float32(1) / gamma)), -1, 1).astype(np.int8)
    return q, np.float32(gamma)


def quantize(x):
    m = np.maximum(np.max(np.abs(x), axis=-1), EPS).astype(np.float32)
    q = np.clip(np.rint(x * (np.float32(127) / m)[:, None]), -128, 127).astype(np.int8)
    return q, (m / np.float32(127)).astype(np.float32)


def bitlinear(x, w):
    q, s = quantize(x)
    trits, gamma = ternarize(w)
    acc = q.astype(np.int32) @ trits.astype(np.int32).T
    return ((acc.astype(np.float32) * s[:, None]) * gamma).astype(np.float32)


def rms_norm(x, g):
    inv = np.float32(1) / np.sqrt(np.mean(x * x, axis=-1, dtype=np.float32) + EPS)
    return ((x * inv[:, None]) * g).astype(np.float32)


def ffn(x, p):
    h = rms_norm(x, p["g1"])
    gate, up = bitlinear(h, p["wg"]), bitlinear(h, p["wu"])
    a = rms_norm(np.square(np.maximum(gate, 0)) * up, p["g2"])
    return x + bitlinear(a, p["wd"])


# --- the same block in tern IR --------------------------------------------- #
def module(p, hidden, ffn_dim):
    H, F = hidden, ffn_dim
    elementwise = """linalg.generic {{indexing_maps = [affine_map<(t, f) -> (t, f)>,
      affine_map<(t, f) -> (t, f)>, affine_map<(t, f) -> (t, f)>],
      iterator_types = ["parallel", "parallel"]}}
      ins({a}, {b} : tensor<?x{n}xf32>, tensor<?x{n}xf32>) outs({init} : tensor<?x{n}xf32>) {{
    ^bb0(%p: f32, %q: f32, %o: f32):
      {body}
  }} -> tensor<?x{n}xf32>"""
    relu2 = elementwise.format(
        a="%gate", b="%up", init="%e", n=F,
        body="""%zero = arith.constant 0.0 : f32
      %r = arith.maximumf %p, %zero : f32
      %r2 = arith.mulf %r, %r : f32
      %v = arith.mulf %r2, %q : f32
      linalg.yield %v : f32""")
    residual = elementwise.format(
        a="%x", b="%down", init="%e2", n=H,
        body="""%v = arith.addf %p, %q : f32
      linalg.yield %v : f32""")
    return f"""// BitNet b1.58 2B4T feed-forward block (hidden {H}, ffn {F}), random weights.
func.func @ffn(%x: tensor<?x{H}xf32>) -> tensor<?x{H}xf32> {{
  %c0 = arith.constant 0 : index
  %t = tensor.dim %x, %c0 : tensor<?x{H}xf32>
  %g1 = arith.constant {hex_dense(p["g1"])} : tensor<{H}xf32>
  %g2 = arith.constant {hex_dense(p["g2"])} : tensor<{F}xf32>
  %wg = arith.constant {hex_dense(p["wg"])} : tensor<{F}x{H}xf32>
  %wu = arith.constant {hex_dense(p["wu"])} : tensor<{F}x{H}xf32>
  %wd = arith.constant {hex_dense(p["wd"])} : tensor<{H}x{F}xf32>
  %qg, %sg = tern.ternarize %wg : tensor<{F}x{H}xf32> -> tensor<{F}x{H}xi8>, tensor<f32>
  %qu, %su = tern.ternarize %wu : tensor<{F}x{H}xf32> -> tensor<{F}x{H}xi8>, tensor<f32>
  %qd, %sd = tern.ternarize %wd : tensor<{H}x{F}xf32> -> tensor<{H}x{F}xi8>, tensor<f32>
  %h = tern.rms_norm %x, %g1 : tensor<?x{H}xf32>, tensor<{H}xf32> -> tensor<?x{H}xf32>
  %gate = tern.bitlinear %h, %qg, %sg : tensor<?x{H}xf32>, tensor<{F}x{H}xi8>, tensor<f32> -> tensor<?x{F}xf32>
  %up = tern.bitlinear %h, %qu, %su : tensor<?x{H}xf32>, tensor<{F}x{H}xi8>, tensor<f32> -> tensor<?x{F}xf32>
  %e = tensor.empty(%t) : tensor<?x{F}xf32>
  %act = {relu2}
  %a = tern.rms_norm %act, %g2 : tensor<?x{F}xf32>, tensor<{F}xf32> -> tensor<?x{F}xf32>
  %down = tern.bitlinear %a, %qd, %sd : tensor<?x{F}xf32>, tensor<{H}x{F}xi8>, tensor<f32> -> tensor<?x{H}xf32>
  %e2 = tensor.empty(%t) : tensor<?x{H}xf32>
  %y = {residual}
  return %y : tensor<?x{H}xf32>
}}
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ternc", required=True)
    parser.add_argument("--tern-run", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--ffn", type=int, default=688)
    parser.add_argument("--tokens", type=int, default=8)
    parser.add_argument("--tolerance", type=float, default=1e-4)
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    rng = np.random.default_rng(2024)
    H, F = args.hidden, args.ffn
    p = {
        "g1": (1 + 0.1 * rng.standard_normal(H)).astype(np.float32),
        "g2": (1 + 0.1 * rng.standard_normal(F)).astype(np.float32),
        "wg": (0.02 * rng.standard_normal((F, H))).astype(np.float32),
        "wu": (0.02 * rng.standard_normal((F, H))).astype(np.float32),
        "wd": (0.02 * rng.standard_normal((H, F))).astype(np.float32),
    }
    mlir = os.path.join(args.workdir, "bitnet_ffn.mlir")
    so = os.path.join(args.workdir, "bitnet_ffn.so")
    with open(mlir, "w") as f:
        f.write(module(p, H, F))
    start = time.time()
    subprocess.run([args.ternc, mlir, "-o", so], check=True)
    print(f"ternc {os.path.basename(mlir)} -o {os.path.basename(so)}: "
          f"{time.time() - start:.2f} s, {os.path.getsize(so)} bytes "
          f"(float weights were {sum(v.nbytes for v in p.values())} bytes)")
    subprocess.run([args.tern_run, so, "--list"], check=True)
    x = rng.standard_normal((args.tokens, H)).astype(np.float32)
    xin, yout = os.path.join(args.workdir, "x.npy"), os.path.join(args.workdir, "y.npy")
    np.save(xin, x)
    subprocess.run([args.tern_run, so, "--function=ffn", "--input=@" + xin,
                    "--output=@" + yout], check=True)
    y, want = np.load(yout), ffn(x, p)
    err = float(np.max(np.abs(y - want) / np.maximum(np.abs(want), 1)))
    print(f"output {y.dtype}{list(y.shape)}; first values {np.round(y[0, :4], 4).tolist()}")
    print(f"max relative difference from the numpy reference: {err:.2e} "
          f"(tolerance {args.tolerance:g})")
    if not err <= args.tolerance:
        print("FAILED: the compiled block disagrees with the reference")
        return 1
    print("OK: compiled BitNet FFN block matches the numpy reference")
    return 0


if __name__ == "__main__":
    sys.exit(main())
