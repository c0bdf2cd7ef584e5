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
# reach the after-state. The sweep runs over two trees, scenarios/plain.tree and odd.tree,
# whose names hold CR+LF, a trailing backslash, a backslash before a combining mark and bytes
# that are not UTF-8 (issue 9: the journal and the state must keep such names exactly).
# MKLNK_SWEEP_TREES picks some ("plain odd" by default). Prints one line per failure and ends
# with "N passed, M failed"; exit 1 on failures. common.sh holds what it shares with
# lifecycle_sweep.sh.
source "$(dirname "$0")/common.sh"

MUTATING="symlink symlinkat link linkat rename renameat renameat2 unlink unlinkat mkdir mkdirat rmdir
          fsync fdatasync syncfs write ftruncate creat open openat"

sweep() {
local name=$1
echo "tree: $name"
reference "$name" apply
# Calls that open with O_CREAT, by their position among all calls of that syscall.
fresh "$name" || exit 1
probe=$D
run_in "$probe" apply -e trace=open,openat,creat
declare -A CREATING
for sys in open openat; do
    CREATING[$sys]=$(grep -E "^[0-9]+ +$sys\(" "$probe.strace" | awk '/O_CREAT/ {print NR}' | tr '\n' ' ')
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
            fresh "$name" || { fail "setup of $D"; continue; }
            d=$D
            if [ $mode = kill ]; then
                run_in "$d" apply -e trace="$sys" -e inject="$sys:signal=SIGKILL:when=$n"
                rc=$?
                if [ $rc -ne 137 ] && ! grep -q 'killed by SIGKILL' "$d.strace"; then
                    [ $rc -eq 0 ] || fail "$sys kill N=$n: not reached, yet exit $rc"
                    check "$d" after "$sys kill N=$n (not reached)"
                    break
                fi
                if [[ $sys == open* || $sys == creat ]] && ! grep -E "^[0-9]+ +$sys\(" "$d.strace" | tail -1 | grep -q O_CREAT; then
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
                run_in "$d" apply || fail "$sys kill N=$n: the apply after recovery exited $?"
                check "$d" after "$sys kill N=$n, apply after recovery"
            else
                run_in "$d" apply -e trace="$sys" -e inject="$sys:error=EIO:when=$n"
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

for tree in ${MKLNK_SWEEP_TREES:-plain odd}; do sweep "$tree"; done

finish
