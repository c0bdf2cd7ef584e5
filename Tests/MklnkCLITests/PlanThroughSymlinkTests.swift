import MklnkTestSupport
import Testing

/// Audit 2 Q1: a plan reached through a symlink (`~/.config/mklnk/plan.yaml -> ~/dotfiles/plan.yaml`)
/// has the directory of the file itself as its default `base`, where its targets lie beside it,
/// as `readlink -f "$0"` finds a script's files.
@Suite struct PlanThroughSymlinkTests {
    @Test("base defaults to the directory of the plan file the symlink leads to")
    func baseIsTheRealDirectory() {
        let t = TempTree(dotfiles: "q1-base")
        t.file("@/a", "a\n")
        let real = t.plan("links:\n  .a: a\n")
        let named = t.symlink("~/.config/mklnk/plan.yaml", real)
        let r = t.mklnk("apply", named)
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/.a") == t.path("@/a"))
        // Diagnostics still name the plan as given.
        let bad = t.file("@/bad.yaml", "version: 1\nlinks:\n  .b: nope\n")
        let badLink = t.symlink("~/bad.yaml", bad)
        let b = t.mklnk("plan", badLink)
        #expect(b.status == 1 && b.stderr.contains(badLink + ":3:7: error: target \(t.path("@/nope")) does not exist"), "\(b)")
    }

    @Test("a retargeted plan symlink changes the base, compiled-plan cache or not")
    func retargetedSymlink() {
        let t = TempTree(dotfiles: "q1-retarget")
        t.file("@/a", "a\n")
        t.file("other/a", "other a\n")
        let first = t.plan("links:\n  .a: a\n")
        let second = t.file("other/plan.yaml", "version: 1\nroot: ~\nlinks:\n  .a: a\n")
        let named = t.symlink("~/plan.yaml", first)
        #expect(t.mklnk("apply", named).status == 0)
        #expect(t.linkTarget("~/.a") == t.path("@/a"))
        t.remove("~/plan.yaml")
        t.symlink("~/plan.yaml", second)
        let r = t.mklnk("apply", named)
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/.a") == t.path("other/a"), "\(r)")
    }
}
