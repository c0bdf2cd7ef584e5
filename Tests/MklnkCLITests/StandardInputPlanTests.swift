import MklnkTestSupport
import Testing

/// SPEC §2: `plan -` and `apply -` read the plan from standard input, named `<stdin>` in
/// diagnostics, with the current directory as base.
@Suite struct StandardInputPlanTests {
    /// `mklnk ARGS < INPUT` run from `directory` through sh (the runner gives mklnk /dev/null).
    func piped(_ t: TempTree, input: String, in directory: String, _ args: String...) -> ApplyCLIResult {
        t.file("stdin.yaml", input)
        let env = ["HOME": t.home, "NO_COLOR": "1", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"]
        do {
            return try MklnkProcess.run(["-c", "exec \"$0\" \"$@\" < \"\(t.path("stdin.yaml"))\"", MklnkProcess.path]
                                        + args + ["--state-dir", t.state],
                                        in: directory, environment: env, executable: "/bin/sh")
        } catch {
            fatalError("cannot run /bin/sh: \(error)")
        }
    }

    @Test("apply - links targets relative to the current directory")
    func applyFromStandardInput() {
        let t = TempTree(dotfiles: "stdin-apply")
        t.file("@/vim/vimrc", "set nocompatible\n")
        let plan = "version: 1\nlinks:\n  .vimrc: vim/vimrc\n"
        let preview = piped(t, input: plan, in: t.dots, "plan", "-")
        #expect(preview.status == 0, "\(preview)")
        #expect(preview.stdout.contains("+ ~/.vimrc -> \(t.dots)/vim/vimrc"),
                "\(preview)")
        #expect(!t.exists("~/.vimrc"))
        let r = piped(t, input: plan, in: t.dots, "apply", "-")
        #expect(r.status == 0, "\(r)")
        #expect(t.linkTarget("~/.vimrc") == t.dots + "/vim/vimrc")
        let again = piped(t, input: plan, in: t.dots, "plan", "-", "--detailed-exitcode")
        #expect(again.status == 0, "\(again)")
    }

    @Test("two different plans on stdin from one directory do not prune each other's links; JSON names no plan file")
    func standardInputPlansDoNotPrune() {
        let t = TempTree(dotfiles: "stdin-no-prune")
        t.file("@/a", "a\n")
        #expect(piped(t, input: "version: 1\nlinks:\n  .a: a\n", in: t.dots, "apply", "-").status == 0)
        let second = "version: 1\nlinks:\n  .b: a\n"
        let preview = piped(t, input: second, in: t.dots, "plan", "-", "--json")
        #expect(!preview.stdout.contains("\"op\":\"delete\""), "\(preview)")
        #expect(preview.stdout.contains("\"plan\": null"), "\(preview)")
        let r = piped(t, input: second, in: t.dots, "apply", "-", "--json")
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("\"plan\": null"), "\(r)")
        #expect(t.linkTarget("~/.a") == t.dots + "/a", "the first stdin plan's link was pruned: \(r)")
        #expect(t.linkTarget("~/.b") == t.dots + "/a")
        #expect(piped(t, input: second, in: t.dots, "check", "-").status == 0)
    }

    @Test("an invalid plan on stdin is reported as <stdin>:LINE:COL and exits 65")
    func invalidNamesStandardInput() {
        let t = TempTree(dotfiles: "stdin-invalid")
        t.file("@/a", "a\n")
        let r = piped(t, input: "version: 1\nlinks:\n  a: {target: a, colour: red}\n", in: t.dots, "apply", "-")
        #expect(r.status == 65, "\(r)")
        #expect(r.stderr.contains("<stdin>:3:18: error: unknown option 'colour'"), "\(r)")
        #expect(!t.exists("~/a"))
    }

    @Test("an empty stdin is an invalid plan, not an empty one")
    func emptyInput() {
        let t = TempTree(dotfiles: "stdin-empty")
        let r = piped(t, input: "", in: t.dots, "plan", "-")
        #expect(r.status == 65, "\(r)")
        #expect(r.stderr.contains("<stdin>:1:1: error: missing required key 'version'"), "\(r)")
    }
}
