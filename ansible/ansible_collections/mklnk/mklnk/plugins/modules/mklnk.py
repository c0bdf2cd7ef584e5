#!/usr/bin/python
# Copyright (c) 2026 The mklnk authors. MIT License (see LICENSE).
"""Ansible module: apply a mklnk link plan on the managed host."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: mklnk
short_description: Apply a mklnk link plan (symlinks, hard links, junctions) all or nothing
description:
  - Runs the C(mklnk) binary on the managed host with C(--json). A normal run is C(mklnk apply);
    check mode runs C(mklnk plan), which changes nothing.
  - C(changed) is true exactly when the plan has actions that change the filesystem (create,
    update, delete, backup, adopt).
  - In diff mode each such action is shown as before/after.
  - A plan that is invalid (exit 65), cannot be carried out here (exit 1, for instance a conflict),
    or finds another apply holding the lock (exit 75) fails the task; C(msg) names each problem
    with its FILE:LINE:COL.
version_added: 0.1.0
options:
  plan:
    description: Path of the plan file on the managed host. Exactly one of O(plan) and O(content).
    type: path
  content:
    description:
      - The plan itself (YAML), given to C(mklnk) on standard input. Relative targets resolve
        against O(chdir) unless the plan sets C(base).
    type: str
  chdir:
    description: Directory C(mklnk) runs in; the base of an inline O(content) plan.
    type: path
  root:
    description: Links must lie beneath this directory (C(--root)); overrides the plan's C(root).
    type: path
  vars:
    description: Plan variables (C(--var NAME=VALUE)), overriding the plan's C(vars).
    type: dict
    default: {}
  state_dir:
    description: Where mklnk keeps its state, journal and lock (C(--state-dir)).
    type: path
  prune:
    description: Delete links an earlier apply of this plan made that it no longer lists.
    type: bool
    default: true
  keep_going:
    description: Apply what can be applied and count the errors instead of rolling back.
    type: bool
    default: false
  binary:
    description: The mklnk executable (a path, or a name looked up in PATH).
    type: str
    default: mklnk
requirements:
  - the mklnk binary on the managed host (the C(mklnk.mklnk.install) role installs it)
author:
  - The mklnk authors
"""

EXAMPLES = r"""
- name: Link the dotfiles
  mklnk.mklnk.mklnk:
    plan: /home/ada/dotfiles/links.yaml
    vars:
      profile: work

- name: An inline plan, beneath a given root
  mklnk.mklnk.mklnk:
    chdir: /srv/app
    root: /srv/app/current
    content: |
      version: 1
      links:
        config.yaml: shared/config.yaml
"""

RETURN = r"""
actions:
  description: Every action of the plan (for an apply, those carried out), as in C(mklnk --json).
  returned: always
  type: list
  elements: dict
  sample: [{"op": "create", "path": "/home/ada/.vimrc", "kind": "symlink", "target": "/home/ada/dotfiles/vimrc",
            "was": null, "source": "/home/ada/dotfiles/links.yaml:3:3", "reason": null}]
summary:
  description: Counts of the plan's actions by operation.
  returned: when mklnk printed its JSON document
  type: dict
counters:
  description: MKLNK's counters (C(_mklnk_files), C(_mklnk_errors), C(_mklnk_deleted), ...).
  returned: when mklnk printed its JSON document
  type: dict
diagnostics:
  description: Errors and warnings, each with severity, message and FILE:LINE:COL location.
  returned: always
  type: list
  elements: dict
problems:
  description: Each problem as one line, FILE:LINE:COL first where there is one.
  returned: on failure
  type: list
  elements: str
rc:
  description: The exit code of mklnk.
  returned: always
  type: int
cmd:
  description: The command that ran.
  returned: always
  type: list
  elements: str
"""

import json
import re

from ansible.module_utils.basic import AnsibleModule

# An adopt moves the user's file into base and links it: a change like any other.
CHANGING = ("create", "update", "delete", "backup", "adopt")
LOCATED = re.compile(r"^(?P<place>\S.*?:\d+:\d+): (?P<severity>error|warning): (?P<message>.*)$")
# A conflict line of the human diff, which older mklnk printed instead of JSON when refusing.
CONFLICT_LINE = re.compile(r"^! (?P<what>.*?)\s+\[(?P<place>\S.*?:\d+:\d+)\]$")


def parse_document(stdout):
    """The JSON document mklnk printed: the whole output, or its last line that parses."""
    text = stdout.strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        pass
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                continue
    return None


def describe_was(was):
    """What stood at a path, from either form of `was`: {"kind", "target"} or "-> /x"."""
    if was is None:
        return "absent"
    if isinstance(was, dict):
        kind = was.get("kind") or "absent"
        target = was.get("target")
        return "%s -> %s" % (kind, target) if target else kind
    text = str(was)
    if text.startswith("-> "):
        return "symlink " + text
    return text


def describe_after(action):
    op = action.get("op")
    if op == "delete":
        return "absent"
    kind = action.get("kind") or "link"
    target = action.get("target")
    return "%s -> %s" % (kind, target) if target else kind


def changes(actions):
    """Whether any action changes the filesystem."""
    return any(a.get("op") in CHANGING for a in actions)


def diff_of(actions):
    diffs = []
    for a in actions:
        if a.get("op") not in CHANGING:
            continue
        # A backup is followed by the create that takes its place: one entry for both.
        if a.get("op") == "backup":
            continue
        path = a.get("path", "?")
        diffs.append({
            "before_header": "%s (before)" % path,
            "after_header": "%s (after, %s)" % (path, a.get("op")),
            "before": describe_was(a.get("was")) + "\n",
            "after": describe_after(a) + "\n",
        })
    return diffs


def problems_of(document, stdout, stderr):
    """Each problem once, FILE:LINE:COL first: diagnostics and conflicts, else stderr's lines."""
    lines = []
    if document is None:
        for raw in (stdout or "").splitlines():
            m = CONFLICT_LINE.match(raw.strip())
            if m:
                lines.append("%s: %s" % (m.group("place"), m.group("what")))
    document = document or {}
    for d in document.get("diagnostics") or []:
        if d.get("severity") != "error":
            continue
        place = d.get("location")
        lines.append("%s: %s" % (place, d.get("message")) if place else d.get("message", ""))
    for a in document.get("actions") or []:
        if a.get("op") == "conflict":
            reason = "%s: %s" % (a.get("path"), a.get("reason") or "conflict")
            lines.append("%s: %s" % (a.get("source"), reason) if a.get("source") else reason)
    for f in document.get("failures") or []:
        lines.append("%s: %s" % (f.get("path"), f.get("message")))
    # The JSON document holds every diagnostic; stderr says the same for people, so it is read
    # only when the document did not say what went wrong (older mklnk, or no document at all).
    if lines:
        stderr = ""
    for raw in (stderr or "").splitlines():
        m = LOCATED.match(raw.strip())
        if m and m.group("severity") == "error":
            lines.append("%s: %s" % (m.group("place"), m.group("message")))
        elif raw.startswith("mklnk: error: "):
            lines.append(raw[len("mklnk: error: "):])
    seen = set()
    unique = []
    for line in lines:
        key = line.strip()
        # The same located error from JSON and from stderr is one problem.
        if key and key not in seen:
            seen.add(key)
            unique.append(key)
    return unique


def run_module():
    module = AnsibleModule(
        argument_spec=dict(
            plan=dict(type="path"),
            content=dict(type="str"),
            chdir=dict(type="path"),
            root=dict(type="path"),
            vars=dict(type="dict", default={}),
            state_dir=dict(type="path"),
            prune=dict(type="bool", default=True),
            keep_going=dict(type="bool", default=False),
            binary=dict(type="str", default="mklnk"),
        ),
        required_one_of=[("plan", "content")],
        mutually_exclusive=[("plan", "content")],
        supports_check_mode=True,
    )
    p = module.params
    binary = p["binary"]
    if "/" not in binary:
        binary = module.get_bin_path(binary, required=True)

    command = "plan" if module.check_mode else "apply"
    cmd = [binary, command, p["plan"] if p["plan"] is not None else "-", "--json", "--color", "never"]
    if p["root"]:
        cmd += ["--root", p["root"]]
    for name in sorted(p["vars"]):
        cmd += ["--var", "%s=%s" % (name, p["vars"][name])]
    if p["state_dir"]:
        cmd += ["--state-dir", p["state_dir"]]
    if not p["prune"]:
        cmd.append("--no-prune")
    if p["keep_going"] and not module.check_mode:
        cmd.append("--keep-going")

    rc, stdout, stderr = module.run_command(cmd, data=p["content"], binary_data=True, cwd=p["chdir"],
                                            environ_update={"NO_COLOR": "1"})
    document = parse_document(stdout)
    actions = (document or {}).get("actions") or []
    result = dict(
        cmd=cmd,
        rc=rc,
        changed=changes(actions),
        actions=actions,
        summary=(document or {}).get("summary"),
        counters=(document or {}).get("counters"),
        diagnostics=(document or {}).get("diagnostics") or [],
        stderr=stderr,
        stdout=stdout if document is None else "",
    )
    if module._diff:
        result["diff"] = diff_of(actions)

    if rc != 0:
        problems = problems_of(document, stdout, stderr)
        what = {65: "the plan is invalid", 75: "another mklnk apply holds the lock"}.get(
            rc, "the plan cannot be carried out here" if command == "plan" else "the apply failed")
        result["problems"] = problems
        # A rolled-back apply changed nothing.
        if command == "apply" and (document or {}).get("applied") is not True:
            result["changed"] = False
        result["msg"] = "mklnk %s: %s (exit %d)%s" % (
            command, what, rc, "".join("\n" + line for line in problems) if problems else ": " + stderr.strip())
        module.fail_json(**result)
    module.exit_json(**result)


def main():
    run_module()


if __name__ == "__main__":
    main()
