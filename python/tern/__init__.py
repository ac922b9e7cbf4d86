"""Tern: Python side of the Tern ahead-of-time compiler for ternary (BitNet b1.58) LLMs.

Subpackages:
  tern.bitnet     - config, safetensors I/O, HF BitNet packing, numpy reference decoder,
                    PyTorch QAT model, trainer/exporter, synthetic test checkpoints.
  tern.tokenizer  - byte-level BPE tokenizer (trainer, encoder/decoder, tokenizer.json writer).
"""
__version__ = "0.1.0"
