import Foundation
import MklnkTestSupport
import Testing

/// Audit 3 F2: a `remove:` path with `..` after a symlink removes what the kernel names
/// (SPEC §1, kernel path semantics), as a link path does (D5): `sub/../L` with
/// `sub -> real/inner` is `real/L`, never the `L` a lexical rewrite names.
@Suite struct RemoveDotDotKernelTests {
    private func tree(_ label: String) -> TempTree {
        let t = TempTree(dotfiles: label)
        t.file("@/a", "a\n")
        t.file("@/b", "b\n")
        t.directory("~/real/inner")
        t.symlink("~/sub", "real/inner")
        t.symlink("~/L", t.path("@/a"))
        t.symlink("~/real/L", t.path("@/b"))
        return t
    }

    @Test("remove: sub/../L removes real/L and leaves L; plan shows that path; then nothing to do")
    func removesWhatTheKernelNames() {
        let t = tree("f2-remove")
        let plan = t.plan("links: {}\nremove:\n  - sub/../L\n")
        let p = t.mklnk("plan", plan)
        #expect(p.status == 0 && p.stdout.contains("- ~/real/L"), "\(p)")
        let r = t.mklnk("apply", plan)
        #expect(r.status == 0, "\(r)")
        #expect(!t.exists("~/real/L"), "the link named is removed")
        #expect(t.linkTarget("~/L") == t.path("@/a"), "the lexical namesake is untouched")
        // The plan cache keeps the path as written: with sub retargeted, the other L is named.
        t.directory("~/other/inner")
        t.symlink("~/other/L", t.path("@/b"))
        precondition(unlink(t.path("~/sub")) == 0)
        t.symlink("~/sub", "other/inner")
        let again = t.mklnk("apply", plan)
        #expect(again.status == 0 && !t.exists("~/other/L"), "\(again)")
        #expect(t.linkTarget("~/L") == t.path("@/a"))
    }

    @Test("remove: nothere/../L names nothing (the kernel cannot resolve it): L is kept")
    func missingDirectoryBeforeDotDot() {
        let t = tree("f2-remove-missing")
        let r = t.mklnk("apply", t.plan("links: {}\nremove:\n  - nothere/../L\n"))
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/L") == t.path("@/a") && t.linkTarget("~/real/L") == t.path("@/b"))
    }

    @Test("remove: a .. after a symlink leading outside root is a located error; nothing removed")
    func outsideTheRoot() {
        let t = tree("f2-remove-outside")
        t.directory("outside/sub")
        t.symlink("outside/L", t.path("@/a"))
        t.symlink("~/out", t.path("outside/sub"))
        let r = t.mklnk("apply", t.plan("links: {}\nremove:\n  - out/../L\n"))
        #expect(r.status == 1 && r.stderr.contains("plan.yaml:5:5: error: the path ~/out/../L to remove leads outside root"), "\(r)")
        #expect(t.linkTarget("outside/L") == t.path("@/a") && t.linkTarget("~/L") == t.path("@/a"))
    }
}
