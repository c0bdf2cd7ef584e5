import Foundation
import MklnkTestSupport
import Testing

/// Audit 3, F9: a write to stdout or to the `--counters` file that fails is said on stderr and
/// the command exits 1, not 0; what an apply changed stays changed, and the message says so.
@Suite struct LostOutputTests {
    /// `mklnk ARGS > /dev/full` through sh.
    func toFull(_ t: TempTree, _ args: String...) -> ApplyCLIResult {
        let env = ["HOME": t.home, "NO_COLOR": "1", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"]
        do {
            return try MklnkProcess.run(["-c", "exec \"$0\" \"$@\" > /dev/full", MklnkProcess.path] + args + ["--state-dir", t.state],
                                        in: t.dots, environment: env, executable: "/bin/sh")
        } catch {
            fatalError("cannot run /bin/sh: \(error)")
        }
    }

    @Test("plan, validate, graph, show and import dotbot exit 1 when stdout cannot be written",
          arguments: [["plan", "--json"], ["plan"], ["validate"], ["graph"]])
    func readOnlyCommands(_ args: [String]) {
        let t = TempTree(dotfiles: "lost-output")
        t.file("@/a", "a\n")
        let plan = t.plan("links:\n  .a: a\n")
        let env = ["HOME": t.home, "NO_COLOR": "1", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"]
        let r = try! MklnkProcess.run(["-c", "exec \"$0\" \"$@\" > /dev/full", MklnkProcess.path, args[0], plan]
                                      + args.dropFirst() + ["--state-dir", t.state], in: t.dots, environment: env, executable: "/bin/sh")
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.contains("cannot write to standard output: No space left on device"), "\(r)")
    }

    @Test("import dotbot and show exit 1 when stdout cannot be written")
    func importAndShow() {
        let t = TempTree(dotfiles: "lost-output-import")
        t.file("@/c.yaml", "- link:\n    ~/.a: a\n")
        let r = toFull(t, "import", "dotbot", t.path("@/c.yaml"))
        #expect(r.status == 1 && r.stderr.contains("cannot write to standard output"), "\(r)")
        let s = toFull(t, "show", t.path("@/c.yaml"))
        #expect(s.status == 1 && s.stderr.contains("cannot write to standard output"), "\(s)")
    }

    @Test("an apply whose stdout is lost exits 1 and says the tree stays applied")
    func applyOutputLost() {
        let t = TempTree(dotfiles: "lost-output-apply")
        t.file("@/a", "a\n")
        let r = toFull(t, "apply", t.plan("links:\n  .a: a\n"), "--json")
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.contains("cannot write to standard output") && r.stderr.contains("stay applied"), "\(r)")
        #expect(t.isSymlink("~/.a"), "\(r)")
    }

    @Test("counters that cannot be written: exit 1, said on stderr, the apply stays")
    func countersLost() {
        let t = TempTree(dotfiles: "lost-counters")
        t.file("@/a", "a\n")
        let r = t.mklnk("apply", t.plan("links:\n  .a: a\n"), "--counters", "/dev/full")
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.contains("cannot write the counters to /dev/full") && r.stderr.contains("stay applied"), "\(r)")
        #expect(t.isSymlink("~/.a"), "\(r)")
        #expect(r.stdout.contains("Applied: 1 created"), "\(r)")
    }

    @Test("a plan that changes nothing keeps exit 0 when its output is written")
    func writtenOutputKeepsZero() {
        let t = TempTree(dotfiles: "lost-output-none")
        t.file("@/a", "a\n")
        let r = t.mklnk("plan", t.plan("links:\n  .a: a\n"), "--json")
        #expect(r.status == 0, "\(r)")
    }
}
