#!/usr/bin/env bash
# Crash sweep of adopt and destroy (issue 15, SPEC §4 "crash safe"), on the real binary.
#
#   Tests/crash/lifecycle_sweep.sh PATH/TO/mklnk [WORKDIR]
#
# Two scenarios (scenarios/adopt.tree, destroy.tree), each a fresh tree per run:
#   adopt:   `mklnk apply` of a plan that adopts a file by symlink (into a directory of base it
#            makes), one by hard link, and makes one ordinary link in a new directory;
#   destroy: `mklnk destroy` of a plan applied earlier (links in directories mklnk made, a
#            re-pointed link it keeps, a backup it lists).
# For each renaming or linking syscall (old and *at names) and each N = 1, 2, ... until the run
# no longer reaches call N: strace -e inject=SYS:signal=SIGKILL:when=N, then `mklnk recover`
# (twice): the tree must be exactly the before-state or the after-state, every pre-existing
# file's bytes still somewhere, no temporary name left. Then the same with error=EIO: exit 1
# and the before-state, or exit 0 and the after-state. Ends with "N passed, M failed".
# common.sh holds what it shares with strace_sweep.sh.
source "$(dirname "$0")/common.sh"

SYSCALLS="rename renameat renameat2 symlink symlinkat link linkat unlink unlinkat mkdir mkdirat rmdir"

echo "binary: $BIN"
start=$SECONDS
for scenario in adopt destroy; do
    cmd=$("${FIXTURE[@]}" command "$HERE/scenarios/$scenario.tree")
    reference $scenario $cmd
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

finish
