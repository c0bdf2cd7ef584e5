#!/usr/bin/env bash
# Benchmark (not a test): `mklnk apply` of N new symlinks against a C floor that only calls
# symlink(2) for the same pairs, in the same run, plus mklnk's peak memory and fsync count.
#
#   bench/apply_bench.sh [MKLNK_BINARY] [N...]        (default: the release build; 1000 10000 100000)
#
# Build first: swift build -c release. Each measurement uses a freshly generated tree in a new
# directory (and a fresh state directory); trees are deleted once measured. REPEAT (default 3)
# runs per N, alternating which of the two goes first, each after a sync; the table shows
# medians. Times include process start, parsing, planning, the journal and every fsync.
# Needs python3, cc, /usr/bin/time and strace.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=$(realpath "${1:-$HERE/../.build/release/mklnk}")
shift || true
SIZES=${*:-1000 10000 100000}
REPEAT=${REPEAT:-3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mklnk-bench-XXXXXX")
FLOOR=$WORK/floor_symlink
cc -O2 -o "$FLOOR" "$HERE/floor_symlink.c"
trap 'rm -rf "$WORK"' EXIT
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install -y time)" >&2; exit 2; }

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

run=0
fresh() {  # fresh N: generates a tree, sets T
    run=$((run + 1))
    T=$WORK/t$run
    python3 "$HERE/gen_apply.py" "$T" "$1"
}

echo "binary: $BIN"
echo "repeat: $REPEAT (medians)"
printf '%8s %10s %10s %7s %12s %7s\n' N mklnk_s floor_s ratio peak_MiB fsyncs
for n in $SIZES; do
    : >"$WORK/m" ; : >"$WORK/f" ; : >"$WORK/rss"
    for rep in $(seq "$REPEAT"); do
        fresh "$n"
        # Alternate who goes first, and start each from a clean filesystem: mklnk's syncfs
        # would otherwise also flush the floor's links (and the generator's files).
        for who in $( [ $((rep % 2)) = 1 ] && echo "floor mklnk" || echo "mklnk floor"); do
            sync -f "$T" 2>/dev/null || sync
            a=$(now)
            if [ "$who" = floor ]; then
                "$FLOOR" "$T/pairs.tsv" 2>/dev/null
            else
                HOME=$T/home /usr/bin/time -f %M -o "$T/rss" "$BIN" apply "$T/dots/plan.yaml" --state-dir "$T/state" -q
            fi
            b=$(now)
            awk -v a="$a" -v b="$b" "BEGIN { print b - a }" >>"$WORK/${who:0:1}"
        done
        cat "$T/rss" >>"$WORK/rss"
        [ "$(find "$T/home" -type l | wc -l)" -eq "$n" ] || { echo "mklnk made the wrong number of links" >&2; exit 1; }
        rm -rf "$T"
    done
    # fsync-family calls, on another fresh tree (strace slows the run; not timed).
    fresh "$n"
    HOME=$T/home strace -f -c -o "$T/strace" -e trace=fsync,fdatasync,syncfs "$BIN" apply "$T/dots/plan.yaml" --state-dir "$T/state" -q
    syncs=$(awk '$NF ~ /^(fsync|fdatasync|syncfs)$/ {s += $4} END {print s + 0}' "$T/strace")
    rm -rf "$T"
    m=$(median <"$WORK/m")
    f=$(median <"$WORK/f")
    rss=$(median <"$WORK/rss")
    awk -v n="$n" -v m="$m" -v f="$f" -v rss="$rss" -v s="$syncs" \
        'BEGIN { printf "%8d %10.3f %10.3f %6.2fx %12.1f %7d\n", n, m, f, m / f, rss / 1024, s }'
done
