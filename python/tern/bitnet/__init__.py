"""BitNet b1.58 tooling: formats, numpy reference, PyTorch QAT model, exporter."""
