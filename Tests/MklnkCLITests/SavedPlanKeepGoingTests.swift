import Foundation
import MklnkTestSupport
import Testing

/// Audit 3, F15: `--keep-going` is honoured with `--saved` (the other options a saved plan
/// settled are usage errors, `SavedPlanIntegrityTests`): a step that fails is counted and the
/// rest of the saved plan stays applied.
@Suite(.enabled(if: PausedRun.strace != nil, "needs strace"))
struct SavedPlanKeepGoingTests {
    @Test("apply --saved --keep-going keeps what it made when a later step fails; without it, all is rolled back",
          arguments: [true, false])
    func keepGoing(_ keepGoing: Bool) {
        let t = TempTree(dotfiles: "saved-keep-going")
        t.file("@/a", "a\n")
        let saved = t.path("saved.plan")
        #expect(t.mklnk("plan", t.plan("links:\n  .a: a\n  .b: a\n"), "--out", saved).status == 0)
        let env = ["HOME": t.home, "NO_COLOR": "1", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"]
        let args = ["-f", "-o", "/dev/null", "-e", "trace=symlinkat", "-e", "inject=symlinkat:error=EIO:when=2",
                    MklnkProcess.path, "apply", "--saved", saved, "--state-dir", t.state] + (keepGoing ? ["--keep-going"] : [])
        let r = try! MklnkProcess.run(args, in: t.dots, environment: env, executable: PausedRun.strace!)
        #expect(r.status == 1, "\(r)")
        #expect(t.isSymlink("~/.a") == keepGoing && !t.exists("~/.b"), "\(r)")
        #expect(r.stderr.contains("plan.yaml:5:3: error: symlink ~/.b: Input/output error"), "\(r)")
    }
}
