import Foundation
import MklnkTestSupport
import Testing

/// AUDIT3 F26: a `dirs:` directory with a restrictive `mode` is made with that mode (the umask
/// only removes bits), never first with 0755 and narrowed afterwards, when another user could
/// open it in between; the mode is then set exactly.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace"), "needs strace"))
struct DirsModeCreationTests {
    @Test("dirs: {mode: 0700} is made by mkdirat with 0700, then has exactly 0700")
    func madeWithItsMode() throws {
        let t = TempTree(dotfiles: "dirs-mode")
        let plan = t.plan("dirs: [{path: ~/sock/inner, mode: \"0700\"}]\n")
        let env = ["HOME": t.home, "NO_COLOR": "1", "LANG": "C.UTF-8"]
        let r = try MklnkProcess.run(["-f", "-e", "trace=mkdirat,mkdir", MklnkProcess.path, "apply", plan, "--state-dir", t.state],
                                     in: t.dir, environment: env, executable: "/usr/bin/strace")
        #expect(r.status == 0, "\(r)")
        let made = r.stderr.split(separator: "\n").filter { $0.contains("mkdirat(") && $0.contains("\"inner\"") }
        #expect(made.count == 1 && made[0].contains("0700)"), "\(made)")
        #expect(r.stderr.split(separator: "\n").contains { $0.contains("mkdirat(") && $0.contains("\"sock\"") && $0.contains("0755)") },
                "the parent keeps 0755")
        #expect(t.status("~/sock/inner").map { $0.st_mode & 0o7777 } == 0o700)
    }
}
