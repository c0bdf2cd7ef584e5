import Foundation
import MklnkTestSupport
import Testing

/// Audit 3, F29: a step that fails names the user's path and what it was doing, not mklnk's
/// scratch file (`~/.mklnk-…`), on stderr and in `--json`'s `failures`.
@Suite(.enabled(if: PausedRun.strace != nil, "needs strace"))
struct ScratchNameMessageTests {
    /// `mklnk apply PLAN --json` with the `call`th symlinkat failing with EIO.
    func failing(_ t: TempTree, _ plan: String, call: Int) -> ApplyCLIResult {
        let env = ["HOME": t.home, "NO_COLOR": "1", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"]
        let args = ["-f", "-o", "/dev/null", "-e", "trace=symlinkat", "-e", "inject=symlinkat:error=EIO:when=\(call)",
                    MklnkProcess.path, "apply", plan, "--json", "--state-dir", t.state]
        return try! MklnkProcess.run(args, in: t.dots, environment: env, executable: PausedRun.strace!)
    }

    @Test("a failed backup-and-link and a failed update name the user's path", arguments: [(1, ".f", "make"), (2, ".u", "update")])
    func named(_ call: Int, _ name: String, _ verb: String) {
        let t = TempTree(dotfiles: "scratch-message")
        t.file("@/a", "a\n")
        t.file("~/.f", "mine\n")
        t.symlink("~/.u", "/etc/hostname")
        let plan = t.plan("links:\n  .f: { target: a, conflict: backup }\n  .u: a\n")
        let before = t.snapshot()
        let r = failing(t, plan, call: call)
        #expect(r.status == 1, "\(r)")
        #expect(t.snapshot() == before, "rolled back: \(r)")
        #expect(r.stderr.contains("error: cannot \(verb) ~/\(name): Input/output error"), "\(r)")
        #expect(!r.stderr.contains(".mklnk-") && !r.stdout.contains(".mklnk-"), "\(r)")
        #expect(r.stdout.contains("\"message\":\"cannot \(verb) \(t.home)/\(name): Input/output error\""), "\(r)")
    }
}
