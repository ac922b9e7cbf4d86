"""Byte-level BPE tokenizer."""
from .bpe import ByteLevelBPE, PRETOKENIZE_REGEX  # noqa: F401
