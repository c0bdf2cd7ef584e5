import MklnkTestSupport
import Testing

/// The decisions README's plan-format section documents for audit D7 and audit 2 Q4.
@Suite struct DocumentedDecisionTests {
    @Test("D7: relink: false makes a symlink in the way a conflict whatever conflict: says; it is left as it is",
          arguments: ["skip", "backup", "fail"])
    func relinkFalseIsAConflict(_ policy: String) {
        let t = TempTree(dotfiles: "d7-" + policy)
        t.file("@/a", "a\n")
        t.symlink("~/.s", "/etc/hostname")
        let plan = t.plan("links:\n  .s: { target: a, relink: false, conflict: \(policy) }\n")
        let r = t.mklnk("apply", plan)
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.contains("(relink: false)"), "\(r)")
        #expect(t.linkTarget("~/.s") == "/etc/hostname")
        #expect(t.names("~").filter { $0.contains("mklnk-backup") }.isEmpty)
    }

    @Test("Q4: check counts a link left out by conflict: skip as in sync, and says it was skipped (it said nothing)")
    func checkWithSkip() {
        let t = TempTree(dotfiles: "q4-skip")
        t.file("@/a", "a\n")
        t.file("~/.f", "mine\n")
        let r = t.mklnk("check", t.plan("links:\n  .f: { target: a, conflict: skip }\n"))
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout == "In sync: 0 links match the plan; 1 skipped (conflict: skip).\n", "\(r)")
        #expect(r.stderr.contains("plan.yaml:4:3: warning: ~/.f:"), "\(r)")
        #expect(t.contents("~/.f") == "mine\n")
    }
}
