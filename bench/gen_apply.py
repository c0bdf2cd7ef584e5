#!/usr/bin/env python3
"""Generates a benchmark tree for bench/apply_bench.sh.

  gen_apply.py DIR N

Writes DIR/dots/t/NNNNN (N small target files, 100 per directory), DIR/dots/plan.yaml (N
symlinks, 100 per link directory, so links need parent directories like real dotfiles), and
DIR/pairs.tsv ("target<TAB>link" for the C floor, with the same absolute targets; the floor's
links live under DIR/floor instead of DIR/home). The link directories exist beforehand under
both home and floor, so both make exactly N symlinks and nothing else on the link side.
"""
import os
import sys


def main():
    root, n = sys.argv[1], int(sys.argv[2])
    dots = os.path.join(root, "dots")
    os.makedirs(os.path.join(root, "home"))
    lines = ["version: 1", "root: ~", "links:"]
    pairs = []
    for i in range(n):
        group = f"g{i // 100:04d}"
        target_dir = os.path.join(dots, "t", group)
        if i % 100 == 0:
            os.makedirs(target_dir)
            os.makedirs(os.path.join(root, "floor", group))
            os.makedirs(os.path.join(root, "home", group))
        target = os.path.join(target_dir, f"f{i:06d}")
        with open(target, "w") as f:
            f.write(f"{i}\n")
        lines.append(f"  {group}/l{i:06d}: t/{group}/f{i:06d}")
        pairs.append(f"{target}\t{os.path.join(root, 'floor', group, f'l{i:06d}')}")
    with open(os.path.join(dots, "plan.yaml"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(root, "pairs.tsv"), "w") as f:
        f.write("\n".join(pairs) + "\n")


if __name__ == "__main__":
    main()
