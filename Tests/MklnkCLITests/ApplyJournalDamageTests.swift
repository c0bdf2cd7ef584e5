import MklnkTestSupport
import Testing

/// Issue 9, defect 8: a damaged journal is never acted on nor reported as recovered, and never
/// blocks later applies without saying why. Decided behaviour: the command that finds it
/// changes nothing, prints what the journal holds and the names it made that still exist,
/// moves it to `STATE/journal.damaged-<timestamp>` (said in the message) and exits 1; the next
/// command runs normally.
@Suite struct ApplyJournalDamageTests {
    /// A real interrupted apply: killed under strace at its first step's rename, after the
    /// journal was written and the scratch link made.
    private func killedApply(_ t: TempTree) throws -> String {
        t.file("@/a", "a\n")
        t.symlink("~/.x", "/old")
        let plan = t.plan("links:\n  .x: a\n  new: a\n")
        let strace = try #require(PausedRun.strace, "strace is not installed")
        let r = try MklnkProcess.run(["-f", "-o", "/dev/null", "-e", "trace=renameat2",
                                      "-e", "inject=renameat2:signal=SIGKILL:when=1", MklnkProcess.path,
                                      "apply", plan, "--state-dir", t.state],
                                     in: t.dir, environment: ["HOME": t.home, "LANG": "C.UTF-8"], executable: strace)
        #expect(r.status != 0, "\(r)")
        #expect(t.exists(t.state + "/journal"))
        return plan
    }

    @Test("a journal whose root was emptied: recover undoes nothing, claims nothing, keeps it aside, exits 1",
          arguments: ["recover", "apply"])
    func rootEmptied(_ command: String) throws {
        let t = TempTree(dotfiles: "journal-root")
        let plan = try killedApply(t)
        let journal = ApplyCLI.read(t.state + "/journal")
        t.file(t.state + "/journal", journal.replacingOccurrences(of: "\t" + t.home + "\t", with: "\t\t"))
        let before = t.snapshot()
        let r = t.mklnk(command == "recover" ? ["recover"] : ["apply", plan])
        #expect(r.status == 1, "\(r)")
        #expect(!r.stderr.contains("rolled back") && !r.stdout.contains("rolled back"), "a claim of success: \(r)")
        #expect(r.stderr.contains("damaged") && r.stderr.contains("nothing was undone"), "\(r)")
        #expect(t.snapshot() == before, "something was changed")
        let kept = t.names(t.state).filter { $0.hasPrefix("journal.damaged-") && !$0.hasSuffix(".commit") }
        #expect(kept.count == 1 && r.stderr.contains(t.state + "/" + (kept.first ?? "?")), "says where it is: \(r)")
        #expect(r.stderr.contains(".mklnk-"), "names the scratch link left: \(r)")
        #expect(!t.exists(t.state + "/journal"))
        let next = t.mklnk("apply", plan)
        #expect(next.status == 0, "a later apply is blocked: \(next)")
    }

    @Test("a journal that cannot be parsed does not block every later apply")
    func unparsable() throws {
        let t = TempTree(dotfiles: "journal-garbage")
        t.file("@/f", "f\n")
        let plan = t.plan("links:\n  f: f\n")
        t.file(t.state + "/journal", "\u{1}\u{2} not a journal\n")
        let first = t.mklnk("apply", plan)
        #expect(first.status == 1, "\(first)")
        #expect(first.stderr.contains("damaged") && first.stderr.contains("journal.damaged-"), "\(first)")
        #expect(!t.exists("~/f"))
        let second = t.mklnk("apply", plan)
        #expect(second.status == 0 && t.exists("~/f"), "\(second)")
        let recover = t.mklnk("recover")
        #expect(recover.status == 0 && recover.stdout.contains("Nothing to recover"), "\(recover)")
    }

    @Test("an intact journal of a killed apply is still rolled back")
    func intact() throws {
        let t = TempTree(dotfiles: "journal-intact")
        _ = try killedApply(t)
        let r = t.mklnk("recover")
        #expect(r.status == 0 && r.stderr.contains("rolled back"), "\(r)")
        #expect(t.linkTarget("~/.x") == "/old" && !t.exists("~/new"))
        #expect(t.scratchNames().isEmpty)
    }
}
