#!/usr/bin/env python3
"""The tree fixture format (Tests/MklnkTestSupport/TreeFixture.swift documents it) for the
crash sweeps: the sweeps and the Swift tests read the same scenario files.

  fixture.py make FIXTURE DIR MKLNK   make the tree in DIR (`apply` steps run MKLNK)
  fixture.py command FIXTURE          print the command the sweep runs on the tree
  fixture.py pruned FIXTURE DIR       exit 1, naming them, when a `pruned` path is still there
"""
import os
import subprocess
import sys

ESCAPES = {"\\": b"\\", "s": b" ", "t": b"\t", "r": b"\r", "n": b"\n"}


def decode(text, line):
    out, i = bytearray(), 0
    raw = text.encode()
    while i < len(raw):
        c = raw[i:i + 1]
        if c != b"\\":
            out += c
            i += 1
            continue
        e = raw[i + 1:i + 2].decode()
        if e == "x":
            out.append(int(raw[i + 2:i + 4], 16))
            i += 4
        elif e in ESCAPES:
            out += ESCAPES[e]
            i += 2
        else:
            raise SystemExit(f"line {line}: unknown escape: {text}")
    return bytes(out)


def parse(path):
    """(steps, command, pruned): steps are tuples whose first item is the instruction."""
    lines = open(path, encoding="utf-8").read().split("\n")
    steps, command, pruned, n = [], "apply", [], 0
    while n < len(lines):
        line = lines[n]
        n += 1
        if not line or line.startswith("#"):
            continue
        words = line.split(" ", 2)
        op, rest = words[0], (words[2] if len(words) > 2 else None)
        arg = lambda i: decode(words[i], n)
        if op in ("file", "exec"):
            mode = 0o755 if op == "exec" else 0o644
            if rest is not None and rest.startswith("<<"):
                end, body = rest[2:], b""
                while lines[n] != end:
                    body += lines[n].encode() + b"\n"
                    n += 1
                n += 1
            else:
                body = decode(rest, n) + b"\n" if rest is not None else b""
            steps.append(("file", arg(1), body, mode))
        elif op == "data":
            steps.append(("file", arg(1), decode(rest or "", n), 0o644))
        elif op == "dir" or op == "remove":
            steps.append((op, arg(1)))
        elif op == "mode":
            steps.append((op, arg(1), int(rest, 8)))
        elif op in ("symlink", "hardlink"):
            steps.append((op, arg(1), arg(2)))
        elif op == "replace":
            steps.append((op, arg(1), decode(rest or "", n) + b"\n"))
        elif op == "apply":
            steps.append((op,))
        elif op == "run":
            command = words[1]
        elif op == "pruned":
            pruned.append(arg(1))
        elif op != "args":
            raise SystemExit(f"{path}:{n}: not an instruction: {line}")
    return steps, command, pruned


def remove(p):
    if os.path.isdir(p) and not os.path.islink(p):
        for name in os.listdir(p):
            remove(os.path.join(p, name))
        os.rmdir(p)
    elif os.path.lexists(p):
        os.unlink(p)


def make(fixture, top, mklnk):
    top = os.fsencode(top)
    at = lambda p: os.path.join(top, p)
    parents = lambda p: os.makedirs(os.path.dirname(at(p)), exist_ok=True)
    for step in parse(fixture)[0]:
        op = step[0]
        if op == "dir":
            os.makedirs(at(step[1]), exist_ok=True)
        elif op == "file":
            parents(step[1])
            with open(at(step[1]), "wb") as f:
                f.write(step[2])
            os.chmod(at(step[1]), step[3])
        elif op == "mode":
            os.chmod(at(step[1]), step[2])
        elif op == "symlink":
            parents(step[1])
            os.symlink(step[2].replace(b"$TMP", top), at(step[1]))
        elif op == "hardlink":
            parents(step[1])
            os.link(at(step[2]), at(step[1]))
        elif op == "replace":
            with open(at(step[1]) + b".new", "wb") as f:
                f.write(step[2])
            os.rename(at(step[1]) + b".new", at(step[1]))
        elif op == "remove":
            remove(at(step[1]))
        elif op == "apply":
            subprocess.run([mklnk, "apply", at(b"dots/plan.yaml"), "--state-dir", at(b"state"), "-q"],
                           env=dict(os.environ, HOME=at(b"home")), stdout=subprocess.DEVNULL, check=True)


def main(argv):
    if len(argv) == 5 and argv[1] == "make":
        make(argv[2], argv[3], argv[4])
        return 0
    if len(argv) == 3 and argv[1] == "command":
        print(parse(argv[2])[1])
        return 0
    if len(argv) == 4 and argv[1] == "pruned":
        left = [p for p in parse(argv[2])[2] if os.path.lexists(os.path.join(os.fsencode(argv[3]), p))]
        for p in left:
            print(f"not pruned: {p!r}")
        return 1 if left else 0
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
