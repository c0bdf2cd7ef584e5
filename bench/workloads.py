#!/usr/bin/env python3
"""`make bench`: mklnk against C floors (bench/floor.c) on four workloads, in the same run.

  W1 fresh symlinks     floor: symlink per pair, mkdir on ENOENT        mklnk apply
  W2 no-op apply/plan   floor: lstat + readlink per link                mklnk apply, mklnk plan
  W3 1 % drift          floor: lstat + readlink, fixing the wrong ones  mklnk apply
  W4 fresh hard links   floor: link per pair, mkdir on ENOENT           mklnk apply (kind: hardlink)

  bench/workloads.py MKLNK [FLOOR]      env: SIZES (default "1000 10000 100000"), ROUNDS (3),
                                        BENCH_ROOT (/tmp/mklnk-bench), BENCH_PEERS=1 (GNU Stow
                                        with --no-folding and dotbot on the same trees),
                                        BASELINE=BINARY (another mklnk, say main's, in the
                                        same rounds: a before/after column)

Every figure is a median over ROUNDS rounds in which the floor and mklnk (and the peers) take
turns going first; each command starts after a `sync` of the filesystem, so no one's syncfs
flushes another's writes. Plans and pairs use absolute paths of 50-70 bytes; the link
directories do not exist beforehand (both make them). Each round has its own fresh trees:
nothing is deleted while measuring (ext4 hands out freed inodes slowly); a run deletes the trees
of earlier runs before it starts. Peak memory is /usr/bin/time's %M.
The fsync-family calls of one W1 apply (strace) are printed per N: they must not grow with N.
"""
import os
import shutil
import statistics
import subprocess
import sys
import time

MKLNK = os.path.abspath(sys.argv[1])
FLOOR = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "bin", "floor"))
SIZES = [int(n) for n in os.environ.get("SIZES", "1000 10000 100000").split()]
ROUNDS = int(os.environ.get("ROUNDS", "3"))
PEERS = os.environ.get("BENCH_PEERS") == "1"
BASELINE = os.path.abspath(os.environ["BASELINE"]) if os.environ.get("BASELINE") else None
BENCH_ROOT = os.environ.get("BENCH_ROOT", "/tmp/mklnk-bench")
PER_DIR = 100


CRASHES = []


def run(argv):
    """Runs argv after a sync; returns (seconds, peak KiB). The clock wraps /usr/bin/time, which
    costs the same fork and exec for every tool. A run killed by a signal is reported at the end
    and run again (every mutating mklnk command recovers first)."""
    for attempt in range(3):
        subprocess.run(["sync", "-f", BENCH_ROOT], check=True)
        mem = os.path.join(BENCH_ROOT, ".peak")
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", mem] + argv,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        seconds = time.perf_counter() - start
        if done.returncode == 0:
            with open(mem) as f:
                return seconds, int(f.read().split()[-1])
        if "Command terminated by signal" not in open(mem).read():
            break
        CRASHES.append(f"{open(mem).read().split(chr(10))[0]}: {' '.join(argv)}")
    sys.exit(f"failed ({done.returncode}): {' '.join(argv)}\n{done.stderr.decode(errors='replace')[-2000:]}")


class Tree:
    """One round's trees for N links: m/ (mklnk), f/ (floor), hm/ hf/ (hard links), s/ (stow),
    d/ (dotbot), all beside the shared targets t/gNNNN/fNNNNNN of this N."""

    def __init__(self, base, n, r):
        self.n, self.base, self.dir = n, base, os.path.join(base, f"r{r}")
        self.names = [(f"g{i // PER_DIR:04d}", f"f{i:06d}") for i in range(n)]
        for home in ("m", "f", "hm", "hf", "s", "d", "b", "hb"):
            os.makedirs(self.at(home))
        self.write_pairs("f", "pairs")
        self.write_pairs("hf", "hpairs")
        self.write_plan("m", "sym.yaml", "")
        self.write_plan("hm", "hard.yaml", "defaults:\n  kind: hardlink\n")
        if BASELINE:
            self.write_plan("b", "bsym.yaml", "")
            self.write_plan("hb", "bhard.yaml", "defaults:\n  kind: hardlink\n")
        if PEERS:
            self.write_dotbot()

    def at(self, *parts):
        return os.path.join(self.dir, *parts)

    def target(self, g, f):
        return os.path.join(self.base, "t", g, f)

    def write_pairs(self, home, name):
        with open(self.at(name), "w") as out:
            out.writelines(f"{self.target(g, f)}\t{self.at(home, g, f)}\n" for g, f in self.names)

    def write_plan(self, home, name, defaults):
        with open(self.at(name), "w") as out:
            out.write(f"version: 1\nroot: {self.at(home)}\n{defaults}links:\n")
            out.writelines(f"  {self.at(home, g, f)}: {self.target(g, f)}\n" for g, f in self.names)

    def write_dotbot(self):
        with open(self.at("dotbot.yaml"), "w") as out:
            out.write("- defaults:\n    link:\n      create: true\n      relink: true\n- link:\n")
            out.writelines(f"    {self.at('d', g, f)}: {self.target(g, f)}\n" for g, f in self.names)

    def drift(self, homes, r):
        """1 % of the links, a different 1 % each round: half deleted, half re-pointed at a
        missing path (for stow, a missing path inside its package, which stow may replace)."""
        for i in range(r % PER_DIR, self.n, PER_DIR):
            g, f = self.names[i]
            for home in homes:
                link = self.at(home, g, f)
                os.unlink(link)
                if (i // PER_DIR) % 2:
                    gone = os.path.join("..", "..", "..", "t", g, "gone-" + f) if home == "s" else self.target(g, "gone-" + f)
                    os.symlink(gone, link)

    def verify(self, mode, pairs):
        subprocess.run([FLOOR, mode, self.at(pairs)], check=True)


def make_targets(base, n):
    for i in range(n):
        g, f = f"g{i // PER_DIR:04d}", f"f{i:06d}"
        if i % PER_DIR == 0:
            os.makedirs(os.path.join(base, "t", g))
        with open(os.path.join(base, "t", g, f), "w") as out:
            out.write(f"{i}\n")


def fsyncs(tree):
    """fsync-family calls of one apply of fresh symlinks (untimed: strace slows it)."""
    log = tree.at("strace")
    done = subprocess.run(["strace", "-f", "-c", "-o", log, "-e", "trace=fsync,fdatasync,syncfs",
                           MKLNK, "apply", tree.at("sym.yaml"), "--state-dir", tree.at("state"), "-q"],
                          stdout=subprocess.DEVNULL)
    if done.returncode != 0:
        return f"? (exit {done.returncode})"
    total = 0
    for line in open(log):
        cols = line.split()
        if cols and cols[-1] in ("fsync", "fdatasync", "syncfs"):
            total += int(cols[3])
    return total


def interleaved(r, contenders):
    """Runs (name, argv) contenders in an order that rotates with the round."""
    k = r % len(contenders)
    return {name: run(argv) for name, argv in contenders[k:] + contenders[:k]}


def measure(n, results):
    base = os.path.join(RUN, f"n{n}")
    make_targets(base, n)
    trees = [Tree(base, n, r) for r in range(ROUNDS)]
    # stow needs the package inside its directory: the targets' directory is the stow directory.
    stow = lambda tree: ["stow", "--no-folding", "-d", base, "-t", tree.at("s"), "t"]
    dotbot = lambda tree: ["dotbot", "-Q", "-d", tree.dir, "-c", tree.at("dotbot.yaml")]
    sym = lambda tree, cmd: [MKLNK, cmd, tree.at("sym.yaml"), "--state-dir", tree.at("state"), "-q"]
    bsym = lambda tree, cmd: [BASELINE, cmd, tree.at("bsym.yaml"), "--state-dir", tree.at("bstate"), "-q"]

    def others(tree, cmd):
        """The contenders beside floor and mklnk: the baseline binary, then the peers."""
        c = [("baseline", bsym(tree, cmd))] if BASELINE else []
        if PEERS and cmd == "apply":
            c += [("stow", stow(tree)), ("dotbot", dotbot(tree))]
        return c

    def record(workload, got):
        for name, figure in got.items():
            results.setdefault((workload, n), {}).setdefault(name, []).append(figure)

    for r, tree in enumerate(trees):
        c = [("floor", [FLOOR, "symlink", tree.at("pairs")]), ("mklnk", sym(tree, "apply"))] + others(tree, "apply")
        record("W1 fresh symlinks", interleaved(r, c))
        tree.verify("verify", "pairs")
    for r, tree in enumerate(trees):
        c = [("floor", [FLOOR, "check", tree.at("pairs")]), ("mklnk", sym(tree, "apply"))] + others(tree, "apply")
        record("W2 no-op apply", interleaved(r, c))
        c = [("floor", [FLOOR, "check", tree.at("pairs")]), ("mklnk", sym(tree, "plan"))] + others(tree, "plan")
        record("W2 no-op plan", interleaved(r, c))
    for r, tree in enumerate(trees):
        tree.drift(["f", "m"] + (["b"] if BASELINE else []) + (["s", "d"] if PEERS else []), r)
        c = [("floor", [FLOOR, "check", tree.at("pairs")]), ("mklnk", sym(tree, "apply"))] + others(tree, "apply")
        record("W3 1 % drift re-apply", interleaved(r, c))
        tree.verify("verify", "pairs")
    for r, tree in enumerate(trees):
        hard = [MKLNK, "apply", tree.at("hard.yaml"), "--state-dir", tree.at("hstate"), "-q"]
        c = [("floor", [FLOOR, "link", tree.at("hpairs")]), ("mklnk", hard)]
        if BASELINE:
            c.append(("baseline", [BASELINE, "apply", tree.at("bhard.yaml"), "--state-dir", tree.at("bhstate"), "-q"]))
        record("W4 fresh hard links", interleaved(r, c))
        subprocess.run([FLOOR, "verify-hard", tree.at("hpairs")], check=True)
    if shutil.which("strace"):
        extra = Tree(base, n, ROUNDS)
        results[("fsyncs", n)] = fsyncs(extra)


def main():
    global RUN
    for old in os.listdir(BENCH_ROOT) if os.path.isdir(BENCH_ROOT) else []:
        if old.startswith("run-"):
            shutil.rmtree(os.path.join(BENCH_ROOT, old))
    RUN = os.path.join(BENCH_ROOT, f"run-{time.strftime('%H%M%S')}")
    os.makedirs(RUN)
    results = {}
    for n in SIZES:
        print(f"N={n} ...", file=sys.stderr, flush=True)
        measure(n, results)
        table(results, sys.stderr)
    table(results, sys.stdout)
    for crash in CRASHES:
        print(f"crashed (run again): {crash}")
    print(f"trees: {RUN} (deleted at the start of the next run)", file=sys.stderr)


def table(results, out):
    peers = (["baseline"] if BASELINE else []) + (["stow", "dotbot"] if PEERS else [])
    head = ["workload", "N", "floor"] + peers + ["mklnk", "mklnk ÷ floor", "floor MiB", "mklnk MiB"]
    print("| " + " | ".join(head) + " |", file=out)
    print("|---|---:|" + "---:|" * (len(head) - 2), file=out)
    for (workload, n), by in sorted(results.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if workload == "fsyncs":
            continue
        sec = {name: statistics.median(s for s, _ in figures) for name, figures in by.items()}
        mib = {name: statistics.median(k for _, k in figures) / 1024 for name, figures in by.items()}
        cells = [workload, f"{n:,}", f"{sec['floor']:.3f} s"]
        cells += [f"{sec[p]:.3f} s" if p in sec else "" for p in peers]
        cells += [f"{sec['mklnk']:.3f} s", f"{sec['mklnk'] / sec['floor']:.2f}×",
                  f"{mib['floor']:.1f}", f"{mib['mklnk']:.1f}"]
        print("| " + " | ".join(cells) + " |", file=out)
    syncs = ", ".join(f"{results[('fsyncs', n)]} at {n:,}" for n in SIZES if ("fsyncs", n) in results)
    print(f"\nmedians of {ROUNDS} interleaved rounds; {os.cpu_count()} cores; fsync-family calls per apply: {syncs}",
          file=out, flush=True)


if __name__ == "__main__":
    main()
