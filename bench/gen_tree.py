#!/usr/bin/env python3
"""Makes a tree where every link of a generated plan is already in place (the no-op check CI
runs on every push), for bench/plan_bench.sh.

    gen_tree.py N DIR [--per-dir K] [--hardlinks EVERY]

DIR must not exist. It gets:
  DIR/home/                 the root and $HOME
  DIR/home/dots/plan.yaml   N explicit entries `dNNNN/fNNNNNN: dNNNN/fNNNNNN` (targets relative to
                            the plan's directory)
  DIR/home/dots/dNNNN/...   the N target files, K per directory
  DIR/home/dNNNN/...        the N links, absolute symlinks to the targets (every EVERY-th a hard
                            link instead, when --hardlinks is given)
  DIR/paths.txt             the N link paths, one per line, for the C floor
"""
import argparse
import os
import sys


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("dir")
    parser.add_argument("--per-dir", type=int, default=100)
    parser.add_argument("--hardlinks", type=int, default=0, metavar="EVERY")
    args = parser.parse_args()

    root = os.path.abspath(args.dir)
    if os.path.lexists(root):
        # Never reuse a tree's place: a fresh directory each time (ext4 reuses inodes slowly).
        print(f"{root} exists; give a fresh directory", file=sys.stderr)
        return 1
    home = os.path.join(root, "home")
    dots = os.path.join(home, "dots")
    os.makedirs(dots)

    plan = ["version: 1", "links:"]
    paths = []
    for i in range(args.n):
        d = f"d{i // args.per_dir:04d}"
        name = f"f{i:06d}"
        rel = f"{d}/{name}"
        target = os.path.join(dots, rel)
        link = os.path.join(home, rel)
        if i % args.per_dir == 0:
            os.makedirs(os.path.join(dots, d))
            os.makedirs(os.path.join(home, d))
        with open(target, "w") as f:
            f.write(f"{i}\n")
        if args.hardlinks and i % args.hardlinks == 0:
            os.link(target, link)
            plan.append(f"  {rel}: {{ target: {rel}, kind: hardlink }}")
        else:
            os.symlink(target, link)
            plan.append(f"  {rel}: {rel}")
        paths.append(link)

    with open(os.path.join(dots, "plan.yaml"), "w") as f:
        f.write("\n".join(plan) + "\n")
    with open(os.path.join(root, "paths.txt"), "w") as f:
        f.write("\n".join(paths) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
