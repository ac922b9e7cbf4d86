"""What ternc --lm-head=int8 does to a model's output, measured.

Usage: int8_head_check.py CHECKPOINT --workdir DIR

Compiles the checkpoint twice, keeping its head and with --lm-head=int8, and
reports: the largest logit difference between the two over a prompt (prefill
and decode), the fraction of positions whose top token is unchanged, and the
perplexity of both on the checkpoint's heldout.txt. Fails when the logits
move by more than 0.25, fewer than 95% of the top tokens agree, or the
perplexity moves by more than 0.5%: bounds for a quantization that should
only perturb the head, not change what the model predicts.
"""
import argparse
import os
import subprocess
import sys

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoint")
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    artifacts = {}
    for head in ("keep", "int8"):
        so = os.path.join(args.workdir, f"{head}.so")
        subprocess.run(["ternc", args.checkpoint, "-o", so, "--lm-head=" + head],
                       check=True)
        artifacts[head] = so
    rng = np.random.default_rng(11)
    ids = ",".join(map(str, rng.integers(0, 2000, size=48)))
    logits = {}
    for head, so in artifacts.items():
        out = os.path.join(args.workdir, f"{head}.npy")
        subprocess.run(["tern-run", so, "--tokens=" + ids, "--logits-out=@" + out,
                        "--decode-from=16"], check=True)
        logits[head] = np.load(out)
    diff = float(np.max(np.abs(logits["int8"] - logits["keep"])))
    agree = float(np.mean(np.argmax(logits["int8"], -1) == np.argmax(logits["keep"], -1)))
    ppl = {}
    for head, so in artifacts.items():
        run = subprocess.run(["tern-run", so, "--perplexity",
                              os.path.join(args.checkpoint, "heldout.txt")],
                             check=True, capture_output=True, text=True)
        ppl[head] = float(run.stdout.split()[1])
    change = abs(ppl["int8"] - ppl["keep"]) / ppl["keep"]
    print(f"logits: max abs difference {diff:.3g}; top token unchanged at "
          f"{agree:.1%} of positions")
    print(f"perplexity: {ppl['keep']:.4f} (kept head) vs {ppl['int8']:.4f} "
          f"(int8 head), {change:.3%} apart")
    ok = diff <= 0.25 and agree >= 0.95 and change <= 0.005
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
