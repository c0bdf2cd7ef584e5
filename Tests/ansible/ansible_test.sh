#!/usr/bin/env bash
# The Ansible collection against an inventory of several hosts (issue 12 part 1):
#   Tests/ansible/ansible_test.sh DIST_DIR VERSION
# installs mklnk from the release tarball with the mklnk.mklnk.install role, then runs a playbook
# with mklnk.mklnk.mklnk on three local hosts, each with its own root and variables; `three`
# has a regular file where its plan wants a link. Checks: check mode with --diff changes nothing
# and shows the diff; apply changes one and two and fails only three, naming FILE:LINE:COL;
# a second apply reports changed=0 everywhere. Without ansible-playbook this says SKIPPED
# loudly, and fails when MKLNK_REQUIRE_PY_TOOLS=1.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
DIST=$(realpath "$1")
VERSION=$2
ARCH=$(uname -m)
PLAYBOOK=${ANSIBLE_PLAYBOOK:-$(command -v ansible-playbook || true)}
if [ -z "$PLAYBOOK" ]; then
    echo "ansible test: SKIPPED: ansible-playbook is not installed (make pydeps installs ansible-core==2.19.14)" >&2
    [ "${MKLNK_REQUIRE_PY_TOOLS:-0}" = 1 ] && exit 1
    exit 0
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mklnk-ansible-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export ANSIBLE_COLLECTIONS_PATH=$REPO/ansible ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_RETRY_FILES_ENABLED=False \
       ANSIBLE_LOCAL_TEMP=$WORK/ansible-tmp ANSIBLE_REMOTE_TEMP=$WORK/ansible-remote ANSIBLE_NOCOLOR=1 \
       ANSIBLE_STDOUT_CALLBACK=default ANSIBLE_DEPRECATION_WARNINGS=False ANSIBLE_PYTHON_INTERPRETER=auto_silent
fail() { echo "ansible test: FAIL: $*"; exit 1; }
PY=$(head -1 "$PLAYBOOK" | sed 's/^#!//')
[ -x "$PY" ] || PY=$(command -v python3)

"$PY" "$HERE/module_test.py" || fail "the module misreads mklnk's output"

# The role installs the release into a prefix.
TARBALL=$DIST/mklnk-$VERSION-linux-$ARCH.tar.gz
SHA=$(cut -d' ' -f1 "$DIST/SHA256SUMS")
"$PLAYBOOK" -i localhost, -c local -e "ansible_python_interpreter=$PY" "$HERE/install.yml" \
    -e "tarball=$TARBALL tarball_sha256=$SHA version=$VERSION arch=$ARCH prefix=$WORK/prefix" > "$WORK/install.log" 2>&1 \
    || { cat "$WORK/install.log"; fail "the install role failed"; }
BIN=$WORK/prefix/bin/mklnk
[ "$("$BIN" --version)" = "$VERSION" ] || fail "the role did not install mklnk $VERSION"
[ -f "$WORK/prefix/share/man/man1/mklnk.1" ] || fail "the role did not install the man page"

# Three hosts, each with its own home (the root), dotfiles and variables.
{
    echo "[hosts]"
    for h in one two three; do
        mkdir -p "$WORK/$h/home" "$WORK/$h/dots"
        echo "set $h" > "$WORK/$h/dots/vimrc"
        echo "[user] name = $h" > "$WORK/$h/dots/gitconfig-$h"
        printf 'version: 1\nlinks:\n  .vimrc: vimrc\n  .gitconfig: gitconfig-${who}\n  .config/app/conf: { target: vimrc, relative: true }\n' \
            > "$WORK/$h/dots/links.yaml"
        echo "$h ansible_connection=local ansible_python_interpreter=$PY home=$WORK/$h/home dots=$WORK/$h/dots mklnk_bin=$BIN plan_vars='{\"who\": \"$h\"}'"
    done
} > "$WORK/inventory"
echo "mine" > "$WORK/three/home/.gitconfig"

snapshot() { (cd "$WORK" && find one two three -printf '%p %y %l\n' | LC_ALL=C sort); }
recap() { grep -E "^$1 +:" "$2" | head -1; }
run() { "$PLAYBOOK" -i "$WORK/inventory" "$HERE/site.yml" "$@"; }

# Check mode with a diff: nothing changes; one and two would change, three fails.
before=$(snapshot)
run --check --diff > "$WORK/check.log" 2>&1
[ "$(snapshot)" = "$before" ] || { cat "$WORK/check.log"; fail "check mode changed the tree"; }
for h in one two; do
    recap "$h" "$WORK/check.log" | grep -q "changed=2 .*failed=0" || { cat "$WORK/check.log"; fail "check mode: $h should report changed=2, failed=0"; }
done
recap three "$WORK/check.log" | grep -q "failed=1" || { cat "$WORK/check.log"; fail "check mode: three should fail"; }
grep -q "after, create" "$WORK/check.log" && grep -q "+symlink -> $WORK/one/dots/vimrc" "$WORK/check.log" \
    || { cat "$WORK/check.log"; fail "check mode --diff showed no before/after"; }

# Apply: one and two change, three fails alone and names the place of its conflict.
run > "$WORK/apply.log" 2>&1
for h in one two; do
    recap "$h" "$WORK/apply.log" | grep -q "changed=2 .*failed=0" || { cat "$WORK/apply.log"; fail "apply: $h should report changed=2, failed=0"; }
    [ "$(readlink "$WORK/$h/home/.gitconfig")" = "$WORK/$h/dots/gitconfig-$h" ] || fail "apply: $h's own variables were not used"
    [ "$(readlink "$WORK/$h/home/.config/app/conf")" = "../../../dots/vimrc" ] || fail "apply: $h's relative link is wrong"
    [ -L "$WORK/$h/home/.inline" ] || fail "apply: $h's inline plan was not applied"
done
recap three "$WORK/apply.log" | grep -q "failed=1" || { cat "$WORK/apply.log"; fail "apply: three should fail"; }
grep -q "$WORK/three/dots/links.yaml:4:3: $WORK/three/home/.gitconfig: a regular file is in the way" "$WORK/apply.log" \
    || grep -qE "links.yaml:4:3: .*a regular file is in the way" "$WORK/apply.log" \
    || { cat "$WORK/apply.log"; fail "apply: three's msg does not name FILE:LINE:COL of the conflict"; }
[ "$(cat "$WORK/three/home/.gitconfig")" = "mine" ] && [ ! -e "$WORK/three/home/.vimrc" ] \
    || fail "apply: three's tree changed though its plan failed"

# Again: nothing to do anywhere.
run > "$WORK/again.log" 2>&1
for h in one two; do
    recap "$h" "$WORK/again.log" | grep -q "changed=0 .*failed=0" || { cat "$WORK/again.log"; fail "second apply: $h should report changed=0"; }
done
recap three "$WORK/again.log" | grep -q "changed=0 .*failed=1" || { cat "$WORK/again.log"; fail "second apply: three should still fail, changing nothing"; }
echo "ansible test: install role, check mode with diff, apply on 3 hosts (one failing alone), idempotent re-run: ok ($("$PLAYBOOK" --version 2>/dev/null | sed -n 1p))"
