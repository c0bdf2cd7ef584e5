import Foundation
import MklnkTestSupport
import Testing

/// Audit 3 F2: `base:`, `root:`, `--root` and the plan file's own path with `..` after a symlink
/// name what the kernel makes of them (SPEC §1, kernel path semantics), never what a lexical
/// rewrite names: `sub/..` with `sub -> real/inner` is `real`.
@Suite struct PlanPathDotDotKernelTests {
    @Test("base: sub/.. is real: targets are real's files, not the plan directory's")
    func base() {
        let t = TempTree(dotfiles: "f2-base")
        t.directory("@/real/inner")
        t.symlink("@/sub", "real/inner")
        t.file("@/real/x", "R\n")
        t.file("@/x", "D\n")
        let plan = t.plan("base: sub/..\nlinks:\n  .x: x\n")
        for _ in 0..<2 {  // the second run may come from the plan cache
            let p = t.mklnk("plan", plan)
            #expect(p.status == 0 && p.stdout.contains("+ ~/.x -> \(t.path("@/real/x"))"), "\(p)")
        }
        // Retargeted: the cache holds no answer that depended on where sub led.
        t.directory("@/other/inner")
        t.file("@/other/x", "O\n")
        precondition(unlink(t.path("@/sub")) == 0)
        t.symlink("@/sub", "other/inner")
        let p = t.mklnk("plan", plan)
        #expect(p.status == 0 && p.stdout.contains("+ ~/.x -> \(t.path("@/other/x"))"), "\(p)")
    }

    @Test("root: ~/s2/.. and --root ~/s2/.. are ~/r, where the kernel puts ~/s2/../.y")
    func root() {
        let t = TempTree(dotfiles: "f2-root")
        t.file("@/x", "x\n")
        t.directory("~/r/in")
        t.symlink("~/s2", "r/in")
        let p = t.mklnk("apply", t.plan("links:\n  .y: x\n"),
                        "--root", t.path("~/s2") + "/..")
        #expect(p.status == 0 && t.linkTarget("~/r/.y") == t.path("@/x") && !t.exists("~/.y"), "\(p)")
        let planned = t.plan("links:\n  .z: x\n", name: "r.yaml")
        let text = ApplyCLI.read(planned).replacingOccurrences(of: "root: ~\n", with: "root: ~/s2/..\n")
        t.file("@/r.yaml", text)
        let r = t.mklnk("apply", planned)
        #expect(r.status == 0 && t.linkTarget("~/r/.z") == t.path("@/x") && !t.exists("~/.z"), "\(r)")
    }

    @Test("the plan file sub/../q.yaml is the q.yaml the kernel opens, beside where sub leads")
    func planFile() {
        let t = TempTree(dotfiles: "f2-planfile")
        t.file("@/x", "x\n")
        t.directory("@/real/inner")
        t.symlink("@/sub", "real/inner")
        t.file("@/q.yaml", "version: 1\nroot: ~\nlinks:\n  .lexical: x\n")
        t.file("@/real/q.yaml", "version: 1\nroot: ~\nlinks:\n  .kernel: /dev/null\n")
        for command in ["plan", "validate"] {
            let r = t.mklnk(command, t.path("@/sub") + "/../q.yaml")
            #expect(r.status == 0, "\(command): \(r)")
            if command == "plan" { #expect(r.stdout.contains("+ ~/.kernel") && !r.stdout.contains(".lexical"), "\(r)") }
        }
    }
}
