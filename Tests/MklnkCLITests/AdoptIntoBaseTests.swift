import MklnkTestSupport
import Testing

/// SPEC §1 `conflict: adopt`: "move it into `base` as the missing target" — never anywhere else
/// (AUDIT3 F16).
@Suite struct AdoptIntoBaseTests {
    @Test("a plan's adopt into a target outside base is a located conflict; the file stays")
    func outsideBase() {
        let t = TempTree(dotfiles: "adopt-outside-base")
        t.file("~/.z", "z\n")
        t.file("~/.y", "y\n")
        t.directory("elsewhere")
        t.symlink("@/escape", t.path("elsewhere"))
        let plan = t.plan("""
            links:
              .z: {target: \(t.path("elsewhere/sub/zz")), conflict: adopt}
              .y: {target: ../home/.yy, conflict: adopt}
              .x: {target: escape/xx, conflict: adopt}

            """)
        t.file("~/.x", "x\n")
        let before = t.snapshot()
        for command in ["plan", "apply"] {
            let r = t.mklnk(command, plan)
            #expect(r.status == 1, "\(command): \(r)")
            #expect(r.stderr.contains("plan.yaml:4:3: error: ~/.z: cannot adopt into \(t.path("elsewhere/sub/zz")): it lies outside base"), "\(r)")
            #expect(r.stderr.contains("plan.yaml:5:3: error: ~/.y: cannot adopt into ~/.yy: it lies outside base"), "\(r)")
            #expect(r.stderr.contains("plan.yaml:6:3: error: ~/.x: cannot adopt into"), "\(r)")
        }
        #expect(t.snapshot() == before)
        #expect(t.contents("~/.z") == "z\n" && !t.exists("elsewhere/sub"))
    }

    @Test("an adopt into base still moves the file and links it")
    func insideBase() {
        let t = TempTree(dotfiles: "adopt-inside-base")
        t.file("~/.z", "z\n")
        let plan = t.plan("links:\n  .z: {target: zsh/zz, conflict: adopt}\n")
        let r = t.mklnk("apply", plan)
        #expect(r.status == 0 && t.contents("@/zsh/zz") == "z\n" && t.isSymlink("~/.z"), "\(r)")
    }

    @Test("link --adopt moves the file to the target it names, wherever that is")
    func oneOffNamesItsTarget() {
        let t = TempTree(dotfiles: "adopt-one-off")
        t.file("~/.z", "z\n")
        t.directory("elsewhere")
        let r = t.mklnk("link", "--adopt", "--root", t.home, t.path("~/.z"), t.path("elsewhere/zz"))
        #expect(r.status == 0 && t.contents("elsewhere/zz") == "z\n" && t.isSymlink("~/.z"), "\(r)")
    }
}
