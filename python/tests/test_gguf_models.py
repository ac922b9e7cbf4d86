"""tern.gguf reader, low-bit encoders, synthetic GGUF models and the GGUF numpy reference.

Run with: cd python && /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/test_gguf_models.py
"""
import struct

import numpy as np
import pytest

from tern.bitnet import reference_numpy as ref
from tern.gguf import q8_0, reference as R, synthetic as S, ternary
from tern.gguf.reader import GGUFReader, GGUFReadError, decode_lowbit
from tern.gguf.writer import GGUFValueType, GGUFWriter

F32 = np.float32
IDS = [int(i) for i in np.random.default_rng(7).integers(0, 384, 13)]


def _lowbit_values(rng, shape, ttype):
    """Values and block scales each type stores exactly; some all-zero ternary blocks."""
    block = {"TQ1_0": 256, "TQ2_0": 256, "I2_S": shape[1], "Q1_0": 128}[ttype]
    nb = shape[1] // block
    scales = (rng.integers(64, 128, (shape[0], nb)) / 1024.0).astype(F32)
    if ttype == "I2_S":
        scales[:] = scales[0, 0]
    if ttype == "Q1_0":
        vals = np.where(rng.random(shape) < 0.5, -1, 1).astype(np.int8)
    else:
        vals = rng.integers(-1, 2, shape).astype(np.int8)
        vals[0, :block] = 0
        if ttype == "I2_S":
            vals[0, 0] = 1                          # the one scale stays visible
        else:
            scales[0, 0] = 0                        # an all-zero block stores d = absmax = 0
    x = (vals.reshape(shape[0], nb, block) * scales[..., None]).reshape(shape).astype(F32)
    return x, vals, scales


# ----------------------------------------------------------------------------- encoders
@pytest.mark.parametrize("ttype", ["F32", "F16", "BF16", "Q8_0", "TQ1_0", "TQ2_0", "I2_S",
                                   "Q1_0"])
def test_encoders_roundtrip_through_reader(tmp_path, ttype):
    rng = np.random.default_rng(11)
    shape = (3, 512)
    if ttype in ("F32", "F16", "BF16", "Q8_0"):
        x = rng.standard_normal(shape).astype(F32)
        want = S._round_to(x, ttype.lower())              # what the type can hold
        if ttype == "Q8_0":   # the decode of Q8_0 is qs * fp16(d): check one block by hand
            blk = np.frombuffer(q8_0.encode_q8_0(x[0, :32]), np.uint8)
            d = blk[:2].view("<f2")[0]
            assert np.array_equal(want[0, :32], blk[2:].view(np.int8).astype(F32) * F32(d))
        x = want
    else:
        x, vals, scales = _lowbit_values(rng, shape, ttype)
    path = str(tmp_path / "t.gguf")
    w = GGUFWriter(path)
    w.add_tensor("w", x, ttype)
    w.add_tensor("v", np.arange(7, dtype=F32), "F32")      # a tensor after it: sizes line up
    w.write()
    r = GGUFReader(path)
    t = r.tensor("w")
    assert t.shape == shape and t.dims == (512, 3) and t.type_name == ttype
    assert np.array_equal(r.dequantize("w"), x)
    assert np.array_equal(r.dequantize("v"), np.arange(7, dtype=F32))
    if ttype in ("TQ1_0", "TQ2_0", "I2_S", "Q1_0"):
        gv, gs = r.decode_lowbit("w")
        assert gv.dtype == np.int8 and gs.dtype == F32
        assert np.array_equal(gv, vals)
        assert np.array_equal(gs, scales[:1, :1].reshape(1) if ttype == "I2_S" else scales)
        assert t.nbytes == {"TQ1_0": 3 * 2 * 54, "TQ2_0": 3 * 2 * 66, "I2_S": 3 * 512 // 4 + 32,
                            "Q1_0": 3 * 4 * 18}[ttype]


def test_i2_s_hand_block():
    """One 128-weight block: weight j in byte j % 32 at shift 6 - 2 * (j / 32), codes
    0 / 1 / 2 = -1 / 0 / +1, then the float32 scale in a 32-byte tail."""
    g = F32(0.5)
    x = np.zeros((1, 128), F32)
    x[0, [0, 64, 127]] = g
    x[0, [32, 1]] = -g
    raw = np.frombuffer(ternary.encode_i2_s(x), np.uint8)
    want = np.full(64, 0x55, np.uint8)            # all codes 1 (zero)
    want[0] = (2 << 6) | (0 << 4) | (2 << 2) | 1  # j = 0, 32, 64, 96
    want[1] = (0 << 6) | (1 << 4) | (1 << 2) | 1  # j = 1, 33, 65, 97
    want[31] = (1 << 6) | (1 << 4) | (1 << 2) | 2  # j = 31, 63, 95, 127
    want[32:] = 0
    want[32:36] = [0x00, 0x00, 0x00, 0x3F]        # 0.5f little-endian
    assert raw.tolist() == want.tolist()
    vals, sc = decode_lowbit(raw.tobytes(), "I2_S", (1, 128))
    assert np.array_equal(vals.astype(F32) * sc[0], x) and sc.tolist() == [0.5]
    bad = raw.copy()
    bad[5] |= 0xC0                                # code 3
    with pytest.raises(GGUFReadError, match="code 3"):
        decode_lowbit(bad.tobytes(), "I2_S", (1, 128))


def test_q1_0_hand_block():
    """fp16 d = mean |w| first, then bit j at (qs[j / 8] >> (j % 8)) & 1; w >= 0 -> 1."""
    x = np.full((1, 128), -0.25, F32)
    x[0, [0, 9, 127]] = 0.25
    raw = np.frombuffer(ternary.encode_q1_0(x), np.uint8)
    want = [0x00, 0x34] + [0] * 16                # fp16 0.25 = 0x3400
    want[2 + 0], want[2 + 1], want[2 + 15] = 0x01, 0x02, 0x80
    assert raw.tolist() == want
    y = np.concatenate([np.full(64, 0.5), np.full(63, -1.5), [0.0]]).astype(F32)[None]
    raw = np.frombuffer(ternary.encode_q1_0(y), np.uint8)
    d = raw[:2].view("<f2")[0]
    assert d == np.float16(np.float32(0.5 * 64 + 1.5 * 63) / 128)
    assert raw[2:].tolist() == [0xFF] * 8 + [0] * 7 + [0x80]  # the zero counts as positive
    vals, sc = decode_lowbit(raw.tobytes(), "Q1_0", (1, 128))
    assert vals[0, :64].tolist() == [1] * 64 and vals[0, 64:127].tolist() == [-1] * 63
    assert vals[0, 127] == 1 and sc.shape == (1, 1) and sc[0, 0] == F32(d)


def test_q8_0_rounds_half_away_from_zero():
    """quantize_row_q8_0_ref uses roundf: with d = 2^-7 exactly, 0.5 -> 1, 2.5 -> 3."""
    x = np.zeros(32, F32)
    x[:4] = np.array([127, 0.5, -1.5, 2.5], F32) / 128
    raw = np.frombuffer(q8_0.encode_q8_0(x), np.uint8)
    assert raw[:2].view("<f2")[0] == np.float16(2 ** -7)
    assert raw[2:6].view(np.int8).tolist() == [127, 1, -2, 3]


# ----------------------------------------------------------------------------- reader
def test_reader_metadata_and_alignment(tmp_path):
    path = str(tmp_path / "m.gguf")
    w = GGUFWriter(path, alignment=64)
    w.add_string("general.architecture", "x")
    for vt, v in ((GGUFValueType.UINT8, 200), (GGUFValueType.INT8, -5),
                  (GGUFValueType.UINT16, 60000), (GGUFValueType.INT16, -300),
                  (GGUFValueType.UINT32, 2**32 - 1), (GGUFValueType.INT32, -2**31),
                  (GGUFValueType.UINT64, 2**64 - 1), (GGUFValueType.INT64, -2**63),
                  (GGUFValueType.FLOAT32, 0.25), (GGUFValueType.FLOAT64, 1e-300),
                  (GGUFValueType.BOOL, True)):
        w.add_key_value(f"s.{vt.name}", v, vt)
    w.add_array("a.str", ["a", "", "\u2581b\u00e9"])
    w.add_array("a.i32", np.array([1, -2], np.int32))
    w.add_array("a.bool", [True, False])
    w.add_array("a.nested", [[1, 2], ["x"]], GGUFValueType.ARRAY)
    w.add_tensor("t", np.ones((2, 3), F32), "F32")
    w.add_tensor("u", np.ones(5, F32), "F16")
    w.write()
    r = GGUFReader(path)
    assert r.version == 3 and r.alignment == 64 and r.data_offset % 64 == 0
    md = r.metadata
    assert md["s.UINT8"] == 200 and md["s.INT8"] == -5 and md["s.UINT16"] == 60000
    assert md["s.INT16"] == -300 and md["s.UINT32"] == 2**32 - 1 and md["s.INT32"] == -2**31
    assert md["s.UINT64"] == 2**64 - 1 and md["s.INT64"] == -2**63
    assert md["s.FLOAT32"] == 0.25 and md["s.FLOAT64"] == 1e-300 and md["s.BOOL"] is True
    assert r.value_types["s.FLOAT64"] == GGUFValueType.FLOAT64
    assert md["a.str"] == ["a", "", "\u2581b\u00e9"]
    assert md["a.i32"].tolist() == [1, -2] and md["a.bool"].tolist() == [True, False]
    assert md["a.nested"][0].tolist() == [1, 2] and md["a.nested"][1] == ["x"]
    assert r.tensor("u").offset % 64 == 0 and r.tensor("u").shape == (5,)
    assert np.array_equal(r.dequantize("t"), np.ones((2, 3), F32))


def test_reader_rejects_bad_files(tmp_path):
    good = str(tmp_path / "g.gguf")
    w = GGUFWriter(good)
    w.add_string("general.architecture", "x")
    w.add_tensor("t", np.ones((2, 32), F32), "F32")
    w.write()
    data = open(good, "rb").read()

    def bad(blob, match):
        p = tmp_path / "b.gguf"
        p.write_bytes(blob)
        with pytest.raises(GGUFReadError, match=match):
            GGUFReader(str(p))

    v2 = tmp_path / "v2.gguf"                            # version 2 has the same layout
    v2.write_bytes(data[:4] + struct.pack("<I", 2) + data[8:])
    assert GGUFReader(str(v2)).version == 2
    bad(b"GGML" + data[4:], "bad magic")
    bad(data[:4] + struct.pack("<I", 1) + data[8:], "version 1")
    bad(data[:4] + struct.pack(">I", 3) + data[8:], "big-endian")
    bad(data[:40], "truncated")
    bad(data[:-8], "past the end")
    i = data.index(b"t\x02\x00\x00\x00") + 5 + 16    # tensor t: name, n_dims, dims, type
    bad(data[:i] + struct.pack("<I", 99) + data[i + 4:], r"unknown ggml types: t \(type 99\)")


# ----------------------------------------------------------------------------- models
@pytest.mark.parametrize("arch", S.ARCHS)
@pytest.mark.parametrize("ltype", S.TYPES)
def test_every_arch_and_type_runs(tmp_path, arch, ltype):
    m = S.make_model(arch, ltype, seed=1, layers=1)
    path = S.write_gguf(m, str(tmp_path / "m.gguf"))
    r = GGUFReader(path)
    assert r.metadata["general.architecture"] == arch
    assert r.tensor("blk.0.ffn_down.weight").type_name == ltype.upper()
    assert r.tensor("token_embd.weight").type_name == "F16"
    assert "output.weight" not in r.tensors
    for name, w in m.weights.items():                    # the file holds the model's values
        got = r.dequantize(name)
        if arch == "llama" and name.endswith((".attn_q.weight", ".attn_k.weight")):
            got = S.unpermute_rows(got, m.hp["heads" if ".attn_q." in name else "kv_heads"])
        assert np.array_equal(got, w), name
    model = R.load(path)
    lin = model.W["blk.0.attn_v"]
    assert lin.kind == ("float" if ltype in S.FLOAT_TYPES else "bit")
    assert (lin.d is not None) == (ltype == "q1_0")      # per-block scales only for Q1_0
    lg = model.logits(IDS)
    assert lg.shape == (len(IDS), 384) and lg.dtype == F32 and np.isfinite(lg).all()
    assert np.abs(lg).max() > 0.1
    np.testing.assert_allclose(model.logits_stepwise(IDS), lg, rtol=0, atol=1e-4)
    gen = model.generate_greedy(IDS[:4], 5)
    assert gen == [int(t) for t in model.logits_stepwise(IDS[:4] + gen)[3:-1].argmax(-1)]


@pytest.mark.parametrize("ltype,scales", [("f32", "uniform"), ("tq2_0", "varied"),
                                          ("q1_0", "uniform"), ("i2_s", "uniform")])
def test_llama_permutation(tmp_path, ltype, scales):
    """A llama file written from HF-order weights (q, k permuted as llama.cpp's converter
    does) run with NORM RoPE gives the logits of the unpermuted weights with NEOX RoPE."""
    m = S.make_model("llama", ltype, seed=3, block_scales=scales)
    model = R.load(S.write_gguf(m, str(tmp_path / "l.gguf")))
    assert model.hp.rope == "norm"
    W = dict(model.W)
    for l in range(m.hp["layers"]):
        for n, heads in (("attn_q", m.hp["heads"]), ("attn_k", m.hp["kv_heads"])):
            key = f"blk.{l}.{n}"
            src = S.permute_rows(np.arange(W[key].shape[0]), heads)  # file row j = HF row src[j]
            W[key] = W[key].take_rows(np.argsort(src))
            assert np.array_equal(W[key].dequantized(), m.weights[key + ".weight"])
    hf = R.GGUFReferenceModel(R.replace(model.hp, rope="neox"), W)
    a, b = model.logits(IDS), hf.logits(IDS)
    scale = float(np.abs(a).max())
    assert np.abs(a - b).max() <= 1e-4 * scale
    # the check can fail: the permuted weights with NEOX RoPE are another model
    assert np.abs(model.with_rope("neox").logits(IDS) - a).max() > 1e-2 * scale


def test_norm_rope_is_permuted_neox():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((5, 3, 16)).astype(F32)        # HF order
    pos = np.arange(7, 12)
    perm = S.permute_rows(np.arange(16), 1)                # one head's rows
    assert perm.tolist()[:4] == [0, 8, 1, 9]
    assert np.array_equal(R.rope_norm(x[..., perm], pos, 500.0), ref.rope(x, pos, 500.0)[..., perm])


def test_varied_block_scales_change_the_logits(tmp_path):
    out = {}
    for scales in ("uniform", "varied"):
        m = S.make_model("bitnet-b1.58", "tq2_0", seed=5, block_scales=scales,
                         embd_type="lowbit", untied=True)
        model = R.load(S.write_gguf(m, str(tmp_path / f"{scales}.gguf")))
        for name in ("blk.0.attn_q", "blk.1.ffn_down", "output"):
            lin = model.W[name]
            assert (lin.g is not None, lin.d is None) == ((scales == "uniform",) * 2), name
        out[scales] = model.logits(IDS)
    assert np.abs(out["uniform"] - out["varied"]).max() > 0.1
    with pytest.raises(ValueError, match="one scale per tensor"):
        S.make_model("bitnet", "i2_s", block_scales="varied")


@pytest.mark.parametrize("arch", ["bitnet-b1.58", "llama", "qwen3"])
def test_ternary_float_and_lowbit_files_agree(tmp_path, arch):
    """The same ternary values times one scale per tensor, stored as TQ1_0, TQ2_0, I2_S or
    as f32/f16/bf16 floats, give bit-identical logits (one BitNet linear semantics)."""
    runs = {}
    for ltype, tf in (("tq2_0", False), ("tq1_0", False), ("i2_s", False), ("f32", True),
                      ("f16", True), ("bf16", True)):
        m = S.make_model(arch, ltype, seed=4, ternary_float=tf)
        model = R.load(S.write_gguf(m, str(tmp_path / f"{ltype}.gguf")))
        assert model.W["blk.0.ffn_up"].kind == "bit" and model.W["blk.0.ffn_up"].g is not None
        runs[ltype] = model.logits(IDS)
    for ltype, lg in runs.items():
        assert np.array_equal(lg, runs["tq2_0"]), ltype
    plain = R.load(S.write_gguf(S.make_model(arch, "f16", seed=4), str(tmp_path / "p.gguf")))
    assert plain.W["blk.0.ffn_up"].kind == "float"


def test_bitnet_linear_semantics():
    rng = np.random.default_rng(9)
    x = rng.standard_normal((3, 256)).astype(F32)
    vals = rng.integers(-1, 2, (5, 256)).astype(np.int8)
    # one scale: exactly reference_numpy.bitlinear
    one = R.Linear.from_lowbit(vals, np.full((5, 2), 0.375, F32), 128)
    assert one.g == F32(0.375)
    assert np.array_equal(one(x), ref.bitlinear(x, vals.astype(F32), F32(0.375)))
    # blocks: y = s_t * sum_b d[n, b] * acc[t, n, b]
    d = (rng.integers(64, 128, (5, 2)) / 256).astype(F32)
    lin = R.Linear.from_lowbit(vals, d, 128)
    assert lin.g is None
    q, s = ref.quantize(x)
    acc = np.einsum("tbk,nbk->tnb", q.reshape(3, 2, 128).astype(np.float64),
                    vals.reshape(5, 2, 128).astype(np.float64))
    want = s[:, None].astype(np.float64) * (acc * d[None].astype(np.float64)).sum(-1)
    np.testing.assert_allclose(lin(x), want, rtol=1e-6)
    # an all-zero block's scale does not count: still one scale
    v0 = vals.copy()
    v0[:, 128:] = 0
    assert R.Linear.from_lowbit(v0, np.where(np.arange(2) == 0, 0.5, 0.0).astype(F32)
                                * np.ones((5, 1), F32), 128).g == F32(0.5)
    # float weights: ternary only when every nonzero |w| is the same g
    assert R.Linear.from_float(vals * F32(0.25)).g == F32(0.25)
    assert R.Linear.from_float(vals * d.repeat(128, axis=1)).kind == "float"
    w = rng.standard_normal((4, 256)).astype(F32)
    fl = R.Linear.from_float(w)
    assert fl.kind == "float" and np.array_equal(fl(x)[1], w @ x[1])


@pytest.mark.parametrize("layout", ["bitnet", "bitnet-bitlinear"])
@pytest.mark.parametrize("tie", [None, False])
def test_converted_checkpoint_matches_reference_numpy(tmp_path, layout, tie):
    """convert_hf's bitnet-b1.58 GGUF (scales folded into f32 ternary weights) run by this
    reference equals reference_numpy on the checkpoint, bit for bit."""
    from tern.bitnet.synthetic import make_checkpoint
    from tern.gguf.convert_hf import convert
    ck = str(tmp_path / "ck")
    make_checkpoint(ck, layout=layout, seed=3, tie=tie)
    out = convert(ck, str(tmp_path / "c.gguf"), outtype="f32", arch="bitnet-b1.58")
    ids = [i % 300 for i in IDS]
    assert np.array_equal(R.load(out).logits(ids), ref.load(ck).logits(ids))


def test_load_reports_every_problem(tmp_path):
    m = S.make_model("qwen3", "f16", seed=0, layers=1)
    del m.weights["blk.0.attn_k_norm.weight"]
    m.weights["blk.0.ffn_up.weight"] = m.weights["blk.0.ffn_up.weight"][:, :128]
    m.weights["rope_freqs.weight"] = np.ones(32, F32)
    m.types["rope_freqs.weight"] = "F32"
    path = S.write_gguf(m, str(tmp_path / "bad.gguf"))
    with pytest.raises(GGUFReadError) as e:
        R.load(path)
    msg = str(e.value)
    assert "missing 'blk.0.attn_k_norm.weight'" in msg
    assert "unexpected 'rope_freqs.weight'" in msg
    assert "'blk.0.ffn_up.weight' has shape [512, 128], expected [512, 256]" in msg


# ----------------------------------------------------------------------------- vocab, CLI
def test_vocabularies():
    v = S.gpt2_vocab(384)
    toks = v["tokens"]
    assert len(toks) == 384 and len(set(toks)) == 384 and v["bos"] == 382 and v["eos"] == 383
    assert v["token_type"][382:] == [3, 3] and set(v["token_type"][:382]) == {1}
    assert toks[ord("a")] == "a" and toks[32] == "\u0120"
    for i, mg in enumerate(v["merges"]):
        a, b = mg.split(" ")
        assert a in toks[:256 + i] and b in toks[:256 + i] and toks[256 + i] == a + b
    s = S.spm_vocab(384)
    toks = s["tokens"]
    assert len(toks) == 384 and len(set(toks)) == 384
    assert toks[:3] == ["<unk>", "<s>", "</s>"] and s["token_type"][:3] == [2, 3, 3]
    assert toks[3] == "<0x00>" and toks[258] == "<0xFF>" and set(s["token_type"][3:259]) == {6}
    assert "\u2581the" in toks and all(" " not in t for t in toks)
    assert s["scores"][259] > s["scores"][260]


def test_cli(tmp_path, capsys):
    out = str(tmp_path / "c.gguf")
    S.main(["--arch", "llama", "--type", "q1_0", "--out", out, "--seed", "2", "--untied",
            "--embd-type", "q8_0", "--layers", "1", "--vocab", "320"])
    assert "wrote" in capsys.readouterr().out
    r = GGUFReader(out)
    md = r.metadata
    assert md["tokenizer.ggml.model"] == "llama" and md["tokenizer.ggml.add_space_prefix"]
    assert len(md["tokenizer.ggml.tokens"]) == 320 and md["llama.block_count"] == 1
    assert md["llama.rope.freq_base"] == 10000.0 and md["general.file_type"] == 40
    assert r.tensor("output.weight").type_name == "Q8_0"
    assert r.tensor("blk.0.attn_q.weight").type_name == "Q1_0"
    model = R.load(out)
    assert model.W["output"].kind == "float" and np.isfinite(model.logits([1, 2, 3])).all()
    with pytest.raises(SystemExit):
        S.main(["--arch", "llama", "--type", "f16", "--out", out, "--embd-type", "lowbit"])
