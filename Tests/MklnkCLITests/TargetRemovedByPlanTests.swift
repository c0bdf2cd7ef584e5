import MklnkTestSupport
import Testing

/// SPEC §1 `missing`, §4 "dry run tells the truth": a target is judged as the plan leaves the
/// tree, so one the plan itself deletes (`remove:`, a prune) is missing (AUDIT3 F1).
@Suite struct TargetRemovedByPlanTests {
    /// `plan`, `check` and `apply` each refuse with exit 1 naming the link, and nothing changes.
    func expectRefused(_ t: TempTree, _ plan: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let before = t.snapshot()
        for command in ["plan", "check", "apply"] {
            let r = t.mklnk(command, plan)
            #expect(r.status == 1, "\(command): \(r)", sourceLocation: sourceLocation)
            #expect(r.stderr.contains(message), "\(command): \(r)", sourceLocation: sourceLocation)
        }
        #expect(t.snapshot() == before, sourceLocation: sourceLocation)
    }

    @Test("a symlink to a path the plan removes is refused, never made dangling")
    func symlinkToRemoved() {
        let t = TempTree(dotfiles: "target-removed")
        t.file("@/a", "a\n")
        t.symlink("~/.s", t.path("@/a"))
        let plan = t.plan("links:\n  .y: ~/.s\nremove:\n  - ~/.s\n")
        expectRefused(t, plan, "plan.yaml:4:3: error: ~/.y: target ~/.s does not exist once the plan has run")
    }

    @Test("a hard link to a name the plan removes is refused before anything changes")
    func hardLinkToRemoved() {
        let t = TempTree(dotfiles: "target-removed-hard")
        t.file("@/a", "a\n")
        t.hardLink("~/.s", to: "@/a")
        let plan = t.plan("links:\n  .y: {target: ~/.s, kind: hardlink}\nremove:\n  - ~/.s\n")
        expectRefused(t, plan, "~/.y: hard link target ~/.s does not exist once the plan has run")
    }

    @Test("a target beneath a removed symlink, or reached through another symlink, is missing too")
    func throughRemoved() {
        let t = TempTree(dotfiles: "target-removed-through")
        t.file("@/d/x", "x\n")
        t.symlink("~/.s", t.path("@/d"))
        t.symlink("~/.via", t.path("~/.s"))
        let plan = t.plan("links:\n  .y: ~/.s/x\n  .z: ~/.via/x\nremove:\n  - ~/.s\n")
        expectRefused(t, plan, "~/.y: target ~/.s/x does not exist once the plan has run: this plan deletes ~/.s")
        #expect(t.mklnk("plan", plan).stderr.contains("~/.z: target ~/.via/x does not exist once the plan has run"))
    }

    @Test("a target through a planned link into a removed symlink is missing")
    func throughPlannedLink() {
        let t = TempTree(dotfiles: "target-removed-planned")
        t.file("~/d/x", "x\n")
        t.symlink("~/d/s", t.path("~/d/x"))
        let plan = t.plan("links:\n  .p: ~/d\n  .y: ~/.p/s\nremove:\n  - ~/d/s\n")
        let r = t.mklnk("plan", plan)
        #expect(r.status == 1 && r.stderr.contains("~/.y: target ~/.p/s does not exist once the plan has run"), "\(r)")
    }

    @Test("a target the same apply prunes is refused; with missing: allow it is made dangling as asked")
    func prunedTarget() {
        let t = TempTree(dotfiles: "target-pruned")
        t.file("@/a", "a\n")
        let plan = t.plan("links:\n  .s: a\n")
        #expect(t.mklnk("apply", plan).status == 0)
        t.plan("links:\n  .y: ~/.s\n")
        expectRefused(t, plan, "~/.y: target ~/.s does not exist once the plan has run: this plan deletes it")
        t.plan("links:\n  .y: {target: ~/.s, missing: allow}\n")
        let r = t.mklnk("apply", plan)
        #expect(r.status == 0 && !t.exists("~/.s") && t.linkTarget("~/.y") == t.path("~/.s"), "\(r)")
    }

    @Test("a removal elsewhere leaves other targets alone")
    func unrelatedRemoval() {
        let t = TempTree(dotfiles: "target-removed-other")
        t.file("@/a", "a\n")
        t.symlink("~/.old", t.path("@/a"))
        let plan = t.plan("links:\n  .y: ~/.oldish\n  .z: a\nremove:\n  - ~/.old\n")
        t.symlink("~/.oldish", t.path("@/a"))
        let r = t.mklnk("apply", plan)
        #expect(r.status == 0 && t.linkTarget("~/.y") == t.path("~/.oldish") && !t.exists("~/.old"), "\(r)")
    }
}
