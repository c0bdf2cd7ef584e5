#!/usr/bin/env bash
# Benchmark (not a test): `mklnk plan` on a tree where every link is already in place (the no-op
# check CI runs every time), next to a C floor that only does lstat + readlink on the same paths,
# in the same run. Release build. Prints a table of medians, the ratio and peak memory.
#
# Two mklnk figures: "state" after one `mklnk apply` recorded the links (what CI sees on every run
# after the first: the state file is read and checked for links to prune), and "no state" (the
# first run). The ratio is the one with state.
#
#   bench/plan_bench.sh                  # N = 1000 10000 100000
#   SIZES="1000 10000" RUNS=5 bench/plan_bench.sh
#
# Environment: SIZES, RUNS (timed runs per command, default 10), WARMUP (default 2),
# BENCH_ROOT (where trees are made, default /tmp/mklnk-bench), SKIP_BUILD=1 (use the existing
# release build), KEEP=0 (also delete this run's trees at the end).
#
# Trees: each run makes its trees in a fresh directory and deletes the trees of earlier runs only
# after measuring (a tree deleted and at once made again would run on recycled ext4 inodes).
# Timing: hyperfine when installed (apt-get install -y hyperfine), else a Python loop; both
# report the median of RUNS warm-cache runs. Memory: /usr/bin/time -v (apt-get install -y time).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
package=$(dirname "$here")
sizes=${SIZES:-1000 10000 100000}
runs=${RUNS:-10}
warmup=${WARMUP:-2}
bench_root=${BENCH_ROOT:-/tmp/mklnk-bench}
keep=${KEEP:-1}

cd "$package"
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    swift build -c release --product mklnk >&2
fi
mklnk="$(swift build -c release --show-bin-path)/mklnk"
[[ -x $mklnk ]] || { echo "no release build at $mklnk" >&2; exit 1; }

mkdir -p "$here/bin"
floor="$here/bin/floor_lstat_readlink"
cc -O2 -Wall -o "$floor" "$here/floor_lstat_readlink.c"

[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time (apt-get install -y time)" >&2; exit 1; }

run="$bench_root/run-$(date +%Y%m%dT%H%M%S)-$$"
mkdir -p "$run"
echo "trees in $run" >&2

# Peak resident set size in KiB of one run of the command.
peak_kib() {
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'
}

# Median wall time in ms of each command: prints "FLOOR_MS STATE_MS NOSTATE_MS".
time_pair() {
    local n=$1 tree=$2
    if command -v hyperfine >/dev/null; then
        hyperfine --style none --warmup "$warmup" --runs "$runs" -N \
            --export-json "$tree/hyperfine.json" \
            -n floor "$floor $tree/paths.txt" \
            -n state "$mklnk plan $tree/home/dots/plan.yaml --state-dir $tree/state --color never" \
            -n nostate "$mklnk plan $tree/home/dots/plan.yaml --state-dir $tree/nostate --color never" >&2
        python3 - "$tree/hyperfine.json" <<'PY'
import json, sys
results = {r["command"]: r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"]}
print(f'{results["floor"]:.2f} {results["state"]:.2f} {results["nostate"]:.2f}')
PY
    else
        python3 - "$floor" "$mklnk" "$tree" "$runs" "$warmup" <<'PY'
import statistics, subprocess, sys, time
floor, mklnk, tree, runs, warmup = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
commands = {
    "floor": [floor, f"{tree}/paths.txt"],
    "state": [mklnk, "plan", f"{tree}/home/dots/plan.yaml", "--state-dir", f"{tree}/state", "--color", "never"],
    "nostate": [mklnk, "plan", f"{tree}/home/dots/plan.yaml", "--state-dir", f"{tree}/nostate", "--color", "never"],
}
times = {name: [] for name in commands}
for i in range(warmup + runs):
    for name, argv in commands.items():  # interleaved, so drift hits both alike
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
        if i >= warmup:
            times[name].append((time.perf_counter() - start) * 1000)
print(" ".join(f'{statistics.median(times[name]):.2f}' for name in ("floor", "state", "nostate")))
PY
    fi
}

declare -a rows
for n in $sizes; do
    tree="$run/n$n"
    echo "== N=$n: generating" >&2
    python3 "$here/gen_tree.py" "$n" "$tree"
    export HOME="$tree/home"

    # Both must see the same, complete tree before anything is timed.
    floor_out=$("$floor" "$tree/paths.txt")
    [[ $floor_out == "$n paths, $n symlinks, 0 errors" ]] || { echo "floor: $floor_out" >&2; exit 1; }
    expected="Plan: 0 to create, 0 to update, 0 to delete, $n unchanged, 0 conflicts."
    plan_out=$("$mklnk" plan "$tree/home/dots/plan.yaml" --state-dir "$tree/nostate" --color never)
    [[ $plan_out == "$expected" ]] || { echo "mklnk plan said: $plan_out" >&2; exit 1; }
    # Record the links as an apply would have (nothing on disk changes: all are in place).
    apply_out=$("$mklnk" apply "$tree/home/dots/plan.yaml" --state-dir "$tree/state" --color never)
    [[ $apply_out == "Applied: 0 created, 0 updated, 0 deleted, $n unchanged." ]] \
        || { echo "mklnk apply said: $apply_out" >&2; exit 1; }
    [[ -d $tree/state/plans ]] || { echo "apply recorded no state" >&2; exit 1; }
    plan_out=$("$mklnk" plan "$tree/home/dots/plan.yaml" --state-dir "$tree/state" --color never)
    [[ $plan_out == "$expected" ]] || { echo "mklnk plan (with state) said: $plan_out" >&2; exit 1; }

    echo "== N=$n: timing" >&2
    read -r floor_ms mklnk_ms nostate_ms < <(time_pair "$n" "$tree")
    floor_kib=$(peak_kib "$floor" "$tree/paths.txt")
    mklnk_kib=$(peak_kib "$mklnk" plan "$tree/home/dots/plan.yaml" --state-dir "$tree/state" --color never)
    rows+=("$n $floor_ms $mklnk_ms $nostate_ms $floor_kib $mklnk_kib")
done

echo
printf '%-8s %10s %12s %8s %15s %10s %10s\n' links "floor ms" "mklnk ms" ratio "no state ms" "floor MiB" "mklnk MiB"
for row in "${rows[@]}"; do
    read -r n floor_ms mklnk_ms nostate_ms floor_kib mklnk_kib <<<"$row"
    awk -v n="$n" -v f="$floor_ms" -v m="$mklnk_ms" -v s="$nostate_ms" -v fk="$floor_kib" -v mk="$mklnk_kib" 'BEGIN {
        printf "%-8s %10.2f %12.2f %7.2fx %9.2f (%.1fx) %10.1f %10.1f\n", n, f, m, m / f, s, s / f, fk / 1024, mk / 1024 }'
done
echo "(median of $runs warm runs each; $(nproc) cores; mklnk $("$mklnk" --version); $(uname -r))"

# Only now, with every figure taken: earlier runs' trees go (and this one's with KEEP=0).
for old in "$bench_root"/run-*; do
    [[ $old == "$run" && $keep != 0 ]] && continue
    rm -rf "$old"
done
