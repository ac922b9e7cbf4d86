"""Train a small BitNet b1.58 model (QAT) on the Debian `fortunes` corpus and export it
as a Hugging Face BitNetForCausalLM checkpoint (models/bitnet-fortunes/).

    /usr/bin/python3 -m tern.bitnet.train --minutes 30 --out ../models/bitnet-fortunes

Steps: read /usr/share/games/fortunes/* (entries separated by lines holding only '%';
skipping the art / ascii-art files), shuffle entries (seed 1234), hold out 5% for
validation; train a byte-level BPE tokenizer on the training text; train the model with
AdamW under a wall-clock budget (time-based warmup + cosine schedule); checkpoint
periodically; export; validate the export with the numpy reference.
Each entry is encoded as <|begin_of_text|> text <|end_of_text|>; the training stream is
the concatenation of these, cut into random windows of ctx + 1 tokens.
"""
import os
# One BLAS thread (another process needs the other core); must precede numpy/torch import.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse
import glob
import json
import math
import random
import sys
import time

import numpy as np
import torch

from . import safetensors_io as st
from .config import BitNetConfig
from .model_torch import BitNetModel, ternarize_weight
from .packing import pack_ternary
from ..tokenizer.bpe import ByteLevelBPE, train_bpe, BOS_TOKEN, EOS_TOKEN, PRETOKENIZE_REGEX

FORTUNE_DIR = "/usr/share/games/fortunes"
SKIP = {"art", "ascii-art"}


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def read_fortunes(directory=FORTUNE_DIR):
    entries = []
    for path in sorted(glob.glob(os.path.join(directory, "*"))):
        base = os.path.basename(path)
        if base in SKIP or "." in base or os.path.isdir(path):
            continue
        data = open(path, "rb").read()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        cur = []
        for line in text.split("\n"):
            if line.strip() == "%":
                e = "\n".join(cur).strip("\n")
                if e.strip():
                    entries.append(e)
                cur = []
            else:
                cur.append(line.rstrip())
        e = "\n".join(cur).strip("\n")
        if e.strip():
            entries.append(e)
    return entries


def split_entries(entries, frac=0.05, seed=1234):
    rng = random.Random(seed)
    idx = list(range(len(entries)))
    rng.shuffle(idx)
    n_val = max(1, int(len(entries) * frac))
    val = [entries[i] for i in idx[:n_val]]
    train = [entries[i] for i in idx[n_val:]]
    return train, val


def encode_entries(tok, entries):
    out = []
    for e in entries:
        out.append(tok.bos_id)
        out.extend(tok.encode(e))
        out.append(tok.eos_id)
    return np.asarray(out, dtype=np.int64)


def make_config(args, tok):
    return BitNetConfig(
        hidden_size=args.hidden, intermediate_size=args.intermediate,
        num_hidden_layers=args.layers, num_attention_heads=args.heads,
        num_key_value_heads=args.kv_heads, vocab_size=tok.vocab_size,
        max_position_embeddings=args.ctx, rms_norm_eps=1e-5, rope_theta=10000.0,
        hidden_act="relu2", tie_word_embeddings=True,
        bos_token_id=tok.bos_id, eos_token_id=tok.eos_id,
    ).validate()


@torch.no_grad()
def evaluate(model, stream, ctx, max_windows=64):
    model.eval()
    losses = []
    n = (len(stream) - 1) // ctx
    for w in range(min(n, max_windows)):
        x = torch.from_numpy(stream[w * ctx:(w + 1) * ctx][None])
        y = torch.from_numpy(stream[w * ctx + 1:(w + 1) * ctx + 1][None])
        _, loss = model(x, y)
        losses.append(loss.item())
    model.train()
    return float(np.mean(losses)) if losses else float("nan")


# ----------------------------------------------------------------------------- export
def export(model, tok, out_dir, extra_readme=None):
    os.makedirs(out_dir, exist_ok=True)
    cfg = model.cfg
    T = {}
    T["model.embed_tokens.weight"] = st.BF16(model.embed_tokens.weight.detach().numpy())
    for l, layer in enumerate(model.layers):
        p = f"model.layers.{l}."
        T[p + "input_layernorm.weight"] = st.BF16(layer.input_layernorm.weight.detach().numpy())
        T[p + "post_attention_layernorm.weight"] = st.BF16(layer.post_attention_layernorm.weight.detach().numpy())
        T[p + "self_attn.attn_sub_norm.weight"] = st.BF16(layer.self_attn.sub_norm.weight.detach().numpy())
        T[p + "mlp.ffn_sub_norm.weight"] = st.BF16(layer.mlp.sub_norm.weight.detach().numpy())
    for prefix, lin in model.bitlinears():
        q, gamma = ternarize_weight(lin.weight.detach().float())
        T[prefix + ".weight"] = pack_ternary(q.numpy().astype(np.int8))
        T[prefix + ".weight_scale"] = st.BF16(np.array([gamma.item()], dtype=np.float32))
    T["model.norm.weight"] = st.BF16(model.norm.weight.detach().numpy())
    T = dict(sorted(T.items()))
    st.save(os.path.join(out_dir, "model.safetensors"), T, metadata={"format": "pt"})
    cfg.save(out_dir)
    tok.save(os.path.join(out_dir, "tokenizer.json"))
    tok.save_tokenizer_config(os.path.join(out_dir, "tokenizer_config.json"),
                              model_max_length=cfg.max_position_embeddings)
    with open(os.path.join(out_dir, "generation_config.json"), "w") as f:
        json.dump({"bos_token_id": cfg.bos_token_id, "eos_token_id": cfg.eos_token_id,
                   "do_sample": False, "max_length": cfg.max_position_embeddings}, f, indent=2)
        f.write("\n")


def write_readme(out_dir, info):
    cfg = BitNetConfig.load(out_dir)
    size = sum(os.path.getsize(os.path.join(out_dir, f)) for f in os.listdir(out_dir))
    text = f"""# bitnet-fortunes

A tiny BitNet b1.58 language model (ternary weights, int8 activations) trained from scratch
with quantization-aware training on the English text of the Debian `fortunes` package, for
testing Tern end to end. It is a real, if small, model: it writes recognisably English,
fortune-flavoured text, and nothing more.

## Layout
Hugging Face `BitNetForCausalLM` (the microsoft/bitnet-b1.58-2B-4T layout): packed uint8
ternary weights `[out/4, in]` (HF BitNet packing) with a 1-element bf16 `weight_scale`
per linear (absmean gamma, multiplied: `linear_class = "autobitlinear"`), bf16 norms and
embedding, tied lm_head, squared-ReLU FFN, attn_sub_norm / ffn_sub_norm, RoPE (half style).

| field | value |
| --- | --- |
| hidden_size | {cfg.hidden_size} |
| intermediate_size | {cfg.intermediate_size} |
| num_hidden_layers | {cfg.num_hidden_layers} |
| num_attention_heads / num_key_value_heads | {cfg.num_attention_heads} / {cfg.num_key_value_heads} |
| head_dim | {cfg.head_dim_} |
| vocab_size | {cfg.vocab_size} (byte-level BPE, 2 specials) |
| context (max_position_embeddings) | {cfg.max_position_embeddings} |
| rope_theta | {cfg.rope_theta} |
| parameters | {info.get('params', '?'):,} |
| size on disk (this directory) | {size / 1e6:.2f} MB |

## Data
All files of /usr/share/games/fortunes except `art` and `ascii-art` (entries separated by
lines holding only `%`): {info.get('n_train', '?')} training entries, {info.get('n_val', '?')}
held-out entries (5%, random with seed 1234). Each entry is one sequence
`<|begin_of_text|> text <|end_of_text|>`; training windows of {cfg.max_position_embeddings}
tokens are cut at random from their concatenation. Training tokens: {info.get('train_tokens', '?'):,},
validation tokens: {info.get('val_tokens', '?'):,}.

`heldout.txt` holds the first few KB of the held-out entries, separated by blank lines.

## Tokenizer
Byte-level BPE trained on the training text (tern/tokenizer/bpe.py): 256 byte tokens,
{info.get('n_merges', '?')} merges, then `<|begin_of_text|>` (id {cfg.bos_token_id}) and
`<|end_of_text|>` (id {cfg.eos_token_id}). Pre-tokenizer: GPT-2's regex, stored in
tokenizer.json as a `Split` (Isolated) followed by `ByteLevel` (use_regex false):

    {PRETOKENIZE_REGEX}

## Training
PyTorch {torch.__version__}, CPU, 1 thread, {info.get('minutes', '?')} minutes wall clock,
{info.get('steps', '?')} steps of batch {info.get('batch', '?')} x {cfg.max_position_embeddings} tokens
({info.get('tokens_seen', 0):,} tokens seen, {info.get('epochs', 0):.2f} epochs). AdamW (betas 0.9/0.95,
weight decay {info.get('wd', '?')} on matrices), peak lr {info.get('lr', '?')} with linear warmup
and a cosine decay to 10% over the time budget, gradient clipping 1.0. QAT as in the BitNet
b1.58 paper: absmean-ternarized weights and per-token absmax int8 activations in the
forward pass with the straight-through estimator, latent float32 weights.
Exact export: q = clamp(rint(W / gamma), -1, 1), gamma = max(mean|W|, 1e-5), scale
stored as bf16.

## Results
| metric | value |
| --- | --- |
| final train loss (last 50 steps) | {info.get('train_loss', float('nan')):.4f} |
| validation loss (torch QAT model, all held-out windows) | {info.get('val_loss', float('nan')):.4f} |
| validation perplexity (same) | {math.exp(info.get('val_loss', float('nan'))):.2f} |
| perplexity of the exported checkpoint on heldout.txt (numpy reference, with BOS) | {info.get('heldout_ppl', float('nan')):.2f} |
| max abs logit diff, numpy reference vs torch frozen forward | {info.get('max_diff_frozen', float('nan')):.2e} |
| max abs logit diff, numpy reference vs torch QAT model (f32 norms) | {info.get('max_diff_qat', float('nan')):.2e} |

Greedy sample (numpy reference on the exported checkpoint, prompt "The meaning of life is"):

```
{info.get('sample', '')}
```

## Notes for comparisons
- `quantization_config.quantization_mode` is "offline" (weights are stored pre-quantized and
  packed, which is what that value means in transformers; "online" means float weights
  quantized at run time). Only `linear_class` decides the scale direction.
- The two logit differences above are not bugs: the torch forward sums in other orders
  than numpy (BLAS attention, torch RMSNorm mean, sin/cos/exp), a one-ulp difference
  before an activation quantization occasionally rounds one int8 value the other way, and
  that "flip" propagates (on 256 held-out tokens, many rows differ by more than 1e-3,
  up to ~0.1, while every argmax and 64-token greedy continuations agree). A compiled model
  will meet a 1e-3 bound only if its float reductions match the reference's order, or
  the comparison allows for flips. The numpy reference itself is batch-invariant (prefill
  vs decode: 1e-5, from the final float lm_head matmul only).
"""
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write(text)


def validate(out_dir, model=None, heldout_path=None, prompt="The meaning of life is", n=64):
    """Checks the export with the numpy reference. Returns a dict of results."""
    from .reference_numpy import load as load_ref
    from .model_torch import from_checkpoint
    res = {}
    tok = ByteLevelBPE.load(os.path.join(out_dir, "tokenizer.json"))
    ref = load_ref(out_dir)
    frozen = from_checkpoint(out_dir)
    rng = np.random.default_rng(0)
    ids = [tok.bos_id] + tok.encode("A fool and his money are soon parted. Ask me about it.")
    ids = ids + list(rng.integers(0, tok.vocab_size - 2, size=20))
    lr = ref.logits(ids)
    with torch.no_grad():
        lf = frozen(torch.tensor([ids]))[0].numpy()
    res["max_diff_frozen"] = float(np.abs(lr - lf).max())
    if model is not None:
        model.eval()
        with torch.no_grad():
            lq = model(torch.tensor([ids]))[0].numpy()
        res["max_diff_qat"] = float(np.abs(lr - lq).max())
        res["argmax_agree_qat"] = float((lr.argmax(-1) == lq.argmax(-1)).mean())
    ls = ref.logits_stepwise(ids)
    res["max_diff_stepwise"] = float(np.abs(lr - ls).max())
    p = [tok.bos_id] + tok.encode(prompt)
    out = ref.generate_greedy(p, n, stop_ids=(tok.eos_id,))
    res["sample"] = prompt + tok.decode(out, skip_special=True)
    res["sample_ids"] = out
    if heldout_path and os.path.exists(heldout_path):
        text = open(heldout_path, encoding="utf-8").read()
        res["heldout_ppl"] = ref.perplexity([tok.bos_id] + tok.encode(text))
    return res


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=25.0, help="wall-clock training budget")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..", "..",
                                                  "models", "bitnet-fortunes"))
    ap.add_argument("--workdir", default="/tmp/tern-train")
    ap.add_argument("--vocab", type=int, default=2048)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--intermediate", type=int, default=688)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--kv-heads", type=int, default=4)
    ap.add_argument("--ctx", type=int, default=256)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--wd", type=float, default=0.05)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--eval-every", type=float, default=120.0, help="seconds")
    ap.add_argument("--ckpt-every", type=float, default=240.0, help="seconds")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--max-steps", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--resume", action="store_true", help="resume from workdir/ckpt.pt")
    ap.add_argument("--export-only", action="store_true", help="export workdir/ckpt.pt and validate")
    args = ap.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.workdir, exist_ok=True)
    out_dir = os.path.abspath(args.out)
    t0 = time.time()

    entries = read_fortunes()
    train_e, val_e = split_entries(entries)
    log(f"{len(entries)} entries: {len(train_e)} train, {len(val_e)} validation; "
        f"{sum(map(len, train_e)):,} train chars")
    tok_path = os.path.join(args.workdir, "tokenizer.json")
    if (args.resume or args.export_only) and os.path.exists(tok_path):
        tok = ByteLevelBPE.load(tok_path)
    else:
        tok = train_bpe(train_e, vocab_size=args.vocab)
        tok.save(tok_path)
    log(f"tokenizer: vocab {tok.vocab_size}, {len(tok.merges)} merges ({time.time() - t0:.1f}s)")
    train_ids = encode_entries(tok, train_e)
    val_ids = encode_entries(tok, val_e)
    log(f"tokens: train {len(train_ids):,}, val {len(val_ids):,} ({time.time() - t0:.1f}s)")

    cfg = make_config(args, tok)
    model = BitNetModel(cfg)
    log(f"model: {model.num_params():,} parameters")
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2 and "embed" not in n]
    no_decay = [p for n, p in model.named_parameters() if not (p.dim() >= 2 and "embed" not in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.wd},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.95), eps=1e-8)
    state = {"step": 0, "elapsed": 0.0, "tokens": 0, "train_losses": []}
    ckpt_path = os.path.join(args.workdir, "ckpt.pt")
    if (args.resume or args.export_only) and os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        state = ck["state"]
        log(f"resumed from {ckpt_path} at step {state['step']}")

    def save_ckpt():
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "state": state,
                    "config": cfg.to_dict()}, ckpt_path + ".tmp")
        os.replace(ckpt_path + ".tmp", ckpt_path)

    budget = args.minutes * 60.0
    rng = np.random.default_rng(args.seed + state["step"])
    ctx, B = args.ctx, args.batch
    model.train()
    last_eval = last_ckpt = time.time()
    t_start = time.time() - state["elapsed"]
    while not args.export_only:
        elapsed = time.time() - t_start
        if elapsed >= budget or (args.max_steps and state["step"] >= args.max_steps):
            break
        frac = elapsed / budget
        lr = args.lr * min(1.0, (state["step"] + 1) / args.warmup) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr
        starts = rng.integers(0, len(train_ids) - ctx - 1, size=B)
        x = torch.from_numpy(np.stack([train_ids[s:s + ctx] for s in starts]))
        y = torch.from_numpy(np.stack([train_ids[s + 1:s + ctx + 1] for s in starts]))
        _, loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        state["step"] += 1
        state["tokens"] += B * ctx
        state["elapsed"] = time.time() - t_start
        state["train_losses"].append(loss.item())
        if state["step"] % 10 == 0:
            recent = np.mean(state["train_losses"][-10:])
            log(f"step {state['step']} loss {recent:.4f} lr {lr:.2e} "
                f"{state['elapsed'] / state['step']:.2f}s/step tokens {state['tokens']:,}")
        if time.time() - last_eval > args.eval_every:
            vl = evaluate(model, val_ids, ctx, max_windows=32)
            log(f"step {state['step']} VAL loss {vl:.4f} ppl {math.exp(vl):.2f}")
            last_eval = time.time()
        if time.time() - last_ckpt > args.ckpt_every:
            save_ckpt()
            last_ckpt = time.time()
            log(f"checkpoint saved ({ckpt_path})")
    if not args.export_only:
        save_ckpt()
        log(f"training done: {state['step']} steps, {state['tokens']:,} tokens, {state['elapsed'] / 60:.1f} min")

    vl = evaluate(model, val_ids, ctx, max_windows=10 ** 9)
    tl = float(np.mean(state["train_losses"][-50:])) if state["train_losses"] else float("nan")
    log(f"final: train loss {tl:.4f}, VAL loss {vl:.4f} ppl {math.exp(vl):.2f}")
    export(model, tok, out_dir)
    heldout = os.path.join(out_dir, "heldout.txt")
    parts, size = [], 0
    for e in val_e:
        if size > 4096:
            break
        parts.append(e)
        size += len(e.encode("utf-8")) + 2
    with open(heldout, "w", encoding="utf-8") as f:
        f.write("\n\n".join(parts) + "\n")
    res = validate(out_dir, model=model, heldout_path=heldout)
    info = {"params": model.num_params(), "n_train": len(train_e), "n_val": len(val_e),
            "train_tokens": len(train_ids), "val_tokens": len(val_ids), "n_merges": len(tok.merges),
            "minutes": round(state["elapsed"] / 60, 1), "steps": state["step"], "batch": B,
            "tokens_seen": state["tokens"], "epochs": state["tokens"] / max(len(train_ids), 1),
            "wd": args.wd, "lr": args.lr, "train_loss": tl, "val_loss": vl}
    info.update(res)
    write_readme(out_dir, info)
    log("validation:", json.dumps({k: v for k, v in res.items() if k != "sample_ids"}, indent=1))
    with open(os.path.join(args.workdir, "result.json"), "w") as f:
        json.dump(info, f, indent=1, default=str)
    size = sum(os.path.getsize(os.path.join(out_dir, f)) for f in os.listdir(out_dir))
    log(f"exported to {out_dir} ({size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
