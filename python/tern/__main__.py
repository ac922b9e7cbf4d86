"""python -m tern: ternc and tern-run from Python, for convenience.

  python -m tern compile MODEL [-o OUT] [--target T] [--mcpu CPU] [--mattr F]
                              [--layout L] [--max-context N] [--weights W]
  python -m tern run ARTIFACT --prompt TEXT [-n N] [--temperature T] ...
  python -m tern run ARTIFACT --tokens 1,2,3 -n 8     (prints "generated: ...")
  python -m tern run ARTIFACT --perplexity FILE
  python -m tern run ARTIFACT --function NAME --input a.npy ... --output out.npy
  python -m tern run ARTIFACT --info
"""
import argparse
import sys

import numpy as np

from . import CompileError, TernError, compile, load
from ._native import NotBuiltError


def _compile(args):
    options = {"mattr": args.mattr, "layout": args.layout, "max_context": args.max_context}
    out = compile(args.model, args.output, target=args.target, mcpu=args.mcpu,
                  weights=args.weights, **{k: v for k, v in options.items() if v is not None})
    print(out)
    return 0


def _run(args):
    model = load(args.artifact, threads=args.threads)
    if args.info:
        print(model)
        for name in model.entry_points:
            sig = model.signature(name)
            print(f"  {name}: {list(sig.inputs)} -> {list(sig.results)}")
        return 0
    if args.function:
        inputs = [np.load(path) for path in args.input]
        results = model.run(args.function, *inputs)
        if len(args.output) not in (0, len(results)):
            raise ValueError(f"{args.function} has {len(results)} results; "
                             f"give that many --output files")
        for path, result in zip(args.output, results):
            np.save(path, result)
        if not args.output:
            for result in results:
                print(result)
        return 0
    if args.perplexity:
        with open(args.perplexity, encoding="utf-8") as f:
            print(f"perplexity: {model.perplexity(f.read()):.4f}")
        return 0
    options = dict(max_tokens=args.n, temperature=args.temperature, top_k=args.top_k,
                   top_p=args.top_p, seed=args.seed, ignore_eos=args.ignore_eos)
    if args.tokens:
        ids = model.generate_ids([int(t) for t in args.tokens.split(",")], **options)
        print("generated: " + ",".join(str(t) for t in ids))
        return 0
    if args.prompt is None:
        raise ValueError("give --prompt, --tokens, --perplexity, --function or --info")
    sys.stdout.write(args.prompt)
    for piece in model.generate(args.prompt, stream=True, **options):
        sys.stdout.write(piece)
        sys.stdout.flush()
    sys.stdout.write("\n")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tern", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    c = commands.add_parser("compile", help="compile a model (ternc)")
    c.add_argument("model")
    c.add_argument("-o", "--output")
    c.add_argument("--target", default="x86_64")
    c.add_argument("--mcpu", default="host")
    c.add_argument("--mattr")
    c.add_argument("--layout")
    c.add_argument("--max-context", type=int)
    c.add_argument("--weights", default="auto", choices=["auto", "embed", "external"])
    r = commands.add_parser("run", help="run an artifact (tern-run)")
    r.add_argument("artifact")
    r.add_argument("--prompt")
    r.add_argument("--tokens", help="comma-separated token ids")
    r.add_argument("-n", type=int, help="tokens to generate")
    r.add_argument("--temperature", type=float)
    r.add_argument("--top-k", type=int)
    r.add_argument("--top-p", type=float)
    r.add_argument("--seed", type=int, default=42)
    r.add_argument("--ignore-eos", action="store_true")
    r.add_argument("--threads", type=int)
    r.add_argument("--perplexity", metavar="FILE")
    r.add_argument("--function")
    r.add_argument("--input", action="append", default=[], metavar="NPY")
    r.add_argument("--output", action="append", default=[], metavar="NPY")
    r.add_argument("--info", action="store_true")
    args = parser.parse_args(argv)
    try:
        return _compile(args) if args.command == "compile" else _run(args)
    except CompileError as e:
        sys.stderr.write(e.diagnostics if e.diagnostics.endswith("\n") else e.diagnostics + "\n")
    except (TernError, NotBuiltError, ValueError, KeyError, TypeError, OSError) as e:
        print(f"python -m tern: error: {e}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
