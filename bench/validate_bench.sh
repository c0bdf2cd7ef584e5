#!/usr/bin/env bash
# Times `mklnk validate` on a generated plan next to PyYAML's C loader reading the same file,
# in the same run, and prints both medians and their ratio.
#
# usage: bench/validate_bench.sh [N]          (N links, default 100000)
# env:   BIN   mklnk binary (default .build/release/mklnk, from the package root;
#              build it first with `swift build -c release`)
#        RUNS  timed runs per command (default 10); one warm-up run each
#        OUT   where the plan and results go (default bench/out)
#        NO_HYPERFINE=1  use the built-in timing loop even when hyperfine is installed
#
# Exit status: 0 both timed; 2 only PyYAML timed (BIN missing or `validate` failed); 1 error.
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
package_root=$(cd "$bench_dir/.." && pwd)
n=${1:-100000}
runs=${RUNS:-10}
out=${OUT:-$bench_dir/out}
bin=${BIN:-$package_root/.build/release/mklnk}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac

mkdir -p "$out"
plan="$out/plan-$n.yaml"
python3 "$bench_dir/gen_plan.py" "$n" "$plan"

if ! python3 -c 'import yaml, sys; sys.exit(0 if yaml.__with_libyaml__ else 1)' 2>/dev/null; then
    echo "error: PyYAML with libyaml (yaml.CSafeLoader) is needed: pip install pyyaml" >&2
    exit 1
fi

pyyaml_cmd=(python3 -c 'import sys, yaml; yaml.load(open(sys.argv[1]), Loader=yaml.CSafeLoader)' "$plan")
mklnk_cmd=("$bin" validate "$plan")

# Time mklnk only if it can validate this plan; otherwise say why and time PyYAML alone.
have_mklnk=1
if [[ ! -x $bin ]]; then
    echo "note: $bin not found; build it with 'swift build -c release' (timing PyYAML only)" >&2
    have_mklnk=0
else
    status=0
    "${mklnk_cmd[@]}" >"$out/validate.out" 2>"$out/validate.err" || status=$?
    if ((status != 0)); then
        echo "note: '$bin validate' exited $status on the plan (timing PyYAML only); its stderr:" >&2
        head -n 5 "$out/validate.err" >&2
        have_mklnk=0
    fi
fi

names=(PyYAML)
commands=("$(printf '%q ' "${pyyaml_cmd[@]}")")
if ((have_mklnk)); then
    names=(mklnk "${names[@]}")
    commands=("$(printf '%q ' "${mklnk_cmd[@]}")" "${commands[@]}")
fi

results="$out/times.json"
if command -v hyperfine >/dev/null && [[ -z ${NO_HYPERFINE:-} ]]; then
    args=()
    for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${commands[$i]}"); done
    hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$results" "${args[@]}" >&2
    timer=hyperfine
else
    # No hyperfine: run each command $runs times (after one warm-up) and keep every duration.
    python3 - "$results" "$runs" "${#names[@]}" "${names[@]}" "${commands[@]}" <<'PY'
import json, subprocess, sys, time
out, runs, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
names, commands = sys.argv[4:4 + count], sys.argv[4 + count:4 + 2 * count]
results = []
for name, command in zip(names, commands):
    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(["bash", "-c", command], check=True, stdout=subprocess.DEVNULL)
        if i > 0:
            times.append(time.perf_counter() - start)
    results.append({"command": name, "times": times})
json.dump({"results": results}, open(out, "w"))
PY
    timer="python loop"
fi

python3 - "$results" "$plan" "$n" "$timer" <<'PY'
import json, os, statistics, sys
results, plan, n, timer = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
medians = {r["command"]: statistics.median(r["times"]) for r in json.load(open(results))["results"]}
runs = {r["command"]: len(r["times"]) for r in json.load(open(results))["results"]}
print(f"plan:   {plan} ({n} links, {os.path.getsize(plan) / 1e6:.1f} MB), timed with {timer}")
labels = {"mklnk": "mklnk validate", "PyYAML": "PyYAML CSafeLoader"}
for name, median in medians.items():
    print(f"{labels[name]:<20} median {median:8.3f} s  ({runs[name]} runs)")
if "mklnk" in medians:
    ratio = medians["mklnk"] / medians["PyYAML"]
    verdict = f"{1 / ratio:.2f}x faster" if ratio < 1 else f"{ratio:.2f}x slower"
    print(f"ratio mklnk / PyYAML: {ratio:.3f} (mklnk is {verdict})")
else:
    print("ratio: n/a (mklnk not timed)")
PY

((have_mklnk)) || exit 2
