import MklnkTestSupport
import Testing

/// SPEC §1: two entries that resolve to the same link path are an error, also when they name
/// it through a symlinked parent; and §4: `plan` tells what `apply` would do.
@Suite struct SymlinkedParentDuplicateTests {
    @Test("real/x and cfg/x, with cfg -> real, are one link: plan and apply refuse, located")
    func sameLinkThroughASymlinkedParent() {
        let t = TempTree(dotfiles: "physical-dup")
        t.file("@/a", "a\n")
        t.file("@/b", "b\n")
        t.directory("~/real")
        t.symlink("~/cfg", "real")
        let plan = t.plan("links:\n  real/x: a\n  cfg/x: b\n")
        let before = t.snapshot()
        for command in ["plan", "apply"] {
            let r = t.mklnk(command, plan)
            // Before: plan said "2 to create" (exit 0) and apply failed on EEXIST and rolled back.
            #expect(r.status == 65, "\(command): \(r)")
            #expect(r.stderr.contains("\(plan):5:3: error: two entries make the link ~/cfg/x"), "\(command): \(r)")
            #expect(r.stderr.contains("\(plan):4:3: note: the other entry is here"), "\(command): \(r)")
        }
        #expect(t.snapshot() == before)

        // The aliased entry first: still reported at the second entry.
        let swapped = t.plan("links:\n  cfg/x: b\n  real/x: a\n", name: "swapped.yaml")
        let s = t.mklnk("plan", swapped)
        #expect(s.status == 65, "\(s)")
        #expect(s.stderr.contains("swapped.yaml:5:3: error: two entries make the link ~/real/x"), "\(s)")
        #expect(s.stderr.contains("swapped.yaml:4:3: note: the other entry is here"), "\(s)")
    }
}
