"""Small synthetic GGUF models (numpy only) in the layouts llama.cpp and its forks load,
for testing Tern's GGUF import against reference.py.

    cd python && /usr/bin/python3 -m tern.gguf.synthetic --arch bitnet-b1.58 --type tq2_0 \\
        --out /tmp/m.gguf [--seed 0] [--block-scales uniform|varied] [--untied]
        [--embd-type f16|f32|bf16|q8_0|lowbit] [--ternary-float] [--hidden 256] [--ff 512]
        [--layers 2] [--heads 4] [--kv-heads 2] [--head-dim D] [--vocab 384]
        [--context 256] [--rope-theta 10000] [--eps 1e-5] [--name NAME]

Architectures (general.architecture) and tensor names as llama.cpp uses them:
token_embd, output_norm, [output] (untied head), blk.N.{attn_norm, attn_q, attn_k, attn_v,
attn_output, ffn_norm, ffn_gate, ffn_up, ffn_down}, each ".weight"; bitnet, bitnet-b1.58
and bitnet-25 add blk.N.attn_sub_norm [n_head * head_dim] and blk.N.ffn_sub_norm [ff];
qwen3 adds blk.N.attn_q_norm / attn_k_norm [head_dim] and writes key_length /
value_length (its default head_dim is 2 * hidden / heads, so q is wider than hidden).

Linear-layer types (--type): f32, f16, bf16, q8_0 hold random normal weights (rounded to
the type, so the file holds exactly the model's values); tq1_0, tq2_0, i2_s ternary
values in {-1, 0, 1} (about 1/3 zeros) times a scale; q1_0 signs times a per-block scale.
--block-scales uniform gives one scale per tensor (what llama.cpp writes for a ternary
model), varied a different fp16 scale per block and some all-zero blocks (TQ1_0/TQ2_0;
I2_S has one scale per tensor by definition); Q1_0 always has per-block scales. Every
scale has a 7-bit mantissa, exact in fp16 and bf16, so each encoder recovers it exactly.
--ternary-float writes ternary values times one scale per tensor as f32/f16/bf16 floats,
as llama.cpp's bitnet converter stores them. Norm weights are F32 around 1; token_embd is
f16 unless --embd-type says otherwise (lowbit: the --type, with ternary/binary values);
the head is tied unless --untied (then output.weight has the embedding's type).

`llama` files hold q and k permuted as llama.cpp's convert_hf_to_gguf LlamaModel.permute
does (reshape(n_head, 2, rows // n_head // 2, cols).swapaxes(1, 2).reshape(rows, cols);
n_head = head_count for q, head_count_kv for k), for its NORM RoPE: the model's
(Hugging Face order) weights, SyntheticModel.weights, are the unpermuted ones.

Vocabulary: "gpt2" (byte-level BPE: the 256 byte symbols, merges learned from a built-in
text, then <|begin_of_text|> / <|end_of_text|> as control tokens) for bitnet*/qwen3;
"llama" (SentencePiece: <unk> = 0 type 2, <s> / </s> type 3, <0xNN> byte tokens type 6,
pieces with U+2581 for spaces and scores = -rank, add_space_prefix) for llama.
"""
import argparse
import functools
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from . import q8_0 as _q8_0            # registers Q8_0
from . import ternary  # noqa: F401  (registers TQ1_0, TQ2_0, I2_S, Q1_0)
from .convert_hf import TOKEN_CONTROL, TOKEN_NORMAL, TOKEN_UNKNOWN, TOKEN_USER_DEFINED, \
    bytes_to_unicode
from .reader import dequantize
from .writer import GGUFValueType, GGUFWriter, f32_to_bf16_bits, tensor_type

__all__ = ["ARCHS", "TYPES", "SyntheticModel", "make_model", "write_gguf", "permute_rows",
           "unpermute_rows", "gpt2_vocab", "spm_vocab", "main"]

ARCHS = ("llama", "qwen3", "bitnet", "bitnet-b1.58", "bitnet-25")
FLOAT_TYPES = ("f32", "f16", "bf16", "q8_0")
TERNARY_TYPES = ("tq1_0", "tq2_0", "i2_s")
TYPES = FLOAT_TYPES + TERNARY_TYPES + ("q1_0",)
EMBD_TYPES = ("f16", "f32", "bf16", "q8_0", "lowbit")
TOKEN_BYTE = 6
# general.file_type (llama_ftype) per linear type; I2_S's 40 is bitnet.cpp's
# LLAMA_FTYPE_MOSTLY_I2_S and Q1_0's 40 PrismML's LLAMA_FTYPE_MOSTLY_Q1_0 (they collide).
FILE_TYPE = {"f32": 0, "f16": 1, "bf16": 32, "q8_0": 7, "tq1_0": 36, "tq2_0": 37,
             "i2_s": 40, "q1_0": 40}
LINEARS = ("attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down")

CORPUS = """\
The quick brown fox jumps over the lazy dog. A ternary model stores each weight as minus
one, zero or plus one, and one scale for a block of weights. The compiler reads the file,
checks every tensor, and writes a program that runs the model on the machine it was built
for. When the numbers agree with the reference, the test passes; when they do not, it
prints the first token where they differ. There are three kinds of layers here: attention,
the feed forward network, and the norms between them. The attention layer looks back at
the tokens that came before, and the feed forward layer mixes the features of one token.
Small models are quick to build and quick to check, so the tests can run them all in a few
seconds. Then the same code reads the large models that people download and use.
"""


# ----------------------------------------------------------------------------- vocabulary
def _train_bpe(words, n_merges):
    """Merges learned from {tuple of symbols: count}: the most frequent adjacent pair
    first, ties to the smallest pair. Returns [(a, b)] (fewer when the text runs out)."""
    words = dict(words)
    merges = []
    while len(merges) < n_merges:
        pairs = Counter()
        for w, c in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merges.append(best)
        new = {}
        for w, c in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    out.append(w[i] + w[i + 1])
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            new[tuple(out)] = new.get(tuple(out), 0) + c
        words = new
    return merges


_GPT2_SPLIT = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+"
                         r"|\s+(?!\S)|\s+")


def _copy(v):
    return {k: list(x) if isinstance(x, list) else x for k, x in v.items()}


def gpt2_vocab(n_vocab, text=CORPUS):
    """Byte-level BPE vocabulary: ids 0..255 the byte symbols (id = byte), merged tokens,
    then BOS and EOS (control). Returns dict(tokens, token_type, merges, bos, eos)."""
    return _copy(_gpt2_vocab(n_vocab, text))


def spm_vocab(n_vocab, text=CORPUS):
    """SentencePiece vocabulary: <unk>, <s>, </s>, <0x00>..<0xFF>, merged pieces (score
    -rank), then the text's single characters (lower scores). Returns dict(tokens,
    scores, token_type, bos=1, eos=2, unk=0)."""
    return _copy(_spm_vocab(n_vocab, text))


@functools.lru_cache(maxsize=8)      # BPE training is the slow part of make_model
def _gpt2_vocab(n_vocab, text):
    n_merges = n_vocab - 258
    if n_merges < 0:
        raise ValueError(f"a gpt2 vocabulary needs at least 258 tokens, got {n_vocab}")
    sym = bytes_to_unicode()
    words = Counter(tuple(sym[b] for b in w.encode("utf-8"))
                    for w in _GPT2_SPLIT.findall(text))
    merges = _train_bpe(words, n_merges)
    tokens = [sym[b] for b in range(256)] + [a + b for a, b in merges]
    types = [TOKEN_NORMAL] * len(tokens)
    while len(tokens) < n_vocab - 2:
        tokens.append(f"<|tok_{len(tokens)}|>")
        types.append(TOKEN_USER_DEFINED)
    tokens += ["<|begin_of_text|>", "<|end_of_text|>"]
    types += [TOKEN_CONTROL, TOKEN_CONTROL]
    return dict(tokens=tokens, token_type=types, merges=[f"{a} {b}" for a, b in merges],
                bos=n_vocab - 2, eos=n_vocab - 1)


@functools.lru_cache(maxsize=8)
def _spm_vocab(n_vocab, text):
    norm = "\u2581" + text.replace("\n", " ").replace(" ", "\u2581")
    words = Counter(tuple(w) for w in re.findall("\u2581?[^\u2581]+", norm))
    chars = sorted({c for w in words for c in w})
    n_merges = n_vocab - 259 - len(chars)
    if n_merges < 0:
        raise ValueError(f"a llama vocabulary needs at least {259 + len(chars)} tokens")
    merges = _train_bpe(words, n_merges)
    pieces = []
    for a, b in merges:                 # a merge can rebuild an earlier piece: keep the first
        if a + b not in pieces and a + b not in chars:
            pieces.append(a + b)
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)]
    types = [TOKEN_UNKNOWN, TOKEN_CONTROL, TOKEN_CONTROL] + [TOKEN_BYTE] * 256
    scores = [0.0] * len(tokens)
    for i, p in enumerate(pieces):
        tokens.append(p)
        types.append(TOKEN_NORMAL)
        scores.append(-float(i))
    for i, c in enumerate(chars):
        tokens.append(c)
        types.append(TOKEN_NORMAL)
        scores.append(-float(len(pieces) + i))
    while len(tokens) < n_vocab:
        tokens.append(f"<pad_{len(tokens)}>")
        types.append(TOKEN_USER_DEFINED)
        scores.append(0.0)
    return dict(tokens=tokens, token_type=types, scores=scores, bos=1, eos=2, unk=0)


# ----------------------------------------------------------------------------- weights
def permute_rows(w, n_head):
    """llama.cpp's LlamaModel.permute: HF row order -> the GGUF order NORM RoPE expects
    (row h*D + a*D/2 + i goes to h*D + 2i + a). Works on any array with rows first."""
    w = np.asarray(w)
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]) \
        .swapaxes(1, 2).reshape(w.shape)


def unpermute_rows(w, n_head):
    """The inverse of permute_rows."""
    w = np.asarray(w)
    return w.reshape(n_head, w.shape[0] // n_head // 2, 2, *w.shape[1:]) \
        .swapaxes(1, 2).reshape(w.shape)


def _scale(rng, size, base):
    """Positive scales near base with a 7-bit mantissa (exact in fp16 and bf16)."""
    e = np.floor(np.log2(base))
    m = rng.integers(64, 128, size=size)
    return (m / 64.0 * 2.0 ** (e - 1)).astype(np.float32)


def _round_to(w, ttype):
    """w rounded to what ttype stores, so the file holds exactly the returned values."""
    w = np.asarray(w, np.float32)
    if ttype == "f16":
        return w.astype(np.float16).astype(np.float32)
    if ttype == "bf16":
        return (f32_to_bf16_bits(w).astype(np.uint32) << 16).view(np.float32)
    if ttype == "q8_0":
        return dequantize(_q8_0.encode_q8_0(w), "Q8_0", w.shape)
    return w


def _ternary_values(rng, shape):
    return rng.integers(-1, 2, size=shape, dtype=np.int8).astype(np.float32)


def _matrix(rng, shape, ttype, block_scales, ternary_float):
    N, K = shape
    if ttype in FLOAT_TYPES:
        if ternary_float:
            return _ternary_values(rng, shape) * _scale(rng, (), 1.0 / np.sqrt(K))
        return _round_to(rng.standard_normal(shape).astype(np.float32) / np.sqrt(K), ttype)
    block = tensor_type(ttype).block_size
    if ttype == "q1_0":
        signs = np.where(rng.random(shape) < 0.5, -1.0, 1.0).astype(np.float32)
        d = _scale(rng, (N, K // block), 1.0 / np.sqrt(K))
        return (signs.reshape(N, -1, block) * d[..., None]).reshape(shape)
    v = _ternary_values(rng, shape)
    if block_scales == "uniform":
        return v * _scale(rng, (), 1.0 / np.sqrt(K))
    if ttype == "i2_s":
        raise ValueError("I2_S holds one scale per tensor: --block-scales varied does not "
                         "apply")
    nb = K // block
    d = _scale(rng, (N, nb), 1.0 / np.sqrt(K))
    vb = v.reshape(N, nb, block)
    n_zero = max(1, N * nb // 8) if N * nb >= 2 else 0
    for i in rng.choice(N * nb, size=n_zero, replace=False):
        vb[i // nb, i % nb] = 0
    return (vb * d[..., None]).reshape(shape)


@dataclass
class SyntheticModel:
    """arch, hyperparameters, vocabulary, and the weights: {tensor name: float32 array in
    Hugging Face order (q/k unpermuted), exactly the values the file holds} with {tensor
    name: ggml type name}."""
    arch: str
    hp: dict
    vocab: dict
    weights: dict = field(default_factory=dict)
    types: dict = field(default_factory=dict)
    name: str = "synthetic"


# Chat templates (Jinja, as GGUF files carry them in tokenizer.chat_template),
# their opening and end-of-turn special tokens.
CHAT_TEMPLATES = {
    "chatml": ("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}"
               "<|im_end|>\n{% endfor %}<|im_start|>assistant\n",
               ("<|im_start|>", "<|im_end|>")),
    "llama3": ("{% for m in messages %}<|start_header_id|>{{ m['role'] }}<|end_header_id|>"
               "\n\n{{ m['content'] }}<|eot_id|>{% endfor %}",
               ("<|start_header_id|>", "<|eot_id|>")),
}


def _add_chat_tokens(voc, chat_template):
    """Turns the two tokens before BOS of a gpt2 vocabulary into the template's
    special tokens (control), dropping the merges that made them."""
    ids = (voc["bos"] - 2, voc["bos"] - 1)
    for i, special in zip(ids, CHAT_TEMPLATES[chat_template][1]):
        old = voc["tokens"][i]
        voc["merges"] = [mg for mg in voc["merges"] if mg.replace(" ", "", 1) != old]
        voc["tokens"][i] = special
        voc["token_type"][i] = TOKEN_CONTROL
    voc["chat_template"] = CHAT_TEMPLATES[chat_template][0]


def make_model(arch="llama", ltype="tq2_0", *, seed=0, block_scales="uniform", untied=False,
               embd_type="f16", ternary_float=False, hidden=256, ff=512, layers=2, heads=4,
               kv_heads=2, head_dim=None, vocab=384, context=256, rope_theta=10000.0,
               eps=1e-5, name=None, chat_template=None):
    if arch not in ARCHS:
        raise ValueError(f"unknown arch '{arch}' ({', '.join(ARCHS)})")
    if ltype not in TYPES:
        raise ValueError(f"unknown type '{ltype}' ({', '.join(TYPES)})")
    if embd_type not in EMBD_TYPES:
        raise ValueError(f"unknown embedding type '{embd_type}' ({', '.join(EMBD_TYPES)})")
    if block_scales not in ("uniform", "varied"):
        raise ValueError(f"block_scales must be 'uniform' or 'varied', got '{block_scales}'")
    if ternary_float and ltype not in ("f32", "f16", "bf16"):
        raise ValueError("--ternary-float writes f32, f16 or bf16 weights")
    if embd_type == "lowbit" and ltype in FLOAT_TYPES:
        raise ValueError("--embd-type lowbit needs a low-bit --type")
    if head_dim is None:
        head_dim = (2 if arch == "qwen3" else 1) * hidden // heads
    if heads % kv_heads or head_dim % 2:
        raise ValueError(f"heads {heads}, kv_heads {kv_heads}, head_dim {head_dim}")
    rng = np.random.default_rng(seed)
    voc = spm_vocab(vocab) if arch == "llama" else gpt2_vocab(vocab)
    if chat_template:
        if arch == "llama" or chat_template not in CHAT_TEMPLATES:
            raise ValueError(f"--chat-template takes {', '.join(CHAT_TEMPLATES)} "
                             "(byte-level vocabularies only)")
        _add_chat_tokens(voc, chat_template)
    hp = dict(hidden=hidden, ff=ff, layers=layers, heads=heads, kv_heads=kv_heads,
              head_dim=head_dim, vocab=vocab, context=context, rope_theta=rope_theta,
              eps=eps, ltype=ltype, block_scales=block_scales, embd_type=embd_type,
              ternary_float=ternary_float, untied=untied)
    m = SyntheticModel(arch, hp, voc, name=name or f"synthetic-{arch}-{ltype}")
    QD, KD = heads * head_dim, kv_heads * head_dim
    etype = ltype if embd_type == "lowbit" else embd_type

    def matrix(nm, shape, t):
        if nm.startswith("blk.") or embd_type == "lowbit":
            w = _matrix(rng, shape, t, block_scales, ternary_float and nm.startswith("blk."))
        else:
            w = _round_to(rng.standard_normal(shape).astype(np.float32) * 0.1, t)
        m.weights[nm], m.types[nm] = w.astype(np.float32), t.upper()

    def norm(nm, n):
        m.weights[nm] = (1 + 0.1 * rng.standard_normal(n)).astype(np.float32)
        m.types[nm] = "F32"

    matrix("token_embd.weight", (vocab, hidden), etype)
    shapes = {"attn_q": (QD, hidden), "attn_k": (KD, hidden), "attn_v": (KD, hidden),
              "attn_output": (hidden, QD), "ffn_gate": (ff, hidden), "ffn_up": (ff, hidden),
              "ffn_down": (hidden, ff)}
    for l in range(layers):
        p = f"blk.{l}."
        norm(p + "attn_norm.weight", hidden)
        for n in ("attn_q", "attn_k", "attn_v", "attn_output"):
            matrix(f"{p}{n}.weight", shapes[n], ltype)
        if arch.startswith("bitnet"):
            norm(p + "attn_sub_norm.weight", QD)
        if arch == "qwen3":
            norm(p + "attn_q_norm.weight", head_dim)
            norm(p + "attn_k_norm.weight", head_dim)
        norm(p + "ffn_norm.weight", hidden)
        for n in ("ffn_gate", "ffn_up", "ffn_down"):
            matrix(f"{p}{n}.weight", shapes[n], ltype)
        if arch.startswith("bitnet"):
            norm(p + "ffn_sub_norm.weight", ff)
    norm("output_norm.weight", hidden)
    if untied:
        matrix("output.weight", (vocab, hidden), etype)
    return m


def write_gguf(m, path):
    """Write a SyntheticModel as GGUF (permuting llama's q and k rows)."""
    a, hp = m.arch, m.hp
    w = GGUFWriter(path)
    w.add_string("general.architecture", a)
    w.add_string("general.name", m.name)
    w.add_uint32("general.file_type", FILE_TYPE[hp["ltype"]])
    if hp["ltype"] not in ("f32", "f16", "bf16"):
        w.add_uint32("general.quantization_version", 2)
    w.add_uint32(f"{a}.vocab_size", hp["vocab"])
    w.add_uint32(f"{a}.context_length", hp["context"])
    w.add_uint32(f"{a}.embedding_length", hp["hidden"])
    w.add_uint32(f"{a}.block_count", hp["layers"])
    w.add_uint32(f"{a}.feed_forward_length", hp["ff"])
    w.add_uint32(f"{a}.attention.head_count", hp["heads"])
    w.add_uint32(f"{a}.attention.head_count_kv", hp["kv_heads"])
    if a == "qwen3":
        w.add_uint32(f"{a}.attention.key_length", hp["head_dim"])
        w.add_uint32(f"{a}.attention.value_length", hp["head_dim"])
    w.add_uint32(f"{a}.rope.dimension_count", hp["head_dim"])
    w.add_float32(f"{a}.rope.freq_base", hp["rope_theta"])
    w.add_float32(f"{a}.attention.layer_norm_rms_epsilon", hp["eps"])
    v = m.vocab
    if a == "llama":
        w.add_string("tokenizer.ggml.model", "llama")
        w.add_array("tokenizer.ggml.tokens", v["tokens"], GGUFValueType.STRING)
        w.add_array("tokenizer.ggml.scores", np.asarray(v["scores"], np.float32))
        w.add_array("tokenizer.ggml.token_type", np.asarray(v["token_type"], np.int32))
        w.add_uint32("tokenizer.ggml.unknown_token_id", v["unk"])
        w.add_bool("tokenizer.ggml.add_space_prefix", True)
    else:
        w.add_string("tokenizer.ggml.model", "gpt2")
        w.add_string("tokenizer.ggml.pre", "gpt-2")
        w.add_array("tokenizer.ggml.tokens", v["tokens"], GGUFValueType.STRING)
        w.add_array("tokenizer.ggml.token_type", np.asarray(v["token_type"], np.int32))
        w.add_array("tokenizer.ggml.merges", v["merges"], GGUFValueType.STRING)
    if "chat_template" in v:
        w.add_string("tokenizer.chat_template", v["chat_template"])
    w.add_uint32("tokenizer.ggml.bos_token_id", v["bos"])
    w.add_uint32("tokenizer.ggml.eos_token_id", v["eos"])
    w.add_bool("tokenizer.ggml.add_bos_token", a != "qwen3")
    w.add_bool("tokenizer.ggml.add_eos_token", False)
    for name, arr in m.weights.items():
        if a == "llama" and name.endswith((".attn_q.weight", ".attn_k.weight")):
            arr = permute_rows(arr, hp["heads"] if ".attn_q." in name else hp["kv_heads"])
        w.add_tensor(name, arr, m.types[name])
    w.write()
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description="write a small synthetic GGUF model")
    ap.add_argument("--arch", required=True, choices=ARCHS)
    ap.add_argument("--type", required=True, choices=TYPES, help="linear-layer type")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--block-scales", default="uniform", choices=("uniform", "varied"),
                    help="ternary types: one scale per tensor, or one per block (q1_0: "
                         "always per block)")
    ap.add_argument("--untied", action="store_true", help="write a separate output.weight")
    ap.add_argument("--embd-type", default="f16", choices=EMBD_TYPES,
                    help="token_embd (and output) type; lowbit = --type")
    ap.add_argument("--ternary-float", action="store_true",
                    help="f32/f16/bf16 linears holding ternary values times one scale")
    for opt, default in (("hidden", 256), ("ff", 512), ("layers", 2), ("heads", 4),
                         ("kv-heads", 2), ("head-dim", None), ("vocab", 384),
                         ("context", 256)):
        ap.add_argument(f"--{opt}", type=int, default=default)
    ap.add_argument("--rope-theta", type=float, default=10000.0)
    ap.add_argument("--eps", type=float, default=1e-5)
    ap.add_argument("--name")
    ap.add_argument("--chat-template", choices=sorted(CHAT_TEMPLATES),
                    help="store a chat template and its special tokens")
    a = ap.parse_args(argv)
    try:
        m = make_model(a.arch, a.type, seed=a.seed, block_scales=a.block_scales,
                       untied=a.untied, embd_type=a.embd_type, ternary_float=a.ternary_float,
                       hidden=a.hidden, ff=a.ff, layers=a.layers, heads=a.heads,
                       kv_heads=a.kv_heads, head_dim=a.head_dim, vocab=a.vocab,
                       context=a.context, rope_theta=a.rope_theta, eps=a.eps, name=a.name,
                       chat_template=a.chat_template)
        write_gguf(m, a.out)
    except ValueError as e:
        ap.error(str(e))
    scales = "per-block" if a.type == "q1_0" else a.block_scales
    print(f"wrote {a.out}: {a.arch}, linears {a.type} ({scales} scales), "
          f"token_embd {m.types['token_embd.weight']}, "
          f"{'untied' if a.untied else 'tied'} head, {len(m.weights)} tensors")


if __name__ == "__main__":
    main()
