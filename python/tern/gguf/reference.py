"""Numpy reference that reads a GGUF file (reader.py) and runs it: the oracle for Tern's
GGUF import, with the API of reference_numpy.ReferenceModel (logits, logits_stepwise,
generate_greedy, perplexity; max_seq). Architectures: llama, qwen3, bitnet, bitnet-b1.58,
bitnet-25. Semantics (the compiler implements the same):

- Weights of a low-bit type (TQ1_0, TQ2_0, I2_S, Q1_0), and float weights whose values are
  exactly {-g, 0, +g} for one g per tensor, run as BitNet linears: activations quantized
  per token to int8 (reference_numpy.quantize: absmax/127, round half to even, eps 1e-5),
  integer dot products per scale block, y[t, n] = s_t * sum_b d[n, b] * acc[t, n, b] in
  float32 (the block scale d from the file, or g). Every other weight (f32/f16/bf16/q8_0
  values that are not ternary) runs as a float32 matmul x @ W.T. This rule applies to the
  output head too (output.weight, or token_embd when tied).
- The embedding lookup uses token_embd dequantized to float32 (value * scale for low-bit
  types).
- Layer: h = rms_norm(x, attn_norm); q, k, v = linears; qwen3: rms_norm of each head of q
  and k with attn_q_norm / attn_k_norm (same eps); RoPE with freq_base: `llama` uses
  llama.cpp's NORM mode on the permuted weights (rotates elements 2i and 2i+1 of a head,
  frequency theta^(-2i/D)), all other archs NEOX mode (i and i + D/2, as
  reference_numpy.rope); causal GQA attention (reference_numpy.attention, scale
  1/sqrt(D)); bitnet archs: attn_sub_norm on the attention output before attn_output;
  x += o; h = rms_norm(x, ffn_norm); g, u = ffn_gate, ffn_up; bitnet-b1.58 and bitnet-25:
  relu(g)^2 * u, the others silu(g) * u; bitnet archs: ffn_sub_norm; x += ffn_down(...).
  Final: rms_norm(x, output_norm), head. eps from .attention.layer_norm_rms_epsilon
  (default 1e-5), freq_base default 10000, head_dim = key_length or embedding_length /
  head_count.
  rms_norm is reference_numpy.rms_norm (its summation order matters).

Float evaluation order, exactly (every step rounded to float32):
- BitNet linear: (q, s) = quantize(x). The scale blocks of a weight are its rows' runs of
  `block` columns (256 for TQ1_0/TQ2_0, 128 for Q1_0); blocks whose values are all zero are
  ignored when deciding whether the tensor has ONE scale g (I2_S and ternary float weights
  always do). One scale: y = (acc * s_t) * g with acc the whole-row integer sum (exactly
  reference_numpy.bitlinear). Otherwise z = d[n, 0] * acc_0, then z = z + d[n, b] * acc_b
  for b = 1, 2, ... in order, and y = z * s_t. Integer sums are exact.
- Float linear: y[t] = W @ x[t], one matrix-vector product per token, so a token's result
  does not depend on how many tokens share the call (prefill and decode agree exactly).
- Optional 1-element `blk.N.<linear>.scale` tensors (llama.cpp's `bitnet` arch) multiply
  that linear's output: y = y * scale.
- NORM RoPE uses the NEOX frequencies and angles (reference_numpy.rope_freqs, a = f32(pos) *
  freq_i) and the same two products per pair, so on permuted weights it gives the NEOX
  values on unpermuted ones, permuted.

    m = load("model.gguf")
    m.logits([1, 2, 3])               # [3, vocab] float32, prefill from an empty cache
    m.generate_greedy([1, 2, 3], 16)
"""
from dataclasses import dataclass, replace

import numpy as np

from ..bitnet.reference_numpy import (F32, ReferenceModel, _act, attention, bitlinear,
                                      quantize, rms_norm, rope, rope_freqs)
from .reader import GGML_TYPES, LOWBIT_TYPES, GGUFReader, GGUFReadError

__all__ = ["load", "GGUFReferenceModel", "HParams", "Linear", "ARCHS", "rope_norm",
           "hparams_from_metadata"]

# arch -> (rope mode, FFN activation, sub-norms, per-head q/k norms)
ARCHS = {
    "llama": ("norm", "silu", False, False),
    "qwen3": ("neox", "silu", False, True),
    "bitnet": ("neox", "silu", True, False),
    "bitnet-b1.58": ("neox", "relu2", True, False),
    "bitnet-25": ("neox", "relu2", True, False),
}
LINEARS = ("attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down")


@dataclass(frozen=True)
class HParams:
    arch: str
    n_layer: int
    n_embd: int
    n_ff: int
    n_head: int
    n_head_kv: int
    head_dim: int
    n_vocab: int
    n_ctx: int
    eps: float = 1e-5
    rope_base: float = 10000.0
    rope: str = "neox"          # "norm" (llama.cpp mode 0) or "neox"
    act: str = "silu"
    subnorm: bool = False
    qk_norm: bool = False


def hparams_from_metadata(md, n_vocab):
    arch = md.get("general.architecture")
    if arch not in ARCHS:
        raise GGUFReadError(f"general.architecture '{arch}' is not supported "
                            f"({', '.join(ARCHS)} are)")
    rope_mode, act, subnorm, qk_norm = ARCHS[arch]

    def need(key):
        v = md.get(f"{arch}.{key}")
        if v is None:
            raise GGUFReadError(f"metadata '{arch}.{key}' missing")
        return int(v)

    n_embd, n_head = need("embedding_length"), need("attention.head_count")
    n_head_kv = int(md.get(f"{arch}.attention.head_count_kv", n_head))
    head_dim = int(md.get(f"{arch}.attention.key_length", 0)) or n_embd // n_head
    v_dim = int(md.get(f"{arch}.attention.value_length", head_dim))
    rope_dim = int(md.get(f"{arch}.rope.dimension_count", head_dim))
    problems = []
    if v_dim != head_dim:
        problems.append(f"value_length {v_dim} != key_length {head_dim}")
    if rope_dim != head_dim:
        problems.append(f"partial RoPE (rope.dimension_count {rope_dim} != head_dim "
                        f"{head_dim})")
    if n_head % n_head_kv or head_dim % 2:
        problems.append(f"head_count {n_head} / head_count_kv {n_head_kv} / head_dim "
                        f"{head_dim}")
    scaling = md.get(f"{arch}.rope.scaling.type", "none")
    factor = float(md.get(f"{arch}.rope.scaling.factor", 1.0))
    if scaling not in ("none", "linear") or (scaling == "linear" and factor != 1.0):
        problems.append(f"RoPE scaling '{scaling}' with factor {factor}")
    if problems:
        raise GGUFReadError("unsupported hyperparameters: " + "; ".join(problems))
    return HParams(arch=arch, n_layer=need("block_count"), n_embd=n_embd,
                   n_ff=need("feed_forward_length"), n_head=n_head, n_head_kv=n_head_kv,
                   head_dim=head_dim, n_vocab=n_vocab, n_ctx=need("context_length"),
                   eps=float(md.get(f"{arch}.attention.layer_norm_rms_epsilon", 1e-5)),
                   rope_base=float(md.get(f"{arch}.rope.freq_base", 10000.0)),
                   rope=rope_mode, act=act, subnorm=subnorm, qk_norm=qk_norm)


# ----------------------------------------------------------------------------- linears
class Linear:
    """One weight matrix [N, K] and how it runs.

    kind "float": w float32. kind "bit": q float32 integer values, and either one scale g
    or block scales d [N, K / block]."""

    def __init__(self, kind, w=None, q=None, d=None, block=None, g=None):
        self.kind, self.w, self.q, self.d, self.block, self.g = kind, w, q, d, block, g

    @classmethod
    def from_float(cls, w):
        """A float matrix: BitNet linear when its values are exactly {-g, 0, +g}."""
        w = np.ascontiguousarray(w, dtype=F32)
        a = np.abs(w)
        nz = a[a != 0]
        if nz.size and np.all(nz == nz[0]):
            return cls("bit", q=np.sign(w).astype(F32), g=F32(nz[0]))
        return cls("float", w=w)

    @classmethod
    def from_lowbit(cls, values, scales, block=None):
        """Decoded low-bit data (reader.decode_lowbit): values [N, K], scales [N, K / block]
        or a single scale (shape [1])."""
        q = np.ascontiguousarray(values, dtype=F32)
        scales = np.asarray(scales, dtype=F32)
        if scales.size == 1:
            return cls("bit", q=q, g=F32(scales.reshape(-1)[0]))
        N, K = q.shape
        block = block or K // scales.shape[1]
        used = (q.reshape(N, -1, block) != 0).any(axis=-1)
        ds = scales[used]
        if ds.size == 0 or np.all(ds == ds[0]):
            return cls("bit", q=q, g=F32(ds[0]) if ds.size else F32(0))
        return cls("bit", q=q, d=np.ascontiguousarray(scales), block=block)

    @property
    def shape(self):
        return (self.w if self.kind == "float" else self.q).shape

    def take_rows(self, idx):
        """The same linear with its output rows (and their block scales) reordered."""
        if self.kind == "float":
            return Linear("float", w=np.ascontiguousarray(self.w[idx]))
        return Linear("bit", q=np.ascontiguousarray(self.q[idx]),
                      d=None if self.d is None else np.ascontiguousarray(self.d[idx]),
                      block=self.block, g=self.g)

    def dequantized(self):
        if self.kind == "float":
            return self.w
        if self.g is not None:
            return (self.q * self.g).astype(F32)
        N, K = self.q.shape
        return (self.q.reshape(N, -1, self.block) * self.d[..., None]).reshape(N, K).astype(F32)

    def __call__(self, x):
        x = np.asarray(x, dtype=F32)
        if self.kind == "float":
            return np.stack([self.w @ x[t] for t in range(x.shape[0])]).astype(F32) \
                if x.shape[0] else np.zeros((0, self.w.shape[0]), F32)
        if self.g is not None:
            return bitlinear(x, self.q, self.g)
        qx, s = quantize(x)
        T, K = qx.shape
        N, B, bs = self.q.shape[0], K // self.block, self.block
        # [B, T, bs] @ [B, bs, N] -> [B, T, N]: exact integer sums per block
        acc = np.matmul(qx.reshape(T, B, bs).transpose(1, 0, 2),
                        self.q.reshape(N, B, bs).transpose(1, 2, 0)).astype(F32)
        z = (self.d[:, 0][None, :] * acc[0]).astype(F32)
        for b in range(1, B):
            z = (z + (self.d[:, b][None, :] * acc[b]).astype(F32)).astype(F32)
        return (z * s[:, None]).astype(F32)


def rope_norm(x, positions, theta):
    """llama.cpp's NORM RoPE (mode 0): x [T, H, D]; pairs (2i, 2i + 1), frequency
    theta^(-2i / D), the same angles and products as reference_numpy.rope."""
    T, H, D = x.shape
    freq = rope_freqs(D, theta)
    a = (np.asarray(positions).astype(F32)[:, None] * freq[None, :]).astype(F32)  # [T, D/2]
    c = np.cos(a)[:, None, :]
    s = np.sin(a)[:, None, :]
    x0 = x[..., 0::2]
    x1 = x[..., 1::2]
    y = np.empty_like(x, dtype=F32)
    y[..., 0::2] = x0 * c - x1 * s
    y[..., 1::2] = x1 * c + x0 * s
    return y


# ----------------------------------------------------------------------------- loading
def _weight(r, name):
    t = r.tensor(name)
    if t.type_name in LOWBIT_TYPES:
        vals, scales = r.decode_lowbit(name)
        return Linear.from_lowbit(vals, scales, GGML_TYPES[t.type_id].block_size)
    return Linear.from_float(r.dequantize(name).reshape(-1, t.shape[-1]))


def load(path, max_seq=None):
    """Read a GGUF file into a GGUFReferenceModel; every missing, unexpected or misshapen
    tensor is reported at once."""
    r = GGUFReader(path)
    if "token_embd.weight" not in r.tensors:
        raise GGUFReadError(f"{path}: tensor 'token_embd.weight' missing")
    n_vocab = r.tensor("token_embd.weight").shape[0]
    hp = hparams_from_metadata(r.metadata, n_vocab)
    H, F, D = hp.n_embd, hp.n_ff, hp.head_dim
    QD, KD = hp.n_head * D, hp.n_head_kv * D
    expect = {"token_embd.weight": (n_vocab, H), "output_norm.weight": (H,)}
    optional = {"output.weight": (n_vocab, H)}
    lin_shapes = {"attn_q": (QD, H), "attn_k": (KD, H), "attn_v": (KD, H),
                  "attn_output": (H, QD), "ffn_gate": (F, H), "ffn_up": (F, H),
                  "ffn_down": (H, F)}
    for l in range(hp.n_layer):
        p = f"blk.{l}."
        expect[p + "attn_norm.weight"] = (H,)
        expect[p + "ffn_norm.weight"] = (H,)
        for n, shp in lin_shapes.items():
            expect[f"{p}{n}.weight"] = shp
            if hp.arch == "bitnet":
                optional[f"{p}{n}.scale"] = (1,)
        if hp.subnorm:
            expect[p + "attn_sub_norm.weight"] = (QD,)
            expect[p + "ffn_sub_norm.weight"] = (F,)
        if hp.qk_norm:
            expect[p + "attn_q_norm.weight"] = (D,)
            expect[p + "attn_k_norm.weight"] = (D,)
    problems = [f"missing '{n}'" for n in expect if n not in r.tensors]
    problems += [f"unexpected '{n}'" for n in r.tensors if n not in expect and n not in optional]
    for n, t in r.tensors.items():
        want = expect.get(n, optional.get(n))
        if want is not None and t.shape != want:
            problems.append(f"'{n}' has shape {list(t.shape)}, expected {list(want)}")
        if t.type_name not in LOWBIT_TYPES + ("F32", "F16", "BF16", "Q8_0"):
            problems.append(f"'{n}' has type {t.type_name}")
        elif want is not None and len(want) == 1 and t.type_name in LOWBIT_TYPES:
            problems.append(f"'{n}' is a vector of low-bit type {t.type_name}")
    if problems:
        raise GGUFReadError(f"{path}: " + "; ".join(problems))
    W = {"token_embd": r.dequantize("token_embd.weight").astype(F32),
         "output_norm": r.dequantize("output_norm.weight")}
    W["output"] = _weight(r, "output.weight" if "output.weight" in r.tensors
                          else "token_embd.weight")
    for n in expect:
        if n.startswith("blk."):
            key = n[:-len(".weight")]
            W[key] = _weight(r, n) if key.split(".")[2] in LINEARS else r.dequantize(n)
    for n in optional:
        if n.endswith(".scale") and n in r.tensors:
            W[n] = F32(r.dequantize(n).reshape(-1)[0])
    return GGUFReferenceModel(hp, W, max_seq=max_seq)


# ----------------------------------------------------------------------------- model
class GGUFReferenceModel(ReferenceModel):
    """hp: HParams; W: "token_embd" (float32 [vocab, H]), "output_norm", "output" (a
    Linear), and per layer "blk.N.<name>": Linear for the seven matrices, float32 vectors
    for the norms, and optional "blk.N.<linear>.scale" floats. logits, logits_stepwise,
    generate_greedy and perplexity are ReferenceModel's, on this forward()."""

    def __init__(self, hp, W, max_seq=None):   # pylint: disable=super-init-not-called
        self.hp = hp
        self.W = W
        self.max_seq = max_seq or hp.n_ctx
        self.reset()

    def with_rope(self, mode):
        """The same weights run with the other RoPE mode (for checks)."""
        return GGUFReferenceModel(replace(self.hp, rope=mode), self.W, self.max_seq)

    def reset(self):
        hp = self.hp
        shape = (hp.n_head_kv, self.max_seq, hp.head_dim)
        self.k_cache = [np.zeros(shape, F32) for _ in range(hp.n_layer)]
        self.v_cache = [np.zeros(shape, F32) for _ in range(hp.n_layer)]
        self.pos = 0

    def _lin(self, name, x):
        y = self.W[name](x)
        sc = self.W.get(name + ".scale")
        return y if sc is None else (y * sc).astype(F32)

    def forward(self, token_ids):
        """Run len(token_ids) new tokens at positions pos..; returns logits [T, vocab]."""
        hp = self.hp
        ids = np.asarray(token_ids, dtype=np.int64).reshape(-1)
        T = ids.size
        if T == 0:
            return np.zeros((0, hp.n_vocab), F32)
        if ids.min() < 0 or ids.max() >= hp.n_vocab:
            raise ValueError(f"token id out of range [0, {hp.n_vocab})")
        p0 = self.pos
        if p0 + T > self.max_seq:
            raise ValueError(f"sequence of {p0 + T} tokens exceeds the cache ({self.max_seq})")
        D, Hq, Hkv, eps = hp.head_dim, hp.n_head, hp.n_head_kv, F32(hp.eps)
        positions = np.arange(p0, p0 + T)
        rot = rope_norm if hp.rope == "norm" else rope
        x = self.W["token_embd"][ids].astype(F32)
        for l in range(hp.n_layer):
            p = f"blk.{l}."
            h = rms_norm(x, self.W[p + "attn_norm"], eps)
            q = self._lin(p + "attn_q", h).reshape(T, Hq, D)
            k = self._lin(p + "attn_k", h).reshape(T, Hkv, D)
            v = self._lin(p + "attn_v", h).reshape(T, Hkv, D)
            if hp.qk_norm:
                q = rms_norm(q, self.W[p + "attn_q_norm"], eps)
                k = rms_norm(k, self.W[p + "attn_k_norm"], eps)
            q = rot(q, positions, hp.rope_base)
            k = rot(k, positions, hp.rope_base)
            self.k_cache[l][:, p0:p0 + T, :] = k.transpose(1, 0, 2)
            self.v_cache[l][:, p0:p0 + T, :] = v.transpose(1, 0, 2)
            a = attention(q, self.k_cache[l], self.v_cache[l], p0).reshape(T, Hq * D)
            if hp.subnorm:
                a = rms_norm(a, self.W[p + "attn_sub_norm"], eps)
            x = (x + self._lin(p + "attn_output", a)).astype(F32)
            h = rms_norm(x, self.W[p + "ffn_norm"], eps)
            m = _act(hp.act, self._lin(p + "ffn_gate", h), self._lin(p + "ffn_up", h))
            if hp.subnorm:
                m = rms_norm(m, self.W[p + "ffn_sub_norm"], eps)
            x = (x + self._lin(p + "ffn_down", m)).astype(F32)
        self.pos = p0 + T
        x = rms_norm(x, self.W["output_norm"], eps)
        return self.W["output"](x)
