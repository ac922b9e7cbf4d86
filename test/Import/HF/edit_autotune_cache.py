"""Rewrites the choices in a ternc autotune cache (tests only).

--set NxK=SPEC sets the choice of the [N, K] shape's line; --set-others SPEC
sets every other line's choice. Fields: version, machine key, threads, kind,
n, k, candidates, choice, timings (tab-separated).
"""
import argparse


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cache")
    ap.add_argument("--set", action="append", default=[])
    ap.add_argument("--set-others")
    args = ap.parse_args()
    wanted = dict(item.split("=", 1) for item in args.set)
    lines = open(args.cache).read().splitlines()
    out = []
    for line in lines:
        fields = line.split("\t")
        shape = f"{fields[4]}x{fields[5]}"
        if shape in wanted:
            fields[7] = wanted[shape]
        elif args.set_others:
            fields[7] = args.set_others
        out.append("\t".join(fields))
    open(args.cache, "w").write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
