"""The module's reading of mklnk's output, in both JSON forms of `was` (issue 12 part 1):
   python3 Tests/ansible/module_test.py   (with ansible-core importable)"""
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = os.path.join(HERE, "../../ansible/ansible_collections/mklnk/mklnk/plugins/modules/mklnk.py")
spec = importlib.util.spec_from_file_location("mklnk_module", PATH)
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)

failures = []


def expect(got, want, what):
    if got != want:
        failures.append("%s: got %r, want %r" % (what, got, want))


# `was` as the older string and as the object {"kind", "target"}.
expect(m.describe_was(None), "absent", "was null")
expect(m.describe_was("-> /x"), "symlink -> /x", "was string")
expect(m.describe_was({"kind": "symlink", "target": "/x"}), "symlink -> /x", "was object")
expect(m.describe_was({"kind": "regular"}), "regular", "was object without target")
expect(m.describe_was("a regular file"), "a regular file", "was other string")

actions = [
    {"op": "backup", "path": "/h/.b", "kind": "symlink", "target": "/d/b", "was": {"kind": "regular"}},
    {"op": "create", "path": "/h/.b", "kind": "symlink", "target": "/d/b", "was": {"kind": "regular"}},
    {"op": "update", "path": "/h/.a", "kind": "symlink", "target": "/d/a", "was": "-> /old"},
    {"op": "delete", "path": "/h/.c", "kind": "symlink", "target": "/d/c", "was": {"kind": "symlink", "target": "/d/c"}},
    {"op": "unchanged", "path": "/h/.d", "kind": "symlink", "target": "/d/d", "was": "-> /d/d"},
]
diff = m.diff_of(actions)
expect([(d["before"], d["after"]) for d in diff],
       [("regular\n", "symlink -> /d/b\n"), ("symlink -> /old\n", "symlink -> /d/a\n"),
        ("symlink -> /d/c\n", "absent\n")], "diff")

# An apply that only adopts changes the tree (AUDIT3 F20): changed, and a before/after.
adopt = [{"op": "adopt", "path": "/h/.z", "kind": "symlink", "target": "/d/zsh/zshrc",
          "was": {"kind": "regular", "links": 1}, "reason": "moved into /d/zsh/zshrc, then linked"}]
expect(m.changes(adopt), True, "an adopt is a change")
expect(m.changes(actions[-1:]), False, "unchanged is no change")
expect([(d["before"], d["after"]) for d in m.diff_of(adopt)], [("regular\n", "symlink -> /d/zsh/zshrc\n")],
       "adopt diff")

# One document, whatever precedes it; none at all.
expect(m.parse_document('{"version": 1, "actions": []}'), {"version": 1, "actions": []}, "document")
expect(m.parse_document('! x   [p.yaml:1:1]\n{"version": 1}\n'), {"version": 1}, "document after text")
expect(m.parse_document(""), None, "no document")

# Problems, each once, FILE:LINE:COL first.
doc = {"diagnostics": [{"severity": "error", "message": "unknown option 'x'", "location": "/p.yaml:3:5"},
                       {"severity": "warning", "message": "w", "location": "/p.yaml:1:1"}],
       "actions": [{"op": "conflict", "path": "/h/.b", "reason": "a regular file is in the way", "source": "/p.yaml:4:3"}]}
expect(m.problems_of(doc, "", "/p.yaml:3:5: error: unknown option 'x'\nmklnk: error: nothing was changed\n"),
       ["/p.yaml:3:5: unknown option 'x'", "/p.yaml:4:3: /h/.b: a regular file is in the way"],
       "problems from JSON (stderr says the same)")
expect(m.problems_of({"diagnostics": []}, "", "/p.yaml:3:5: error: unknown option 'x'\nmklnk: error: nothing was changed\n"),
       ["/p.yaml:3:5: unknown option 'x'", "nothing was changed"], "problems from stderr when JSON has none")
expect(m.problems_of(None, "! ~/.b: a regular file is in the way (conflict: fail)   [/p.yaml:4:3]\n", ""),
       ["/p.yaml:4:3: ~/.b: a regular file is in the way (conflict: fail)"], "problems from the diff")

if failures:
    print("module test: FAIL\n  " + "\n  ".join(failures))
    sys.exit(1)
print("module test: ok")
