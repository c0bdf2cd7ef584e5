import MklnkTestSupport
import Testing

/// Audit D3: `apply --saved` re-checks each link's target as `plan` would (`missing: error`, a
/// junction's target a directory): a target that has gone or changed kind since the plan was
/// saved is refused (exit 1, located, nothing changed), never a dangling or wrong link.
@Suite struct ApplySavedTargetTests {
    @Test("a link whose target has gone or changed kind since the plan was saved is refused",
          arguments: ["symlink, target removed", "relative symlink, target removed", "update, target removed",
                      "junction, directory became a file"])
    func targetChanged(_ change: String) {
        let t = TempTree(dotfiles: "saved-target")
        let body: String
        switch change {
        case "symlink, target removed": body = "links:\n  .g: a\n"
        case "relative symlink, target removed": body = "links:\n  .g: { target: a, relative: true }\n"
        case "update, target removed":
            t.symlink("~/.g", "/elsewhere")
            body = "links:\n  .g: a\n"
        default: body = "links:\n  .g: { target: d, kind: junction }\n"
        }
        t.file("@/a", "a\n")
        t.directory("@/d")
        let plan = t.plan(body)
        let saved = t.path("saved.plan")
        let p = t.mklnk("plan", plan, "--out", saved)
        #expect(p.status == 0, "\(p)")
        if change.hasPrefix("junction") {
            t.remove("@/d")
            t.file("@/d", "now a file\n")
        } else {
            t.removeFile("@/a")
        }
        let before = t.snapshot()
        let r = t.mklnk("apply", "--saved", saved)
        #expect(r.status == 1, "\(r)")
        #expect(t.snapshot() == before, "something changed: \(r)")
        #expect(r.stderr.contains("plan.yaml:4:3: error:") && r.stderr.contains("target"), "located and clear: \(r)")
        #expect(r.stderr.contains(change.hasPrefix("junction") ? "directory" : "no longer exists"), "\(r)")
    }

    @Test("a target that was missing when saved under missing: allow is applied as saved (a dangling link)")
    func missingAllowed() {
        let t = TempTree(dotfiles: "saved-target-allow")
        let plan = t.plan("links:\n  .g: { target: gone, missing: allow }\n")
        let saved = t.path("saved.plan")
        #expect(t.mklnk("plan", plan, "--out", saved).status == 0)
        let r = t.mklnk("apply", "--saved", saved)
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/.g") == t.path("@/gone"), "\(r)")
    }

    @Test("a target still there as saved is applied")
    func unchangedTarget() {
        let t = TempTree(dotfiles: "saved-target-same")
        t.directory("@/d")
        let plan = t.plan("links:\n  .j: { target: d, kind: junction }\n  .g: { target: d, relative: true }\n"
                          + "  new/deeper/.r: { target: d, relative: true }\n")
        let saved = t.path("saved.plan")
        #expect(t.mklnk("plan", plan, "--out", saved).status == 0)
        let r = t.mklnk("apply", "--saved", saved)
        #expect(r.status == 0, "\(r)")
        #expect(t.isSymlink("~/.j") && t.isSymlink("~/.g") && t.isSymlink("~/new/deeper/.r"), "\(r)")
    }
}
