import MklnkTestSupport
import Testing

/// Audit 3 F2: a command-line path with `..` after a symlink names what the kernel makes of it
/// (SPEC §1, kernel path semantics): `sub/../L` with `sub -> real/inner` is `real/L`, as `ls -l`
/// shows; never the `L` a lexical rewrite names.
@Suite struct ArgumentDotDotKernelTests {
    /// ~/L and ~/real/L both links (to different files); ~/sub -> real/inner.
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

    @Test("unlink sub/../L deletes real/L, the link the kernel names, and leaves L alone")
    func unlink() {
        let t = tree("f2-unlink")
        let r = t.mklnk("unlink", t.path("~/sub") + "/../L")
        #expect(r.status == 0, "\(r)")
        #expect(!t.exists("~/real/L"), "the link named is deleted")
        #expect(t.linkTarget("~/L") == t.path("@/a"), "the lexical namesake is untouched")
    }

    @Test("unlink missing/../L: the kernel cannot resolve it, so no link is deleted (exit 1)")
    func unlinkUnresolvable() {
        let t = tree("f2-unlink-missing")
        let r = t.mklnk("unlink", t.path("~/nothere") + "/../L")
        #expect(r.status == 1 && r.stderr.contains("no such link"), "\(r)")
        #expect(t.linkTarget("~/L") == t.path("@/a") && t.linkTarget("~/real/L") == t.path("@/b"))
    }

    @Test("show sub/../L describes real/L, as ls -l does")
    func show() {
        let t = tree("f2-show")
        let r = t.mklnk("show", t.path("~/sub") + "/../L")
        #expect(r.status == 0 && r.stdout.contains("symlink -> \(t.path("@/b"))"), "\(r)")
        let missing = t.mklnk("show", t.path("~/nothere") + "/../L")
        #expect(missing.status == 1 && missing.stdout.isEmpty, "\(missing)")
    }

    @Test("adopt sub/../f adopts real/f, the file the kernel names, and leaves f alone")
    func adopt() {
        let t = tree("f2-adopt")
        t.file("~/f", "lexical\n")
        t.file("~/real/f", "named\n")
        let r = t.mklnk("adopt", "--into", t.path("@"), t.path("~/sub") + "/../f")
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/real/f") == t.path("@/real/f"), "\(r)")
        #expect(ApplyCLI.read(t.path("@/real/f")) == "named\n")
        #expect(ApplyCLI.read(t.path("~/f")) == "lexical\n" && t.linkTarget("~/f") == nil)
    }

    @Test("link NAME sub/../x links the x the kernel names (real/x), not the lexical x")
    func linkTarget() {
        let t = tree("f2-link-target")
        t.file("~/real/x", "R\n")
        t.file("~/x", "D\n")
        let r = t.mklnk("link", "--root", t.home, t.path("~/nl"), t.path("~/sub") + "/../x")
        #expect(r.status == 0 && t.linkTarget("~/nl") == t.path("~/real/x"), "\(r)")
        #expect(ApplyCLI.read(t.path("~/nl")) == "R\n")
    }
}
