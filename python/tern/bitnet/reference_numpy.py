"""Numpy float32 reference implementation of ternary (BitNet b1.58) decoders.

This is the oracle the compiled Tern model is compared against (1e-3 max abs logit
difference, identical greedy tokens), so every step follows the math written in
include/tern/Dialect/Tern/IR/TernOps.td, in float32, in this order:

  quantize (per token):   m = max(max_k |x|, 1e-5);  q = clamp(rint(x * (127 / m)), -128, 127)
                          s = m / 127
  bitlinear:              y[m, n] = (f32(sum_k q[m, k] * w[n, k]) * s[m]) * ws
                          (the integer sum is exact; it is computed as a float32 matmul of
                          integers, exact while K * 128 < 2^24)
  ternarize (float ckpts): gamma = max(sum_in_order(|W|) / numel, 1e-5)
                          q = clamp(rint(W * (1 / gamma)), -1, 1);  ws = gamma
  rms_norm:               x * (1 / sqrt(sum(x^2) / K + eps)) * w, the sum in the kernels'
                          order (sum_squares: 16 lanes, then the tail)
  rope ('half'):          pairs (i, i + D/2), freq_i = f32(theta ^ (-2i / D)) (computed in
                          float64, rounded once), a = f32(pos) * freq_i
  attention:              causal GQA, kv head g = hq // (Hq / Hkv), scores = scale * dot(q, k),
                          scale = 1 / sqrt(D), max-subtracted softmax in f32, out = sum_j p[j] v[j]
                          (dots summed over the last axis: batch-invariant, see attention())

Weight scale ws per linear (from config.json quantization_config.linear_class):
  "autobitlinear": ws = stored weight_scale            (multiplies; 2B4T, Falcon-E)
  "bitlinear":     ws = f32(1) / stored weight_scale   (divides; Falcon3-1.58bit)
  no weight_scale tensor (1bitLLM float weights):  ws = gamma from ternarize

Architectures (config.json "architectures"[0]):
  BitNetForCausalLM  - 2B4T: packed weights, relu(gate)^2 * up, attn_sub_norm, ffn_sub_norm
  BitnetForCausalLM  - 1bitLLM: fp16 weights ternarized at load, silu(gate) * up,
                       self_attn.inner_attn_ln and mlp.ffn_layernorm sub-norms
  LlamaForCausalLM   - quant_method "bitnet": packed weights, silu(gate) * up, no sub-norms
lm_head: the tied embedding (or lm_head.weight when untied), a plain float32 matmul.

dense="f32" | "bf16" is the baseline `ternc --dense` compiles: every linear is the float
matmul x @ (q * ws)^T (weights rounded to bfloat16 for "bf16"), no activation quantization.
"""
import os

import numpy as np

from . import safetensors_io as st
from .config import BitNetConfig
from .packing import unpack_ternary

__all__ = ["load", "load_weights", "ReferenceModel", "quantize", "ternarize", "bitlinear",
           "rms_norm", "rope", "attention"]

F32 = np.float32
EPS_Q = F32(1e-5)
PROJS_ATTN = ("q_proj", "k_proj", "v_proj", "o_proj")
PROJS_MLP = ("gate_proj", "up_proj", "down_proj")


# ----------------------------------------------------------------------------- ops
def quantize(x, eps=EPS_Q):
    """Per-row absmax int8 quantization. Returns (q as float32 integers, scale [rows])."""
    x = np.asarray(x, dtype=F32)
    m = np.maximum(np.max(np.abs(x), axis=-1), F32(eps)).astype(F32)
    q = np.clip(np.rint(x * (F32(127) / m)[..., None]), -128, 127).astype(F32)
    return q, (m / F32(127)).astype(F32)


def ternarize(w, eps=EPS_Q):
    """absmean ternarization with an in-order float32 sum. Returns (int8 q, f32 gamma)."""
    w = np.asarray(w, dtype=F32)
    a = np.abs(w).reshape(-1)
    total = np.cumsum(a, dtype=F32)[-1] if a.size else F32(0)
    gamma = max(F32(total) / F32(a.size), F32(eps))
    gamma = F32(gamma)
    q = np.clip(np.rint(w * (F32(1) / gamma)), -1, 1).astype(np.int8)
    return q, gamma


def bitlinear(x, wq_f32, ws):
    """x [T, K] f32; wq_f32 [N, K] ternary values as float32; ws f32 scalar."""
    q, s = quantize(x)
    acc = q @ wq_f32.T                      # exact integer sums in float32
    return ((acc * s[:, None]).astype(F32) * F32(ws)).astype(F32)


def sum_squares(x):
    """sum_k x^2 in f32 in the compiled kernels' order: 16 lanes (lane i adds
    elements i, i + 16, ... of the whole 16-element steps, one step after
    another), the lanes added in order 0..15, then the tail elements in order.
    Reproducing the order makes the sum bit-identical, so the int8 rounding of
    the normalized activations downstream is too."""
    sq = (x * x).astype(F32)
    k = sq.shape[-1]
    full = k - k % 16
    lanes = np.zeros(sq.shape[:-1] + (16,), F32)
    for j in range(0, full, 16):
        lanes += sq[..., j:j + 16]
    total = lanes[..., 0].copy()
    for i in range(1, 16):
        total += lanes[..., i]
    for j in range(full, k):
        total += sq[..., j]
    return total


def rms_norm(x, w, eps):
    x = np.asarray(x, dtype=F32)
    ms = (sum_squares(x) / F32(x.shape[-1])).astype(F32)[..., None]
    inv = (F32(1) / np.sqrt(ms + F32(eps))).astype(F32)
    return ((x * inv) * w).astype(F32)


def rope_freqs(head_dim, theta):
    i = np.arange(head_dim // 2, dtype=np.float64)
    return (float(theta) ** (-2.0 * i / head_dim)).astype(F32)


def rope(x, positions, theta):
    """x [T, H, D]; positions [T] ints; 'half' style pairs (i, i + D/2)."""
    T, H, D = x.shape
    half = D // 2
    freq = rope_freqs(D, theta)
    a = (np.asarray(positions).astype(F32)[:, None] * freq[None, :]).astype(F32)  # [T, D/2]
    c = np.cos(a)[:, None, :]
    s = np.sin(a)[:, None, :]
    x0 = x[..., :half]
    x1 = x[..., half:]
    y = np.empty_like(x, dtype=F32)
    y[..., :half] = x0 * c - x1 * s
    y[..., half:] = x1 * c + x0 * s
    return y


def attention(q, k_cache, v_cache, p0, scale=None):
    """q [T, Hq, D]; caches [Hkv, S, D] already holding positions 0 .. p0+T-1.

    Batch-invariant by construction: the row of token t is computed from exactly its
    p0 + t + 1 visible positions (no masked-out padding entering a sum), and every dot
    product is an elementwise product summed over the last, contiguous axis, so a token
    gets bit-identical results whether it is processed in a prefill or a decode step.
    (A BLAS gemm vs gemv, or zeros added into a pairwise sum, round differently, and a
    one-ulp difference can flip an activation's int8 rounding downstream.)"""
    T, Hq, D = q.shape
    Hkv = k_cache.shape[0]
    rep = Hq // Hkv
    scale = F32(1.0 / np.sqrt(D)) if scale is None else F32(scale)
    gidx = np.arange(Hq) // rep
    out = np.empty((T, Hq, D), dtype=F32)
    for t in range(T):
        n = p0 + t + 1
        kk = k_cache[gidx, :n, :]                                               # [Hq, n, D]
        vt = np.ascontiguousarray(v_cache[gidx, :n, :].transpose(0, 2, 1))      # [Hq, D, n]
        s = np.sum(q[t][:, None, :] * kk, axis=-1, dtype=F32) * scale           # [Hq, n]
        s = s - np.max(s, axis=-1, keepdims=True)
        e = np.exp(s).astype(F32)
        p = e / np.sum(e, axis=-1, keepdims=True, dtype=F32)
        out[t] = np.sum(p[:, None, :] * vt, axis=-1, dtype=F32)                # [Hq, D]
    return out


def _act(name, g, u):
    if name == "relu2":
        r = np.maximum(g, F32(0))
        return (r * r * u).astype(F32)
    if name == "silu":
        return (g / (F32(1) + np.exp(-g)) * u).astype(F32)
    raise ValueError(f"unsupported activation '{name}'")


# ----------------------------------------------------------------------------- loading
def load_weights(checkpoint_dir):
    """Read config.json + safetensors and return (cfg, weights) where weights holds
    float32 embed / norms / lm_head and, per linear, 'name' -> (int8 q [out, in], f32 ws)."""
    cfg = BitNetConfig.load(checkpoint_dir).validate()
    raw = st.load_dir(checkpoint_dir)
    layout = cfg.layout
    W = {}

    def need(name):
        if name not in raw:
            raise KeyError(f"{checkpoint_dir}: tensor '{name}' missing (layout {layout})")
        return raw[name]

    H, I, V = cfg.hidden_size, cfg.intermediate_size, cfg.vocab_size
    D, Hq, Hkv = cfg.head_dim_, cfg.num_attention_heads, cfg.num_key_value_heads
    shapes = {"q_proj": (Hq * D, H), "k_proj": (Hkv * D, H), "v_proj": (Hkv * D, H),
              "o_proj": (H, Hq * D), "gate_proj": (I, H), "up_proj": (I, H), "down_proj": (H, I)}
    emb = need("model.embed_tokens.weight").astype(F32)
    if emb.shape != (V, H):
        raise ValueError(f"model.embed_tokens.weight has shape {emb.shape}, expected {(V, H)}")
    W["embed"] = emb
    W["norm"] = need("model.norm.weight").astype(F32)
    if cfg.tie_word_embeddings:
        W["lm_head"] = emb
    else:
        W["lm_head"] = need("lm_head.weight").astype(F32)
    divide = cfg.linear_class == "bitlinear"
    for l in range(cfg.num_hidden_layers):
        p = f"model.layers.{l}."
        W[p + "input_layernorm"] = need(p + "input_layernorm.weight").astype(F32)
        W[p + "post_attention_layernorm"] = need(p + "post_attention_layernorm.weight").astype(F32)
        if layout == "bitnet":
            W[p + "attn_sub_norm"] = need(p + "self_attn.attn_sub_norm.weight").astype(F32)
            W[p + "ffn_sub_norm"] = need(p + "mlp.ffn_sub_norm.weight").astype(F32)
        elif layout == "bitnet-1bitllm":
            W[p + "attn_sub_norm"] = need(p + "self_attn.inner_attn_ln.weight").astype(F32)
            W[p + "ffn_sub_norm"] = need(p + "mlp.ffn_layernorm.weight").astype(F32)
        for proj in PROJS_ATTN + PROJS_MLP:
            mod = "self_attn" if proj in PROJS_ATTN else "mlp"
            name = f"{p}{mod}.{proj}.weight"
            t = need(name)
            out, inn = shapes[proj]
            if layout == "bitnet-1bitllm":
                if t.shape != (out, inn):
                    raise ValueError(f"{name}: shape {t.shape}, expected {(out, inn)}")
                q, ws = ternarize(t)
            else:
                if t.dtype != np.uint8:
                    raise ValueError(f"{name}: expected packed uint8, got {t.dtype}")
                if t.shape != (out // 4, inn):
                    raise ValueError(f"{name}: packed shape {t.shape}, expected {(out // 4, inn)}")
                q = unpack_ternary(t, out)
                sc = need(f"{p}{mod}.{proj}.weight_scale").astype(F32).reshape(-1)
                if sc.size != 1:
                    raise ValueError(f"{p}{mod}.{proj}.weight_scale: expected 1 element, got {sc.size}")
                ws = F32(F32(1) / sc[0]) if divide else F32(sc[0])
            W[f"{p}{proj}"] = (q, F32(ws))
    return cfg, W


# ----------------------------------------------------------------------------- model
class ReferenceModel:
    def __init__(self, cfg, weights, max_seq=None, dense=None):
        if dense not in (None, "f32", "bf16"):
            raise ValueError(f"dense must be None, 'f32' or 'bf16', got {dense!r}")
        self.cfg = cfg
        self.W = weights
        self.max_seq = max_seq or cfg.max_position_embeddings
        self.dense = dense
        self._wf = {k: (v[0].astype(F32), v[1]) for k, v in weights.items() if isinstance(v, tuple)}
        if dense:
            for k, (wq, ws) in self._wf.items():
                w = (wq * ws).astype(F32)
                self._wf[k] = (st.round_to_bf16(w) if dense == "bf16" else w, None)
        self.act = cfg.hidden_act
        self.subnorm = cfg.layout in ("bitnet", "bitnet-1bitllm")
        self.reset()

    def reset(self):
        c = self.cfg
        shape = (c.num_key_value_heads, self.max_seq, c.head_dim_)
        self.k_cache = [np.zeros(shape, F32) for _ in range(c.num_hidden_layers)]
        self.v_cache = [np.zeros(shape, F32) for _ in range(c.num_hidden_layers)]
        self.pos = 0

    def _lin(self, name, x):
        wq, ws = self._wf[name]
        if self.dense:
            return (x @ wq.T).astype(F32)
        return bitlinear(x, wq, ws)

    def forward(self, token_ids):
        """Run len(token_ids) new tokens at positions pos..; returns logits [T, vocab]."""
        c = self.cfg
        ids = np.asarray(token_ids, dtype=np.int64).reshape(-1)
        T = ids.size
        if T == 0:
            return np.zeros((0, c.vocab_size), F32)
        if ids.min() < 0 or ids.max() >= c.vocab_size:
            raise ValueError(f"token id out of range [0, {c.vocab_size})")
        p0 = self.pos
        if p0 + T > self.max_seq:
            raise ValueError(f"sequence of {p0 + T} tokens exceeds the cache ({self.max_seq})")
        D, Hq, Hkv, eps = c.head_dim_, c.num_attention_heads, c.num_key_value_heads, c.rms_norm_eps
        positions = np.arange(p0, p0 + T)
        x = self.W["embed"][ids].astype(F32)
        for l in range(c.num_hidden_layers):
            p = f"model.layers.{l}."
            h = rms_norm(x, self.W[p + "input_layernorm"], eps)
            q = self._lin(p + "q_proj", h).reshape(T, Hq, D)
            k = self._lin(p + "k_proj", h).reshape(T, Hkv, D)
            v = self._lin(p + "v_proj", h).reshape(T, Hkv, D)
            q = rope(q, positions, c.rope_theta)
            k = rope(k, positions, c.rope_theta)
            self.k_cache[l][:, p0:p0 + T, :] = k.transpose(1, 0, 2)
            self.v_cache[l][:, p0:p0 + T, :] = v.transpose(1, 0, 2)
            a = attention(q, self.k_cache[l], self.v_cache[l], p0).reshape(T, Hq * D)
            if self.subnorm:
                a = rms_norm(a, self.W[p + "attn_sub_norm"], eps)
            x = (x + self._lin(p + "o_proj", a)).astype(F32)
            h = rms_norm(x, self.W[p + "post_attention_layernorm"], eps)
            g = self._lin(p + "gate_proj", h)
            u = self._lin(p + "up_proj", h)
            m = _act(self.act, g, u)
            if self.subnorm:
                m = rms_norm(m, self.W[p + "ffn_sub_norm"], eps)
            x = (x + self._lin(p + "down_proj", m)).astype(F32)
        self.pos = p0 + T
        x = rms_norm(x, self.W["norm"], eps)
        return (x @ self.W["lm_head"].T).astype(F32)

    # -- convenience API ------------------------------------------------------------
    def logits(self, token_ids):
        """Prefill the whole sequence at once from an empty cache: [n, vocab] float32."""
        self.reset()
        return self.forward(token_ids)

    def logits_stepwise(self, token_ids):
        """Same as logits() but one token at a time through the KV cache."""
        self.reset()
        return np.concatenate([self.forward([t]) for t in token_ids], axis=0)

    def generate_greedy(self, prompt_ids, n, stop_ids=()):
        """Greedy decoding: prefill the prompt, then n decode steps. Returns new ids."""
        self.reset()
        lg = self.forward(prompt_ids)[-1]
        out = []
        for _ in range(n):
            t = int(np.argmax(lg))
            out.append(t)
            if t in stop_ids or self.pos >= self.max_seq:
                break
            lg = self.forward([t])[0]
        return out

    def perplexity(self, token_ids, window=None):
        """exp(mean NLL) of tokens[1:] given their prefix (non-overlapping windows of the
        context length when the text is longer than it)."""
        ids = list(token_ids)
        window = window or self.max_seq
        nll, count = 0.0, 0
        for start in range(0, max(len(ids) - 1, 1), window):
            chunk = ids[start:start + window]
            if len(chunk) < 2:
                break
            lg = self.logits(chunk).astype(np.float64)
            lg = lg - lg.max(axis=-1, keepdims=True)
            logp = lg - np.log(np.exp(lg).sum(axis=-1, keepdims=True))
            tgt = np.asarray(chunk[1:])
            nll -= float(logp[np.arange(len(tgt)), tgt].sum())
            count += len(tgt)
        return float(np.exp(nll / max(count, 1)))


def load(checkpoint_dir, max_seq=None, dense=None):
    """Load a checkpoint directory (config.json + model.safetensors or shards)."""
    cfg, W = load_weights(checkpoint_dir)
    return ReferenceModel(cfg, W, max_seq=max_seq, dense=dense)


if __name__ == "__main__":  # pragma: no cover
    import argparse
    import sys
    ap = argparse.ArgumentParser(description="numpy reference: greedy generation / perplexity")
    ap.add_argument("checkpoint")
    ap.add_argument("--prompt", default="The meaning of life is")
    ap.add_argument("-n", type=int, default=64)
    ap.add_argument("--ppl", help="text file to compute perplexity on")
    a = ap.parse_args()
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
    from tern.tokenizer.bpe import ByteLevelBPE
    m = load(a.checkpoint)
    tok = ByteLevelBPE.load(os.path.join(a.checkpoint, "tokenizer.json"))
    ids = tok.encode(a.prompt, add_bos=tok.bos_id is not None)
    out = m.generate_greedy(ids, a.n, stop_ids=(tok.eos_id,))
    print(a.prompt + tok.decode(out, skip_special=True))
    if a.ppl:
        text = open(a.ppl, encoding="utf-8").read()
        print("perplexity:", m.perplexity(tok.encode(text, add_bos=True)))
