#!/usr/bin/env bash
# Crash and I/O-error sweep of the real `mklnk apply` under strace (issue 4, SPEC §4).
#
#   Tests/crash/strace_sweep.sh PATH/TO/mklnk [WORKDIR]
#
# Builds nothing. Prepares a tree that exercises every kind of action (create with parents,
# hard link, junction, update, backup of a file and of a directory, stale hard link with new
# bytes, delete of a symlink and of a hard link, prune of a link an earlier apply made), lists
# the mutating syscalls the apply makes, then for each of them and each N = 1, 2, ... until
# the run no longer reaches call N:
#   - kill: strace -e inject=SYS:signal=SIGKILL:when=N, then `mklnk recover`; the tree must be
#     exactly the before-state or the after-state;
#   - eio:  strace -e inject=SYS:error=EIO:when=N; exit 1 and exactly the before-state (after
#     a `recover`), or, when the error hit cleanup after the commit and a retry fixed it,
#     exit 0 and the after-state.
# In every case the bytes of every pre-existing file must still exist somewhere in the tree
# and no temporary name may be left; after a kill and recovery, the next apply must succeed and
# reach the after-state. The sweep runs over three trees: `plain`; `odd`, whose names hold
# CR+LF, a trailing backslash, a backslash before a combining mark and bytes that are not UTF-8
# (issue 9: the journal and the state must keep such names exactly); and `many`, new links in
# several directories. MKLNK_SWEEP_TREES picks some ("plain odd many" by default). Every run
# uses a fresh numbered directory (inode numbers are compared, and ext4 reuses them); all are
# deleted at the end (MKLNK_SWEEP_KEEP=1 keeps them). MKLNK_PARALLEL_STEPS=0 makes the apply's
# new links on several threads (make test-crash sweeps both ways); strace counts N per thread,
# so a fault may hit each thread's Nth call.
# Prints one line per failure and ends with "N passed, M failed"; exit 1 on failures.
set -u

if [ $# -lt 1 ]; then
    echo "usage: $0 PATH/TO/mklnk [WORKDIR]" >&2
    exit 64
fi
BIN=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${2:-$(mktemp -d "${TMPDIR:-/tmp}/mklnk-strace-XXXXXX")}
mkdir -p "$WORK"
WORK=$(realpath "$WORK")
SNAP=(python3 "$HERE/snapshot.py")
command -v strace >/dev/null || { echo "strace is not installed" >&2; exit 2; }
[ -x "$BIN" ] || { echo "no executable at $BIN" >&2; exit 2; }

MUTATING="symlink symlinkat link linkat rename renameat renameat2 unlink unlinkat mkdir mkdirat rmdir
          fsync fdatasync syncfs write ftruncate creat open openat"

passed=0
failed=0
runs=0

# The tree: an earlier apply (whose state makes `gone` prunable and `tool` a stale hard
# link), then the user's own files and the plan to sweep.
make_tree() {
    local d=$1
    mkdir -p "$d/home" "$d/dots/vim" "$d/dots/bash" "$d/dots/bin" "$d/dots/projects" "$d/state" || return 1
    printf 'old vimrc\n' >"$d/dots/vim/vimrc-old"
    printf 'set nocompatible\n' >"$d/dots/vim/vimrc"
    printf 'export A=1\n' >"$d/dots/bash/bashrc"
    printf 'v1\n' >"$d/dots/bin/tool"
    printf 'gone\n' >"$d/dots/gone"
    printf 'shared\n' >"$d/dots/f"
    printf 'projects\n' >"$d/dots/projects/readme"
    mkdir -p "$d/dots/nvim" "$d/home/.config/nvim" || return 1
    printf -- '-- lua\n' >"$d/dots/nvim/init.lua"
    printf 'my vim config\n' >"$d/home/.config/nvim/init.vim"
    cat >"$d/dots/plan.yaml" <<'YAML'
version: 1
root: ~
links:
  .vimrc: vim/vimrc-old
  gone: gone
  tool: { target: bin/tool, kind: hardlink }
YAML
    HOME="$d/home" "$BIN" apply "$d/dots/plan.yaml" --state-dir "$d/state" -q >/dev/null || return 1
    # git checkout replaces files by rename: ~/tool becomes a stale hard link.
    printf 'v2\n' >"$d/dots/bin/tool.new" && mv "$d/dots/bin/tool.new" "$d/dots/bin/tool"
    printf 'my own bashrc\n' >"$d/home/.bashrc"
    ln -s /nowhere/old "$d/home/.old"
    ln "$d/dots/f" "$d/home/second-name"
    cat >"$d/dots/plan.yaml" <<'YAML'
version: 1
root: ~
links:
  .vimrc: vim/vimrc
  .bashrc: { target: bash/bashrc, conflict: backup }
  deep/er/link: vim/vimrc
  tool: { target: bin/tool, kind: hardlink }
  bin2: { target: f, kind: hardlink }
  projects: { target: projects, kind: junction }
  .config/nvim: { target: nvim, kind: junction, conflict: backup }
remove:
  - ~/.old
  - ~/second-name
YAML
}

# The same kinds of action on names that are not plain text. Plan YAML is UTF-8, so the bytes
# that are not UTF-8 come from a glob over a directory; CR+LF, backslashes and the combining
# mark are written in the plan (double-quoted escapes, or a single-quoted trailing backslash).
make_odd_tree() {
    local d=$1 cr=$'cr\r\nlf' tr='trail\' bm=$'back\\\xcc\x81mark' e9=$'caf\xe9'
    mkdir -p "$d/home" "$d/dots/src" "$d/dots/old" "$d/dots/bin" "$d/state" || return 1
    printf 'f\n' >"$d/dots/f"
    printf 'v1\n' >"$d/dots/bin/tool"
    printf 'old\n' >"$d/dots/old/$e9.old"
    printf 'a\n' >"$d/dots/src/$e9.txt"
    printf 'b\n' >"$d/dots/src/$cr"
    printf 'c\n' >"$d/dots/src/$tr"
    cat >"$d/dots/plan.yaml" <<'YAML'
version: 1
root: ~
links:
  "gone\r\nname": f
  'gone\': f
  olddir/: { target: "old/*" }
  "t\\\u0301ool": { target: bin/tool, kind: hardlink }
YAML
    HOME="$d/home" "$BIN" apply "$d/dots/plan.yaml" --state-dir "$d/state" -q >/dev/null || return 1
    printf 'v2\n' >"$d/dots/bin/tool.new" && mv "$d/dots/bin/tool.new" "$d/dots/bin/tool"
    printf 'my own\n' >"$d/home/$bm"
    ln -s /nowhere "$d/home/$cr"
    ln -s /nowhere/rm "$d/home/rm$cr"
    cat >"$d/dots/plan.yaml" <<'YAML'
version: 1
root: ~
links:
  "cr\r\nlf": f
  'trail\': f
  "back\\\u0301mark": { target: f, conflict: backup }
  odd/: { target: "src/*" }
  "t\\\u0301ool": { target: bin/tool, kind: hardlink }
  "deep\r\n/er\\/link": f
remove:
  - "rmcr\r\nlf"
YAML
}

# New links in several directories, some beneath new ones, symlinks and hard links, and an
# update between them: with MKLNK_PARALLEL_STEPS=0 they are made on several threads.
make_many_tree() {
    local d=$1
    mkdir -p "$d/home/a" "$d/dots" "$d/state" || return 1
    printf 'f\n' >"$d/dots/f"
    printf 'g\n' >"$d/dots/g"
    ln -s /nowhere "$d/home/old"
    cat >"$d/dots/plan.yaml" <<'YAML'
version: 1
root: ~
links:
  a/l1: f
  a/l2: { target: g, kind: hardlink }
  b/c/l1: f
  b/c/l2: g
  d/l1: { target: f, kind: hardlink }
  d/l2: g
  old: f
  e/l1: f
  e/f/l2: { target: g, kind: hardlink }
  h/l3: g
YAML
}

# Links the plan of each tree drops: the fault-free apply must prune them.
PRUNED_many=()
PRUNED_plain=(gone)
PRUNED_odd=($'gone\r\nname' 'gone\' "olddir/"$'caf\xe9.old')

# apply DIR [strace arguments...]: runs the apply of DIR's plan, under strace when given.
apply_in() {
    local d=$1
    shift
    if [ $# -gt 0 ]; then
        # The subshell (not exec'd: it has more to do) keeps bash's "Killed" notice quiet.
        (HOME="$d/home" strace -f -o "$d.strace" "$@" "$BIN" apply "$d/dots/plan.yaml" --state-dir "$d/state" -q \
            >"$d.out" 2>&1; exit $?) 2>/dev/null
    else
        HOME="$d/home" "$BIN" apply "$d/dots/plan.yaml" --state-dir "$d/state" -q >"$d.out" 2>&1
    fi
}

recover_in() {
    local d=$1
    HOME="$d/home" "$BIN" recover --state-dir "$d/state" -q >>"$d.out" 2>&1
}

# fresh: a new numbered directory with the tree in it, and its before-snapshot; sets D.
fresh() {
    runs=$((runs + 1))
    D="$WORK/r$runs"
    "$TREE" "$D" || return 1
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
        LAST_VERDICT=${verdict%%$'\n'*}
    else
        fail "$label: $verdict"
        sed 's/^/    | /' "$d.out"
    fi
}

sweep() {
local name=$1
TREE=make_tree
[ "$name" = odd ] && TREE=make_odd_tree
[ "$name" = many ] && TREE=make_many_tree
local -n pruned="PRUNED_$name"
echo "tree: $name"
# Reference: a run without faults, its before- and after-state, and the syscalls it makes.
fresh || { echo "cannot prepare the tree" >&2; exit 1; }
REF=$D
HOME="$REF/home" strace -f -c -o "$REF.count" "$BIN" apply "$REF/dots/plan.yaml" --state-dir "$REF/state" -q >"$REF.out" 2>&1 ||
    { echo "the fault-free apply failed:"; cat "$REF.out"; exit 1; }
"${SNAP[@]}" take "$REF" >"$REF.after.json"
"${SNAP[@]}" check "$REF" "$REF.before.json" "$REF.after.json" "$REF.before.json" after >/dev/null ||
    { echo "the fault-free apply did not reach the after-state"; exit 1; }
for p in "${pruned[@]}"; do
    if [ -e "$REF/home/$p" ] || [ -L "$REF/home/$p" ]; then fail "$name: the fault-free apply did not prune $(printf %q "$p")"; fi
done
declare -A COUNT
while read -r name count; do COUNT[$name]=$count; done < <(awk '$NF ~ /^[a-z_0-9]+$/ && $4 ~ /^[0-9]+$/ {print $NF, $4}' "$REF.count")
# Calls that open with O_CREAT, by their position among all calls of that syscall.
fresh || exit 1
probe=$D
apply_in "$probe" -e trace=open,openat,creat
# strace counts `when=N` per thread: positions among the main thread's calls (the first pid),
# which makes every O_CREAT open (links are made on other threads under MKLNK_PARALLEL_STEPS).
main=$(awk '{print $1; exit}' "$probe.strace")
declare -A CREATING
for sys in open openat; do
    CREATING[$sys]=$(grep -E "^$main +$sys\(" "$probe.strace" | awk '/O_CREAT/ {print NR}' | tr '\n' ' ')
done
CREATING[creat]=$(seq 1 "${COUNT[creat]:-0}" | tr '\n' ' ')

SYSCALLS=""
for sys in $MUTATING; do
    if [ -n "${COUNT[$sys]:-}" ]; then SYSCALLS="$SYSCALLS $sys"; fi
done
echo "binary: $BIN"
echo "mutating syscalls of the apply (calls):$(for s in $SYSCALLS; do printf ' %s(%s)' "$s" "${COUNT[$s]}"; done)"
for sys in open openat creat; do
    [ -n "${CREATING[$sys]:-}" ] && [ -n "${COUNT[$sys]:-}" ] && echo "  $sys calls with O_CREAT: ${CREATING[$sys]}"
done

start=$SECONDS
for sys in $SYSCALLS; do
    for mode in kill eio; do
        case $sys in
            open | openat | creat) positions=${CREATING[$sys]} ;;
            *) positions=$(seq 1 $((COUNT[$sys] + 5))) ;;
        esac
        hits=0
        for n in $positions; do
            fresh || { fail "setup of $D"; continue; }
            d=$D
            if [ $mode = kill ]; then
                apply_in "$d" -e trace="$sys" -e inject="$sys:signal=SIGKILL:when=$n"
                rc=$?
                if [ $rc -ne 137 ] && ! grep -q 'killed by SIGKILL' "$d.strace"; then
                    [ $rc -eq 0 ] || fail "$sys kill N=$n: not reached, yet exit $rc"
                    check "$d" after "$sys kill N=$n (not reached)"
                    break
                fi
                if [[ $sys == open* || $sys == creat ]] && ! grep -E "^$(awk '{print $1; exit}' "$d.strace") +$sys\(" "$d.strace" | tail -1 | grep -q O_CREAT; then
                    fail "$sys kill N=$n: the killed call is not an O_CREAT open (positions drifted)"
                fi
                hits=$((hits + 1))
                recover_in "$d" || fail "$sys kill N=$n: recover exited $?"
                check "$d" either "$sys kill N=$n"
                # A second recovery must change nothing.
                cp "$d.before.json" "$d.first.json"
                "${SNAP[@]}" take "$d" >"$d.before.json"
                recover_in "$d" || fail "$sys kill N=$n: second recover exited $?"
                check "$d" before "$sys kill N=$n, second recover"
                # And the next apply works.
                cp "$d.first.json" "$d.before.json"
                apply_in "$d" || fail "$sys kill N=$n: the apply after recovery exited $?"
                check "$d" after "$sys kill N=$n, apply after recovery"
            else
                apply_in "$d" -e trace="$sys" -e inject="$sys:error=EIO:when=$n"
                rc=$?
                if ! grep -q '(INJECTED)' "$d.strace"; then
                    [ $rc -eq 0 ] || fail "$sys eio N=$n: not reached, yet exit $rc"
                    check "$d" after "$sys eio N=$n (not reached)"
                    break
                fi
                if [[ $sys == open* || $sys == creat ]] && ! grep '(INJECTED)' "$d.strace" | grep -q O_CREAT; then
                    fail "$sys eio N=$n: the failed call is not an O_CREAT open (positions drifted)"
                fi
                hits=$((hits + 1))
                journal=no
                [ -e "$d/state/journal" ] && journal=yes
                recover_in "$d" || fail "$sys eio N=$n: recover exited $?"
                case $rc in
                    0) check "$d" after "$sys eio N=$n (exit 0)"
                       [ $journal = no ] || fail "$sys eio N=$n: exit 0 but a journal was left" ;;
                    1) check "$d" before "$sys eio N=$n (exit 1)" ;;
                    *) fail "$sys eio N=$n: exit $rc (expected 1, or 0 after the commit)"
                       sed 's/^/    | /' "$d.out" ;;
                esac
            fi
        done
        printf '%-10s %-4s %3d faulted runs  (%ds)\n' "$sys" "$mode" "$hits" $((SECONDS - start))
    done
done
}

for tree in ${MKLNK_SWEEP_TREES:-plain odd many}; do sweep "$tree"; done

if [ "${MKLNK_SWEEP_KEEP:-0}" = 1 ]; then
    echo "runs kept in $WORK"
else
    rm -rf "$WORK"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
