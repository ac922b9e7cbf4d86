"""Checks tern-run --chat against tern-run --prompt on the same rendered text.

Usage: chat_check.py TERN_RUN ARTIFACT

With greedy sampling, the first reply of a chat must be exactly the greedy
continuation of the prompt the chat format renders (BOS, system, user turn,
assistant header), fed as one prompt: the chat path renders, tokenizes and
streams the same way. The second turn then runs on the same KV cache, after
the token that ended the first reply.
"""
import subprocess
import sys

tern_run, artifact = sys.argv[1], sys.argv[2]
SYSTEM = "Be brief."
rendered = ("<|start_header_id|>system<|end_header_id|>\n\n" + SYSTEM + "<|eot_id|>"
            "<|start_header_id|>user<|end_header_id|>\n\nWhat is love?<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\n")

chat = subprocess.run([tern_run, artifact, "--chat", "--system", SYSTEM, "--temp", "0",
                       "-n", "12", "--show-prompt"],
                      input="What is love?\n\nTell me more.\n", capture_output=True,
                      text=True, check=True)
prompts = [p for p in chat.stderr.split("[prompt] ")[1:]]
assert len(prompts) == 2, chat.stderr
assert prompts[0].startswith(rendered), prompts[0]
assert prompts[1].startswith("<|start_header_id|>user<|end_header_id|>\n\nTell me more."), prompts[1]
replies = chat.stdout.split("\n")

single = subprocess.run([tern_run, artifact, "--prompt", rendered, "--temp", "0", "-n", "12"],
                        capture_output=True, text=True, check=True)
expected = single.stdout[len(rendered):].rstrip("\n")
assert chat.stdout.startswith(expected + "\n"), (chat.stdout, expected)
print("first reply matches the single-prompt continuation:", repr(expected))
print("turns:", len(prompts))
print("OK")
