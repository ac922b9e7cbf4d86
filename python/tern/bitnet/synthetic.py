"""Small synthetic checkpoints with random weights, one per supported Hugging Face layout,
for tests of the importer / compiler against reference_numpy.

Layouts (``layout=``):
  "bitnet"            BitNetForCausalLM, packed uint8 weights [out/4, in], bf16 1-element
                      weight_scale = gamma (linear_class "autobitlinear": multiplies),
                      relu2 FFN, attn_sub_norm / ffn_sub_norm (2B4T layout).
  "bitnet-bitlinear"  the same with linear_class "bitlinear": stored weight_scale = 1/gamma
                      (divides). Layer 0's o_proj has gamma > 1, so its stored value is < 1.
  "1bitllm"           BitnetForCausalLM (1bitLLM bitnet_b1_58-*): plain fp16 weights,
                      ternarized at load; SwiGLU with SiLU; sub-norms
                      self_attn.inner_attn_ln / mlp.ffn_layernorm; untied lm_head by default.
  "llama-bitnet"      LlamaForCausalLM + quantization_config {"quant_method": "bitnet"} with
                      no linear_class (HF's default, "bitlinear": divides; Falcon3-1.58bit
                      style): packed weights, SwiGLU with SiLU, no sub-norms.

    /usr/bin/python3 -m tern.bitnet.synthetic OUT_DIR --layout bitnet [--untied] [--shards 2]
"""
import argparse
import os

import numpy as np

from . import safetensors_io as st
from .config import BitNetConfig
from .packing import pack_ternary
from .reference_numpy import ternarize

__all__ = ["LAYOUTS", "make_config", "make_checkpoint"]

LAYOUTS = ("bitnet", "bitnet-bitlinear", "1bitllm", "llama-bitnet")


def make_config(layout="bitnet", hidden=40, heads=5, kv_heads=1, intermediate=72, vocab=300,
                layers=2, tie=None, max_pos=128, rope_theta=10000.0, eps=1e-5):
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout '{layout}', expected one of {LAYOUTS}")
    if tie is None:
        tie = layout in ("bitnet", "bitnet-bitlinear")
    common = dict(hidden_size=hidden, intermediate_size=intermediate, num_hidden_layers=layers,
                  num_attention_heads=heads, num_key_value_heads=kv_heads, vocab_size=vocab,
                  max_position_embeddings=max_pos, rms_norm_eps=eps, rope_theta=rope_theta,
                  tie_word_embeddings=tie, bos_token_id=0, eos_token_id=1)
    if layout in ("bitnet", "bitnet-bitlinear"):
        lc = "autobitlinear" if layout == "bitnet" else "bitlinear"
        return BitNetConfig(architectures=["BitNetForCausalLM"], model_type="bitnet",
                            hidden_act="relu2", torch_dtype="bfloat16",
                            quantization_config={"quant_method": "bitnet", "linear_class": lc,
                                                 "quantization_mode": "offline"},
                            **common).validate()
    if layout == "1bitllm":
        return BitNetConfig(architectures=["BitnetForCausalLM"], model_type="llama",
                            hidden_act="silu", torch_dtype="float16", quantization_config=None,
                            extra={"weight_bits": 1, "input_bits": 8}, **common).validate()
    return BitNetConfig(architectures=["LlamaForCausalLM"], model_type="llama",
                        hidden_act="silu", torch_dtype="bfloat16",
                        quantization_config={"quant_method": "bitnet"}, **common).validate()


def make_tensors(cfg, layout, seed=0, scale_shape=(1,)):
    """Random weights for cfg in the given layout: {name: array or st.BF16}."""
    rng = np.random.default_rng(seed)
    H, I, V = cfg.hidden_size, cfg.intermediate_size, cfg.vocab_size
    D, Hq, Hkv = cfg.head_dim_, cfg.num_attention_heads, cfg.num_key_value_heads
    fp16 = layout == "1bitllm"

    def flt(a):
        a = np.asarray(a, dtype=np.float32)
        return a.astype(np.float16) if fp16 else st.BF16(a)

    def norm(n):
        return flt(1.0 + 0.2 * rng.standard_normal(n))

    T = {"model.embed_tokens.weight": flt(rng.standard_normal((V, H)))}
    shapes = {"q_proj": (Hq * D, H), "k_proj": (Hkv * D, H), "v_proj": (Hkv * D, H),
              "o_proj": (H, Hq * D), "gate_proj": (I, H), "up_proj": (I, H), "down_proj": (H, I)}
    for l in range(cfg.num_hidden_layers):
        p = f"model.layers.{l}."
        T[p + "input_layernorm.weight"] = norm(H)
        T[p + "post_attention_layernorm.weight"] = norm(H)
        if layout in ("bitnet", "bitnet-bitlinear"):
            T[p + "self_attn.attn_sub_norm.weight"] = norm(Hq * D)
            T[p + "mlp.ffn_sub_norm.weight"] = norm(I)
        elif layout == "1bitllm":
            T[p + "self_attn.inner_attn_ln.weight"] = norm(Hq * D)
            T[p + "mlp.ffn_layernorm.weight"] = norm(I)
        for proj, shape in shapes.items():
            mod = "self_attn" if proj in ("q_proj", "k_proj", "v_proj", "o_proj") else "mlp"
            name = f"{p}{mod}.{proj}.weight"
            std = 0.05
            if l == 0 and proj == "o_proj":
                std = 3.0          # gamma > 1: under "bitlinear" the stored scale is < 1
            w = (std * rng.standard_normal(shape)).astype(np.float32)
            if fp16:
                T[name] = w.astype(np.float16)
                continue
            q, gamma = ternarize(w)
            T[name] = pack_ternary(q)
            stored = gamma if cfg.linear_class == "autobitlinear" else np.float32(1.0) / gamma
            T[f"{p}{mod}.{proj}.weight_scale"] = st.BF16(np.full(scale_shape, stored, np.float32))
    T["model.norm.weight"] = norm(H)
    if not cfg.tie_word_embeddings:
        T["lm_head.weight"] = flt(0.5 * rng.standard_normal((V, H)))
    return T


def make_checkpoint(out_dir, layout="bitnet", shards=1, seed=0, scale_shape=(1,), **cfg_kw):
    """Write config.json + model.safetensors (or shards + index) to out_dir; returns cfg."""
    os.makedirs(out_dir, exist_ok=True)
    cfg = make_config(layout, **cfg_kw)
    T = make_tensors(cfg, layout, seed=seed, scale_shape=scale_shape)
    cfg.save(out_dir)
    if shards > 1:
        st.save_sharded(out_dir, T, num_shards=shards, metadata={"format": "pt"})
    else:
        st.save(os.path.join(out_dir, "model.safetensors"), T, metadata={"format": "pt"})
    return cfg


def main(argv=None):
    ap = argparse.ArgumentParser(description="write a small random ternary checkpoint")
    ap.add_argument("out")
    ap.add_argument("--layout", default="bitnet", choices=LAYOUTS)
    ap.add_argument("--hidden", type=int, default=40)
    ap.add_argument("--heads", type=int, default=5)
    ap.add_argument("--kv-heads", type=int, default=1)
    ap.add_argument("--intermediate", type=int, default=72)
    ap.add_argument("--vocab", type=int, default=300)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--max-pos", type=int, default=128)
    ap.add_argument("--untied", action="store_true")
    ap.add_argument("--tied", action="store_true")
    ap.add_argument("--shards", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    tie = True if a.tied else (False if a.untied else None)
    cfg = make_checkpoint(a.out, a.layout, shards=a.shards, seed=a.seed, hidden=a.hidden,
                          heads=a.heads, kv_heads=a.kv_heads, intermediate=a.intermediate,
                          vocab=a.vocab, layers=a.layers, tie=tie, max_pos=a.max_pos)
    print(f"wrote {a.out}: {cfg.architecture} ({a.layout}), tied={cfg.tie_word_embeddings}")


if __name__ == "__main__":
    main()
