import MklnkTestSupport
import MklnkFileSystem
import Testing

/// SPEC §4 "one at a time", whatever the state directory (issue 9, defect 7): the root itself is
/// locked, so two applies on one root cannot interleave and undo each other.
@Suite(.serialized) struct ApplyRootLockTests {
    @Test("while another process holds the root, mutating commands with another state directory wait about 2 s, then exit 75",
          arguments: ["apply", "apply --saved", "link", "unlink", "recover"])
    func rootLocked(_ command: String) throws {
        let t = TempTree(dotfiles: "rootlock")
        t.file("@/f", "f\n")
        t.symlink("~/old", "/nowhere")
        let plan = t.plan("links:\n  f: f\n")
        let saved = t.path("saved.plan")
        #expect(t.mklnk("plan", plan, "--out", saved).status == 0)
        let args: [String]
        switch command {
        case "apply": args = ["apply", plan]
        case "apply --saved": args = ["apply", "--saved", saved]
        case "link": args = ["link", "--root", t.home, t.path("~/g"), t.path("@/f")]
        case "unlink": args = ["unlink", "--root", t.home, t.path("~/old")]
        default:
            // An interrupted apply on this root, left in this state directory.
            t.symlink("~/made", t.path("@/f"))
            t.file(t.state + "/journal", "mklnk-journal\t1\tkilled-1\t\(t.home)\t\(plan)\n"
                   + "create\t\(t.path("~/made"))\tsymlink\t\(t.path("@/f"))\n")
            args = ["recover"]
        }
        let lock = try #require(try FileLock.acquire(directory: Path(t.home), timeout: 0))
        let before = t.snapshot()
        let r = t.mklnk(args)
        #expect(r.status == 75, "\(r)")
        #expect(r.seconds >= 1.5 && r.seconds < 10, "waited \(r.seconds) s")
        #expect(r.stderr.contains("lock") && r.stderr.contains("root"), "\(r)")
        #expect(t.snapshot() == before)
        lock.release()
        let again = t.mklnk(args)
        #expect(again.status == 0, "\(again)")
    }

    @Test("two applies on one root with two state directories: the second waits, then exits 75; nothing is undone")
    func secondApplyOtherStateDir() throws {
        let t = TempTree(dotfiles: "rootlock-two")
        t.file("@/a", "a\n")
        t.file("@/b", "b\n")
        t.symlink("~/.x", "/old")
        let first = t.plan("links:\n  .x: a\n", name: "first.yaml")
        let second = t.plan("links:\n  y: b\n", name: "second.yaml")
        // The first apply is held at its first rename for 4 s, holding the root.
        let run = try PausedRun(t, ["apply", first], pauseAt: "renameat2", seconds: 4)
        #expect(run.wait { !t.scratchNames().isEmpty })
        let r = t.mklnk(["apply", second], stateDir: t.path("other-state"))
        #expect(r.status == 75, "\(r)")
        #expect(!t.exists("~/y"))
        let done = run.finish()
        #expect(done.status == 0, "\(done)")
        #expect(t.linkTarget("~/.x") == t.path("@/a"))
        let later = t.mklnk(["apply", second], stateDir: t.path("other-state"))
        #expect(later.status == 0 && t.linkTarget("~/y") == t.path("@/b"), "\(later)")
        #expect(t.linkTarget("~/.x") == t.path("@/a"), "the second apply undid the first")
    }

    @Test("a second apply that gets the root within its wait plans again: it sees what the first made")
    func waitThenReplan() throws {
        let t = TempTree(dotfiles: "rootlock-replan")
        t.file("@/a", "a\n")
        t.symlink("~/.x", "/old")
        let plan = t.plan("links:\n  .x: a\n")
        let run = try PausedRun(t, ["apply", plan], pauseAt: "renameat2", seconds: 1)
        #expect(run.wait { !t.scratchNames().isEmpty })
        // Planned while the first runs (.x still -> /old), applied after it: planned again.
        let r = t.mklnk(["apply", plan, "--counters", "-"], stateDir: t.path("other-state"))
        #expect(run.finish().status == 0)
        #expect(r.status == 0, "\(r)")
        #expect(r.counters["_mklnk_files"] == 0 && r.counters["_mklnk_unchanged"] == 1, "\(r)")
        #expect(t.linkTarget("~/.x") == t.path("@/a"))
        #expect(t.scratchNames().isEmpty)
    }
}

extension TempTree {
    /// `mklnk ARGS --state-dir DIR`.
    func mklnk(_ args: [String], stateDir: String) -> ApplyCLIResult {
        ApplyCLI.run(args + ["--state-dir", stateDir], environment: ["HOME": home, "NO_COLOR": "1", "LANG": "C.UTF-8"],
                     scratch: dir)
    }
}
