#!/usr/bin/env python3
# ===- readme_example.py - The README's Python example, as written ------=== #
#
# Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
# LLMs.
#
# ===----------------------------------------------------------------------=== #
#
# Prints the first ```python block after the "### From Python" heading of
# README.md, so the test suite runs the example exactly as the README shows
# it.
#
# ===----------------------------------------------------------------------=== #
import re
import sys

text = open(sys.argv[1], encoding="utf-8").read()
section = text[text.index("### From Python"):]
match = re.search(r"```python\n(.*?)```", section, re.S)
if not match:
    sys.exit(f"{sys.argv[1]}: no ```python block under '### From Python'")
sys.stdout.write(match.group(1))
