"""Model config, read/written as a Hugging Face config.json.

Supported architectures (chosen by ``architectures[0]``):
  * ``BitNetForCausalLM`` (model_type "bitnet", microsoft/bitnet-b1.58-2B-4T): packed uint8
    ternary weights, squared-ReLU FFN, attn_sub_norm / ffn_sub_norm. The weight_scale
    direction follows ``quantization_config.linear_class``: "autobitlinear" multiplies
    (stored value = absmean), "bitlinear" divides (stored value = 1/absmean).
  * ``BitnetForCausalLM`` (1bitLLM bitnet_b1_58-*): plain fp16 weights ternarized at load
    (absmean), SwiGLU with SiLU, sub-norms self_attn.inner_attn_ln / mlp.ffn_layernorm.
  * ``LlamaForCausalLM`` with quantization_config.quant_method == "bitnet" (Falcon3-1.58bit
    style): packed weights, SwiGLU with SiLU, no sub-norms.
"""
import dataclasses
import json
import os
from dataclasses import dataclass, field
from typing import Optional

__all__ = ["BitNetConfig"]

_DEFAULT_QC = {"quant_method": "bitnet", "linear_class": "autobitlinear",
               "quantization_mode": "offline"}


@dataclass
class BitNetConfig:
    architectures: list = field(default_factory=lambda: ["BitNetForCausalLM"])
    model_type: str = "bitnet"
    hidden_size: int = 2560
    intermediate_size: int = 6912
    num_hidden_layers: int = 30
    num_attention_heads: int = 20
    num_key_value_heads: int = 5
    head_dim: Optional[int] = None          # defaults to hidden_size // num_attention_heads
    vocab_size: int = 128256
    max_position_embeddings: int = 4096
    rms_norm_eps: float = 1e-5
    rope_theta: float = 500000.0
    hidden_act: str = "relu2"
    tie_word_embeddings: bool = True
    bos_token_id: int = 128000
    eos_token_id: int = 128001
    pad_token_id: Optional[int] = None
    attention_bias: bool = False
    initializer_range: float = 0.02
    use_cache: bool = True
    quantization_config: Optional[dict] = field(default_factory=lambda: dict(_DEFAULT_QC))
    torch_dtype: str = "bfloat16"
    extra: dict = field(default_factory=dict)   # unknown keys, kept for round trips

    # ---- derived -------------------------------------------------------------------
    @property
    def architecture(self):
        return self.architectures[0] if self.architectures else "BitNetForCausalLM"

    @property
    def head_dim_(self):
        return self.head_dim if self.head_dim else self.hidden_size // self.num_attention_heads

    @property
    def linear_class(self):
        """'autobitlinear' (scale multiplies) or 'bitlinear' (scale divides); HF's default
        for a bitnet quantization_config without linear_class is 'bitlinear'."""
        qc = self.quantization_config or {}
        return qc.get("linear_class", "bitlinear")

    @property
    def layout(self):
        """One of 'bitnet' (2B4T), 'bitnet-1bitllm', 'llama-bitnet'."""
        a = self.architecture
        if a == "BitNetForCausalLM":
            return "bitnet"
        if a == "BitnetForCausalLM":
            return "bitnet-1bitllm"
        if a == "LlamaForCausalLM":
            qc = self.quantization_config or {}
            if qc.get("quant_method") != "bitnet":
                raise ValueError("LlamaForCausalLM without quantization_config.quant_method "
                                 "'bitnet' is not a ternary model")
            return "llama-bitnet"
        raise ValueError(f"unsupported architecture '{a}'")

    def validate(self):
        _ = self.layout
        if self.hidden_size <= 0 or self.num_attention_heads <= 0:
            raise ValueError("hidden_size and num_attention_heads must be positive")
        if self.num_attention_heads % self.num_key_value_heads:
            raise ValueError(f"num_attention_heads {self.num_attention_heads} is not a multiple "
                             f"of num_key_value_heads {self.num_key_value_heads}")
        if self.head_dim_ % 2:
            raise ValueError(f"head_dim {self.head_dim_} must be even for RoPE")
        if self.hidden_act not in ("relu2", "silu"):
            raise ValueError(f"unsupported hidden_act '{self.hidden_act}'")
        return self

    # ---- JSON ----------------------------------------------------------------------
    def to_dict(self):
        d = {}
        for f in dataclasses.fields(self):
            if f.name == "extra":
                continue
            v = getattr(self, f.name)
            if f.name in ("head_dim", "pad_token_id") and v is None:
                continue
            if f.name == "quantization_config" and v is None:
                continue
            d[f.name] = v
        d.update(self.extra)
        return d

    @classmethod
    def from_dict(cls, d):
        names = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        kw = {k: v for k, v in d.items() if k in names}
        extra = {k: v for k, v in d.items() if k not in names}
        if "quantization_config" not in d:
            kw["quantization_config"] = None
        cfg = cls(**kw, extra=extra)
        if isinstance(cfg.eos_token_id, list):
            cfg.extra.setdefault("eos_token_ids", cfg.eos_token_id)
        return cfg

    def save(self, path_or_dir):
        path = os.path.join(path_or_dir, "config.json") if os.path.isdir(path_or_dir) else path_or_dir
        with open(path, "w") as f:
            json.dump(self.to_dict(), f, indent=2)
            f.write("\n")

    @classmethod
    def load(cls, path_or_dir):
        path = os.path.join(path_or_dir, "config.json") if os.path.isdir(path_or_dir) else path_or_dir
        with open(path) as f:
            try:
                d = json.load(f)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}: invalid JSON: {e}") from None
        return cls.from_dict(d)
