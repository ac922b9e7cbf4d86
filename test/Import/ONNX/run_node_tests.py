#!/usr/bin/env python3
# ===- run_node_tests.py - ONNX backend node tests through ternc ---------=== #
#
# Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
# LLMs.
#
# ===----------------------------------------------------------------------=== #
#
# Runs ONNX backend node tests (<data>/<name>/model.onnx plus
# test_data_set_*/input_*.pb and output_*.pb) through ternc and tern-run:
# compiles the model, feeds every data set's inputs as .npy files, and checks
# each output against the expected one as the ONNX backend test suite does:
#   * same shape and dtype kind;
#   * floats: np.allclose with rtol 1e-3, atol 1e-7, NaN where NaN expected;
#   * integers and bools: exactly equal.
# Tern compiles static shapes ahead of time, so operands that decide a shape
# (Reshape's shape, Slice's starts, Squeeze's axes... SHAPE_OPERANDS below)
# must be constants. Where a node test feeds one from a graph input, the
# input's value from test_data_set_0 is baked into the model as an
# initializer (every data set must agree on it) and the rest are inputs.
# Prints `PASS name` or `FAIL name: reason` per test, then
# `N of M node tests passed`. Exits 0 iff every test run passed (always with
# --all, which is for finding the tests that pass).
#
# ===----------------------------------------------------------------------=== #
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys

import numpy as np
import onnx
from onnx import numpy_helper

DEFAULT_DATA = "/usr/share/libonnx-testdata/data/node"
RTOL, ATOL = 1e-3, 1e-7
# Tensor element types with no .npy form tern-run could read.
UNSUPPORTED_ELEMENTS = (onnx.TensorProto.STRING, onnx.TensorProto.BFLOAT16)


# Operand positions that decide a result's shape, by op type.
SHAPE_OPERANDS = {
    "Reshape": (1,), "Expand": (1,), "Slice": (1, 2, 3, 4), "Squeeze": (1,),
    "Unsqueeze": (1,), "ReduceSum": (1,), "ReduceMean": (1,), "ReduceMax": (1,),
    "ReduceMin": (1,), "ReduceProd": (1,), "Split": (1,), "Range": (0, 1, 2),
    "Trilu": (1,), "ConstantOfShape": (0,), "Tile": (1,), "TopK": (1,),
    "OneHot": (1,), "Pad": (1, 3),
}


class TestFailure(Exception):
    """A node test failed; the message is the short reason."""


def read_allowlist(path):
    """The test names in the allowlist file `path`, one a line; `#` starts a
    comment and blank lines are skipped."""
    with open(path) as f:
        lines = (line.split("#", 1)[0].strip() for line in f)
        return [line for line in lines if line]


def numbered(directory, prefix, suffix=""):
    """Paths of `directory`/`prefix`N`suffix`, in the order of N."""
    pattern = re.compile(re.escape(prefix) + r"(\d+)" + re.escape(suffix) + "$")
    names = [(int(m.group(1)), name) for name in os.listdir(directory)
             if (m := pattern.match(name))]
    return [os.path.join(directory, name) for _, name in sorted(names)]


def load_tensor(path, value_info):
    """The array in the TensorProto file `path`, which holds the graph value
    `value_info`; a TestFailure for data tern-run cannot take (sequences,
    optionals, strings, bfloat16)."""
    kind = value_info.type.WhichOneof("value")
    if kind != "tensor_type":
        raise TestFailure(f"unsupported test data: {kind} {value_info.name!r}")
    element = value_info.type.tensor_type.elem_type
    if element in UNSUPPORTED_ELEMENTS:  # The files hold bfloat16 as uint16.
        element = onnx.TensorProto.DataType.Name(element).lower()
        raise TestFailure(f"unsupported test data: {element} tensor {value_info.name!r}")
    tensor = onnx.TensorProto()
    with open(path, "rb") as f:
        tensor.ParseFromString(f.read())
    return numpy_helper.to_array(tensor)


def error_line(stderr):
    """The first line of `stderr` that mentions an error (else its first
    line), with the next line when it ends in a colon; "" if there is none."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if not lines:
        return ""
    i = next((i for i, line in enumerate(lines) if "error" in line.lower()), 0)
    return " ".join(lines[i:i + 2] if lines[i].endswith(":") else lines[i:i + 1])


def run_tool(command, what, timeout):
    """Runs `command`; a TestFailure naming `what` and its error_line when it
    fails or runs past `timeout` seconds."""
    try:
        proc = subprocess.run(command, capture_output=True, text=True,
                              errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired:
        raise TestFailure(f"{what}: timed out after {timeout:g} s") from None
    if proc.returncode < 0:
        raise TestFailure(f"{what}: killed by signal {-proc.returncode}")
    if proc.returncode > 0:
        raise TestFailure(f"{what}: "
                          + (error_line(proc.stderr) or f"exit status {proc.returncode}"))


def mismatch(actual, expected):
    """Why `actual` does not match `expected`, or None when it does."""
    if actual.shape != expected.shape:
        return f"shape {actual.shape}, expected {expected.shape}"
    if actual.dtype.kind != expected.dtype.kind:
        return f"dtype {actual.dtype}, expected {expected.dtype}"
    if expected.dtype.kind == "f":  # Compared in f64: no f16 overflow.
        bad = ~np.isclose(actual.astype(np.float64), expected.astype(np.float64),
                          rtol=RTOL, atol=ATOL, equal_nan=True)
    else:
        bad = actual != expected
    if not bad.any():
        return None
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    with np.errstate(invalid="ignore"):
        diff = np.abs(actual.astype(np.float64) - expected.astype(np.float64))[bad]
    return (f"max abs diff {np.max(diff):.3g}, first at {list(index)}: "
            f"got {actual[index]!s}, expected {expected[index]!s}")


def bake_shape_inputs(model, data_set):
    """Turns the graph inputs of `model` that feed shape operands into
    initializers holding their values in the directory `data_set`; returns
    {input index: array} of the baked ones."""
    graph = model.graph
    names = {node.input[i] for node in graph.node
             for i in SHAPE_OPERANDS.get(node.op_type, ()) if i < len(node.input)}
    baked = {}
    for i, (path, value) in enumerate(zip(numbered(data_set, "input_", ".pb"), graph.input)):
        if value.name in names:
            baked[i] = load_tensor(path, value)
            graph.initializer.append(numpy_helper.from_array(baked[i], value.name))
    for i in sorted(baked, reverse=True):
        del graph.input[i]
    return baked


def run_data_set(args, artifact, graph, data_set, workdir, baked):
    """Runs `artifact` on the inputs of the directory `data_set` (files for
    tern-run in `workdir`), those in `baked` excepted (they must hold the
    baked values), and checks its outputs; a TestFailure when any differs."""
    os.makedirs(workdir, exist_ok=True)
    inputs = []
    for i, (path, value) in enumerate(zip(numbered(data_set, "input_", ".pb"), graph.input)):
        array = load_tensor(path, value)
        if i in baked:
            if not np.array_equal(array, baked[i]):
                raise TestFailure(f"shape input {value.name!r} differs between data sets")
            continue
        inputs.append(os.path.join(workdir, f"in{i}.npy"))
        np.save(inputs[-1], array)
    expected = [load_tensor(path, value) for path, value
                in zip(numbered(data_set, "output_", ".pb"), graph.output)]
    outputs = [os.path.join(workdir, f"out{r}.npy") for r in range(len(expected))]
    for path in outputs:
        if os.path.exists(path):
            os.remove(path)
    run_tool([args.tern_run, artifact, "--function=main"]
             + ["--input=@" + p for p in inputs] + ["--output=@" + p for p in outputs],
             "run error", args.timeout)
    for r, (path, want) in enumerate(zip(outputs, expected)):
        try:
            got = np.load(path)
        except (OSError, ValueError) as e:
            raise TestFailure(f"run error: output {r}: {e}") from None
        why = mismatch(got, want)
        if why:
            raise TestFailure(f"output {r} ({os.path.basename(data_set)}): {why}")


def run_test(name, args):
    """Compiles and runs the node test `name`; None if it passed, else the
    reason it failed."""
    test_dir = os.path.join(args.data, name)
    model = os.path.join(test_dir, "model.onnx")
    if not os.path.isfile(model):
        return "no such test"
    artifact = os.path.join(args.workdir, name + ".so")
    try:
        proto = onnx.load(model)
        graph = onnx.load(model).graph  # with every input, for the data sets
        data_sets = numbered(test_dir, "test_data_set_")
        baked = bake_shape_inputs(proto, data_sets[0]) if data_sets else {}
        if baked:
            model = os.path.join(args.workdir, name + ".onnx")
            onnx.save(proto, model)
        run_tool([args.ternc, model, "-o", artifact], "compile error", args.timeout)
        for data_set in data_sets:
            run_data_set(args, artifact, graph, data_set,
                         os.path.join(args.workdir, name, os.path.basename(data_set)),
                         baked)
    except TestFailure as e:
        return str(e).replace(test_dir + os.sep, "")  # Short: "model.onnx: ..."
    except Exception as e:  # A broken test must not stop the others.
        return f"harness error: {type(e).__name__}: {e}"
    return None


def test_names(args):
    """The tests to run: every directory with --all, else the allowlist's and
    the command line's names, without repeats."""
    if args.all:
        return sorted(name for name in os.listdir(args.data)
                      if os.path.isfile(os.path.join(args.data, name, "model.onnx")))
    names = read_allowlist(args.allowlist) if args.allowlist else []
    return list(dict.fromkeys(names + args.tests))


def main():
    ap = argparse.ArgumentParser(
        description="Run ONNX backend node tests through ternc and tern-run.")
    ap.add_argument("tests", nargs="*", metavar="TEST_NAME")
    ap.add_argument("--ternc", required=True)
    ap.add_argument("--tern-run", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--data", default=DEFAULT_DATA, help="node test directory")
    ap.add_argument("--allowlist", help="file of the test names to run")
    ap.add_argument("--all", action="store_true",
                    help="run every test; exit 0 whatever fails")
    ap.add_argument("--jobs", type=int, default=1, help="tests run in parallel")
    ap.add_argument("--timeout", type=float, default=120,
                    help="seconds each ternc / tern-run may take")
    args = ap.parse_args()
    if args.all == bool(args.allowlist or args.tests):
        ap.error("give --all, or --allowlist and/or test names")
    os.makedirs(args.workdir, exist_ok=True)

    names = test_names(args)
    passed = 0
    with concurrent.futures.ThreadPoolExecutor(max(args.jobs, 1)) as pool:
        for name, failure in zip(names, pool.map(lambda n: run_test(n, args), names)):
            print(f"FAIL {name}: {failure}" if failure else f"PASS {name}", flush=True)
            passed += failure is None
    print(f"{passed} of {len(names)} node tests passed")
    return 0 if args.all or passed == len(names) else 1


if __name__ == "__main__":
    sys.exit(main())
