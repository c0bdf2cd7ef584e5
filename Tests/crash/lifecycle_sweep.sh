#!/usr/bin/env bash
# Crash sweep of adopt and destroy (issue 15, SPEC §4 "crash safe"), on the real binary.
#
#   Tests/crash/lifecycle_sweep.sh PATH/TO/mklnk [WORKDIR]
#
# Two scenarios, each a fresh tree per run:
#   adopt:   `mklnk apply` of a plan that adopts a file by symlink (into a directory of base it
#            makes), one by hard link, and makes one ordinary link in a new directory;
#   destroy: `mklnk destroy` of a plan applied earlier (links in directories mklnk made, a
#            re-pointed link it keeps, a backup it lists).
# For each renaming or linking syscall (old and *at names) and each N = 1, 2, ... until the run
# no longer reaches call N: strace -e inject=SYS:signal=SIGKILL:when=N, then `mklnk recover`
# (twice): the tree must be exactly the before-state or the after-state, every pre-existing
# file's bytes still somewhere, no temporary name left. Then the same with error=EIO: exit 1
# and the before-state, or exit 0 and the after-state. Ends with "N passed, M failed".
set -u

if [ $# -lt 1 ]; then
    echo "usage: $0 PATH/TO/mklnk [WORKDIR]" >&2
    exit 64
fi
BIN=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${2:-$(mktemp -d "${TMPDIR:-/tmp}/mklnk-lifecycle-XXXXXX")}
mkdir -p "$WORK"
WORK=$(realpath "$WORK")
SNAP=(python3 "$HERE/snapshot.py")
command -v strace >/dev/null || { echo "strace is not installed" >&2; exit 2; }
[ -x "$BIN" ] || { echo "no executable at $BIN" >&2; exit 2; }

SYSCALLS="rename renameat renameat2 symlink symlinkat link linkat unlink unlinkat mkdir mkdirat rmdir"
passed=0
failed=0
runs=0

make_adopt() {
    local d=$1
    mkdir -p "$d/home/.config" "$d/dots" "$d/state" || return 1
    printf 'my zshrc\n' >"$d/home/.zshrc" && chmod 600 "$d/home/.zshrc"
    printf 'my gitconfig\n' >"$d/home/.gitconfig"
    printf 'v\n' >"$d/dots/vimrc"
    cat >"$d/dots/plan.yaml" <<'YAML'
version: 1
root: ~
links:
  .zshrc: { target: zsh/zshrc, conflict: adopt }
  .gitconfig: { target: git/config, kind: hardlink, conflict: adopt }
  .config/vim/vimrc: vimrc
YAML
}

make_destroy() {
    local d=$1
    mkdir -p "$d/home/.config" "$d/dots" "$d/state" || return 1
    printf 'v\n' >"$d/dots/vimrc"
    printf 't\n' >"$d/dots/tool"
    printf 'b\n' >"$d/dots/bashrc"
    printf 'my bashrc\n' >"$d/home/.bashrc"
    cat >"$d/dots/plan.yaml" <<'YAML'
version: 1
root: ~
links:
  .vimrc: vimrc
  .config/app/deep/conf: vimrc
  .config/kept/conf: vimrc
  .bashrc: { target: bashrc, conflict: backup }
  .local/bin/tool: { target: tool, kind: hardlink }
YAML
    HOME="$d/home" "$BIN" apply "$d/dots/plan.yaml" --state-dir "$d/state" -q >/dev/null || return 1
    ln -sfn /my/own "$d/home/.config/kept/conf"
}

run_in() {  # run_in DIR COMMAND [strace arguments...]
    local d=$1 cmd=$2
    shift 2
    if [ $# -gt 0 ]; then
        (HOME="$d/home" strace -f -o "$d.strace" "$@" "$BIN" "$cmd" "$d/dots/plan.yaml" --state-dir "$d/state" -q \
            >"$d.out" 2>&1; exit $?) 2>/dev/null
    else
        HOME="$d/home" "$BIN" "$cmd" "$d/dots/plan.yaml" --state-dir "$d/state" -q >"$d.out" 2>&1
    fi
}

recover_in() {
    HOME="$1/home" "$BIN" recover --state-dir "$1/state" -q >>"$1.out" 2>&1
}

fresh() {  # fresh SCENARIO: a new numbered tree and its before-snapshot; sets D
    runs=$((runs + 1))
    D="$WORK/r$runs"
    "make_$1" "$D" || return 1
    "${SNAP[@]}" take "$D" >"$D.before.json"
}

fail() {
    failed=$((failed + 1))
    echo "FAIL $*"
}

check() {  # check DIR EXPECT LABEL
    local verdict
    if verdict=$("${SNAP[@]}" check "$1" "$1.before.json" "$REF.after.json" "$REF.before.json" "$2"); then
        passed=$((passed + 1))
    else
        fail "$3: $verdict"
        sed 's/^/    | /' "$1.out"
    fi
}

echo "binary: $BIN"
start=$SECONDS
for scenario in adopt destroy; do
    cmd=apply
    [ $scenario = destroy ] && cmd=destroy
    fresh $scenario || { echo "cannot prepare the $scenario tree" >&2; exit 1; }
    REF=$D
    HOME="$REF/home" strace -f -c -o "$REF.count" "$BIN" $cmd "$REF/dots/plan.yaml" --state-dir "$REF/state" -q >"$REF.out" 2>&1 ||
        { echo "the fault-free $scenario failed:"; cat "$REF.out"; exit 1; }
    "${SNAP[@]}" take "$REF" >"$REF.after.json"
    "${SNAP[@]}" check "$REF" "$REF.before.json" "$REF.after.json" "$REF.before.json" after >/dev/null ||
        { echo "the fault-free $scenario did not reach the after-state"; exit 1; }
    declare -A COUNT=()
    while read -r name count; do COUNT[$name]=$count; done < <(awk '$NF ~ /^[a-z_0-9]+$/ && $4 ~ /^[0-9]+$/ {print $NF, $4}' "$REF.count")
    echo "$scenario: syscalls of the fault-free run:$(for s in $SYSCALLS; do [ -n "${COUNT[$s]:-}" ] && printf ' %s(%s)' "$s" "${COUNT[$s]}"; done)"
    for sys in $SYSCALLS; do
        [ -n "${COUNT[$sys]:-}" ] || continue
        for mode in kill eio; do
            hits=0
            for n in $(seq 1 $((COUNT[$sys] + 3))); do
                fresh $scenario || { fail "setup of $D"; continue; }
                d=$D
                if [ $mode = kill ]; then
                    run_in "$d" $cmd -e trace="$sys" -e inject="$sys:signal=SIGKILL:when=$n"
                    rc=$?
                    if [ $rc -ne 137 ] && ! grep -q 'killed by SIGKILL' "$d.strace"; then
                        [ $rc -eq 0 ] || fail "$scenario $sys kill N=$n: not reached, yet exit $rc"
                        check "$d" after "$scenario $sys kill N=$n (not reached)"
                        break
                    fi
                    hits=$((hits + 1))
                    recover_in "$d" || fail "$scenario $sys kill N=$n: recover exited $?"
                    check "$d" either "$scenario $sys kill N=$n"
                    "${SNAP[@]}" take "$d" >"$d.before.json"
                    recover_in "$d" || fail "$scenario $sys kill N=$n: second recover exited $?"
                    check "$d" before "$scenario $sys kill N=$n, second recover"
                else
                    run_in "$d" $cmd -e trace="$sys" -e inject="$sys:error=EIO:when=$n"
                    rc=$?
                    if ! grep -q '(INJECTED)' "$d.strace"; then
                        [ $rc -eq 0 ] || fail "$scenario $sys eio N=$n: not reached, yet exit $rc"
                        check "$d" after "$scenario $sys eio N=$n (not reached)"
                        break
                    fi
                    hits=$((hits + 1))
                    recover_in "$d" || fail "$scenario $sys eio N=$n: recover exited $?"
                    case $rc in
                        0) check "$d" after "$scenario $sys eio N=$n (exit 0)" ;;
                        1) check "$d" before "$scenario $sys eio N=$n (exit 1)" ;;
                        *) fail "$scenario $sys eio N=$n: exit $rc (expected 1, or 0 after the commit)"
                           sed 's/^/    | /' "$d.out" ;;
                    esac
                fi
            done
            printf '%-8s %-10s %-4s %3d faulted runs  (%ds)\n' "$scenario" "$sys" "$mode" "$hits" $((SECONDS - start))
        done
    done
done

if [ "${MKLNK_SWEEP_KEEP:-0}" = 1 ]; then
    echo "runs kept in $WORK"
else
    rm -rf "$WORK"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
