#!/usr/bin/env python3
# ===- check_bad_files.py - ternc on the malformed GGUF corpus ---------=== #
#
# Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
# LLMs.
#
# ===----------------------------------------------------------------------=== #
#
# Runs `ternc FILE` on every file EXPECTED lists (test/Import/GGUF/bad, made
# by make_bad_files.py) and checks that each is rejected the way a user needs:
# exit status 1 (not a signal), the message naming the file and containing
# the expected text, no crash report and no output file.
#
# ===----------------------------------------------------------------------=== #
import os
import subprocess
import sys


def main():
    corpus, ternc, workdir = sys.argv[1:4]
    os.makedirs(workdir, exist_ok=True)
    failures = checked = 0
    with open(os.path.join(corpus, "EXPECTED")) as f:
        lines = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
    for line in lines:
        name, expected = line.split(": ", 1)
        path = os.path.join(corpus, name)
        out = os.path.join(workdir, name + ".so")
        run = subprocess.run([ternc, path, "-o", out], capture_output=True, text=True)
        checked += 1
        problems = []
        if run.returncode != 1:
            problems.append(f"exit status {run.returncode}")
        if path not in run.stderr or expected not in run.stderr:
            problems.append(f"message {run.stderr.strip()!r} lacks the path or {expected!r}")
        if "Stack dump" in run.stderr or "PLEASE submit" in run.stderr:
            problems.append("crash report")
        if os.path.exists(out):
            problems.append("an output file was written")
        if problems:
            failures += 1
            print(f"FAIL {name}: " + "; ".join(problems))
    print(f"{checked - failures} of {checked} bad GGUF files rejected cleanly")
    return 1 if failures or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
