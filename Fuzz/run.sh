#!/usr/bin/env bash
# Builds the libFuzzer targets (with AddressSanitizer) in .build-fuzz and runs each for SECONDS.
#
#   Fuzz/run.sh SECONDS [TARGET...]
#
# Seeds: Fuzz/seeds/<kind>/ (committed), Plans/ and the CLI test fixtures for the YAML and plan
# targets. What a run learns is kept in .build-fuzz/corpus/<target>/ for the next run. A crash
# leaves its input in .build-fuzz/crashes/<target>/, prints its path and fails the script:
# reproduce with `.build-fuzz/debug/<target> FILE`, then make it a regression test
# (Tests/MklnkCoreTests/FuzzRegressionTests.swift) before fixing it.
set -u
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:?usage: Fuzz/run.sh SECONDS [TARGET...]}
shift
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(FuzzYAML FuzzPlanLoader FuzzJournal FuzzState FuzzSavedPlan)
SCRATCH=.build-fuzz
export SWIFT_BACKTRACE=enable=no MKLNK_FUZZ=1

seeds() {
    case $1 in
        FuzzYAML|FuzzPlanLoader) echo "Plans Tests/MklnkCLITests/Fixtures" ;;
        FuzzJournal) echo Fuzz/seeds/journal ;;
        FuzzState) echo Fuzz/seeds/state ;;
        FuzzSavedPlan) echo Fuzz/seeds/saved-plan ;;
    esac
}

failed=0
mkdir -p "$SCRATCH"
for target in "${TARGETS[@]}"; do
    # The coverage flags: -sanitize=fuzzer alone leaves Swift code uninstrumented.
    if ! swift build -c debug --scratch-path "$SCRATCH" --product "$target" \
            --sanitize=fuzzer --sanitize=address -Xswiftc -parse-as-library \
            -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
            >"$SCRATCH/build-$target.log" 2>&1; then
        grep -v "ld.gold: warning" "$SCRATCH/build-$target.log" | tail -30
        echo "fuzz: $target: build failed" >&2
        exit 2
    fi
    corpus=$SCRATCH/corpus/$target crashes=$SCRATCH/crashes/$target
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/mklnk-fuzz-XXXXXX")
    mkdir -p "$corpus" "$crashes"
    # shellcheck disable=SC2046
    TMPDIR=$tmp "$SCRATCH/debug/$target" -max_total_time="$SECONDS_EACH" -max_len=8192 -timeout=10 \
        -rss_limit_mb=1024 -artifact_prefix="$crashes/" -print_final_stats=1 \
        "$corpus" $(seeds "$target") >"$tmp.log" 2>&1
    status=$?
    rm -rf "$tmp"
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp.log")
    if [ $status -ne 0 ]; then
        failed=$((failed + 1))
        grep -v '^#' "$tmp.log" | tail -40
        echo "fuzz: $target: FAILED after ${runs:-?} runs; input: $(ls -t "$crashes" | head -1 | sed "s|^|$crashes/|")"
    else
        echo "fuzz: $target: ${runs:-?} runs in ${SECONDS_EACH}s, no crash; corpus $(ls "$corpus" | wc -l) inputs"
    fi
    rm -f "$tmp.log"
done
exit $((failed > 0))
