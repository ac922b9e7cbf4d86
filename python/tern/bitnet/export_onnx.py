"""Exports a BitNet checkpoint to ONNX with the PyTorch reference model.

    python -m tern.bitnet.export_onnx CHECKPOINT_DIR OUT_DIR [--opset 17]

OUT_DIR gets model.onnx and, as Hugging Face's ONNX exports lay them out,
the checkpoint's config.json, generation_config.json and tokenizer files
beside it. The graph is the prefill form: ids int64 [1, T] (T symbolic) ->
logits float32 [1, T, vocab], with the reference's fake quantization (absmax
activations, ternary weights times their scale) spelled out in ONNX ops, as
exported BitNet models carry it. torch 1.13 exports opsets up to 17.
"""
import argparse
import os
import shutil

import torch

from .model_torch import from_checkpoint

SIDE_FILES = ("config.json", "generation_config.json", "tokenizer.json",
              "tokenizer_config.json")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkpoint")
    ap.add_argument("output", help="directory for model.onnx and its files")
    ap.add_argument("--opset", type=int, default=17)
    args = ap.parse_args()
    model = from_checkpoint(args.checkpoint).eval()
    os.makedirs(args.output, exist_ok=True)
    ids = torch.zeros(1, 8, dtype=torch.int64)
    with torch.no_grad():
        torch.onnx.export(model, (ids,), os.path.join(args.output, "model.onnx"),
                          input_names=["ids"], output_names=["logits"],
                          dynamic_axes={"ids": {1: "T"}, "logits": {1: "T"}},
                          opset_version=args.opset)
    for name in SIDE_FILES:
        path = os.path.join(args.checkpoint, name)
        if os.path.exists(path):
            shutil.copy(path, os.path.join(args.output, name))


if __name__ == "__main__":
    main()
