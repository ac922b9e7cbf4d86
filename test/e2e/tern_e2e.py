#!/usr/bin/env python3
# ===- tern_e2e.py - End-to-end numerical tests of compiled tern ops ------=== #
#
# Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
# LLMs.
#
# ===----------------------------------------------------------------------=== #
#
# Compiles tern.matmul / tern.bitlinear / tern.quantize / tern.dequantize /
# tern.rms_norm with ternc for one weight layout and several code paths
# (instruction sets), runs them with tern-run on random inputs, and compares
# with a plain numpy reference written from the ops' documented semantics:
#   * integer outputs (matmul accumulators, quantized activations) bit-exact;
#   * float outputs within 1e-5 relative (max |got - want| / max(|want|, 1)).
# The reference never calls compiled code.
#
# ===----------------------------------------------------------------------=== #
import argparse
import os
import shlex
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from tern.bitnet import reference_numpy as ref  # noqa: E402

# (N, K) weight shapes: K below, at and above the kernel blocks (64/128/256
# bytes of activations per step), N with and without a full register tile;
# long K, where a prefill task's group of weight tiles is one or two tiles,
# the last one partial.
WEIGHT_SHAPES = [(1, 1), (5, 7), (64, 100), (33, 255), (16, 256), (7, 257),
                 (300, 1000), (40, 2560), (37, 4700), (6, 8300)]
ROWS = [1, 2, 5, 16, 70]  # M: decode (1), M-tile remainders, prefill over 2 token blocks

# Code paths of each target: ternc flags and a name.
ISAS = {
    "x86_64": {
        "avx512vnni": [],                     # the build machine's CPU
        "avx2": ["--mattr=-avx512f"],         # no AVX-512 at all
        "portable": ["--mcpu=x86-64"],        # SSE2 only
    },
    # Cross-compiled; --tern-run is then tern-run for AArch64 under qemu.
    "aarch64": {
        "neon": ["--target=aarch64"],                               # smull + sadalp
        "dotprod": ["--target=aarch64", "--mattr=+dotprod"],        # sdot
        "i8mm": ["--target=aarch64", "--mattr=+dotprod,+i8mm"],     # smmla
    },
}

EPS = np.float32(1e-5)


def hex_dense(array):
    return 'dense<"0x' + array.tobytes().hex().upper() + '">'


def quantize_ref(x):
    """tern.quantize: per-row absmax to int8, round half to even, in f32."""
    m = np.maximum(np.max(np.abs(x), axis=-1), EPS).astype(np.float32)
    inverse = (np.float32(127.0) / m).astype(np.float32)
    q = np.clip(np.rint(x * inverse[..., None]), -128, 127).astype(np.int8)
    return q, (m / np.float32(127.0)).astype(np.float32)


def matmul_ref(a, w):
    return a.astype(np.int32) @ w.astype(np.int32).T


def rms_norm_ref(x, g, eps=EPS):
    mean = (np.sum(x.astype(np.float64) ** 2, axis=-1) / x.shape[-1])
    inverse = 1.0 / np.sqrt(mean + eps)
    return (x * inverse[..., None] * g).astype(np.float32)


def rms_norm_ordered(x, g, eps=EPS):
    """tern.rms_norm with the sum of squares in the kernels' order (the model
    reference's; see python/tern/bitnet/reference_numpy.py)."""
    return ref.rms_norm(x, g, eps)


class Pending:
    """A result of a batched call, in `path` once the batch has run."""

    def __init__(self, path):
        self.path = path


class Suite:
    def __init__(self, args):
        self.args = args
        self.rng = np.random.default_rng(args.seed)
        self.failures = 0
        self.checks = 0
        self.batch, self.batch_artifact, self.pending_checks = [], None, []
        os.makedirs(args.workdir, exist_ok=True)

    def path(self, name):
        return os.path.join(self.args.workdir, name)

    def compile(self, source, name, flags):
        mlir = self.path(name + ".mlir")
        with open(mlir, "w") as f:
            f.write(source)
        out = self.path(name + ".so")
        cmd = [self.args.ternc, mlir, "-o", out] + flags + self.args.ternc_flag
        subprocess.run(cmd, check=True)
        return out

    # Calls of one artifact run in one tern-run process (--batch): run()
    # returns Pending results, and the checks on them wait for flush().
    def run(self, artifact, function, inputs, num_results):
        if self.batch_artifact != artifact:
            self.flush()
            self.batch_artifact = artifact
        call = len(self.batch)
        ins = []
        for i, array in enumerate(inputs):
            p = self.path(f"call{call}_in{i}.npy")
            np.save(p, array)
            ins.append("--input=@" + p)
        outs = [self.path(f"call{call}_out{r}.npy") for r in range(num_results)]
        self.batch.append(" ".join(["--function=" + function] + ins +
                                   ["--output=@" + p for p in outs]))
        return [Pending(p) for p in outs]

    def flush(self):
        """Runs the pending calls, then the checks on their results."""
        if not self.batch:
            return
        calls = self.path("calls.txt")
        with open(calls, "w") as f:
            f.write("\n".join(self.batch) + "\n")
        cmd = shlex.split(self.args.tern_run) + [self.batch_artifact, "--batch=" + calls]
        if self.args.threads:
            cmd.append(f"--threads={self.args.threads}")
        subprocess.run(cmd, check=True)
        checks, self.pending_checks, self.batch = self.pending_checks, [], []
        for check, what, got, want, options in checks:
            check(what, np.load(got.path), want, **options)

    def expect_exact(self, what, got, want):
        if isinstance(got, Pending):
            self.pending_checks.append((self.expect_exact, what, got, want, {}))
            return
        self.checks += 1
        if got.shape != want.shape or got.dtype != want.dtype or not np.array_equal(got, want):
            self.failures += 1
            bad = np.argwhere(got != want) if got.shape == want.shape else []
            print(f"FAIL {what}: shape {got.shape}/{want.shape} dtype "
                  f"{got.dtype}/{want.dtype}; first mismatch "
                  f"{bad[0].tolist() if len(bad) else '-'}", file=sys.stderr)

    def expect_close(self, what, got, want, rtol=1e-5, magnitude=None):
        """|got - want| <= rtol * max(magnitude, 1) elementwise, magnitude
        defaulting to |want| (a sum of terms of mixed signs passes the sum of
        their magnitudes: rounding scales with those, not with the result)."""
        if isinstance(got, Pending):
            self.pending_checks.append((self.expect_close, what, got, want,
                                        {"rtol": rtol, "magnitude": magnitude}))
            return
        self.checks += 1
        magnitude = np.abs(want) if magnitude is None else magnitude
        err = np.max(np.abs(got - want) / np.maximum(magnitude, 1.0)) if want.size else 0.0
        if got.shape != want.shape or not err <= rtol:
            self.failures += 1
            print(f"FAIL {what}: shape {got.shape}/{want.shape}, relative "
                  f"error {err:.3g} > {rtol}", file=sys.stderr)

    # --- tern.matmul and tern.bitlinear over constant weights ------------- #
    def weights(self, n, k, binary):
        if binary:
            return np.where(self.rng.random((n, k)) < 0.5, -1, 1).astype(np.int8)
        return self.rng.integers(-1, 2, size=(n, k), dtype=np.int8)

    def linear_suite(self, layout, binary):
        kind = ' kind = #tern.kind<binary>,' if binary else ''
        attrs = '{' + kind.strip(' ,') + '}' if binary else ''
        funcs, cases = [], []
        for i, (n, k) in enumerate(WEIGHT_SHAPES):
            w = self.weights(n, k, binary)
            gamma = np.float32(self.rng.uniform(0.01, 2.0))
            bias = self.rng.standard_normal(n).astype(np.float32)
            funcs.append(f"""
func.func @mm{i}(%a: tensor<?x{k}xi8>) -> tensor<?x{n}xi32> {{
  %w = arith.constant {hex_dense(w)} : tensor<{n}x{k}xi8>
  %r = tern.matmul %a, %w {attrs} : tensor<?x{k}xi8>, tensor<{n}x{k}xi8> -> tensor<?x{n}xi32>
  return %r : tensor<?x{n}xi32>
}}
func.func @mv{i}(%a: tensor<1x{k}xi8>) -> tensor<1x{n}xi32> {{
  %w = arith.constant {hex_dense(w)} : tensor<{n}x{k}xi8>
  %r = tern.matmul %a, %w {attrs} : tensor<1x{k}xi8>, tensor<{n}x{k}xi8> -> tensor<1x{n}xi32>
  return %r : tensor<1x{n}xi32>
}}
func.func @mq{i}(%a: tensor<?x{k}xi8>, %s: tensor<?xf32>, %c: tensor<{n}xf32>) -> tensor<?x{n}xf32> {{
  %w = arith.constant {hex_dense(w)} : tensor<{n}x{k}xi8>
  %r = tern.matmul %a, %w {attrs} : tensor<?x{k}xi8>, tensor<{n}x{k}xi8> -> tensor<?x{n}xi32>
  %y = tern.dequantize %r, %s, %c : tensor<?x{n}xi32>, tensor<?xf32>, tensor<{n}xf32> -> tensor<?x{n}xf32>
  return %y : tensor<?x{n}xf32>
}}
func.func @mr{i}(%a: tensor<?x{k}xi8>, %s: tensor<?xf32>, %c: tensor<{n}xf32>, %res: tensor<?x{n}xf32>) -> tensor<?x{n}xf32> {{
  %w = arith.constant {hex_dense(w)} : tensor<{n}x{k}xi8>
  %r = tern.matmul %a, %w {attrs} : tensor<?x{k}xi8>, tensor<{n}x{k}xi8> -> tensor<?x{n}xi32>
  %y = tern.dequantize %r, %s, %c : tensor<?x{n}xi32>, tensor<?xf32>, tensor<{n}xf32> -> tensor<?x{n}xf32>
  %c0 = arith.constant 0 : index
  %m = tensor.dim %a, %c0 : tensor<?x{k}xi8>
  %e = tensor.empty(%m) : tensor<?x{n}xf32>
  %z = linalg.add ins(%res, %y : tensor<?x{n}xf32>, tensor<?x{n}xf32>) outs(%e : tensor<?x{n}xf32>) -> tensor<?x{n}xf32>
  return %z : tensor<?x{n}xf32>
}}
func.func @bl{i}(%x: tensor<?x{k}xf32>) -> tensor<?x{n}xf32> {{
  %w = arith.constant {hex_dense(w)} : tensor<{n}x{k}xi8>
  %g = arith.constant dense<{float(gamma)!r}> : tensor<f32>
  %b = arith.constant {hex_dense(bias)} : tensor<{n}xf32>
  %y = tern.bitlinear %x, %w, %g, %b {attrs} : tensor<?x{k}xf32>, tensor<{n}x{k}xi8>, tensor<f32>, tensor<{n}xf32> -> tensor<?x{n}xf32>
  return %y : tensor<?x{n}xf32>
}}""")
            if self.args.group:
                funcs.append(self.group_functions(i, n, k, w, binary))
            cases.append((i, n, k, w, gamma, bias))
        source = "\n".join(funcs)
        for isa, flags in self.isas():
            name = f"linear_{layout.replace(':', '_')}_{isa}"
            artifact = self.compile(source, name, flags + ["--layout=" + layout])
            for i, n, k, w, gamma, bias in cases:
                for m in ROWS:
                    a = self.rng.integers(-128, 128, size=(m, k), dtype=np.int8)
                    got, = self.run(artifact, f"mm{i}", [a], 1)
                    self.expect_exact(f"{name} matmul M={m} N={n} K={k}",
                                      got, matmul_ref(a, w))
                    if m == 1:  # static M = 1: the matrix-vector kernel
                        got, = self.run(artifact, f"mv{i}", [a], 1)
                        self.expect_exact(f"{name} gemv N={n} K={k}",
                                          got, matmul_ref(a, w))
                    # The dequantize fused into the matmul kernel: exact.
                    rs = self.rng.uniform(0.001, 1, size=m).astype(np.float32)
                    cs = self.rng.uniform(0.001, 1, size=n).astype(np.float32)
                    got, = self.run(artifact, f"mq{i}", [a, rs, cs], 1)
                    self.expect_exact(f"{name} matmul+dequantize M={m} N={n} K={k}", got,
                                      (matmul_ref(a, w).astype(np.float32) * rs[:, None]) * cs)
                    # ... and the residual add after it: exact too.
                    res = self.rng.standard_normal((m, n)).astype(np.float32)
                    got, = self.run(artifact, f"mr{i}", [a, rs, cs, res], 1)
                    self.expect_exact(f"{name} matmul+dequantize+residual M={m} N={n} K={k}", got,
                                      res + (matmul_ref(a, w).astype(np.float32) * rs[:, None]) * cs)
                    x = (self.rng.standard_normal((m, k)) * 3).astype(np.float32)
                    if self.args.group:
                        self.check_group(artifact, name, i, m, n, k, w, x)
                    got, = self.run(artifact, f"bl{i}", [x], 1)
                    q, s = quantize_ref(x)
                    want = (matmul_ref(q, w).astype(np.float32) * s[:, None]) * gamma + bias
                    self.expect_close(f"{name} bitlinear M={m} N={n} K={k}",
                                      got, want.astype(np.float32))

    # --- tern.bitlinear with group scales ---------------------------------- #
    def group_scales(self, i, n, k):
        groups = -(-k // self.args.group)
        rng = np.random.default_rng(self.args.seed * 1000 + i)
        return rng.uniform(0.01, 2.0, size=(n, groups)).astype(np.float32)

    def group_functions(self, i, n, k, w, binary):
        g = self.args.group
        d = self.group_scales(i, n, k)
        kind = 'kind = #tern.kind<binary>, ' if binary else ''
        attrs = f'{{{kind}granularity = #tern.scale<group = {g}>}}'
        types = f"tensor<?x{k}xf32>, tensor<{n}x{k}xi8>, tensor<{n}x{d.shape[1]}xf32> -> tensor<?x{n}xf32>"
        return f"""
func.func @gl{i}(%x: tensor<?x{k}xf32>) -> tensor<?x{n}xf32> {{
  %w = arith.constant {hex_dense(w)} : tensor<{n}x{k}xi8>
  %d = arith.constant {hex_dense(d)} : tensor<{n}x{d.shape[1]}xf32>
  %y = tern.bitlinear %x, %w, %d {attrs} : {types}
  return %y : tensor<?x{n}xf32>
}}
func.func @gv{i}(%x: tensor<1x{k}xf32>, %res: tensor<1x{n}xf32>) -> tensor<1x{n}xf32> {{
  %w = arith.constant {hex_dense(w)} : tensor<{n}x{k}xi8>
  %d = arith.constant {hex_dense(d)} : tensor<{n}x{d.shape[1]}xf32>
  %y = tern.bitlinear %x, %w, %d {attrs} : {types.replace('?x', '1x')}
  %e = tensor.empty() : tensor<1x{n}xf32>
  %z = linalg.add ins(%res, %y : tensor<1x{n}xf32>, tensor<1x{n}xf32>) outs(%e : tensor<1x{n}xf32>) -> tensor<1x{n}xf32>
  return %z : tensor<1x{n}xf32>
}}"""

    def check_group(self, artifact, name, i, m, n, k, w, x):
        """y = s_t * sum_g d[n, g] * (q . w over group g): the integer sums
        exact, the sum over groups in float (the kernel's order differs, so
        within 1e-5 relative)."""
        g = self.args.group
        d = self.group_scales(i, n, k).astype(np.float64)
        q, s = quantize_ref(x)
        want = np.zeros((m, n))
        magnitude = np.zeros((m, n))
        for j in range(d.shape[1]):
            part = matmul_ref(q[:, j * g:(j + 1) * g], w[:, j * g:(j + 1) * g])
            want += part * d[None, :, j]
            magnitude += matmul_ref(np.abs(q[:, j * g:(j + 1) * g].astype(np.int32)),
                                    np.abs(w[:, j * g:(j + 1) * g])) * d[None, :, j]
        want = (want * s[:, None]).astype(np.float32)
        magnitude *= s[:, None]
        got, = self.run(artifact, f"gl{i}", [x], 1)
        self.expect_close(f"{name} group-{g} bitlinear M={m} N={n} K={k}", got, want,
                          magnitude=magnitude)
        if m == 1:  # the matrix-vector kernel, with the residual add fused
            res = self.rng.standard_normal((1, n)).astype(np.float32)
            got, = self.run(artifact, f"gv{i}", [x, res], 1)
            self.expect_close(f"{name} group-{g} gemv+residual N={n} K={k}", got,
                              (want + res).astype(np.float32),
                              magnitude=magnitude + np.abs(res))

    # --- tern.binarize folded into a 1-bit bitlinear ---------------------- #
    def binarize_suite(self):
        """Float weights binarized at compile time (tern.binarize: signs, mean
        |w| per group of 128) feeding a group-scaled binary bitlinear: the
        signs bit-exact (checked through the integer sums), the scales and the
        sum over groups in float."""
        g = 128
        funcs, cases = [], []
        for i, (n, k) in enumerate([(64, 256), (33, 384), (7, 200), (300, 1000)]):
            w = self.rng.standard_normal((n, k)).astype(np.float32)
            groups = -(-k // g)
            types = (f"tensor<?x{k}xf32>, tensor<{n}x{k}xi8>, tensor<{n}x{groups}xf32> "
                     f"-> tensor<?x{n}xf32>")
            funcs.append(f"""
func.func @bz{i}(%x: tensor<?x{k}xf32>) -> tensor<?x{n}xf32> {{
  %w = arith.constant {hex_dense(w)} : tensor<{n}x{k}xf32>
  %q, %d = tern.binarize %w {{granularity = #tern.scale<group = {g}>}} : tensor<{n}x{k}xf32> -> tensor<{n}x{k}xi8>, tensor<{n}x{groups}xf32>
  %y = tern.bitlinear %x, %q, %d {{kind = #tern.kind<binary>, granularity = #tern.scale<group = {g}>}} : {types}
  return %y : tensor<?x{n}xf32>
}}""")
            cases.append((i, n, k, w))
        source = "\n".join(funcs)
        for isa, flags in self.isas():
            name = f"binarize_{isa}"
            artifact = self.compile(source, name, flags)
            for i, n, k, w in cases:
                signs = np.where(w >= 0, 1, -1).astype(np.int8)
                scales = np.stack([np.abs(w[:, j:j + g]).astype(np.float64).mean(axis=1)
                                   for j in range(0, k, g)], axis=1)
                for m in (1, 5):
                    x = (self.rng.standard_normal((m, k)) * 3).astype(np.float32)
                    q, s = quantize_ref(x)
                    want = np.zeros((m, n))
                    magnitude = np.zeros((m, n))
                    for j in range(scales.shape[1]):
                        part = matmul_ref(q[:, j * g:(j + 1) * g], signs[:, j * g:(j + 1) * g])
                        want += part * scales[None, :, j]
                        magnitude += matmul_ref(np.abs(q[:, j * g:(j + 1) * g].astype(np.int32)),
                                                np.abs(signs[:, j * g:(j + 1) * g])) * scales[None, :, j]
                    got, = self.run(artifact, f"bz{i}", [x], 1)
                    self.expect_close(f"{name} binarize+bitlinear M={m} N={n} K={k}", got,
                                      (want * s[:, None]).astype(np.float32),
                                      magnitude=magnitude * s[:, None])

    # --- weights given at run time (unpacked i8) -------------------------- #
    def runtime_weights_suite(self):
        source = """
func.func @mm(%a: tensor<?x?xi8>, %w: tensor<?x?xi8>) -> tensor<?x?xi32> {
  %r = tern.matmul %a, %w : tensor<?x?xi8>, tensor<?x?xi8> -> tensor<?x?xi32>
  return %r : tensor<?x?xi32>
}"""
        for isa, flags in self.isas():
            artifact = self.compile(source, f"runtime_weights_{isa}", flags)
            for (n, k) in WEIGHT_SHAPES:
                for m in (1, 5):
                    a = self.rng.integers(-128, 128, size=(m, k), dtype=np.int8)
                    w = self.weights(n, k, False)
                    got, = self.run(artifact, "mm", [a, w], 1)
                    self.expect_exact(f"runtime weights {isa} M={m} N={n} K={k}",
                                      got, matmul_ref(a, w))

    # --- tern.quantize, tern.dequantize, tern.rms_norm -------------------- #
    def elementwise_suite(self):
        source = """
func.func @quantize(%x: tensor<?x?xf32>) -> (tensor<?x?xi8>, tensor<?xf32>) {
  %q, %s = tern.quantize %x : tensor<?x?xf32> -> tensor<?x?xi8>, tensor<?xf32>
  return %q, %s : tensor<?x?xi8>, tensor<?xf32>
}
func.func @dequantize(%a: tensor<?x?xi32>, %s: tensor<?xf32>, %c: tensor<?xf32>) -> tensor<?x?xf32> {
  %y = tern.dequantize %a, %s, %c : tensor<?x?xi32>, tensor<?xf32>, tensor<?xf32> -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}
func.func @rms_norm(%x: tensor<?x?xf32>, %g: tensor<?xf32>) -> tensor<?x?xf32> {
  %y = tern.rms_norm %x, %g {epsilon = 1.0e-05 : f32} : tensor<?x?xf32>, tensor<?xf32> -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}
func.func @norm_quantize(%x: tensor<?x?xf32>, %g: tensor<?xf32>) -> (tensor<?x?xi8>, tensor<?xf32>) {
  %y = tern.rms_norm %x, %g {epsilon = 1.0e-05 : f32} : tensor<?x?xf32>, tensor<?xf32> -> tensor<?x?xf32>
  %q, %s = tern.quantize %y : tensor<?x?xf32> -> tensor<?x?xi8>, tensor<?xf32>
  return %q, %s : tensor<?x?xi8>, tensor<?xf32>
}"""
        for isa, flags in self.isas():
            artifact = self.compile(source, f"elementwise_{isa}", flags)
            for m, k in [(1, 1), (3, 7), (4, 256), (9, 2560), (70, 1000)]:
                x = (self.rng.standard_normal((m, k)) * 4).astype(np.float32)
                # Ties: values that land exactly on .5 after scaling.
                x[0, 0] = 2.0
                if k > 1:
                    x[0, 1] = 2.0 * 0.5 / 127.0 * 1.0
                q, s = self.run(artifact, "quantize", [x], 2)
                wq, ws = quantize_ref(x)
                self.expect_exact(f"quantize {isa} {m}x{k} values", q, wq)
                self.expect_exact(f"quantize {isa} {m}x{k} scales", s, ws)
                zero = np.zeros((m, k), np.float32)
                q, s = self.run(artifact, "quantize", [zero], 2)
                self.expect_exact(f"quantize {isa} zeros", q, np.zeros((m, k), np.int8))
                self.expect_exact(f"quantize {isa} zero scale", s,
                                  np.full(m, EPS / np.float32(127), np.float32))
                acc = self.rng.integers(-2**20, 2**20, size=(m, k), dtype=np.int32)
                rs = self.rng.uniform(0.001, 1, size=m).astype(np.float32)
                cs = self.rng.uniform(0.001, 1, size=k).astype(np.float32)
                y, = self.run(artifact, "dequantize", [acc, rs, cs], 1)
                self.expect_exact(f"dequantize {isa} {m}x{k}", y,
                                  ((acc.astype(np.float32) * rs[:, None]) * cs).astype(np.float32))
                g = self.rng.standard_normal(k).astype(np.float32)
                y, = self.run(artifact, "rms_norm", [x, g], 1)
                self.expect_close(f"rms_norm {isa} {m}x{k}", y, rms_norm_ref(x, g))
                # In the kernels' summation order the norm is exact, and so
                # is the fused norm + quantize.
                y_ordered = rms_norm_ordered(x, g)
                self.expect_exact(f"rms_norm {isa} {m}x{k} (kernel order)", y, y_ordered)
                q, s = self.run(artifact, "norm_quantize", [x, g], 2)
                wq, ws = quantize_ref(y_ordered)
                self.expect_exact(f"rms_norm+quantize {isa} {m}x{k} values", q, wq)
                self.expect_exact(f"rms_norm+quantize {isa} {m}x{k} scales", s, ws)

    # --- tern.linear: f32 activations x f32/bf16/f16 weights -------------- #
    def float_linear_suite(self):
        # M = 1 is static: the matrix-vector kernel (8-row tiles; 301 rows
        # leave a partial one).
        cases = [(1, 5, 7), (1, 301, 2560), (3, 64, 100), (5, 33, 2560),
                 (16, 300, 17)]
        types = {"f32": np.float32, "f16": np.float16}
        source, bf16 = [], []
        for i, (m, n, k) in enumerate(cases):
            rows = "1" if m == 1 else "?"
            # numpy has no bf16 and .npy cannot carry it: bf16 weights are a
            # constant (the upper halves of random f32s), read a cache line
            # of 32 weights at a time, with a scalar tail past the last one.
            bits = (self.rng.standard_normal((n, k)).astype(np.float32)
                    .view(np.uint32) >> 16).astype(np.uint16)
            bf16.append((bits.astype(np.uint32) << 16).view(np.float32))
            source.append(f"""
func.func @lin_bf16_{i}(%x: tensor<{rows}x{k}xf32>) -> tensor<{rows}x{n}xf32> {{
  %w = arith.constant {hex_dense(bits)} : tensor<{n}x{k}xbf16>
  %y = tern.linear %x, %w : tensor<{rows}x{k}xf32>, tensor<{n}x{k}xbf16> -> tensor<{rows}x{n}xf32>
  return %y : tensor<{rows}x{n}xf32>
}}""")
            for name in types:
                source.append(f"""
func.func @lin_{name}_{i}(%x: tensor<{rows}x{k}xf32>, %w: tensor<{n}x{k}x{name}>) -> tensor<{rows}x{n}xf32> {{
  %y = tern.linear %x, %w : tensor<{rows}x{k}xf32>, tensor<{n}x{k}x{name}> -> tensor<{rows}x{n}xf32>
  return %y : tensor<{rows}x{n}xf32>
}}""")
            source.append(f"""
func.func @lin_i8_{i}(%x: tensor<{rows}x{k}xf32>, %w: tensor<{n}x{k}xi8>, %s: tensor<{n}xf32>) -> tensor<{rows}x{n}xf32> {{
  %y = tern.linear %x, %w scale %s : tensor<{rows}x{k}xf32>, tensor<{n}x{k}xi8>, tensor<{n}xf32> -> tensor<{rows}x{n}xf32>
  return %y : tensor<{rows}x{n}xf32>
}}""")
        for isa, flags in self.isas():
            artifact = self.compile("\n".join(source), f"linear_{isa}", flags)
            for i, (m, n, k) in enumerate(cases):
                x = self.rng.standard_normal((m, k)).astype(np.float32)
                for name, dtype in types.items():
                    w = self.rng.standard_normal((n, k)).astype(dtype)
                    got, = self.run(artifact, f"lin_{name}_{i}", [x, w], 1)
                    want = (x.astype(np.float64) @ w.astype(np.float64).T)
                    self.expect_close(f"linear {name} {isa} {m}x{n}x{k}", got,
                                      want.astype(np.float32), rtol=1e-4)
                got, = self.run(artifact, f"lin_bf16_{i}", [x], 1)
                want = x.astype(np.float64) @ bf16[i].astype(np.float64).T
                self.expect_close(f"linear bf16 {isa} {m}x{n}x{k}", got,
                                  want.astype(np.float32), rtol=1e-4)
                # int8 weights with a scale per row (a quantized head)
                w = self.rng.integers(-127, 128, size=(n, k), dtype=np.int8)
                scale = self.rng.uniform(0.001, 0.1, size=n).astype(np.float32)
                got, = self.run(artifact, f"lin_i8_{i}", [x, w, scale], 1)
                want = (x.astype(np.float64) @ w.astype(np.float64).T) * scale
                self.expect_close(f"linear i8 {isa} {m}x{n}x{k}", got,
                                  want.astype(np.float32), rtol=1e-4)

    def isas(self):
        return [(name, flags) for name, flags in ISAS[self.args.target].items()
                if not self.args.isa or name in self.args.isa]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ternc", required=True)
    parser.add_argument("--tern-run", required=True,
                        help="the tern-run command (split like a shell would)")
    parser.add_argument("--target", choices=sorted(ISAS), default="x86_64")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--suite", choices=["linear", "runtime-weights", "elementwise",
                                            "float-linear", "binarize"],
                        required=True)
    parser.add_argument("--layout", default="i2:256")
    parser.add_argument("--binary", action="store_true")
    parser.add_argument("--ternc-flag", action="append", default=[],
                        help="an extra ternc flag for every compile")
    parser.add_argument("--group", type=int, default=0,
                        help="also check tern.bitlinear with scale groups of this size")
    parser.add_argument("--isa", action="append")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    suite = Suite(args)
    if args.suite == "linear":
        suite.linear_suite(args.layout, args.binary)
    elif args.suite == "runtime-weights":
        suite.runtime_weights_suite()
    elif args.suite == "float-linear":
        suite.float_linear_suite()
    elif args.suite == "binarize":
        suite.binarize_suite()
    else:
        suite.elementwise_suite()
    suite.flush()
    print(f"{suite.checks - suite.failures} of {suite.checks} checks passed")
    return 1 if suite.failures or not suite.checks else 0


if __name__ == "__main__":
    sys.exit(main())
