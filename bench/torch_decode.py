#!/usr/bin/env python3
"""PyTorch baseline for decode speed and memory: a dense bf16 decoder of a
BitNet checkpoint's architecture (from its config.json, or given by flags),
with a static KV cache, run greedily token by token.

This is the comparison issue 7 asks for (the paper reports 2.71x faster
decode and 3.55x less memory than an FP16 LLaMA 3B): the same shapes as the
Tern artifact tern-bench times, but every linear in bf16 and the
activations unquantized. Weights are random (speed does not depend on
them). Prints decode tokens/s and the peak memory PyTorch allocated.

    python3 bench/torch_decode.py --config model/config.json --gen-tokens 128
    python3 bench/torch_decode.py --hidden 2560 --heads 20 --kv-heads 5 \\
        --intermediate 6912 --layers 30 --vocab 128256        # 2B4T's shape
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F


def rms_norm(x, weight, eps):
    x32 = x.float()
    x32 = x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + eps)
    return (x32 * weight.float()).to(x.dtype)


def rope(x, positions, theta):
    # x: [heads, tokens, D]; half-split pairs as Hugging Face's Llama.
    d = x.shape[-1]
    inv = theta ** (-torch.arange(0, d, 2, device=x.device, dtype=torch.float32) / d)
    angles = positions.float()[:, None] * inv[None, :]
    cos, sin = angles.cos(), angles.sin()
    x1, x2 = x[..., : d // 2].float(), x[..., d // 2:].float()
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], -1).to(x.dtype)


class Decoder:
    def __init__(self, cfg, context, device, dtype=torch.bfloat16):
        g = torch.Generator(device="cpu").manual_seed(0)
        h, f = cfg["hidden_size"], cfg["intermediate_size"]
        self.heads, self.kv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
        self.d = h // self.heads
        self.eps = cfg.get("rms_norm_eps", 1e-5)
        self.theta = cfg.get("rope_theta", 10000.0)
        self.relu2 = cfg.get("hidden_act", "silu") == "relu2"
        self.subnorm = cfg.get("model_type") == "bitnet"

        def w(*shape):
            return (torch.randn(*shape, generator=g) * 0.02).to(device, dtype)

        self.embed = w(cfg["vocab_size"], h)
        self.layers = []
        for _ in range(cfg["num_hidden_layers"]):
            self.layers.append(dict(
                norm1=torch.ones(h, device=device, dtype=dtype),
                qkv=w((self.heads + 2 * self.kv) * self.d, h),
                o=w(h, self.heads * self.d),
                attn_sub=torch.ones(self.heads * self.d, device=device, dtype=dtype),
                norm2=torch.ones(h, device=device, dtype=dtype),
                gate_up=w(2 * f, h),
                ffn_sub=torch.ones(f, device=device, dtype=dtype),
                down=w(h, f)))
        self.norm = torch.ones(h, device=device, dtype=dtype)
        shape = (cfg["num_hidden_layers"], self.kv, context, self.d)
        self.kc = torch.zeros(shape, device=device, dtype=dtype)
        self.vc = torch.zeros(shape, device=device, dtype=dtype)

    @torch.inference_mode()
    def forward(self, ids, position):
        t = ids.shape[0]
        positions = torch.arange(position, position + t, device=ids.device)
        x = self.embed[ids]
        for i, L in enumerate(self.layers):
            a = rms_norm(x, L["norm1"], self.eps)
            qkv = a @ L["qkv"].T
            q, k, v = qkv.split([self.heads * self.d, self.kv * self.d, self.kv * self.d], -1)
            q = rope(q.view(t, self.heads, self.d).transpose(0, 1), positions, self.theta)
            k = rope(k.view(t, self.kv, self.d).transpose(0, 1), positions, self.theta)
            self.kc[i, :, position:position + t] = k
            self.vc[i, :, position:position + t] = v.view(t, self.kv, self.d).transpose(0, 1)
            keys = self.kc[i, :, : position + t].repeat_interleave(self.heads // self.kv, 0)
            values = self.vc[i, :, : position + t].repeat_interleave(self.heads // self.kv, 0)
            mask = torch.ones(t, position + t, dtype=torch.bool, device=ids.device).tril(position)
            # (Debian's torch predates scaled_dot_product_attention.)
            scores = (q.float() @ keys.float().transpose(1, 2)) * self.d ** -0.5
            scores = scores.masked_fill(~mask, float("-inf"))
            o = (scores.softmax(-1) @ values.float()).to(q.dtype)
            o = o.transpose(0, 1).reshape(t, self.heads * self.d)
            if self.subnorm:
                o = rms_norm(o, L["attn_sub"], self.eps)
            x = x + o @ L["o"].T
            a = rms_norm(x, L["norm2"], self.eps)
            gate, up = (a @ L["gate_up"].T).chunk(2, -1)
            act = F.relu(gate).square() if self.relu2 else F.silu(gate)
            m = act * up
            if self.subnorm:
                m = rms_norm(m, L["ffn_sub"], self.eps)
            x = x + m @ L["down"].T
        return rms_norm(x[-1:], self.norm, self.eps) @ self.embed.T


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", help="a checkpoint's config.json")
    ap.add_argument("--hidden", type=int)
    ap.add_argument("--heads", type=int)
    ap.add_argument("--kv-heads", type=int)
    ap.add_argument("--intermediate", type=int)
    ap.add_argument("--layers", type=int)
    ap.add_argument("--vocab", type=int)
    ap.add_argument("--prompt-tokens", type=int, default=128)
    ap.add_argument("--gen-tokens", type=int, default=32)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = ap.parse_args()
    cfg = {"model_type": "bitnet", "hidden_act": "relu2"}
    if args.config:
        with open(args.config) as f:
            cfg.update(json.load(f))
    for key, value in (("hidden_size", args.hidden), ("num_attention_heads", args.heads),
                       ("num_key_value_heads", args.kv_heads),
                       ("intermediate_size", args.intermediate),
                       ("num_hidden_layers", args.layers), ("vocab_size", args.vocab)):
        if value is not None:
            cfg[key] = value
    missing = [k for k in ("hidden_size", "num_attention_heads", "num_key_value_heads",
                           "intermediate_size", "num_hidden_layers", "vocab_size")
               if k not in cfg]
    if missing:
        ap.error("give --config or the shape flags (missing: " + ", ".join(missing) + ")")
    cfg.setdefault("num_key_value_heads", cfg["num_attention_heads"])
    device = torch.device(args.device)
    context = args.prompt_tokens + args.gen_tokens
    model = Decoder(cfg, context, device)
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats()
    prompt = torch.randint(0, cfg["vocab_size"], (args.prompt_tokens,), device=device)
    logits = model.forward(prompt, 0)
    token = logits.argmax(-1)
    sync()
    start = time.perf_counter()
    for i in range(args.gen_tokens):
        logits = model.forward(token, args.prompt_tokens + i)
        token = logits.argmax(-1)
    sync()
    seconds = time.perf_counter() - start
    peak = torch.cuda.max_memory_allocated() if device.type == "cuda" else 0
    weights = sum(p.numel() * p.element_size() for L in model.layers for p in L.values())
    weights += model.embed.numel() * model.embed.element_size()
    print(f"device: {device} ({torch.cuda.get_device_name() if device.type == 'cuda' else 'cpu'})")
    print(f"weights: {weights / 2**20:.1f} MiB bf16")
    print(f"decode: {args.gen_tokens} tokens, {args.gen_tokens / seconds:.1f} tokens/s")
    print(f"peak memory allocated: {peak / 2**20:.1f} MiB" if peak else "peak memory allocated: - (cpu)")


if __name__ == "__main__":
    main()
