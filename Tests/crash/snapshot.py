#!/usr/bin/env python3
"""Snapshots of a test tree for Tests/crash/strace_sweep.sh.

  snapshot.py take DIR                      print a JSON snapshot of DIR (minus DIR/state)
  snapshot.py check DIR BEFORE AFTER REFBEFORE EXPECT
      compare DIR now with BEFORE (its own snapshot before the apply, compared exactly,
      inodes included) and with AFTER (a fault-free run on another tree whose own before
      snapshot is REFBEFORE, compared after normalisation). EXPECT is before, after or either.
      Also checks that the bytes of every regular file in BEFORE still exist somewhere.
      Prints the verdict (before/after) or what differs; exit 0 when acceptable.

A snapshot maps each path (relative to DIR) to its kind, symlink target, sha256 and nlink of
regular files, and inode. Normalisation, for comparing two trees made the same way: DIR in
symlink targets becomes $T, backup timestamps become *, and each inode becomes the path it had
in that tree's before-snapshot ("was:PATH"), or "new:FIRST-PATH" for an inode made by the apply,
so hard-link identity and "this backup is the user's original file" are both compared.
"""
import hashlib
import json
import os
import re
import stat
import sys

BACKUP = re.compile(r"(\.mklnk-backup-)[0-9]{8}T[0-9]{6}(-[0-9]+)?")


def take(root):
    entries = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        if rel_dir == ".":
            dirnames[:] = [d for d in dirnames if d != "state"]
            rel_dir = ""
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            rel = os.path.join(rel_dir, name) if rel_dir else name
            full = os.path.join(dirpath, name)
            st = os.lstat(full)
            e = {"ino": st.st_ino}
            if stat.S_ISLNK(st.st_mode):
                e["kind"] = "symlink"
                e["target"] = os.readlink(full)
            elif stat.S_ISDIR(st.st_mode):
                e["kind"] = "dir"
            elif stat.S_ISREG(st.st_mode):
                e["kind"] = "file"
                e["nlink"] = st.st_nlink
                with open(full, "rb") as f:
                    e["sha256"] = hashlib.sha256(f.read()).hexdigest()
            else:
                e["kind"] = "other"
            entries[rel] = e
    return {"dir": root, "entries": entries}


def normalize(snap, before):
    """Comparable across two trees built the same way; `before` is that tree's own before-snapshot."""
    origin = {}
    for path, e in sorted(before["entries"].items()):
        origin.setdefault(e["ino"], "was:" + BACKUP.sub(r"\1*", path))
    first_new = {}
    for path, e in sorted(snap["entries"].items()):
        if e["ino"] not in origin:
            first_new.setdefault(e["ino"], "new:" + BACKUP.sub(r"\1*", path))
    out = {}
    for path, e in snap["entries"].items():
        n = dict(e)
        ident = origin.get(e["ino"]) or first_new[e["ino"]]
        # A new directory or symlink is identified by its path; only files share inodes.
        n["ino"] = ident if (e["kind"] == "file" or ident.startswith("was:")) else "new"
        if "target" in n:
            n["target"] = n["target"].replace(snap["dir"], "$T")
        out[BACKUP.sub(r"\1*", path)] = n
    return out


def diff(a, b):
    lines = []
    for k in sorted(set(a) | set(b)):
        if a.get(k) != b.get(k):
            lines.append(f"    {k}: {a.get(k)} -> {b.get(k)}")
    return "\n".join(lines)


def check(root, before_file, after_file, ref_before_file, expect):
    now = take(root)
    before = json.load(open(before_file))
    after = json.load(open(after_file))
    ref_before = json.load(open(ref_before_file))
    problems = []

    is_before = now["entries"] == before["entries"]
    is_after = normalize(now, before) == normalize(after, ref_before)

    old_bytes = {e["sha256"] for e in before["entries"].values() if e["kind"] == "file"}
    new_bytes = {e["sha256"] for e in now["entries"].values() if e["kind"] == "file"}
    lost = old_bytes - new_bytes
    if lost:
        problems.append(f"bytes of {len(lost)} pre-existing file(s) are gone")
    leftovers = [p for p in now["entries"] if "/.mklnk-" in "/" + p]
    if leftovers:
        problems.append(f"temporary names left: {leftovers}")

    verdict = "before" if is_before else "after" if is_after else "neither"
    if verdict == "neither" or (expect != "either" and verdict != expect):
        problems.append(f"expected {expect}, got {verdict}")
        problems.append("  vs before:\n" + diff(before["entries"], now["entries"]))
        problems.append("  vs after (normalised):\n" + diff(normalize(after, ref_before), normalize(now, before)))
    print(verdict)
    for p in problems:
        print(p)
    return 0 if not problems else 1


def main(argv):
    if len(argv) == 3 and argv[1] == "take":
        json.dump(take(os.path.abspath(argv[2])), sys.stdout)
        return 0
    if len(argv) == 7 and argv[1] == "check":
        return check(os.path.abspath(argv[2]), argv[3], argv[4], argv[5], argv[6])
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
