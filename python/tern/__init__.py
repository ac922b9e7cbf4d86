"""Tern: compile ternary (BitNet b1.58) and 1-bit LLMs ahead of time, and run
the compiled artifacts, from Python.

    import tern
    so = tern.compile("models/bitnet-fortunes", "fortunes.so")
    m = tern.load(so)
    print(m.generate("The meaning of life is", max_tokens=32))

API (tern.compiler, tern.runtime):
  compile(model_path, output=None, target=, mcpu=, weights=, **ternc_options)
  load(artifact_path, threads=None, device=None) -> Model
  Model.entry_points, .signature(name), .run(name, *arrays),
        .generate(prompt, ...), .tokenizer.encode/decode, .logits(ids),
        .perplexity(text)
  CompileError, TernError, empty(shape, dtype) (arrays run() takes in place)

Subpackages that need no compiled code:
  tern.reference  - the numpy and PyTorch reference models
  tern.export     - writers of test checkpoints (safetensors, ONNX, GGUF)
  tern.bitnet, tern.gguf, tern.tokenizer - what those are built from
"""
__version__ = "0.1.0"

from .compiler import CompileError, compile  # noqa: E402,F401
from .runtime import (Model, Signature, TensorSpec, TernError, Tokenizer,  # noqa: E402,F401
                      empty, get_num_threads, load, set_num_threads)
from ._native import NotBuiltError  # noqa: E402,F401
