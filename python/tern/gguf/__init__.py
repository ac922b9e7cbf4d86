"""GGUF support, numpy only: a GGUF v3 writer (writer.py) with the block types Tern reads
(q8_0.py, ternary.py: Q8_0, TQ1_0, TQ2_0, I2_S, Q1_0), a reader (reader.py), a converter
from Tern's Hugging Face BitNet checkpoints (convert_hf.py), synthetic models of every
supported architecture and type (synthetic.py) and the numpy reference that runs a GGUF
file with the semantics the compiler implements (reference.py)."""
from . import q8_0, ternary  # noqa: F401  (register the block types with the writer)
from .writer import (GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_VERSION, GGUFError, GGUFValueType,
                     GGUFWriter, LlamaFileType, TENSOR_TYPES, TensorType, f32_to_bf16_bits,
                     register_tensor_type, tensor_type)

__all__ = ["GGUF_DEFAULT_ALIGNMENT", "GGUF_MAGIC", "GGUF_VERSION", "GGUFError", "GGUFValueType",
           "GGUFWriter", "LlamaFileType", "TENSOR_TYPES", "TensorType", "f32_to_bf16_bits",
           "register_tensor_type", "tensor_type"]
