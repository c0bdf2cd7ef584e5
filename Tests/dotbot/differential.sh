#!/usr/bin/env bash
# Differential test of `mklnk import dotbot` (issue 12 part 2):
#   Tests/dotbot/differential.sh PATH/TO/mklnk
# For each config in configs/, real dotbot (from PyPI, pinned in .ci/run) runs in one scratch
# home and `mklnk import dotbot CONFIG | mklnk apply -` in another, both over the same dotfiles
# directory and the same starting home (configs/NAME.setup). The two homes must hold the same
# tree: the same paths, the same kinds, each link resolving to the same place, each hard link
# sharing its target's inode. Backups are compared apart (their names differ by design, and
# mklnk moves aside what dotbot's `force` deletes): every byte the home held must still be there
# in mklnk's home. Without dotbot this says SKIPPED loudly, and fails when MKLNK_REQUIRE_PY_TOOLS=1.
set -uo pipefail
BIN=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
DOTBOT=${DOTBOT:-$(command -v dotbot || true)}
[ -n "$DOTBOT" ] && DOTBOT=$(realpath "$DOTBOT")
if [ -z "$DOTBOT" ]; then
    echo "dotbot differential test: SKIPPED: dotbot is not installed (make pydeps installs dotbot==1.24.1)" >&2
    [ "${MKLNK_REQUIRE_PY_TOOLS:-0}" = 1 ] && exit 1
    exit 0
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mklnk-dotbot-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
failed=0

make_dots() {
    local d=$1
    mkdir -p "$d"/config/nvim "$d"/bin "$d"/deep/x/y "$d"/real-dir
    for f in vimrc zshrc bashrc profile gitconfig config/a.conf config/b.conf config/secret.conf \
             config/nvim/init.vim bin/t1 bin/t2 bin/other deep/x/one.sh deep/x/y/two.sh deep/three.txt \
             real-dir/file; do
        echo "$f" > "$d/$f"
    done
    ln -s real-dir "$d/linked"
}

# One line per path under $1: its kind and, for a link, where it resolves (realpath -m), with
# the home itself written as ~. Backup files are left out (compared by bytes_kept).
describe() {
    local home=$1
    (cd "$home" && find . -mindepth 1 | LC_ALL=C sort) | while read -r rel; do
        rel=${rel#./}
        case "$rel" in *.dotbot-backup.*|*.mklnk-backup-*) continue ;; esac
        local p="$home/$rel"
        if [ -L "$p" ]; then
            echo "$rel symlink -> $(realpath -m "$p" | sed "s|^$home|~|")"
        elif [ -d "$p" ]; then
            echo "$rel dir"
        elif [ -f "$p" ]; then
            local links; links=$(stat -c %h "$p")
            if [ "$links" -gt 1 ]; then
                local twin; twin=$(find "$DOTS" -samefile "$p" | head -1)
                echo "$rel hardlink = ${twin#$DOTS/}"
            else
                echo "$rel file $(md5sum < "$p" | cut -c1-12)"
            fi
        else
            echo "$rel other"
        fi
    done
}

for config in "$HERE"/configs/*.yaml; do
    name=$(basename "$config" .yaml)
    case_dir=$WORK/$name
    DOTS=$case_dir/dots
    make_dots "$DOTS"
    cp "$config" "$DOTS/install.conf.yaml"
    for side in dotbot mklnk; do
        mkdir -p "$case_dir/$side"
        if [ -f "$HERE/configs/$name.setup" ]; then
            (cd "$case_dir/$side" && DOTS=$DOTS bash "$HERE/configs/$name.setup")
        fi
    done
    before_bytes=$(cd "$case_dir/mklnk" && find . -type f -exec cat {} + 2>/dev/null | LC_ALL=C sort)

    (cd "$case_dir" && HOME=$case_dir/dotbot "$DOTBOT" -q -c "$DOTS/install.conf.yaml" -d "$DOTS") \
        > "$case_dir/dotbot.out" 2>&1
    dotbot_rc=$?
    HOME=$case_dir/mklnk "$BIN" import dotbot "$DOTS/install.conf.yaml" > "$case_dir/plan.yaml" 2> "$case_dir/import.err"
    import_rc=$?
    (cd "$case_dir" && HOME=$case_dir/mklnk "$BIN" apply - --state-dir "$case_dir/state" --color never) \
        < "$case_dir/plan.yaml" > "$case_dir/apply.out" 2>&1
    apply_rc=$?
    if [ $dotbot_rc -ne 0 ] || [ $import_rc -ne 0 ] || [ $apply_rc -ne 0 ]; then
        echo "FAIL $name: dotbot exit $dotbot_rc, import exit $import_rc, apply exit $apply_rc"
        sed 's/^/  dotbot: /' "$case_dir/dotbot.out"; sed 's/^/  import: /' "$case_dir/import.err"
        sed 's/^/  apply:  /' "$case_dir/apply.out"
        failed=$((failed + 1))
        continue
    fi
    describe "$case_dir/dotbot" > "$case_dir/dotbot.tree"
    describe "$case_dir/mklnk" > "$case_dir/mklnk.tree"
    if ! diff -u "$case_dir/dotbot.tree" "$case_dir/mklnk.tree" > "$case_dir/tree.diff"; then
        echo "FAIL $name: the homes differ (--- dotbot, +++ mklnk):"
        sed 's/^/  /' "$case_dir/tree.diff"
        echo "  plan:"; sed 's/^/    /' "$case_dir/plan.yaml"
        failed=$((failed + 1))
        continue
    fi
    after_bytes=$(cd "$case_dir/mklnk" && find . -type f -exec cat {} + 2>/dev/null | LC_ALL=C sort)
    for line in $(echo "$before_bytes" | tr ' ' '_'); do
        if ! echo "$after_bytes" | tr ' ' '_' | grep -qxF "$line"; then
            echo "FAIL $name: mklnk lost the bytes '$line' of a file in the home"
            failed=$((failed + 1))
        fi
    done
    # Applying the imported plan again changes nothing.
    again=$(cd "$case_dir" && HOME=$case_dir/mklnk "$BIN" plan - --state-dir "$case_dir/state" --detailed-exitcode \
            < "$case_dir/plan.yaml" 2>&1)
    if [ $? -ne 0 ]; then
        echo "FAIL $name: a second plan is not empty:"; echo "$again" | sed 's/^/  /'
        failed=$((failed + 1))
        continue
    fi
    echo "ok $name: $(wc -l < "$case_dir/mklnk.tree") paths alike"
done
if [ $failed -ne 0 ]; then
    echo "dotbot differential test: $failed failure(s)"
    exit 1
fi
echo "dotbot differential test: every config gives the same tree ($("$DOTBOT" --version 2>&1 | head -1))"
