"""Writes small ONNX models for the importer's tests into DIR.

good.onnx        y = Relu(MatMul(x, W) + b), W and b initializers (W large
                 enough to become a resource constant)
external.onnx    the same with W in external data (weights.bin beside it)
truncated.onnx   good.onnx cut in half
missing-init.onnx, dangling.onnx, cycle.onnx, unsupported.onnx,
escape-dotdot.onnx, escape-absolute.onnx, escape-symlink.onnx,
out-of-range.onnx, no-opset.onnx, old-opset.onnx
dynamic.onnx     x [T, 8] reshaped with constant targets
qdq-ternary.onnx, qdq-int8.onnx
                 a BitNet layer in QDQ form: x [3, 8] fake-quantized (absmax,
                 * 127 / m, Round, Clip) times DequantizeLinear(int8 W [8, 4],
                 per-column scales), times m / 127: W ternary, or not
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

W = np.arange(8 * 16, dtype=np.float32).reshape(8, 16) / 64.0 - 1.0
B = np.linspace(-1, 1, 16).astype(np.float32)


def model(nodes, initializers, opset=17, inputs=None, outputs=None):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 8])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 16])
    graph = helper.make_graph(nodes, "g", inputs or [x], outputs or [y],
                              initializer=initializers)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def linear_nodes():
    return [helper.make_node("MatMul", ["x", "W"], ["xw"], name="matmul"),
            helper.make_node("Add", ["xw", "b"], ["s"], name="add"),
            helper.make_node("Relu", ["s"], ["y"], name="relu")]


def external(name, location, offset=0, length=None):
    """W as external data at `location`."""
    w = numpy_helper.from_array(W, "W")
    w.ClearField("raw_data")
    w.data_location = TensorProto.EXTERNAL
    entries = {"location": location, "offset": str(offset),
               "length": str(W.nbytes if length is None else length)}
    for key, value in entries.items():
        w.external_data.append(onnx.StringStringEntryProto(key=key, value=value))
    return w


def main(out):
    os.makedirs(out, exist_ok=True)
    save = lambda m, name: onnx.save(m, os.path.join(out, name))
    inits = [numpy_helper.from_array(W, "W"), numpy_helper.from_array(B, "b")]
    save(model(linear_nodes(), inits), "good.onnx")
    np.save(os.path.join(out, "x.npy"), np.linspace(-2, 2, 16, dtype=np.float32).reshape(2, 8))
    np.save(os.path.join(out, "y.npy"), np.maximum(
        np.linspace(-2, 2, 16, dtype=np.float32).reshape(2, 8) @ W + B, 0))

    with open(os.path.join(out, "weights.bin"), "wb") as f:
        f.write(b"\0" * 64 + W.tobytes())
    b = numpy_helper.from_array(B, "b")
    save(model(linear_nodes(), [external("W", "weights.bin", 64), b]), "external.onnx")
    save(model(linear_nodes(), [external("W", "../weights.bin"), b]), "escape-dotdot.onnx")
    save(model(linear_nodes(), [external("W", "/etc/passwd"), b]), "escape-absolute.onnx")
    link = os.path.join(out, "link.bin")
    if not os.path.islink(link):
        os.symlink("/etc/hostname", link)
    save(model(linear_nodes(), [external("W", "link.bin"), b]), "escape-symlink.onnx")
    save(model(linear_nodes(), [external("W", "weights.bin", 128), b]), "out-of-range.onnx")

    data = open(os.path.join(out, "good.onnx"), "rb").read()
    with open(os.path.join(out, "truncated.onnx"), "wb") as f:
        f.write(data[: len(data) // 2])
    save(model(linear_nodes(), [numpy_helper.from_array(B, "b")]), "missing-init.onnx")
    dangling = linear_nodes()
    dangling[1] = helper.make_node("Add", ["xw", "bias_typo"], ["s"], name="add")
    save(model(dangling, inits), "dangling.onnx")
    cycle = [helper.make_node("Add", ["x", "loop"], ["a"], name="first"),
             helper.make_node("Relu", ["a"], ["loop"], name="second"),
             helper.make_node("MatMul", ["loop", "W"], ["y"], name="third")]
    save(model(cycle, inits), "cycle.onnx")
    unsupported = [helper.make_node("MatMul", ["x", "W"], ["a"], name="mm"),
                   helper.make_node("Celu", ["a"], ["c1"], name="celu_1"),
                   helper.make_node("Celu", ["c1"], ["c2"], name="celu_2"),
                   helper.make_node("Einsum", ["c2"], ["y"], name="einsum",
                                    equation="ij->ij")]
    save(model(unsupported, inits), "unsupported.onnx")
    no_opset = model(linear_nodes(), inits)
    del no_opset.opset_import[:]
    no_opset.opset_import.append(helper.make_opsetid("com.example", 1))
    save(no_opset, "no-opset.onnx")
    save(model(linear_nodes(), inits, opset=11), "old-opset.onnx")

    # A dynamic sequence length: x [T, 8] -> Reshape [0, 2, -1] -> Relu ->
    # Reshape [-1, 8] -> MatMul W: y [T, 16].
    shapes = [numpy_helper.from_array(np.array([0, 2, -1], np.int64), "split_shape"),
              numpy_helper.from_array(np.array([-1, 8], np.int64), "join_shape")]
    dynamic = [helper.make_node("Reshape", ["x", "split_shape"], ["x3"], name="split"),
               helper.make_node("Relu", ["x3"], ["r"], name="relu"),
               helper.make_node("Reshape", ["r", "join_shape"], ["x2"], name="join"),
               helper.make_node("MatMul", ["x2", "W"], ["y"], name="matmul")]
    save(model(dynamic, inits + shapes,
               inputs=[helper.make_tensor_value_info("x", TensorProto.FLOAT, ["T", 8])],
               outputs=[helper.make_tensor_value_info("y", TensorProto.FLOAT, ["T", 16])]),
         "dynamic.onnx")
    xs = np.linspace(-2, 2, 5 * 8, dtype=np.float32).reshape(5, 8)
    np.save(os.path.join(out, "x5.npy"), xs)
    np.save(os.path.join(out, "y5.npy"), np.maximum(xs, 0) @ W)
    qdq(out, save)


def qdq(out, save):
    """A fake-quantized layer over DequantizeLinear(int8 W) and its numpy
    value: the quantization as tern.quantize defines it (x * (127 / m))."""
    rng = np.random.default_rng(3)
    x = rng.standard_normal((3, 8)).astype(np.float32)
    scales = np.array([0.5, 0.25, 2.0, 1.0], np.float32)
    scalar = lambda name, v: numpy_helper.from_array(np.array(v, np.float32), name)
    nodes = [helper.make_node("Abs", ["x"], ["a"]),
             helper.make_node("ReduceMax", ["a"], ["mx"], axes=[-1], keepdims=1),
             helper.make_node("Clip", ["mx", "eps"], ["m"]),
             helper.make_node("Reciprocal", ["m"], ["r"]),
             helper.make_node("Mul", ["r", "c127"], ["c"]),
             helper.make_node("Mul", ["x", "c"], ["xs"]),
             helper.make_node("Round", ["xs"], ["xr"]),
             helper.make_node("Clip", ["xr", "lo", "hi"], ["xq"]),
             helper.make_node("Div", ["m", "c127"], ["s"]),
             helper.make_node("DequantizeLinear", ["Wq", "ws"], ["w"], axis=1),
             helper.make_node("MatMul", ["xq", "w"], ["p"]),
             helper.make_node("Mul", ["p", "s"], ["y"])]
    consts = [scalar("eps", 1e-5), scalar("c127", 127.0), scalar("lo", -128.0),
              scalar("hi", 127.0), numpy_helper.from_array(scales, "ws")]
    for name, wq in (("qdq-ternary", rng.integers(-1, 2, (8, 4)).astype(np.int8)),
                     ("qdq-int8", rng.integers(-5, 6, (8, 4)).astype(np.int8))):
        graph = helper.make_graph(
            nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, 8])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3, 4])],
            initializer=consts + [numpy_helper.from_array(wq, "Wq")])
        save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]),
             name + ".onnx")
        m = np.maximum(np.abs(x).max(-1, keepdims=True), np.float32(1e-5))
        xq = np.clip(np.round(x * (np.float32(127) / m)), -128, 127)
        y = ((xq @ wq.astype(np.float32)) * (m / np.float32(127))) * scales
        np.save(os.path.join(out, name + ".npy"), y.astype(np.float32))
    np.save(os.path.join(out, "qdq-x.npy"), x)


if __name__ == "__main__":
    main(sys.argv[1])
