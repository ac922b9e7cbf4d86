"""GGUF support: a numpy-only GGUF v3 writer (writer.py) and a converter from Tern's Hugging
Face BitNet checkpoints to the GGUF layouts llama.cpp and ik_llama.cpp load (convert_hf.py)."""
from .writer import (GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_VERSION, GGUFError, GGUFValueType,
                     GGUFWriter, LlamaFileType, TENSOR_TYPES, TensorType, f32_to_bf16_bits,
                     register_tensor_type, tensor_type)

__all__ = ["GGUF_DEFAULT_ALIGNMENT", "GGUF_MAGIC", "GGUF_VERSION", "GGUFError", "GGUFValueType",
           "GGUFWriter", "LlamaFileType", "TENSOR_TYPES", "TensorType", "f32_to_bf16_bits",
           "register_tensor_type", "tensor_type"]
