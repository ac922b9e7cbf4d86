"""Exports a BitNet checkpoint to ONNX with the PyTorch reference model.

    python -m tern.bitnet.export_onnx CHECKPOINT_DIR OUT_DIR [--opset 17]

OUT_DIR gets model.onnx and, as Hugging Face's ONNX exports lay them out,
the checkpoint's config.json, generation_config.json and tokenizer files
beside it. The graph is the prefill form: ids int64 [1, T] (T symbolic) ->
logits float32 [1, T, vocab], with the reference's fake quantization (absmax
activations, ternary weights times their scale) spelled out in ONNX ops, as
exported BitNet models carry it. The float matrices a bfloat16 checkpoint
holds (the embedding and its tied head) stay bfloat16 in the file, as in the
checkpoint, each read through a Cast to float (--keep-f32 stores them as
float32 instead). torch 1.13 exports opsets up to 17.
"""
import argparse
import os
import shutil

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

from .model_torch import from_checkpoint

SIDE_FILES = ("config.json", "generation_config.json", "tokenizer.json",
              "tokenizer_config.json")


def bf16_weights(model):
    """Stores every 2-D float32 initializer whose values are all bfloat16
    numbers as bfloat16 (exactly: the low 16 bits are zero), each read
    through a Cast to float; a Gather reads the bfloat16 table and casts the
    rows it took."""
    graph = model.graph
    readers = {}
    for node in graph.node:
        for i, name in enumerate(node.input):
            readers.setdefault(name, []).append((node, i))
    casts_first, casts_after = [], {}
    for init in graph.initializer:
        if init.data_type != TensorProto.FLOAT or len(init.dims) != 2:
            continue
        bits = numpy_helper.to_array(init).astype("<f4").view("<u4")
        if np.any(bits & 0xFFFF):
            continue
        init.ClearField("float_data")
        init.raw_data = (bits >> 16).astype("<u2").tobytes()
        init.data_type = TensorProto.BFLOAT16
        widened = init.name + "_f32"
        for node, i in readers.get(init.name, []):
            if node.op_type == "Gather" and i == 0:
                rows = node.output[0]
                node.output[0] = rows + "_bf16"
                casts_after[id(node)] = helper.make_node(
                    "Cast", [rows + "_bf16"], [rows], to=TensorProto.FLOAT,
                    name=node.name + "/Cast_f32")
            else:
                node.input[i] = widened
                if not any(c.output[0] == widened for c in casts_first):
                    casts_first.append(helper.make_node(
                        "Cast", [init.name], [widened], to=TensorProto.FLOAT,
                        name=init.name + "/Cast_f32"))
    nodes = list(casts_first)
    for node in graph.node:
        nodes.append(node)
        if id(node) in casts_after:
            nodes.append(casts_after[id(node)])
    del graph.node[:]
    graph.node.extend(nodes)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkpoint")
    ap.add_argument("output", help="directory for model.onnx and its files")
    ap.add_argument("--opset", type=int, default=17)
    ap.add_argument("--keep-f32", action="store_true",
                    help="store the embedding and head as float32")
    args = ap.parse_args()
    model = from_checkpoint(args.checkpoint).eval()
    os.makedirs(args.output, exist_ok=True)
    ids = torch.zeros(1, 8, dtype=torch.int64)
    path = os.path.join(args.output, "model.onnx")
    with torch.no_grad():
        torch.onnx.export(model, (ids,), path,
                          input_names=["ids"], output_names=["logits"],
                          dynamic_axes={"ids": {1: "T"}, "logits": {1: "T"}},
                          opset_version=args.opset)
    if not args.keep_f32:
        exported = onnx.load(path)
        bf16_weights(exported)
        onnx.save(exported, path)
    for name in SIDE_FILES:
        path = os.path.join(args.checkpoint, name)
        if os.path.exists(path):
            shutil.copy(path, os.path.join(args.output, name))


if __name__ == "__main__":
    main()
