"""The reference implementations the tests check compiled models against,
importable without building the compiler (numpy; PyTorch for `torch`).

  tern.reference.numpy  - the float32 numpy BitNet decoder that follows the
                          tern ops' semantics (load, logits, generate_greedy,
                          perplexity): tern.bitnet.reference_numpy
  tern.reference.gguf   - runs a GGUF file with the semantics the compiler
                          implements: tern.gguf.reference
  tern.reference.torch  - the same architecture in PyTorch, with
                          quantization-aware training: tern.bitnet.model_torch

Submodules load on first use (`torch` imports PyTorch).
"""
from tern._lazy import lazy_modules

_MODULES = {"numpy": "tern.bitnet.reference_numpy", "gguf": "tern.gguf.reference",
            "torch": "tern.bitnet.model_torch"}
__all__ = sorted(_MODULES)
__getattr__ = lazy_modules(__name__, _MODULES)
