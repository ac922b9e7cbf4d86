"""Tests of tern's Python side: formats, tokenizer, numpy reference, torch model.

Run with: /usr/bin/python3 -m pytest python/tests -q
"""
import json
import math
import os
import struct

import numpy as np
import pytest
import torch

from tern.bitnet import safetensors_io as st
from tern.bitnet.config import BitNetConfig
from tern.bitnet.packing import pack_ternary, unpack_ternary
from tern.bitnet import reference_numpy as ref
from tern.bitnet.model_torch import BitNetModel, BitLinear, from_checkpoint
from tern.bitnet.synthetic import LAYOUTS, make_checkpoint
from tern.tokenizer.bpe import (ByteLevelBPE, PRETOKENIZE_REGEX, bytes_to_unicode, pretokenize,
                                train_bpe, BOS_TOKEN, EOS_TOKEN)

torch.set_num_threads(1)
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FORTUNES_MODEL = os.path.join(REPO, "models", "bitnet-fortunes")


# ----------------------------------------------------------------------------- packing
def test_pack_roundtrip():
    rng = np.random.default_rng(0)
    for out, inn in [(4, 1), (8, 3), (40, 72), (688, 256)]:
        w = rng.integers(-1, 2, size=(out, inn)).astype(np.int8)
        p = pack_ternary(w)
        assert p.dtype == np.uint8 and p.shape == (out // 4, inn)
        np.testing.assert_array_equal(unpack_ternary(p), w)


def test_pack_bit_layout():
    # rows r, r+R, r+2R, r+3R of column c live in bits 1:0, 3:2, 5:4, 7:6 of byte [r, c]
    w = np.zeros((8, 2), np.int8)
    w[0, 0], w[2, 0], w[4, 0], w[6, 0] = 1, -1, 0, 1      # R = 2: byte [0, 0]
    w[1, 1] = -1                                          # byte [1, 1], bits 1:0
    p = pack_ternary(w)
    assert p[0, 0] == (2 | (0 << 2) | (1 << 4) | (2 << 6))
    assert p[1, 1] == (0 | (1 << 2) | (1 << 4) | (1 << 6))
    assert p[0, 1] == 0b01010101 and p[1, 0] == 0b01010101   # all zeros -> code 1


def test_pack_errors():
    with pytest.raises(ValueError):
        pack_ternary(np.zeros((6, 4), np.int8))
    with pytest.raises(ValueError):
        pack_ternary(np.full((4, 4), 2, np.int8))
    # code 3 unpacks to +2 (never written by pack)
    assert unpack_ternary(np.array([[3]], np.uint8))[0, 0] == 2


# ----------------------------------------------------------------------------- safetensors
def test_safetensors_roundtrip(tmp_path):
    rng = np.random.default_rng(0)
    bf = st.round_to_bf16(rng.standard_normal((3, 5)).astype(np.float32))
    tensors = {
        "f32": rng.standard_normal((2, 3)).astype(np.float32),
        "f16": rng.standard_normal((4,)).astype(np.float16),
        "bf16": st.BF16(bf),
        "u8": rng.integers(0, 256, (7, 3)).astype(np.uint8),
        "i8": rng.integers(-128, 128, (5,)).astype(np.int8),
        "scalar": np.array(3.5, np.float32),
        "empty": np.zeros((0, 4), np.float32),
    }
    path = tmp_path / "t.safetensors"
    st.save(str(path), tensors, metadata={"format": "pt"})
    header, meta, start, size = st.read_header(str(path))
    assert start % 8 == 0 and meta == {"format": "pt"}
    assert header["bf16"]["dtype"] == "BF16" and header["u8"]["shape"] == [7, 3]
    back = st.load(str(path))
    for k, v in tensors.items():
        want = v.array if isinstance(v, st.BF16) else v
        assert back[k].shape == want.shape
        np.testing.assert_array_equal(back[k], want)
    raw = st.load(str(path), raw_bf16=True)["bf16"]
    assert raw.dtype == np.uint16


def test_bf16_rounding():
    x = np.array([1.0, 1.0 + 2 ** -8, 1.0 + 3 * 2 ** -8, 1.0 + 2 ** -9, -2.5, np.inf], np.float32)
    y = st.round_to_bf16(x)
    # ties to even: 1+2^-8 is halfway between 1 and 1+2^-7 -> 1; 1+3*2^-8 -> 1+2^-6
    np.testing.assert_array_equal(y, np.array([1.0, 1.0, 1.0 + 2 ** -6, 1.0, -2.5, np.inf], np.float32))
    assert np.isnan(st.round_to_bf16(np.array([np.nan], np.float32)))[0]


def _write_raw(path, header_obj=None, header_bytes=None, data=b"", hlen=None):
    hb = header_bytes if header_bytes is not None else json.dumps(header_obj).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb) if hlen is None else hlen))
        f.write(hb)
        f.write(data)


@pytest.mark.parametrize("case,match", [
    ("short", "too short"),
    ("hlen", "exceeds the file size"),
    ("json", "not valid UTF-8 JSON"),
    ("notobj", "not an object"),
    ("dtype", "unsupported dtype"),
    ("missing", "missing 'data_offsets'"),
    ("past_end", "past the end"),
    ("size", "needs 16 bytes"),
    ("overlap", "overlap"),
    ("shape", "bad shape"),
])
def test_safetensors_malformed(tmp_path, case, match):
    p = str(tmp_path / f"{case}.safetensors")
    if case == "short":
        open(p, "wb").write(b"\x01\x02")
    elif case == "hlen":
        _write_raw(p, {"a": 1}, hlen=10 ** 6)
    elif case == "json":
        _write_raw(p, header_bytes=b"{not json")
    elif case == "notobj":
        _write_raw(p, header_bytes=b"[1, 2]")
    elif case == "dtype":
        _write_raw(p, {"a": {"dtype": "Q4", "shape": [1], "data_offsets": [0, 1]}}, data=b"\0")
    elif case == "missing":
        _write_raw(p, {"a": {"dtype": "F32", "shape": [1]}}, data=b"\0" * 4)
    elif case == "past_end":
        _write_raw(p, {"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}, data=b"\0" * 8)
    elif case == "size":
        _write_raw(p, {"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 12]}}, data=b"\0" * 16)
    elif case == "overlap":
        _write_raw(p, {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                       "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}, data=b"\0" * 12)
    elif case == "shape":
        _write_raw(p, {"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}, data=b"\0" * 4)
    with pytest.raises(st.SafetensorsError, match=match) as ei:
        st.load(p)
    assert p in str(ei.value)          # the error names the file


def test_load_dir_missing(tmp_path):
    with pytest.raises(st.SafetensorsError, match="neither"):
        st.load_dir(str(tmp_path))


# ----------------------------------------------------------------------------- tokenizer
TRICKY = [
    "", " ", "  ", "\n", "\n\n\n", "\t \t", "a", "Hello, world!", "Hello  world", "   leading",
    "trailing   ", "it's they're we've I'm you'll he'd", "IT'S", "digits 1234567890 3.14159 -42",
    "naïve café résumé Æsir Ω≈ç√∫", "日本語のテキスト、中文字符。", "emoji 🎉👍🏽👨‍👩‍👧‍👦 🇫🇷",
    "mixed\ttabs\r\nand CRLF\r\n", "zero\u200bwidth\u00a0nbsp", "x" * 300, "!!!???...,,,;;;",
    "<|begin_of_text|> literal special", "\x00\x01\x7f control", "a\u0301 combining",
    "Ünïcödé\n\n  \tmixed   whitespace\u3000ideographic space",
]


@pytest.fixture(scope="module")
def small_tok():
    corpus = ["The quick brown fox jumps over the lazy dog. " * 20,
              "It's 1234 o'clock and they're here; we've seen 56789 things!\n" * 10,
              "Ünïcödé text with café and naïve words. 日本語 " * 5]
    return train_bpe(corpus, vocab_size=320)


def test_pretokenizer_regex():
    assert pretokenize("Hello world's  123abc!!\n\n x") == \
        ["Hello", " world", "'s", " ", " 123", "abc", "!!", "\n\n", " x"]
    assert pretokenize("a   b") == ["a", "  ", " b"]
    assert "".join(pretokenize(TRICKY[-1])) == TRICKY[-1]


def test_bytes_to_unicode():
    m = bytes_to_unicode()
    assert len(m) == 256 and len(set(m.values())) == 256
    assert m[ord("A")] == "A" and m[ord(" ")] == "\u0120" and m[ord("\n")] == "\u010a"


@pytest.mark.parametrize("text", TRICKY)
def test_tokenizer_roundtrip(small_tok, text):
    ids = small_tok.encode(text)
    assert all(0 <= i < small_tok.vocab_size for i in ids)
    assert small_tok.decode(ids) == text
    assert small_tok.bos_id not in ids      # specials are not parsed by default


def test_tokenizer_merges_and_specials(small_tok):
    assert small_tok.vocab_size == 320
    assert small_tok.vocab[BOS_TOKEN] == 318 and small_tok.vocab[EOS_TOKEN] == 319
    assert len(small_tok.encode(" the quick brown fox")) < len(" the quick brown fox")
    ids = small_tok.encode("<|begin_of_text|>hi<|end_of_text|>", allow_special=True)
    assert ids[0] == small_tok.bos_id and ids[-1] == small_tok.eos_id
    assert small_tok.decode(ids) == "<|begin_of_text|>hi<|end_of_text|>"
    assert small_tok.decode(ids, skip_special=True) == "hi"
    assert small_tok.encode("hi", add_bos=True)[0] == small_tok.bos_id


def test_tokenizer_json_roundtrip(small_tok, tmp_path):
    p = str(tmp_path / "tokenizer.json")
    small_tok.save(p)
    d = json.load(open(p, encoding="utf-8"))
    assert d["model"]["type"] == "BPE"
    assert d["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] == PRETOKENIZE_REGEX
    assert d["decoder"]["type"] == "ByteLevel"
    assert {t["content"] for t in d["added_tokens"]} == {BOS_TOKEN, EOS_TOKEN}
    assert len(d["model"]["merges"]) == 320 - 256 - 2
    tok2 = ByteLevelBPE.load(p)
    for text in TRICKY:
        assert tok2.encode(text) == small_tok.encode(text)


def test_tokenizer_merge_by_rank():
    # merges: (a,b) rank 0, (b,c) rank 1 -> "abc" = [ab, c]; (c,d) only -> "bcd" = [bc, d]
    b2u = bytes_to_unicode()
    vocab = {b2u[b]: b for b in range(256)}
    merges = [("a", "b"), ("b", "c"), ("c", "d")]
    for a, b in merges:
        vocab[a + b] = len(vocab)
    tok = ByteLevelBPE(vocab, merges)
    assert tok.encode("abc") == [vocab["ab"], vocab["c"]]
    assert tok.encode("bcd") == [vocab["bc"], vocab["d"]]
    assert tok.encode("abcd") == [vocab["ab"], vocab["cd"]]


# ----------------------------------------------------------------------------- ops
def test_quantize_half_to_even():
    m = np.float32(127.0)     # max |x| = 127 -> multiplier 1
    x = np.array([[0.5, 1.5, 2.5, -0.5, -1.5, 127.0, -127.0]], np.float32)
    q, s = ref.quantize(x)
    np.testing.assert_array_equal(q, [[0, 2, 2, -0, -2, 127, -127]])
    assert s[0] == np.float32(m / 127)
    q, s = ref.quantize(np.zeros((1, 4), np.float32))
    assert s[0] == np.float32(1e-5) / np.float32(127) and not q.any()


def test_ternarize():
    w = np.array([[0.1, -0.2, 0.05, 0.6], [-1.0, 0.0, 0.3, -0.3]], np.float32)
    q, g = ref.ternarize(w)
    acc = np.float32(0)
    for v in np.abs(w).reshape(-1):          # summed in order, in float32
        acc = np.float32(acc + v)
    assert g == np.float32(acc / np.float32(8))
    np.testing.assert_array_equal(q, np.clip(np.rint(w * (np.float32(1) / g)), -1, 1))
    q, g = ref.ternarize(np.zeros((2, 2), np.float32))
    assert g == np.float32(1e-5) and not q.any()


def test_rope_and_attention_basics():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 2, 8)).astype(np.float32)
    y = ref.rope(x, np.array([0, 1, 2]), 10000.0)
    np.testing.assert_array_equal(y[0], x[0])                      # position 0: identity
    np.testing.assert_allclose(np.linalg.norm(y, axis=-1), np.linalg.norm(x, axis=-1), rtol=1e-5)
    # pair (0, 4) at position 1 rotates by angle 1 rad (freq_0 = 1)
    c, s = np.cos(np.float32(1)), np.sin(np.float32(1))
    np.testing.assert_allclose(y[1, 0, 0], x[1, 0, 0] * c - x[1, 0, 4] * s, rtol=1e-6)
    # the first token attends only to itself
    kc = np.zeros((1, 4, 8), np.float32)
    vc = np.zeros((1, 4, 8), np.float32)
    kc[0, 0] = rng.standard_normal(8)
    vc[0, 0] = rng.standard_normal(8)
    out = ref.attention(rng.standard_normal((1, 2, 8)).astype(np.float32), kc, vc, 0)
    np.testing.assert_allclose(out[0, 0], vc[0, 0], rtol=1e-6)
    np.testing.assert_allclose(out[0, 1], vc[0, 0], rtol=1e-6)


# ----------------------------------------------------------------------------- models
@pytest.fixture(scope="module")
def synth_dirs(tmp_path_factory):
    dirs = {}
    for layout in LAYOUTS:
        for tie, shards in [(None, 1), (False, 2)]:
            d = str(tmp_path_factory.mktemp(f"{layout}-{tie}-{shards}"))
            make_checkpoint(d, layout, shards=shards, tie=tie, seed=3)
            dirs[(layout, tie, shards)] = d
    return dirs


IDS = [int(i) for i in np.random.default_rng(7).integers(0, 300, 37)]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("tie,shards", [(None, 1), (False, 2)])
def test_synthetic_layouts_load_and_run(synth_dirs, layout, tie, shards):
    d = synth_dirs[(layout, tie, shards)]
    cfg = BitNetConfig.load(d)
    assert (cfg.hidden_size, cfg.num_attention_heads, cfg.num_key_value_heads,
            cfg.intermediate_size, cfg.vocab_size, cfg.num_hidden_layers) == (40, 5, 1, 72, 300, 2)
    if shards > 1:
        assert os.path.exists(os.path.join(d, "model.safetensors.index.json"))
        assert os.path.exists(os.path.join(d, "model-00002-of-00002.safetensors"))
    m = ref.load(d)
    lg = m.logits(IDS)
    assert lg.shape == (len(IDS), 300) and lg.dtype == np.float32 and np.isfinite(lg).all()
    # prefill == token-by-token decode through the KV cache
    np.testing.assert_allclose(m.logits_stepwise(IDS), lg, rtol=0, atol=1e-4)
    # and a split prefill (chunk of 20, then the rest)
    m.reset()
    lg2 = np.concatenate([m.forward(IDS[:20]), m.forward(IDS[20:])])
    np.testing.assert_allclose(lg2, lg, rtol=0, atol=1e-4)
    gen = m.generate_greedy(IDS[:5], 10)
    assert len(gen) == 10
    step = m.logits_stepwise(IDS[:5] + gen)
    assert [int(t) for t in step[4:-1].argmax(-1)] == gen
    ppl = m.perplexity(IDS)
    assert ppl > 1.0 and math.isfinite(ppl)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_numpy_vs_torch(synth_dirs, layout):
    d = synth_dirs[(layout, None, 1)]
    m = ref.load(d)
    lg = m.logits(IDS)
    t = from_checkpoint(d)
    with torch.no_grad():
        lt = t(torch.tensor([IDS]))[0].numpy()
    assert np.abs(lg - lt).max() < 1e-3 * max(1.0, np.abs(lg).max())
    assert (lg.argmax(-1) == lt.argmax(-1)).all()


def test_scale_direction(synth_dirs):
    auto = synth_dirs[("bitnet", None, 1)]
    bitl = synth_dirs[("bitnet-bitlinear", None, 1)]
    ta = st.load_dir(auto)
    tb = st.load_dir(bitl)
    name = "model.layers.0.self_attn.o_proj.weight_scale"
    assert ta[name].reshape(-1)[0] > 1.0 and tb[name].reshape(-1)[0] < 1.0   # gamma > 1 layer
    np.testing.assert_allclose(ta[name] * tb[name], 1.0, rtol=1e-2)
    cfg_b = BitNetConfig.load(bitl)
    assert cfg_b.linear_class == "bitlinear"
    _, wa = ref.load_weights(auto)
    _, wb = ref.load_weights(bitl)
    qa, sa = wa["model.layers.0.o_proj"]
    qb, sb = wb["model.layers.0.o_proj"]
    np.testing.assert_array_equal(qa, qb)
    assert sa > 1 and abs(sb / sa - 1) < 1e-2          # both are effective multipliers ~ gamma
    # same weights: the two layouts agree up to bf16 rounding of the scales
    la, lb = ref.load(auto).logits(IDS), ref.load(bitl).logits(IDS)
    assert np.abs(la - lb).max() < 0.1 * np.abs(la).max()
    # reading the bitlinear checkpoint as if it multiplied gives something else entirely
    cfg = json.load(open(os.path.join(bitl, "config.json")))
    cfg["quantization_config"]["linear_class"] = "autobitlinear"
    json.dump(cfg, open(os.path.join(bitl, "config.json"), "w"))
    try:
        lwrong = ref.load(bitl).logits(IDS)
        assert np.abs(lwrong - lb).max() > 0.1 * np.abs(lb).max()
    finally:
        cfg["quantization_config"]["linear_class"] = "bitlinear"
        json.dump(cfg, open(os.path.join(bitl, "config.json"), "w"))


def test_llama_default_linear_class(synth_dirs):
    cfg = BitNetConfig.load(synth_dirs[("llama-bitnet", None, 1)])
    assert "linear_class" not in cfg.quantization_config and cfg.linear_class == "bitlinear"
    assert cfg.layout == "llama-bitnet" and not cfg.tie_word_embeddings


def test_missing_tensor_error(synth_dirs, tmp_path):
    d = synth_dirs[("bitnet", None, 1)]
    T = st.load(os.path.join(d, "model.safetensors"), raw_bf16=False)
    del T["model.layers.1.mlp.down_proj.weight"]
    st.save(str(tmp_path / "model.safetensors"), T)
    BitNetConfig.load(d).save(str(tmp_path))
    with pytest.raises(KeyError, match="model.layers.1.mlp.down_proj.weight"):
        ref.load(str(tmp_path))


def test_config_roundtrip(tmp_path):
    cfg = BitNetConfig()
    cfg.save(str(tmp_path))
    d = json.load(open(tmp_path / "config.json"))
    assert d["architectures"] == ["BitNetForCausalLM"] and d["hidden_act"] == "relu2"
    assert d["quantization_config"]["linear_class"] == "autobitlinear"
    assert BitNetConfig.load(str(tmp_path)) == cfg
    assert cfg.head_dim_ == 128 and cfg.layout == "bitnet"


# ----------------------------------------------------------------------------- torch QAT
def _tiny_cfg():
    from tern.bitnet.synthetic import make_config
    return make_config("bitnet", hidden=32, heads=4, kv_heads=2, intermediate=48, vocab=64, layers=2)


def test_torch_qat_ste_and_training():
    torch.manual_seed(0)
    m = BitNetModel(_tiny_cfg())
    ids = torch.randint(0, 64, (4, 17))
    x, y = ids[:, :-1], ids[:, 1:]
    _, loss0 = m(x, y)
    loss0.backward()
    lin = m.layers[0].self_attn.q_proj
    assert lin.weight.grad is not None and lin.weight.grad.abs().sum() > 0   # STE passes grads
    opt = torch.optim.AdamW(m.parameters(), lr=3e-3)
    for _ in range(30):
        opt.zero_grad()
        _, loss = m(x, y)
        loss.backward()
        opt.step()
    assert loss.item() < loss0.item() - 0.5
    # train-mode (STE) and eval-mode (integer) forwards agree
    with torch.no_grad():
        m.train()
        a = m(x)
        m.eval()
        b = m(x)
    assert (a - b).abs().max().item() < 1e-3


def test_bitlinear_forward_matches_reference():
    torch.manual_seed(0)
    lin = BitLinear(24, 16).eval()
    x = torch.randn(5, 24)
    with torch.no_grad():
        yt = lin(x).numpy()
    q, g = ref.ternarize(lin.weight.detach().numpy())
    yr = ref.bitlinear(x.numpy(), q.astype(np.float32), g)
    np.testing.assert_allclose(yt, yr, rtol=1e-5, atol=1e-6)


def test_torch_export_numpy_agree(tmp_path):
    """Export a (random) torch model with the trainer's exporter and compare."""
    from tern.bitnet.train import export
    torch.manual_seed(1)
    cfg = _tiny_cfg()
    cfg.bos_token_id, cfg.eos_token_id = 62, 63
    m = BitNetModel(cfg)
    tok = train_bpe(["abc abd abe " * 10], vocab_size=64)
    export(m, tok, str(tmp_path))
    for f in ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
              "generation_config.json"):
        assert os.path.exists(tmp_path / f)
    names = st.read_header(str(tmp_path / "model.safetensors"))[0]
    assert names["model.layers.0.self_attn.q_proj.weight"]["dtype"] == "U8"
    assert names["model.layers.0.self_attn.q_proj.weight"]["shape"] == [8, 32]
    assert names["model.layers.0.mlp.down_proj.weight_scale"]["dtype"] == "BF16"
    assert "lm_head.weight" not in names
    r = ref.load(str(tmp_path))
    ids = list(range(0, 64, 3))
    lr = r.logits(ids)
    with torch.no_grad():
        lf = from_checkpoint(str(tmp_path))(torch.tensor([ids]))[0].numpy()
    assert np.abs(lr - lf).max() < 1e-3


# ----------------------------------------------------------------------------- trained model
@pytest.mark.skipif(not os.path.exists(os.path.join(FORTUNES_MODEL, "model.safetensors")),
                    reason="models/bitnet-fortunes not exported")
def test_fortunes_model():
    size = sum(os.path.getsize(os.path.join(FORTUNES_MODEL, f)) for f in os.listdir(FORTUNES_MODEL))
    assert size < 10 * 1024 * 1024
    tok = ByteLevelBPE.load(os.path.join(FORTUNES_MODEL, "tokenizer.json"))
    m = ref.load(FORTUNES_MODEL)
    assert m.cfg.vocab_size == tok.vocab_size
    ids = [tok.bos_id] + tok.encode("The meaning of life is")
    out = m.generate_greedy(ids, 24, stop_ids=(tok.eos_id,))
    text = tok.decode(out, skip_special=True)
    assert sum(c.isalpha() for c in text) > len(text) // 3
    held = open(os.path.join(FORTUNES_MODEL, "heldout.txt"), encoding="utf-8").read()
    hid = [tok.bos_id] + tok.encode(held)[:255]
    ppl = m.perplexity(hid)
    assert ppl < 200, ppl
