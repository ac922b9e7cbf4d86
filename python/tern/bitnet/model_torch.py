"""PyTorch BitNet b1.58 decoder for quantization-aware training (QAT).

Same architecture and math as reference_numpy.py. In training, every linear layer keeps a
latent float32 weight; the forward pass uses
    gamma = max(mean|W|, 1e-5),  Wq = clamp(round(W * (1/gamma)), -1, 1)          (absmean)
    m = max(max|x|, 1e-5) per token, xq = clamp(round(x * (127/m)), -128, 127)     (absmax)
    y = (xq @ Wq^T) * (m/127) * gamma
with the straight-through estimator (x + (quant(x) - x).detach()) for both, so the
latent weights get full-precision gradients (trained with AdamW, as in the BitNet b1.58
paper). torch.round rounds half to even, like the reference.

A layer can also be "frozen" to exported ternary values + scale (``freeze``); then its
forward computes exactly (f32(xq @ Wq^T) * s) * ws, the reference's order.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .config import BitNetConfig

__all__ = ["BitLinear", "BitNetModel", "ternarize_weight", "from_checkpoint"]

EPS = 1e-5


def ternarize_weight(w):
    gamma = w.abs().mean().clamp(min=EPS)
    q = (w * (1.0 / gamma)).round().clamp(-1, 1)
    return q, gamma


def quantize_act(x):
    m = x.abs().amax(dim=-1, keepdim=True).clamp(min=EPS)
    q = (x * (127.0 / m)).round().clamp(-128, 127)
    return q, m / 127.0


class BitLinear(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.weight = nn.Parameter(torch.empty(out_features, in_features))
        nn.init.normal_(self.weight, std=0.02)
        self.register_buffer("frozen_q", None, persistent=False)
        self.register_buffer("frozen_ws", None, persistent=False)

    def freeze(self, q, ws):
        """Use fixed ternary values q [out, in] and effective scale ws (multiplies)."""
        self.frozen_q = torch.as_tensor(q, dtype=torch.float32)
        self.frozen_ws = torch.as_tensor(ws, dtype=torch.float32).reshape(())

    def forward(self, x):
        if self.frozen_q is not None:
            xq, s = quantize_act(x)
            return (F.linear(xq, self.frozen_q) * s) * self.frozen_ws
        w = self.weight
        if not self.training:
            wq, gamma = ternarize_weight(w)
            xq, s = quantize_act(x)
            return (F.linear(xq, wq) * s) * gamma
        wq, gamma = ternarize_weight(w)
        w_ste = w + (wq * gamma - w).detach()
        xq, s = quantize_act(x)
        x_ste = x + (xq * s - x).detach()
        return F.linear(x_ste, w_ste)


class RMSNorm(nn.Module):
    def __init__(self, n, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(n))
        self.eps = eps

    def forward(self, x):
        inv = 1.0 / torch.sqrt((x * x).mean(dim=-1, keepdim=True) + self.eps)
        return (x * inv) * self.weight


def rope_tables(head_dim, theta, positions):
    i = torch.arange(head_dim // 2, dtype=torch.float64)
    freq = (float(theta) ** (-2.0 * i / head_dim)).to(torch.float32)
    a = positions.to(torch.float32)[:, None] * freq[None, :]
    return torch.cos(a), torch.sin(a)


def apply_rope(x, cos, sin):
    """x [B, H, T, D]; cos/sin [T, D/2]; half style."""
    half = x.shape[-1] // 2
    x0, x1 = x[..., :half], x[..., half:]
    return torch.cat([x0 * cos - x1 * sin, x1 * cos + x0 * sin], dim=-1)


class Attention(nn.Module):
    def __init__(self, cfg, subnorm):
        super().__init__()
        H, D = cfg.hidden_size, cfg.head_dim_
        self.hq, self.hkv, self.d = cfg.num_attention_heads, cfg.num_key_value_heads, D
        self.q_proj = BitLinear(H, self.hq * D)
        self.k_proj = BitLinear(H, self.hkv * D)
        self.v_proj = BitLinear(H, self.hkv * D)
        self.o_proj = BitLinear(self.hq * D, H)
        self.sub_norm = RMSNorm(self.hq * D, cfg.rms_norm_eps) if subnorm else None

    def forward(self, x, cos, sin):
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, self.hq, self.d).transpose(1, 2)
        k = self.k_proj(x).view(B, T, self.hkv, self.d).transpose(1, 2)
        v = self.v_proj(x).view(B, T, self.hkv, self.d).transpose(1, 2)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        rep = self.hq // self.hkv
        if rep > 1:  # repeat_interleave(rep, dim=1), in ops ONNX export keeps flat
            k = k[:, :, None].expand(B, self.hkv, rep, T, self.d).reshape(B, self.hq, T, self.d)
            v = v[:, :, None].expand(B, self.hkv, rep, T, self.d).reshape(B, self.hq, T, self.d)
        s = (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(self.d))
        mask = torch.ones(T, T, dtype=torch.bool).triu(1)
        s = s.masked_fill(mask, float("-inf"))
        p = torch.softmax(s, dim=-1)
        a = (p @ v).transpose(1, 2).reshape(B, T, self.hq * self.d)
        if self.sub_norm is not None:
            a = self.sub_norm(a)
        return self.o_proj(a)


class MLP(nn.Module):
    def __init__(self, cfg, subnorm):
        super().__init__()
        H, I = cfg.hidden_size, cfg.intermediate_size
        self.gate_proj = BitLinear(H, I)
        self.up_proj = BitLinear(H, I)
        self.down_proj = BitLinear(I, H)
        self.act = cfg.hidden_act
        self.sub_norm = RMSNorm(I, cfg.rms_norm_eps) if subnorm else None

    def forward(self, x):
        g, u = self.gate_proj(x), self.up_proj(x)
        if self.act == "relu2":
            r = torch.relu(g)
            h = r * r * u
        else:
            h = F.silu(g) * u
        if self.sub_norm is not None:
            h = self.sub_norm(h)
        return self.down_proj(h)


class Layer(nn.Module):
    def __init__(self, cfg, subnorm):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.self_attn = Attention(cfg, subnorm)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.mlp = MLP(cfg, subnorm)

    def forward(self, x, cos, sin):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin)
        return x + self.mlp(self.post_attention_layernorm(x))


class BitNetModel(nn.Module):
    def __init__(self, cfg: BitNetConfig):
        super().__init__()
        self.cfg = cfg
        subnorm = cfg.layout in ("bitnet", "bitnet-1bitllm")
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        nn.init.normal_(self.embed_tokens.weight, std=0.02)
        self.layers = nn.ModuleList(Layer(cfg, subnorm) for _ in range(cfg.num_hidden_layers))
        self.norm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.lm_head = None if cfg.tie_word_embeddings else nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)

    def forward(self, ids, targets=None):
        """ids [B, T] int64 -> logits [B, T, V] (and mean cross-entropy if targets)."""
        T = ids.shape[1]
        cos, sin = rope_tables(self.cfg.head_dim_, self.cfg.rope_theta, torch.arange(T))
        x = self.embed_tokens(ids)
        for layer in self.layers:
            x = layer(x, cos, sin)
        x = self.norm(x)
        w = self.embed_tokens.weight if self.lm_head is None else self.lm_head.weight
        logits = x @ w.t()
        if targets is None:
            return logits
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(), targets.reshape(-1),
                               ignore_index=-100)
        return logits, loss

    def bitlinears(self):
        """(HF tensor prefix, module) for every BitLinear."""
        for l, layer in enumerate(self.layers):
            for n in ("q_proj", "k_proj", "v_proj", "o_proj"):
                yield f"model.layers.{l}.self_attn.{n}", getattr(layer.self_attn, n)
            for n in ("gate_proj", "up_proj", "down_proj"):
                yield f"model.layers.{l}.mlp.{n}", getattr(layer.mlp, n)

    def num_params(self):
        return sum(p.numel() for p in self.parameters())


def from_checkpoint(checkpoint_dir):
    """Build a frozen (inference) torch model from an exported HF checkpoint directory,
    using the same loader as the numpy reference, so both see identical weights."""
    from .reference_numpy import load_weights
    cfg, W = load_weights(checkpoint_dir)
    m = BitNetModel(cfg)
    with torch.no_grad():
        m.embed_tokens.weight.copy_(torch.from_numpy(W["embed"]))
        if m.lm_head is not None:
            m.lm_head.weight.copy_(torch.from_numpy(W["lm_head"]))
        m.norm.weight.copy_(torch.from_numpy(W["norm"]))
        for l, layer in enumerate(m.layers):
            p = f"model.layers.{l}."
            layer.input_layernorm.weight.copy_(torch.from_numpy(W[p + "input_layernorm"]))
            layer.post_attention_layernorm.weight.copy_(torch.from_numpy(W[p + "post_attention_layernorm"]))
            if layer.self_attn.sub_norm is not None:
                layer.self_attn.sub_norm.weight.copy_(torch.from_numpy(W[p + "attn_sub_norm"]))
                layer.mlp.sub_norm.weight.copy_(torch.from_numpy(W[p + "ffn_sub_norm"]))
        for prefix, lin in m.bitlinears():
            short = prefix.replace(".self_attn", "").replace(".mlp", "")
            q, ws = W[short]
            lin.freeze(q, ws)
    m.eval()
    return m
