import MklnkTestSupport
import MklnkFileSystem
import Testing

/// Audit D6: `link` and `unlink` without `--root` write beneath `/`, yet serialise with an apply
/// on `$HOME` (an apply's default root) for paths beneath it: they lock `$HOME` too.
@Suite(.serialized) struct LinkDefaultRootLockTests {
    @Test("without --root, link and unlink of a path beneath $HOME wait for an apply holding $HOME, then exit 75",
          arguments: ["link", "unlink"])
    func homeLocked(_ command: String) throws {
        let t = TempTree(dotfiles: "d6-home")
        t.file("@/f", "f\n")
        t.symlink("~/old", "/nowhere")
        let args = command == "link" ? ["link", t.path("~/g"), t.path("@/f")] : ["unlink", t.path("~/old")]
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
        #expect(command == "link" ? t.isSymlink("~/g") : !t.exists("~/old"))
    }

    @Test("a path outside $HOME does not wait for $HOME")
    func outsideHome() throws {
        let t = TempTree(dotfiles: "d6-outside")
        t.file("@/f", "f\n")
        t.directory("elsewhere")
        let lock = try #require(try FileLock.acquire(directory: Path(t.home), timeout: 0))
        defer { lock.release() }
        let r = t.mklnk("link", t.path("elsewhere/g"), t.path("@/f"))
        #expect(r.status == 0, "\(r)")
        #expect(r.seconds < 1.5, "waited \(r.seconds) s")
        #expect(t.isSymlink("elsewhere/g"))
    }
}
