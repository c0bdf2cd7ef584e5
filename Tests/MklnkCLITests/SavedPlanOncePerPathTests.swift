import MklnkTestSupport
import Testing

/// Audit D9: a stale saved plan names each path once, however many of its steps touch it.
@Suite struct SavedPlanOncePerPathTests {
    @Test("a backup and its create, stale: one error for the path")
    func backupAndCreate() {
        let t = TempTree(dotfiles: "saved-once")
        t.file("@/a", "a\n")
        t.file("~/.f", "f\n")
        let plan = t.plan("links:\n  .f: { target: a, conflict: backup }\n")
        let saved = t.path("saved.plan")
        #expect(t.mklnk("plan", plan, "--out", saved).status == 0)
        t.file("~/.f", "changed, longer\n")
        let r = t.mklnk("apply", "--saved", saved)
        #expect(r.status == 1, "\(r)")
        #expect(t.contents("~/.f") == "changed, longer\n")
        let errors = r.stderr.split(separator: "\n").filter { $0.contains("~/.f") && $0.contains("error:") }
        #expect(errors.count == 1, "\(r)")
    }
}
