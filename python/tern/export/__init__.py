"""Writers and generators of the model files Tern reads, used by the tests to
make checkpoints here (no downloads), importable without building the
compiler.

  tern.export.safetensors    - .safetensors reader/writer: tern.bitnet.safetensors_io
  tern.export.hf_synthetic   - random Hugging Face BitNet checkpoints in every
                               supported layout: tern.bitnet.synthetic
  tern.export.onnx           - a trained PyTorch BitNet to ONNX: tern.bitnet.export_onnx
  tern.export.gguf           - the GGUF v3 writer and block types: tern.gguf
  tern.export.gguf_synthetic - random GGUF models of every supported
                               architecture and type: tern.gguf.synthetic
  tern.export.gguf_from_hf   - a Hugging Face checkpoint to GGUF: tern.gguf.convert_hf

Submodules load on first use (`onnx` imports PyTorch).
"""
from tern._lazy import lazy_modules

_MODULES = {"safetensors": "tern.bitnet.safetensors_io", "hf_synthetic": "tern.bitnet.synthetic",
            "onnx": "tern.bitnet.export_onnx", "gguf": "tern.gguf",
            "gguf_synthetic": "tern.gguf.synthetic", "gguf_from_hf": "tern.gguf.convert_hf"}
__all__ = sorted(_MODULES)
__getattr__ = lazy_modules(__name__, _MODULES)
