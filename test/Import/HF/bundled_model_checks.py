#!/usr/bin/env python3
# ===- bundled_model_checks.py - The bundled model vs its references -----=== #
#
# Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
# LLMs.
#
# ===----------------------------------------------------------------------=== #
#
# For a compiled artifact of models/bitnet-fortunes:
#   * the C++ tokenizer in the artifact gives the same ids as the Python
#     reference tokenizer (python/tern/tokenizer) on tricky strings;
#   * perplexity over the held-out text equals the numpy reference's within
#     0.1%.
#
# ===----------------------------------------------------------------------=== #
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "python"))
from tern.bitnet import reference_numpy as ref  # noqa: E402
from tern.tokenizer.bpe import ByteLevelBPE  # noqa: E402

TRICKY = [
    "Hello, world!",
    "The meaning of life is 42.",
    "  leading spaces and trailing   ",
    "tabs\tand\nnewlines\n\n\nrun",
    "don't can't I'm you're we've they'll he'd",
    "numbers 1234567 3.14159 -17",
    "ünïcödé façade naïve Ærøskøbing",
    "emoji 🙂🚀 and 中文 and العربية",
    "symbols <>{}[]()@#$%^&*_+=|\\~`",
    "<|begin_of_text|>special tokens<|end_of_text|>",
    "",
]


def main():
    checkpoint, artifact = sys.argv[1], sys.argv[2]
    tokenizer = ByteLevelBPE.load(os.path.join(checkpoint, "tokenizer.json"))
    failures = 0
    for text in TRICKY:
        run = subprocess.run(["tern-run", artifact, "--prompt", text, "--print-tokens"],
                             check=True, capture_output=True, text=True)
        got = [int(t) for t in run.stdout.split(":", 1)[1].split(",") if t.strip()]
        want = list(tokenizer.encode(text, allow_special=True))
        if got != want:
            failures += 1
            print(f"tokenizer MISMATCH for {text!r}:\n  tern {got}\n  ref  {want}")
    print(f"tokenizer: {len(TRICKY) - failures} of {len(TRICKY)} strings identical")

    heldout = os.path.join(checkpoint, "heldout.txt")
    run = subprocess.run(["tern-run", artifact, "--perplexity", heldout],
                         check=True, capture_output=True, text=True)
    got = float(run.stdout.split()[1])
    model = ref.load(checkpoint)
    ids = [model.cfg.bos_token_id] + list(tokenizer.encode(open(heldout).read(),
                                                           allow_special=True))
    want = model.perplexity(ids)
    rel = abs(got - want) / want
    ok = rel <= 1e-3
    failures += not ok
    print(f"perplexity: tern {got:.4f}, reference {want:.4f}, relative difference "
          f"{rel:.2e} ({'ok' if ok else 'FAIL'}, tolerance 0.1%)")
    print("OK" if not failures else "FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
