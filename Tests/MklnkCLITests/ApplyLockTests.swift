import MklnkTestSupport
import MklnkFileSystem
import Testing

/// SPEC §4 "one at a time": a second apply waits briefly, then exits 75.
@Suite struct ApplyLockTests {
    @Test("while another process holds the lock, mutating commands wait about 2 s, then exit 75",
          arguments: ["apply", "link", "unlink", "recover"])
    func locked(_ command: String) throws {
        let t = TempTree(dotfiles: "lock")
        t.file("@/f", "f\n")
        t.symlink("~/old", "/nowhere")
        let plan = t.plan("links:\n  f: f\n")
        t.directory(t.state)
        let lock = try #require(try FileLock.acquire(Path(t.state + "/lock"), timeout: 0))
        let before = t.snapshot()
        let args: [String]
        switch command {
        case "apply": args = ["apply", plan]
        case "link": args = ["link", t.path("~/g"), t.path("@/f")]
        case "unlink": args = ["unlink", t.path("~/old")]
        default: args = ["recover"]
        }
        let r = t.mklnk(args)
        #expect(r.status == 75, "\(r)")
        #expect(r.seconds >= 1.5 && r.seconds < 10, "waited \(r.seconds) s")
        #expect(r.stderr.contains("lock"), "\(r)")
        #expect(t.snapshot() == before)
        lock.release()
        let again = t.mklnk(args)
        #expect(again.status == 0, "\(again)")
    }

    @Test("plan and apply --dry-run do not need the lock")
    func readOnlyCommands() throws {
        let t = TempTree(dotfiles: "lock-ro")
        t.file("@/f", "f\n")
        let plan = t.plan("links:\n  f: f\n")
        t.directory(t.state)
        let lock = try #require(try FileLock.acquire(Path(t.state + "/lock"), timeout: 0))
        defer { lock.release() }
        #expect(t.mklnk("plan", plan).status == 0)
        let dry = t.mklnk("apply", "--dry-run", plan)
        #expect(dry.status == 0 && dry.seconds < 1.5, "\(dry)")
        #expect(!t.exists("~/f"))
    }

    @Test("the lock is released when the holder dies: a killed apply does not block the next one")
    func releasedOnExit() {
        let t = TempTree(dotfiles: "lock-exit")
        t.file("@/f", "f\n")
        let plan = t.plan("links:\n  f: f\n")
        #expect(t.mklnk("apply", plan).status == 0)
        let r = t.mklnk("apply", plan)
        #expect(r.status == 0 && r.seconds < 1.5, "\(r)")
    }
}
