"""The tern Python API (tern.compile, tern.load) against the compiler's own
tools and the numpy reference. Needs the compiler: an installed package
(pip install ./python, which carries ternc and the runtime) or
$TERN_BUILD_DIR. tern-run comparisons need $TERN_RUN (test/python sets it).
"""
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import tern
from tern.reference import numpy as reference

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "models" / "bitnet-fortunes"
PROMPT = "The meaning of life is"
PROMPT_IDS = [2046, 17, 42, 99, 7]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("api")


@pytest.fixture(scope="module")
def bundled(workdir):
    """The bundled model compiled from Python, loaded."""
    artifact = tern.compile(BUNDLED, workdir / "fortunes.so")
    assert artifact == workdir / "fortunes.so" and artifact.is_file()
    with tern.load(artifact, threads=2) as model:
        yield model


def tern_run(*args):
    if not os.environ.get("TERN_RUN"):
        pytest.skip("$TERN_RUN (the tern-run to compare with) is not set")
    done = subprocess.run([os.environ["TERN_RUN"], *map(str, args)], capture_output=True,
                          text=True, check=True)
    return done.stdout


# --- round trip ------------------------------------------------------------ #
def test_greedy_text_is_tern_runs(bundled):
    text = bundled.generate(PROMPT, max_tokens=24)
    assert tern_run(bundled.path, "--prompt", PROMPT, "-n", 24) == PROMPT + text + "\n"
    assert len(text) > 20


def test_greedy_tokens_are_tern_runs_and_the_references(bundled):
    ids = bundled.generate_ids(PROMPT_IDS, max_tokens=24, ignore_eos=True)
    assert len(ids) == 24
    line = tern_run(bundled.path, "--tokens=" + ",".join(map(str, PROMPT_IDS)), "-n", 24,
                    "--ignore-eos")
    assert line == "generated: " + ",".join(map(str, ids)) + "\n"
    model = reference.load(str(BUNDLED), max_seq=64)
    assert model.generate_greedy(PROMPT_IDS, 24) == ids


def test_streamed_pieces_make_the_text(bundled):
    pieces = list(bundled.generate(PROMPT, max_tokens=16, stream=True))
    assert len(pieces) > 1
    assert "".join(pieces) == bundled.generate(PROMPT, max_tokens=16)


def test_logits_match_the_numpy_reference(bundled):
    """Within 1e-3 (docs/numerics.md: float32 summation order; the integer
    matmuls are exact on both sides)."""
    ids = bundled.tokenizer.encode(PROMPT)
    got = bundled.logits(ids)
    assert got.shape == (len(ids), bundled.model_info["vocab"]) and got.dtype == np.float32
    want = reference.load(str(BUNDLED), max_seq=64).logits(ids)
    assert np.max(np.abs(got - want)) <= 1e-3


def test_tokenizer_round_trip(bundled):
    ids = bundled.tokenizer.encode("Hello, world! Ünïcode too.")
    assert all(isinstance(i, int) for i in ids) and ids
    assert bundled.tokenizer.decode(ids) == "Hello, world! Ünïcode too."


def test_perplexity_is_tern_runs(bundled, workdir):
    text = "The quick brown fox jumps over the lazy dog. " * 4
    path = workdir / "text.txt"
    path.write_text(text)
    ppl = bundled.perplexity(text)
    assert 1 < ppl < bundled.model_info["vocab"]
    assert tern_run(bundled.path, "--perplexity", path).startswith(f"perplexity: {ppl:.4f} ")


def test_sampling_is_deterministic_for_a_seed(bundled):
    a = bundled.generate_ids(PROMPT, max_tokens=12, temperature=0.8, top_k=40, top_p=0.9, seed=7)
    b = bundled.generate_ids(PROMPT, max_tokens=12, temperature=0.8, top_k=40, top_p=0.9, seed=7)
    assert a == b and len(a) > 0


# --- entry points on numpy arrays -------------------------------------------- #
BITLINEAR = """
func.func @bl(%x: tensor<?x{k}xf32>) -> tensor<?x{n}xf32> {{
  %w = arith.constant dense<"0x{w}"> : tensor<{n}x{k}xi8>
  %g = arith.constant dense<{gamma!r}> : tensor<f32>
  %y = tern.bitlinear %x, %w, %g : tensor<?x{k}xf32>, tensor<{n}x{k}xi8>, tensor<f32> -> tensor<?x{n}xf32>
  return %y : tensor<?x{n}xf32>
}}
"""


@pytest.fixture(scope="module")
def bitlinear(workdir):
    rng = np.random.default_rng(5)
    n, k, gamma = 37, 300, 0.625
    w = rng.integers(-1, 2, size=(n, k), dtype=np.int8)
    source = workdir / "bitlinear.mlir"
    source.write_text(BITLINEAR.format(n=n, k=k, gamma=gamma, w=w.tobytes().hex().upper()))
    return tern.load(tern.compile(source, workdir / "bitlinear.so")), w, np.float32(gamma)


def test_run_bitlinear_is_bit_exact(bitlinear):
    model, w, gamma = bitlinear
    assert model.entry_points == ["bl"] and model.model_info is None
    sig = model.signature("bl")
    assert sig.inputs == [tern.TensorSpec("float32", (None, 300))]
    assert sig.results == [tern.TensorSpec("float32", (None, 37))]
    rng = np.random.default_rng(6)
    for rows in (1, 3, 17):
        x = rng.standard_normal((rows, 300)).astype(np.float32)
        y, = model.run("bl", x)
        want = reference.bitlinear(x, w.astype(np.float32), gamma)
        assert y.dtype == np.float32 and y.shape == (rows, 37)
        assert np.array_equal(y, want)
        # The same through a copied (non-contiguous) input.
        wide = np.zeros((rows, 600), np.float32)
        wide[:, ::2] = x
        y2, = model.run("bl", wide[:, ::2])
        assert np.array_equal(y2, want)


def test_inputs_updated_in_place_reach_the_callers_array(bundled):
    """decode updates its KV caches in place: in an aligned array (passed
    without a copy, tern.empty) and in a plain one (copied, then copied back)
    alike."""
    sig = bundled.signature("decode")
    cache_shape = sig.inputs[2].shape
    aligned = [tern.empty(cache_shape, np.float32) for _ in range(2)]
    plain = [np.zeros(cache_shape, np.float32)[:, :, :, :] for _ in range(2)]
    plain = [np.require(c, requirements="C") for c in plain]
    token, position = np.array([17], np.int32), np.array(0, np.int64)
    logits_a, = bundled.run("decode", token, position, *aligned)
    logits_p, = bundled.run("decode", token, position, *plain)
    assert np.array_equal(logits_a, logits_p)
    assert np.any(aligned[0][:, :, 0] != 0) and np.any(aligned[1][:, :, 0] != 0)
    assert np.array_equal(aligned[0], plain[0]) and np.array_equal(aligned[1], plain[1])
    assert np.all(aligned[0][:, :, 1:] == 0)  # only position 0 was written


# --- errors ------------------------------------------------------------------ #
def test_wrong_inputs_raise_value_error_naming_the_argument(bitlinear):
    model = bitlinear[0]
    x = np.zeros((2, 300), np.float32)
    with pytest.raises(ValueError, match=r"argument 0 of 'bl': expected float32\[\?, 300\], got dtype float64"):
        model.run("bl", x.astype(np.float64))
    with pytest.raises(ValueError, match=r"argument 0 of 'bl'.*dimension 1 is 299, not 300"):
        model.run("bl", np.zeros((2, 299), np.float32))
    with pytest.raises(ValueError, match=r"argument 0 of 'bl'.*got rank 1"):
        model.run("bl", np.zeros(300, np.float32))
    with pytest.raises(ValueError, match=r"bl takes 1 inputs \(float32\[\?, 300\]\), got 2"):
        model.run("bl", x, x)
    with pytest.raises(KeyError, match="no entry point 'nope'"):
        model.run("nope", x)
    with pytest.raises(TypeError, match="not a language model"):
        model.generate("hi")


def test_bad_model_raises_compile_error_with_the_diagnostic(workdir):
    bad = workdir / "bad.mlir"
    bad.write_text('func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {\n'
                   '  %y = "tern.frobnicate"(%x) : (tensor<4xf32>) -> tensor<4xf32>\n'
                   '  return %y : tensor<4xf32>\n}\n')
    with pytest.raises(tern.CompileError) as error:
        tern.compile(bad, workdir / "bad.so")
    assert "bad.mlir:2" in error.value.diagnostics
    assert "tern.frobnicate" in error.value.diagnostics
    assert error.value.returncode != 0 and not (workdir / "bad.so").exists()
    with pytest.raises(tern.CompileError, match="--layout: 'bogus' is not a layout"):
        tern.compile(BUNDLED, workdir / "x.so", layout="bogus")
    with pytest.raises(FileNotFoundError, match="no such model"):
        tern.compile(workdir / "missing.onnx")


def test_corrupt_artifact_raises_a_clear_error(bundled, workdir):
    data = bytearray(bundled.path.read_bytes())
    truncated = workdir / "truncated.so"
    truncated.write_bytes(data[:len(data) // 3])
    with pytest.raises(tern.TernError, match=str(truncated)) as error:
        tern.load(truncated)
    assert error.value.status in ("invalid_artifact", "io")
    garbage = workdir / "garbage.so"
    garbage.write_bytes(b"not an artifact at all" * 100)
    with pytest.raises(tern.TernError, match=str(garbage)):
        tern.load(garbage)
    with pytest.raises(tern.TernError, match="missing.so"):
        tern.load(workdir / "missing.so")


def test_device_is_for_cuda_artifacts(bundled):
    with pytest.raises(ValueError, match="device= is for CUDA artifacts"):
        tern.load(bundled.path, device=0)


# --- python -m tern ---------------------------------------------------------- #
def test_command_line_mirrors_ternc_and_tern_run(bundled, workdir):
    def tern_cli(*args, check=True):
        return subprocess.run([sys.executable, "-m", "tern", *map(str, args)],
                              capture_output=True, text=True, check=check)

    out = workdir / "cli.so"
    assert tern_cli("compile", BUNDLED, "-o", out).stdout.strip() == str(out)
    text = tern_cli("run", out, "--prompt", PROMPT, "-n", 24).stdout
    assert text == PROMPT + bundled.generate(PROMPT, max_tokens=24) + "\n"
    ids = bundled.generate_ids(PROMPT_IDS, max_tokens=8, ignore_eos=True)
    line = tern_cli("run", out, "--tokens", ",".join(map(str, PROMPT_IDS)), "-n", 8,
                    "--ignore-eos").stdout
    assert line == "generated: " + ",".join(map(str, ids)) + "\n"
    bad = tern_cli("compile", BUNDLED, "-o", workdir / "y.so", "--layout", "bogus", check=False)
    assert bad.returncode == 1 and "'bogus' is not a layout" in bad.stderr
    missing = tern_cli("run", workdir / "none.so", "--info", check=False)
    assert missing.returncode == 1 and "none.so" in missing.stderr
