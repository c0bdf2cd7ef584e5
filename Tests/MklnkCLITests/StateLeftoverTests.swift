import MklnkTestSupport
import Testing

/// A kill between writing a state file's temporary (`NAME.tmp-PID`) and renaming it leaves the
/// temporary behind; recovery, which every mutating command runs under the state directory's
/// lock, removes such leftovers and nothing else.
@Suite struct StateLeftoverTests {
    /// Every `*.tmp-DIGITS` name under the state directory.
    private func leftovers(_ t: TempTree) -> [String] {
        ["", "/plans", "/cache"].flatMap { sub in
            t.names(t.state + sub).filter { $0.range(of: #"\.tmp-[0-9]+$"#, options: .regularExpression) != nil }
                .map { sub + "/" + $0 }
        }
    }

    @Test("an apply killed as it renames its first file into the state directory leaves a temporary; recover removes it and the tree is as before")
    func killedAtFirstRename() throws {
        let t = TempTree(dotfiles: "state-leftover")
        t.file("@/a", "a\n")
        let plan = t.plan("links:\n  a: a\n")
        let strace = try #require(PausedRun.strace, "strace is not installed")
        let before = t.snapshot(excluding: ["state"])
        let r = try MklnkProcess.run(["-f", "-o", "/dev/null", "-e", "trace=rename,renameat,renameat2",
                                      "-e", "inject=rename,renameat,renameat2:signal=SIGKILL:when=1", MklnkProcess.path,
                                      "apply", plan, "--state-dir", t.state],
                                     in: t.dir, environment: ["HOME": t.home, "LANG": "C.UTF-8"], executable: strace)
        #expect(r.status != 0, "\(r)")
        #expect(!leftovers(t).isEmpty, "the kill left no temporary: the test does not test anything")
        let recover = t.mklnk("recover")
        #expect(recover.status == 0, "\(recover)")
        #expect(leftovers(t).isEmpty, "\(leftovers(t))")
        #expect(t.snapshot(excluding: ["state"]) == before)
        let apply = t.mklnk("apply", plan)
        #expect(apply.status == 0 && t.isSymlink("~/a"), "\(apply)")
        #expect(leftovers(t).isEmpty, "\(leftovers(t))")
    }

    @Test("only regular files named NAME.tmp-DIGITS go: other names, directories and symlinks stay")
    func onlyTemporaries() throws {
        let t = TempTree(dotfiles: "state-leftover-names")
        t.file("@/a", "a\n")
        let plan = t.plan("links:\n  a: a\n")
        #expect(t.mklnk("apply", plan).status == 0)
        t.file(t.state + "/journal.tmp-123", "partial")
        t.file(t.state + "/plans/x.state.next.tmp-9", "partial")
        t.file(t.state + "/cache/y.plan.tmp-77", "partial")
        let kept = [t.file(t.state + "/notes.tmp-abc", "mine"), t.file(t.state + "/plans/tmp-12", "no name before"),
                    t.file(t.state + "/plans/z.tmp-", "no digits"), t.directory(t.state + "/plans/d.tmp-5"),
                    t.symlink(t.state + "/cache/s.tmp-6", "/etc/hostname"), t.file(t.state + "/sub/w.tmp-7", "elsewhere")]
        let r = t.mklnk("apply", plan)
        #expect(r.status == 0, "\(r)")
        #expect(!t.exists(t.state + "/journal.tmp-123") && !t.exists(t.state + "/plans/x.state.next.tmp-9")
                && !t.exists(t.state + "/cache/y.plan.tmp-77"))
        for path in kept { #expect(t.status(path) != nil, "\(path) was removed") }
    }
}
