#!/usr/bin/env bash
# The release tarball works on its own (issue 12 part 4):
#   Tests/dist/dist_test.sh DIST_DIR VERSION
# checks SHA256SUMS, unpacks the tarball into an empty directory, and there, with a bare
# environment (env -i), runs `--version` and applies a small plan. Also checks that the binary
# is stripped and does not load libyaml when a static libyaml was available to link.
set -euo pipefail
DIST=$(realpath "$1")
VERSION=$2
ARCH=$(uname -m)
NAME=mklnk-$VERSION-linux-$ARCH
fail() { echo "dist test: FAIL: $*" >&2; exit 1; }

[ -f "$DIST/$NAME.tar.gz" ] || fail "no $DIST/$NAME.tar.gz"
(cd "$DIST" && sha256sum --check --status SHA256SUMS) || fail "SHA256SUMS does not match"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mklnk-dist-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/unpacked"
tar -C "$WORK/unpacked" -xzf "$DIST/$NAME.tar.gz"
PKG=$WORK/unpacked/$NAME
for f in mklnk mklnk.1 README.md LICENSE completions/mklnk.bash completions/_mklnk completions/mklnk.fish; do
    [ -s "$PKG/$f" ] || fail "the tarball lacks $f"
done
[ -x "$PKG/mklnk" ] || fail "mklnk is not executable"
if readelf -S "$PKG/mklnk" | grep -q '\.symtab'; then fail "the binary is not stripped"; fi
if pkg-config --variable=libdir yaml-0.1 >/dev/null 2>&1 \
   && [ -f "$(pkg-config --variable=libdir yaml-0.1)/libyaml.a" ] \
   && readelf -d "$PKG/mklnk" | grep NEEDED | grep -q libyaml; then
    fail "libyaml.a was available but the binary still needs the shared libyaml"
fi

out=$(cd "$WORK" && env -i "$PKG/mklnk" --version)
[ "$out" = "$VERSION" ] || fail "--version printed '$out', expected '$VERSION'"

mkdir -p "$WORK/home" "$WORK/dots"
echo 'set nocompatible' > "$WORK/dots/vimrc"
printf 'version: 1\nlinks:\n  .vimrc: vimrc\n' > "$WORK/dots/plan.yaml"
plan=$(cd "$WORK" && env -i "$PKG/mklnk" plan dots/plan.yaml --root "$WORK/home" --state-dir "$WORK/state" --color never)
echo "$plan" | grep -q "^+ .*\.vimrc -> .*dots/vimrc" || fail "plan under env -i printed: $plan"
(cd "$WORK" && env -i "$PKG/mklnk" apply dots/plan.yaml --root "$WORK/home" --state-dir "$WORK/state" -q) \
    || fail "apply under env -i failed"
[ "$(readlink "$WORK/home/.vimrc")" = "$WORK/dots/vimrc" ] || fail "apply under env -i did not link .vimrc"
echo "dist test: $NAME.tar.gz: checksum, contents, stripped, --version and a plan under env -i: ok"
