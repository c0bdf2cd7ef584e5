import MklnkTestSupport
import Testing

/// Audit D5: a link path written with `..` is where the kernel puts it (SPEC §1, kernel path
/// semantics): after a symlinked directory, `..` steps out of where the symlink leads.
@Suite struct LinkPathKernelTests {
    @Test("deep/../y with deep a symlink to real/inner makes ~/real/y, as ln -s would; then nothing to do")
    func dotDotAfterASymlink() {
        let t = TempTree(dotfiles: "d5-kernel")
        t.file("@/a", "a\n")
        t.directory("~/real/inner")
        t.symlink("~/deep", "real/inner")
        let plan = t.plan("links:\n  deep/../y: a\n  deep/../d/: [a]\n")
        let p = t.mklnk("plan", plan)
        #expect(p.status == 0 && p.stdout.contains("+ ~/real/y -> ") && p.stdout.contains("+ ~/real/d/a -> "), "\(p)")
        let r = t.mklnk("apply", plan)
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/real/y") == t.path("@/a"))
        #expect(t.linkTarget("~/real/d/a") == t.path("@/a"))
        #expect(!t.exists("~/y") && !t.exists("~/d"))
        let again = t.mklnk("check", plan)
        #expect(again.status == 0, "\(again)")
    }

    @Test("a .. after a plain or missing directory is the lexical path, as before")
    func dotDotAfterADirectory() {
        let t = TempTree(dotfiles: "d5-plain")
        t.file("@/a", "a\n")
        t.directory("~/.config")
        let plan = t.plan("links:\n  .config/../.g: a\n  .nothere/../.h: a\n")
        let r = t.mklnk("apply", plan)
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/.g") == t.path("@/a") && t.linkTarget("~/.h") == t.path("@/a"))
        #expect(!t.exists("~/.nothere"))
    }

    @Test("a .. after a symlink that leads outside the root is refused, located, and nothing is made")
    func dotDotOutsideTheRoot() {
        let t = TempTree(dotfiles: "d5-outside")
        t.file("@/a", "a\n")
        t.directory("outside/sub")
        t.symlink("~/out", t.path("outside/sub"))
        let plan = t.plan("links:\n  out/../zz: a\n  .ok: a\n")
        let before = t.snapshot()
        let r = t.mklnk("apply", plan)
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.contains("plan.yaml:4:3: error: the link path ~/out/../zz leads outside root"), "\(r)")
        #expect(r.stderr.contains("(the kernel puts it at \(t.path("outside/zz")))"), "\(r)")
        // A conflict, as a parent leading outside root is (audit 2 E7): a ! line, counted once.
        let p = t.mklnk("plan", plan)
        #expect(p.stdout.contains("! ~/zz: the link path ~/out/../zz leads outside root"), "\(p)")
        #expect(p.stdout.contains("1 to create, 0 to update, 0 to delete, 0 unchanged, 1 conflict.\n"), "\(p)")
        #expect(t.snapshot() == before, "nothing made, inside or outside the root")
        #expect(!t.exists("outside/zz") && !t.exists("~/zz"))
        // validate looks at no link path on disk: the plan as written is valid.
        #expect(t.mklnk("validate", plan).status == 0)
    }

    @Test("a .. in a link path that names a variable: the same, as expanded")
    func dotDotWithAVariable() {
        let t = TempTree(dotfiles: "d5-variable")
        t.file("@/a", "a\n")
        t.directory("~/real/inner")
        t.symlink("~/deep", "real/inner")
        let r = t.mklnk("apply", t.plan("vars:\n  up: deep/..\nlinks:\n  ${HOME}/deep/../y: a\n  ${up}/z: a\n"))
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/real/y") == t.path("@/a") && t.linkTarget("~/real/z") == t.path("@/a"), "\(r)")
        #expect(!t.exists("~/y") && !t.exists("~/z"))
    }

    @Test("mklnk link: LINK with .. after a symlink is made where the kernel puts it; ../x from the cwd as ever")
    func linkCommand() {
        let t = TempTree(dotfiles: "d5-link")
        t.file("@/a", "a\n")
        t.directory("~/real/inner")
        t.directory("~/sub")
        t.symlink("~/deep", "real/inner")
        let up = ApplyCLI.run(["link", "--root", t.home, "../x", t.path("@/a"), "--state-dir", t.state],
                              environment: ["HOME": t.home], scratch: t.path("~/sub"))
        #expect(up.status == 0 && t.linkTarget("~/x") == t.path("@/a"), "\(up)")
        let r = t.mklnk("link", "--root", t.home, t.path("~/deep") + "/../y", t.path("@/a"))
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/real/y") == t.path("@/a") && !t.exists("~/y"), "\(r)")
    }
}
