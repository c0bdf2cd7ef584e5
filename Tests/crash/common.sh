# What the crash sweeps share (sourced by strace_sweep.sh and lifecycle_sweep.sh, whose own
# arguments are PATH/TO/mklnk [WORKDIR]). Each run is a fresh numbered directory under $WORK
# (inode numbers are compared, and ext4 reuses them) holding a tree made from a scenario file in
# scenarios/ (the tree fixture format, read by fixture.py here and by TreeFixture in the Swift
# tests); all are deleted at the end (MKLNK_SWEEP_KEEP=1 keeps them).
set -u

if [ $# -lt 1 ]; then
    echo "usage: $0 PATH/TO/mklnk [WORKDIR]" >&2
    exit 64
fi
BIN=$(realpath "$1")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=${2:-$(mktemp -d "${TMPDIR:-/tmp}/mklnk-$(basename "$0" .sh)-XXXXXX")}
mkdir -p "$WORK"
WORK=$(realpath "$WORK")
SNAP=(python3 "$HERE/snapshot.py")
FIXTURE=(python3 "$HERE/fixture.py")
command -v strace >/dev/null || { echo "strace is not installed" >&2; exit 2; }
[ -x "$BIN" ] || { echo "no executable at $BIN" >&2; exit 2; }

passed=0
failed=0
runs=0

# run_in DIR COMMAND [strace arguments...]: `mklnk COMMAND` on DIR's plan, under strace when given.
run_in() {
    local d=$1 cmd=$2
    shift 2
    if [ $# -gt 0 ]; then
        # The subshell (not exec'd: it has more to do) keeps bash's "Killed" notice quiet.
        (HOME="$d/home" strace -f -o "$d.strace" "$@" "$BIN" "$cmd" "$d/dots/plan.yaml" --state-dir "$d/state" -q \
            >"$d.out" 2>&1; exit $?) 2>/dev/null
    else
        HOME="$d/home" "$BIN" "$cmd" "$d/dots/plan.yaml" --state-dir "$d/state" -q >"$d.out" 2>&1
    fi
}

recover_in() {
    HOME="$1/home" "$BIN" recover --state-dir "$1/state" -q >>"$1.out" 2>&1
}

# fresh SCENARIO: a new numbered directory with the scenario's tree and its before-snapshot; sets D.
fresh() {
    runs=$((runs + 1))
    D="$WORK/r$runs"
    "${FIXTURE[@]}" make "$HERE/scenarios/$1.tree" "$D" "$BIN" || return 1
    "${SNAP[@]}" take "$D" >"$D.before.json"
}

fail() {
    failed=$((failed + 1))
    echo "FAIL $*"
}

check() {  # check DIR EXPECT LABEL
    local d=$1 expect=$2 label=$3 verdict
    if verdict=$("${SNAP[@]}" check "$d" "$d.before.json" "$REF.after.json" "$REF.before.json" "$expect"); then
        passed=$((passed + 1))
    else
        fail "$label: $verdict"
        sed 's/^/    | /' "$d.out"
    fi
}

# reference SCENARIO COMMAND: a run without faults, its before- and after-state (sets REF), the
# calls of each syscall it makes (COUNT), and its `pruned` paths gone.
reference() {
    local scenario=$1 cmd=$2 sys count
    fresh "$scenario" || { echo "cannot prepare the $scenario tree" >&2; exit 1; }
    REF=$D
    HOME="$REF/home" strace -f -c -o "$REF.count" "$BIN" "$cmd" "$REF/dots/plan.yaml" --state-dir "$REF/state" -q \
        >"$REF.out" 2>&1 || { echo "the fault-free $scenario $cmd failed:"; cat "$REF.out"; exit 1; }
    "${SNAP[@]}" take "$REF" >"$REF.after.json"
    "${SNAP[@]}" check "$REF" "$REF.before.json" "$REF.after.json" "$REF.before.json" after >/dev/null ||
        { echo "the fault-free $scenario $cmd did not reach the after-state"; exit 1; }
    "${FIXTURE[@]}" pruned "$HERE/scenarios/$scenario.tree" "$REF" || fail "$scenario: the fault-free $cmd did not prune all"
    declare -gA COUNT=()
    while read -r sys count; do COUNT[$sys]=$count; done \
        < <(awk '$NF ~ /^[a-z_0-9]+$/ && $4 ~ /^[0-9]+$/ {print $NF, $4}' "$REF.count")
}

finish() {
    if [ "${MKLNK_SWEEP_KEEP:-0}" = 1 ]; then
        echo "runs kept in $WORK"
    else
        rm -rf "$WORK"
    fi
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
