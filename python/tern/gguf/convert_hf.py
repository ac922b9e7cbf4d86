"""Convert a Tern BitNet Hugging Face checkpoint ("bitnet" layout: BitNetForCausalLM,
bitnet-b1.58-2B-4T style) to GGUF for llama.cpp-family runtimes.

    /usr/bin/python3 -m tern.gguf.convert_hf CKPT_DIR OUT.gguf
                                   [--outtype f16|bf16|f32|tq2_0|tq1_0]
                                                             [--arch bitnet-b1.58|bitnet-25|bitnet]

What the peers load (read from their sources; facts only):
  * ik_llama.cpp: "bitnet-b1.58" (the name in Microsoft's 2B4T GGUF) and "bitnet-25" are the
    2B4T graph (build_bitnet_158): attn_sub_norm before attn_output, squared-ReLU gated FFN,
    ffn_sub_norm before ffn_down, NEOX RoPE (pairs i, i + D/2: no q/k permutation), and an
    optional untied `output.weight` (tok_embd is the head otherwise). Its loader takes no
    per-tensor `.scale` tensors for these archs, so the weight scale is folded into the
    weights (ternary * scale); IQ2_BN / IQ2_BN_R4 quantization recovers it exactly as the
    per-row absmax.
  * llama.cpp (upstream): only "bitnet", which is the 1bitLLM graph: the same sub-norms and
    NEOX RoPE but a SiLU-gated FFN (not squared ReLU), the head always tok_embd, optional
    1-element `blk.N.<linear>.scale` tensors. A 2B4T model written with --arch bitnet loads
    and runs at the right shapes and cost, but computes silu(gate) * up: its logits are not
    the model's (fine for speed measurements). TQ2_0 / TQ1_0 recover a folded scale exactly
    as the per-block absmax.

Tensor names (both): token_embd, output_norm, [output], blk.N.{attn_norm, attn_q, attn_k,
attn_v, attn_output, attn_sub_norm, ffn_norm, ffn_gate, ffn_up, ffn_down, ffn_sub_norm},
each with a ".weight" suffix. Norms are written as F32, matrices and the embedding in
--outtype. The weight scale follows quantization_config.linear_class ("autobitlinear"
multiplies by the stored weight_scale, "bitlinear" divides).

Vocabulary: a checkpoint with a byte-level BPE tokenizer.json gets its tokens and merges
("gpt2" model). Without one (Tern's synthetic checkpoints) a placeholder vocabulary is
written so that the runtimes can load and benchmark the model: "gpt2" with vocab_size
tokens, the 256 byte-level symbols first (skipping the BOS/EOS ids), "<|tok_N|>" for the
rest, and no merges (text tokenizes to single bytes).
"""
import argparse
import json
import os
import sys

import numpy as np

from ..bitnet import safetensors_io as st
from ..bitnet.config import BitNetConfig
from ..bitnet.packing import unpack_ternary
from . import ternary  # noqa: F401  (registers TQ1_0, TQ2_0)
from .writer import GGUFValueType, GGUFWriter, LlamaFileType

__all__ = ["convert", "ARCHS", "placeholder_vocab", "bytes_to_unicode"]

ARCHS = ("bitnet-b1.58", "bitnet-25", "bitnet")
OUTTYPES = {"f32": ("F32", LlamaFileType.ALL_F32), "f16": ("F16", LlamaFileType.MOSTLY_F16),
            "bf16": ("BF16", LlamaFileType.MOSTLY_BF16),
            "tq2_0": ("TQ2_0", LlamaFileType.MOSTLY_TQ2_0),
            "tq1_0": ("TQ1_0", LlamaFileType.MOSTLY_TQ1_0)}
# With a ternary outtype, the linear layers are stored in it (each 256-block's
# absmax recovers the folded weight scale, rounded to float16); the embedding
# and head keep the checkpoint's bfloat16, and a layer whose rows are not a
# multiple of 256 weights is stored as F32 (ternary values times the scale,
# exact), as llama.cpp's quantizer falls back for such tensors.
TERNARY_OUTTYPES = ("tq2_0", "tq1_0")

# llama.cpp token types (llama_token_type)
TOKEN_NORMAL, TOKEN_UNKNOWN, TOKEN_CONTROL, TOKEN_USER_DEFINED = 1, 2, 3, 4

_LINEARS = (("self_attn", "q_proj", "attn_q"), ("self_attn", "k_proj", "attn_k"),
            ("self_attn", "v_proj", "attn_v"), ("self_attn", "o_proj", "attn_output"),
            ("mlp", "gate_proj", "ffn_gate"), ("mlp", "up_proj", "ffn_up"),
            ("mlp", "down_proj", "ffn_down"))
_NORMS = (("input_layernorm", "attn_norm"), ("post_attention_layernorm", "ffn_norm"),
          ("self_attn.attn_sub_norm", "attn_sub_norm"), ("mlp.ffn_sub_norm", "ffn_sub_norm"))


def bytes_to_unicode():
    """GPT-2's byte -> printable character table (the byte-level BPE alphabet)."""
    keep = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
            + list(range(ord("®"), ord("ÿ") + 1)))
    table, extra = {}, 0
    for b in range(256):
        if b in keep:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


def placeholder_vocab(n_vocab, bos_id=None, eos_id=None):
    """(tokens, token_types) for a model without a tokenizer: special tokens at bos/eos,
    the 256 byte symbols in the first free ids, "<|tok_N|>" elsewhere."""
    special = {}
    if bos_id is not None and 0 <= bos_id < n_vocab:
        special[bos_id] = "<|begin_of_text|>"
    if eos_id is not None and 0 <= eos_id < n_vocab and eos_id not in special:
        special[eos_id] = "<|end_of_text|>"
    symbols = list(bytes_to_unicode().values())
    tokens, types = [], []
    for i in range(n_vocab):
        if i in special:
            tokens.append(special[i])
            types.append(TOKEN_CONTROL)
        elif symbols:
            tokens.append(symbols.pop(0))
            types.append(TOKEN_NORMAL)
        else:
            tokens.append(f"<|tok_{i}|>")
            types.append(TOKEN_NORMAL)
    return tokens, types


def _vocab_from_tokenizer_json(path, n_vocab):
    """(tokens, types, merges) from a Hugging Face byte-level BPE tokenizer.json, padded
    with "<|pad_N|>" to n_vocab; None when it is not a BPE tokenizer."""
    with open(path, encoding="utf-8") as f:
        tj = json.load(f)
    model = tj.get("model") or {}
    if model.get("type") != "BPE":
        return None
    by_id = {int(i): t for t, i in model.get("vocab", {}).items()}
    special_ids = set()
    for at in tj.get("added_tokens", []):
        by_id[int(at["id"])] = at["content"]
        if at.get("special", False):
            special_ids.add(int(at["id"]))
    n = max(n_vocab, (max(by_id) + 1) if by_id else 0)
    tokens, types = [], []
    for i in range(n):
        if i in by_id:
            tokens.append(by_id[i])
            types.append(TOKEN_CONTROL if i in special_ids else TOKEN_NORMAL)
        else:
            tokens.append(f"<|pad_{i}|>")
            types.append(TOKEN_USER_DEFINED)
    merges = [m if isinstance(m, str) else " ".join(m) for m in model.get("merges", [])]
    return tokens, types, merges


def _linear_scale(cfg, raw, prefix):
    sc = np.asarray(raw[prefix + ".weight_scale"], dtype=np.float32).reshape(-1)
    if sc.size != 1:
        raise ValueError(f"{prefix}.weight_scale: expected 1 element, got {sc.size}")
    return np.float32(np.float32(1) / sc[0]) if cfg.linear_class == "bitlinear" else sc[0]


def convert(ckpt_dir, out_path, outtype="f16", arch="bitnet-b1.58", scale_tensors=False,
            name=None, verbose=False):
    """Write ckpt_dir (config.json + safetensors, "bitnet" layout) as GGUF to out_path."""
    if arch not in ARCHS:
        raise ValueError(f"unknown arch '{arch}', expected one of {ARCHS}")
    if outtype not in OUTTYPES:
        raise ValueError(f"unknown outtype '{outtype}', expected one of {sorted(OUTTYPES)}")
    if scale_tensors and arch != "bitnet":
        raise ValueError(f"arch '{arch}' takes no .scale tensors (the loader would reject "
                         "them); scales are folded into the weights")
    cfg = BitNetConfig.load(ckpt_dir).validate()
    if cfg.layout != "bitnet":
        raise ValueError(f"{ckpt_dir}: layout '{cfg.layout}' is not supported (only "
                         "BitNetForCausalLM, the 2B4T layout)")
    if not cfg.tie_word_embeddings and arch == "bitnet":
        raise ValueError("llama.cpp's 'bitnet' arch always uses token_embd as the head: "
                         "an untied lm_head needs --arch bitnet-b1.58")
    if cfg.hidden_act != "relu2":
        raise ValueError(f"hidden_act '{cfg.hidden_act}': the 2B4T graph is relu2")
    wtype, ftype = OUTTYPES[outtype]
    linear_type = wtype
    if outtype in TERNARY_OUTTYPES:
        if scale_tensors:
            raise ValueError(f"--outtype {outtype} folds the scale into the blocks; "
                             "--scale-tensors does not apply")
        wtype = "BF16"  # the embedding and head, as the checkpoint stores them
    raw = st.load_dir(ckpt_dir)     # packed weights are small; bf16 arrive as float32
    H, I, V = cfg.hidden_size, cfg.intermediate_size, cfg.vocab_size
    D, Hq, Hkv, L = cfg.head_dim_, cfg.num_attention_heads, cfg.num_key_value_heads, \
        cfg.num_hidden_layers
    shapes = {"q_proj": (Hq * D, H), "k_proj": (Hkv * D, H), "v_proj": (Hkv * D, H),
              "o_proj": (H, Hq * D), "gate_proj": (I, H), "up_proj": (I, H),
              "down_proj": (H, I)}

    def need(n):
        if n not in raw:
            raise KeyError(f"{ckpt_dir}: tensor '{n}' missing")
        return raw[n]

    w = GGUFWriter(out_path)
    w.add_string("general.architecture", arch)
    w.add_string("general.name", name or os.path.basename(os.path.normpath(ckpt_dir)))
    w.add_uint32("general.file_type", int(ftype))
    w.add_uint32(f"{arch}.vocab_size", V)
    w.add_uint32(f"{arch}.context_length", cfg.max_position_embeddings)
    w.add_uint32(f"{arch}.embedding_length", H)
    w.add_uint32(f"{arch}.block_count", L)
    w.add_uint32(f"{arch}.feed_forward_length", I)
    w.add_uint32(f"{arch}.attention.head_count", Hq)
    w.add_uint32(f"{arch}.attention.head_count_kv", Hkv)
    w.add_uint32(f"{arch}.attention.key_length", D)
    w.add_uint32(f"{arch}.attention.value_length", D)
    w.add_float32(f"{arch}.attention.layer_norm_rms_epsilon", cfg.rms_norm_eps)
    w.add_uint32(f"{arch}.rope.dimension_count", D)
    w.add_float32(f"{arch}.rope.freq_base", cfg.rope_theta)
    w.add_string(f"{arch}.rope.scaling.type", "linear")
    w.add_float32(f"{arch}.rope.scaling.factor", 1.0)

    # vocabulary
    tj = os.path.join(ckpt_dir, "tokenizer.json")
    vocab = _vocab_from_tokenizer_json(tj, V) if os.path.exists(tj) else None
    if vocab is not None:
        tokens, types, merges = vocab
        if len(tokens) != V:
            raise ValueError(f"tokenizer.json has {len(tokens)} tokens, config vocab_size {V}")
        pre = "gpt2"
    else:
        tokens, types = placeholder_vocab(V, cfg.bos_token_id, _first(cfg.eos_token_id))
        merges, pre = [], "default"
    w.add_string("tokenizer.ggml.model", "gpt2")
    w.add_string("tokenizer.ggml.pre", pre)
    w.add_array("tokenizer.ggml.tokens", tokens, GGUFValueType.STRING)
    w.add_array("tokenizer.ggml.token_type", np.asarray(types, np.int32), GGUFValueType.INT32)
    w.add_array("tokenizer.ggml.merges", merges, GGUFValueType.STRING)
    if cfg.bos_token_id is not None:
        w.add_uint32("tokenizer.ggml.bos_token_id", cfg.bos_token_id)
    if _first(cfg.eos_token_id) is not None:
        w.add_uint32("tokenizer.ggml.eos_token_id", _first(cfg.eos_token_id))
    w.add_bool("tokenizer.ggml.add_bos_token", cfg.bos_token_id is not None)
    w.add_bool("tokenizer.ggml.add_eos_token", False)

    # tensors
    emb = need("model.embed_tokens.weight")
    if emb.shape != (V, H):
        raise ValueError(f"model.embed_tokens.weight has shape {emb.shape}, expected {(V, H)}")
    w.add_tensor("token_embd.weight", emb, wtype)
    for l in range(L):
        p = f"model.layers.{l}."
        for hf, gg in _NORMS:
            w.add_tensor(f"blk.{l}.{gg}.weight", need(p + hf + ".weight"), "F32")
        for mod, proj, gg in _LINEARS:
            hf = f"{p}{mod}.{proj}"
            packed = need(hf + ".weight")
            out, inn = shapes[proj]
            if packed.dtype != np.uint8 or packed.shape != (out // 4, inn):
                raise ValueError(f"{hf}.weight: expected packed uint8 {(out // 4, inn)}, got "
                                 f"{packed.dtype}{list(packed.shape)}")
            ws = _linear_scale(cfg, raw, hf)
            if scale_tensors:
                fn = (lambda pk=packed, o=out: unpack_ternary(pk, o).astype(np.float32))
                w.add_tensor(f"blk.{l}.{gg}.weight", fn, wtype, shape=(out, inn))
                w.add_tensor(f"blk.{l}.{gg}.scale", np.array([ws], np.float32), "F32")
            else:
                fn = (lambda pk=packed, o=out, s=ws:
                      unpack_ternary(pk, o).astype(np.float32) * np.float32(s))
                ltype = linear_type if outtype not in TERNARY_OUTTYPES or inn % 256 == 0 \
                    else "F32"
                w.add_tensor(f"blk.{l}.{gg}.weight", fn, ltype, shape=(out, inn))
    w.add_tensor("output_norm.weight", need("model.norm.weight"), "F32")
    if not cfg.tie_word_embeddings:
        head = need("lm_head.weight")
        if head.shape != (V, H):
            raise ValueError(f"lm_head.weight has shape {head.shape}, expected {(V, H)}")
        w.add_tensor("output.weight", head, wtype)

    def progress(i, n, tname):
        if verbose:
            print(f"[{i + 1}/{n}] {tname}", file=sys.stderr)

    w.write(progress=progress)
    return out_path


def _first(v):
    if isinstance(v, (list, tuple)):
        return v[0] if v else None
    return v


def main(argv=None):
    ap = argparse.ArgumentParser(description="convert a Tern BitNet (2B4T layout) Hugging Face "
                                             "checkpoint to GGUF")
    ap.add_argument("checkpoint")
    ap.add_argument("out")
    ap.add_argument("--outtype", default="f16", choices=sorted(OUTTYPES),
                    help="type of the matrices and the embedding (norms are always F32)")
    ap.add_argument("--arch", default="bitnet-b1.58", choices=ARCHS,
                    help="general.architecture: bitnet-b1.58 / bitnet-25 for ik_llama.cpp "
                         "(2B4T graph), bitnet for upstream llama.cpp (SiLU FFN graph)")
    ap.add_argument("--scale-tensors", action="store_true",
                    help="(arch bitnet only) write +-1 weights and 1-element .scale tensors "
                         "instead of folding the scale into the weights")
    ap.add_argument("--name", help="general.name (default: the checkpoint directory name)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)
    convert(a.checkpoint, a.out, a.outtype, a.arch, a.scale_tensors, a.name, a.verbose)
    print(f"wrote {a.out} ({a.arch}, {a.outtype})")


if __name__ == "__main__":
    main()
