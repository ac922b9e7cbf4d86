"""tern.gguf: the GGUF writer, checked against an independent minimal reader written here
from the format description (magic, version, counts, typed key/values, tensor infos with
innermost-first dims, aligned data section), and the HF -> GGUF converter.

Run with: cd python && /usr/bin/python3 -m pytest tests/test_gguf_writer.py -q
"""
import math
import struct

import numpy as np
import pytest

from tern.gguf import GGUFError, GGUFValueType, GGUFWriter
from tern.gguf.writer import f32_to_bf16_bits


# ----------------------------------------------------------------------------- reader
class _Buf:
    def __init__(self, data):
        self.d = data
        self.p = 0

    def take(self, fmt):
        v = struct.unpack_from(fmt, self.d, self.p)
        self.p += struct.calcsize(fmt)
        return v[0] if len(v) == 1 else v

    def string(self):
        n = self.take("<Q")
        s = self.d[self.p:self.p + n].decode("utf-8")
        self.p += n
        return s


_FMT = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<B",
        10: "<Q", 11: "<q", 12: "<d"}


def _value(b, t):
    if t == 8:
        return b.string()
    if t == 9:
        et, n = b.take("<I"), b.take("<Q")
        return (et, [_value(b, et) for _ in range(n)])
    v = b.take(_FMT[t])
    if t == 7:
        assert v in (0, 1)
        return bool(v)
    return v


def read_gguf(path):
    """-> (version, {key: (type, value)}, {name: (dims, ggml_type, raw bytes)}, alignment)."""
    data = open(path, "rb").read()
    b = _Buf(data)
    assert data[:4] == b"GGUF"
    b.p = 4
    version, n_tensors, n_kv = b.take("<I"), b.take("<Q"), b.take("<Q")
    kv = {}
    for _ in range(n_kv):
        k = b.string()
        t = b.take("<I")
        kv[k] = (t, _value(b, t))
    infos = []
    for _ in range(n_tensors):
        name = b.string()
        nd = b.take("<I")
        dims = [b.take("<Q") for _ in range(nd)]
        tt, off = b.take("<I"), b.take("<Q")
        infos.append((name, dims, tt, off))
    align = kv["general.alignment"][1] if "general.alignment" in kv else 32
    start = (b.p + align - 1) // align * align
    assert all(c == 0 for c in data[b.p:start])
    # (weights per block, bytes per block): F32, F16, BF16, TQ1_0, TQ2_0
    sizes = {0: (1, 4), 1: (1, 2), 30: (1, 2), 34: (256, 54), 35: (256, 66)}
    tensors = {}
    ends = []
    for name, dims, tt, off in infos:
        assert off % align == 0
        block, nbytes = sizes[tt]
        n = math.prod(dims) // block * nbytes
        tensors[name] = (dims, tt, data[start + off:start + off + n])
        ends.append(start + off + n)
    assert len(data) >= max(ends, default=start)
    return version, kv, tensors, align


# ----------------------------------------------------------------------------- tests
SCALARS = [
    ("t.u8", GGUFValueType.UINT8, 255, 0),
    ("t.i8", GGUFValueType.INT8, -128, 1),
    ("t.u16", GGUFValueType.UINT16, 65535, 2),
    ("t.i16", GGUFValueType.INT16, -32768, 3),
    ("t.u32", GGUFValueType.UINT32, 2**32 - 1, 4),
    ("t.i32", GGUFValueType.INT32, -2**31, 5),
    ("t.f32", GGUFValueType.FLOAT32, 0.1, 6),
    ("t.bool", GGUFValueType.BOOL, True, 7),
    ("t.str", GGUFValueType.STRING, "héllo \u2603 wörld", 8),
    ("t.u64", GGUFValueType.UINT64, 2**64 - 1, 10),
    ("t.i64", GGUFValueType.INT64, -2**63, 11),
    ("t.f64", GGUFValueType.FLOAT64, math.pi, 12),
]


def _write_all_types(path, alignment=32):
    w = GGUFWriter(path, alignment=alignment)
    w.add_string("general.architecture", "test")
    for key, vt, v, _ in SCALARS:
        w.add_key_value(key, v, vt)
    w.add_bool("t.false", False)
    w.add_string("t.empty", "")
    w.add_array("a.str", ["a", "", "Ġhello", "<|end|>", "\u00e9\u4e2d"])
    w.add_array("a.i32", [1, -2, 3])
    w.add_array("a.u8", np.arange(200, dtype=np.uint8))              # numpy fast path
    w.add_array("a.i64", [-(2**40), 2**40], GGUFValueType.INT64)
    w.add_array("a.f32", [0.5, -1.25, 3.0])
    w.add_array("a.f64", np.array([1e-300, 2.5]), GGUFValueType.FLOAT64)
    w.add_array("a.bool", [True, False, True])
    w.add_array("a.empty_str", [], GGUFValueType.STRING)
    w.add_array("a.nested", [[1, 2], ["x", "y"]], GGUFValueType.ARRAY)
    w.add_array("a.u16_long", list(range(1000)), GGUFValueType.UINT16)
    w.add_key_value("a.inferred_int", 7)
    rng = np.random.default_rng(0)
    t32 = rng.standard_normal((3, 5)).astype(np.float32)             # row length 5: padding
    t16 = rng.standard_normal((4, 8)).astype(np.float32)
    tbf = np.concatenate([rng.standard_normal(13), [np.inf, -0.0, 1e-40]]).astype(np.float32)
    t3d = rng.standard_normal((2, 3, 4)).astype(np.float32)
    w.add_tensor("t.f32", t32, "F32")
    w.add_tensor("t.f16", t16, "F16")
    w.add_tensor("t.bf16", tbf.reshape(2, 8), "BF16")
    w.add_tensor("t.lazy", lambda: t3d, "F32", shape=t3d.shape)
    w.add_tensor("t.raw16", t16.astype(np.float16), "F16", raw=True)
    w.add_tensor("t.vec", np.array([42.0], np.float32), "F32")
    w.write()
    return t32, t16, tbf, t3d


@pytest.mark.parametrize("alignment", [32, 64])
def test_roundtrip_all_types(tmp_path, alignment):
    path = str(tmp_path / "all.gguf")
    t32, t16, tbf, t3d = _write_all_types(path, alignment)
    version, kv, tensors, align = read_gguf(path)
    assert version == 3
    assert align == alignment
    if alignment != 32:
        assert kv["general.alignment"] == (4, alignment)
    else:
        assert "general.alignment" not in kv
    assert kv["general.architecture"] == (8, "test")
    for key, _vt, v, tid in SCALARS:
        t, got = kv[key]
        assert t == tid, key
        if tid == 6:
            assert got == struct.unpack("<f", struct.pack("<f", v))[0]
        else:
            assert got == v, key
    assert kv["t.false"] == (7, False)
    assert kv["t.empty"] == (8, "")
    assert kv["a.str"] == (9, (8, ["a", "", "Ġhello", "<|end|>", "\u00e9\u4e2d"]))
    assert kv["a.i32"] == (9, (5, [1, -2, 3]))
    assert kv["a.u8"] == (9, (0, list(range(200))))
    assert kv["a.i64"] == (9, (11, [-(2**40), 2**40]))
    assert kv["a.f32"] == (9, (6, [0.5, -1.25, 3.0]))
    assert kv["a.f64"] == (9, (12, [1e-300, 2.5]))
    assert kv["a.bool"] == (9, (7, [True, False, True]))
    assert kv["a.empty_str"] == (9, (8, []))
    assert kv["a.nested"] == (9, (9, [(5, [1, 2]), (8, ["x", "y"])]))
    assert kv["a.u16_long"] == (9, (2, list(range(1000))))
    assert kv["a.inferred_int"] == (5, 7)
    assert list(kv)[0] == ("general.alignment" if alignment != 32 else "general.architecture")

    dims, tt, raw = tensors["t.f32"]
    assert (dims, tt) == ([5, 3], 0)                       # innermost first
    assert np.array_equal(np.frombuffer(raw, "<f4").reshape(3, 5), t32)
    dims, tt, raw = tensors["t.f16"]
    assert (dims, tt) == ([8, 4], 1)
    assert np.array_equal(np.frombuffer(raw, "<f2").reshape(4, 8), t16.astype(np.float16))
    dims, tt, raw = tensors["t.bf16"]
    assert (dims, tt) == ([8, 2], 30)
    bits = np.frombuffer(raw, "<u2")
    back = (bits.astype(np.uint32) << 16).view(np.float32)
    # round to nearest even, independently: the nearest bf16 neighbour of each value
    for x, y in zip(tbf, back):
        if np.isinf(x) or x == 0:
            assert y == x and np.signbit(y) == np.signbit(x)
            continue
        u = int(np.float32(x).view(np.uint32))
        lo = np.uint32(u & 0xFFFF0000).view(np.float32)
        hi = np.uint32((u & 0xFFFF0000) + 0x10000).view(np.float32)
        best = min((lo, hi), key=lambda c: (abs(float(c) - float(x)),
                                            int(np.float32(c).view(np.uint32) >> 16) & 1))
        assert y == best
    dims, tt, raw = tensors["t.lazy"]
    assert (dims, tt) == ([4, 3, 2], 0)
    assert np.array_equal(np.frombuffer(raw, "<f4").reshape(2, 3, 4), t3d)
    assert tensors["t.raw16"][2] == tensors["t.f16"][2]
    assert tensors["t.vec"][:2] == ([1], 0)
    assert np.frombuffer(tensors["t.vec"][2], "<f4")[0] == 42.0


def test_bf16_rounding_exact_cases():
    x = np.array([1.0, 1.00390625, 1.005859375, -2.0, np.nan], np.float32)
    b = f32_to_bf16_bits(x)
    # 1 + 2^-8 is a tie between 1.0 (even) and 1 + 2^-7: rounds to 1.0
    assert list(b[:4]) == [0x3F80, 0x3F80, 0x3F81, 0xC000]
    assert (b[4] & 0x7F80) == 0x7F80 and (b[4] & 0x7F) != 0


def test_writer_rejects_bad_input(tmp_path):
    w = GGUFWriter(str(tmp_path / "x.gguf"))
    w.add_uint8("k", 1)
    with pytest.raises(GGUFError):
        w.add_uint8("k", 2)                        # duplicate key
    with pytest.raises(GGUFError):
        w.add_uint8("k2", 256)                     # out of range
    with pytest.raises(GGUFError):
        w.add_int32("k3", 1.5)                     # not an integer
    with pytest.raises(GGUFError):
        w.add_array("k4", [])                      # element type of an empty array
    with pytest.raises(GGUFError):
        w.add_array("k5", [1, "a"])                # mixed types
    with pytest.raises(GGUFError):
        GGUFWriter(str(tmp_path / "y.gguf"), alignment=24)
    w.add_tensor("t", np.zeros((2, 2), np.float32))
    with pytest.raises(GGUFError):
        w.add_tensor("t", np.zeros((2, 2), np.float32))  # duplicate tensor
    with pytest.raises(GGUFError):
        w.add_tensor("lazy", lambda: None, "F16")  # lazy data needs a shape
    with pytest.raises(GGUFError):
        w.add_tensor("q", np.zeros(4), "NOPE")     # unknown type
    w.add_tensor("wrong", lambda: np.zeros(3, np.float32), "F32", shape=(4,))
    with pytest.raises(GGUFError):
        w.write()
    assert not (tmp_path / "x.gguf").exists()


def test_convert_hf_bitnet(tmp_path):
    """The converter maps a synthetic 2B4T-layout checkpoint to the GGUF names, folds the
    scales (both linear classes) and writes the placeholder vocabulary."""
    from tern.bitnet import reference_numpy as ref
    from tern.bitnet.synthetic import make_checkpoint
    from tern.gguf.convert_hf import convert

    for layout in ("bitnet", "bitnet-bitlinear"):
        ck = str(tmp_path / layout)
        cfg = make_checkpoint(ck, layout=layout, hidden=64, heads=4, kv_heads=2,
                              intermediate=128, vocab=300, layers=2)
        out = str(tmp_path / f"{layout}.gguf")
        convert(ck, out, outtype="f32", arch="bitnet-b1.58")
        _v, kv, tensors, _a = read_gguf(out)
        assert kv["general.architecture"] == (8, "bitnet-b1.58")
        assert kv["bitnet-b1.58.block_count"] == (4, 2)
        assert kv["bitnet-b1.58.attention.head_count_kv"] == (4, 2)
        assert kv["bitnet-b1.58.rope.dimension_count"] == (4, 16)
        assert kv["tokenizer.ggml.model"] == (8, "gpt2")
        toks = kv["tokenizer.ggml.tokens"][1][1]
        assert len(toks) == 300 and len(set(toks)) == 300
        assert kv["tokenizer.ggml.token_type"][1][1][cfg.bos_token_id] == 3
        _cfg, W = ref.load_weights(ck)
        names = {"q_proj": "attn_q", "k_proj": "attn_k", "v_proj": "attn_v",
                 "o_proj": "attn_output", "gate_proj": "ffn_gate", "up_proj": "ffn_up",
                 "down_proj": "ffn_down"}
        for l in range(2):
            for hf, gg in names.items():
                q, ws = W[f"model.layers.{l}.{hf}"]
                dims, tt, raw = tensors[f"blk.{l}.{gg}.weight"]
                assert dims == [q.shape[1], q.shape[0]] and tt == 0
                got = np.frombuffer(raw, "<f4").reshape(q.shape)
                assert np.array_equal(got, q.astype(np.float32) * ws)
            for hf, gg in (("input_layernorm", "attn_norm"),
                           ("post_attention_layernorm", "ffn_norm"),
                           ("attn_sub_norm", "attn_sub_norm"), ("ffn_sub_norm", "ffn_sub_norm")):
                dims, tt, raw = tensors[f"blk.{l}.{gg}.weight"]
                assert tt == 0
                assert np.array_equal(np.frombuffer(raw, "<f4"), W[f"model.layers.{l}.{hf}"])
        dims, tt, raw = tensors["token_embd.weight"]
        assert dims == [64, 300]
        assert np.array_equal(np.frombuffer(raw, "<f4").reshape(300, 64), W["embed"])
        assert "output.weight" not in tensors
        assert len(tensors) == 2 + 2 * 11


# ----------------------------------------------------------------------------- ternary
def _decode_ternary(raw, ggml_type, count):
    """TQ2_0 / TQ1_0 bytes to float32, written here from the layouts (FORMATS.md), apart
    from tern.gguf.ternary's encoders."""
    out = np.zeros(count, np.float32)
    size = 66 if ggml_type == 35 else 54
    for b in range(count // 256):
        block = raw[b * size:(b + 1) * size]
        d = float(np.frombuffer(block[size - 2:size], "<f2")[0])
        w = np.zeros(256, np.float32)
        if ggml_type == 35:
            for j in (0, 32):
                for n in range(4):
                    for m in range(32):
                        w[4 * j + 32 * n + m] = ((block[j + m] >> (2 * n)) & 3) - 1
        else:
            def digit(x, n):
                return (((x * 3 ** n) % 256) * 3 >> 8) - 1
            for n in range(5):
                for m in range(32):
                    w[m + 32 * n] = digit(block[m], n)
                for m in range(16):
                    w[160 + m + 16 * n] = digit(block[32 + m], n)
            for n in range(4):
                for m in range(4):
                    w[240 + m + 4 * n] = digit(block[48 + m], n)
        out[b * 256:(b + 1) * 256] = w * np.float32(d)
    return out


@pytest.mark.parametrize("ttype,ggml_type", [("TQ2_0", 35), ("TQ1_0", 34)])
def test_ternary_encoders(ttype, ggml_type):
    """Ternary values times a float16 scale per block survive encode + decode exactly;
    an all-zero block stays zero."""
    from tern.gguf.ternary import encode_tq1_0, encode_tq2_0
    rng = np.random.default_rng(5)
    values = rng.integers(-1, 2, (4, 256)).astype(np.float32)
    scales = np.array([0.5, 3.0, 0.0078125, 1.0], np.float16).astype(np.float32)
    x = values * scales[:, None]
    x[2] = 0
    raw = (encode_tq2_0 if ttype == "TQ2_0" else encode_tq1_0)(x)
    assert len(raw) == 4 * (66 if ttype == "TQ2_0" else 54)
    assert np.array_equal(_decode_ternary(raw, ggml_type, x.size), x.reshape(-1))


@pytest.mark.parametrize("outtype,ggml_type", [("tq2_0", 35), ("tq1_0", 34)])
def test_convert_hf_ternary(tmp_path, outtype, ggml_type):
    """--outtype tq2_0 / tq1_0: linears whose rows are a multiple of 256 are stored in the
    type, each block recovering the folded scale rounded to float16; the others as F32
    (exact); the embedding in BF16, as the checkpoint holds it."""
    from tern.bitnet import reference_numpy as ref
    from tern.bitnet.synthetic import make_checkpoint
    from tern.gguf.convert_hf import convert

    ck = str(tmp_path / "ck")
    make_checkpoint(ck, layout="bitnet", hidden=256, heads=4, kv_heads=2,
                    intermediate=320, vocab=300, layers=1)
    out = str(tmp_path / f"{outtype}.gguf")
    convert(ck, out, outtype=outtype, arch="bitnet-b1.58")
    _v, kv, tensors, _a = read_gguf(out)
    assert kv["general.file_type"] == (4, 37 if outtype == "tq2_0" else 36)
    _cfg, W = ref.load_weights(ck)
    names = {"q_proj": "attn_q", "k_proj": "attn_k", "v_proj": "attn_v",
             "o_proj": "attn_output", "gate_proj": "ffn_gate", "up_proj": "ffn_up",
             "down_proj": "ffn_down"}
    for hf, gg in names.items():
        q, ws = W[f"model.layers.0.{hf}"]
        dims, tt, raw = tensors[f"blk.0.{gg}.weight"]
        assert dims == [q.shape[1], q.shape[0]]
        if q.shape[1] % 256 == 0:
            assert tt == ggml_type, hf
            got = _decode_ternary(raw, tt, q.size).reshape(q.shape)
            want = q.astype(np.float32) * np.float32(np.float16(ws))
        else:
            assert tt == 0, hf  # down_proj: rows of 320
            got = np.frombuffer(raw, "<f4").reshape(q.shape)
            want = q.astype(np.float32) * ws
        assert np.array_equal(got, want), hf
    assert tensors["token_embd.weight"][1] == 30
