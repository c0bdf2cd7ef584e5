@testable import MklnkCore
import MklnkTestSupport
import MklnkFileSystem
import Testing

/// The read-ahead as a FileSystem decorator: it answers `status` (followed) and `inspect` for
/// the very paths it read, passes everything else to the real file system, and never reaches
/// the transaction.
@Suite struct ReadAheadFileSystemTests {
    /// A read-ahead over `t`'s home that read the link `~/l` and its target `@/f`.
    static func readAhead(_ t: TempTree) -> (ReadAheadFileSystem, LocalFileSystem) {
        let base = LocalFileSystem(root: Path(t.home))
        let prefetch = Prefetch(inspectLinks: true, threshold: 0) { LocalFileSystem(root: $0).reader() }
        prefetch.begin(root: Path(t.home))
        prefetch.offer(link: Path(t.path("~/l")), target: Path(t.path("@/f")))
        #expect(prefetch.count == 1)
        prefetch.finish()
        let fs = ReadAheadFileSystem(base: base, prefetch: prefetch)
        _ = fs.reader()  // settles: the answers are in
        return (fs, base)
    }

    @Test func answersWhatWasReadForThatPathAndPassesMissesThrough() throws {
        let t = TempTree(dotfiles: "rafs")
        t.file("@/f", "f\n")
        t.file("@/g", "g\n")
        t.symlink("~/l", t.path("@/f"))
        let (fs, base) = Self.readAhead(t)
        // Changed after it was read: the read-ahead still says what it saw (one snapshot for
        // planning), the real file system what is there now.
        t.file("@/f", "longer now\n")
        t.symlink("~/m", "/elsewhere")
        #expect(try fs.status(Path(t.path("@/f")), follow: true)?.size == 2)
        #expect(try base.status(Path(t.path("@/f")), follow: true)?.size == 11)
        #expect(try fs.inspect(Path(t.path("~/l"))).target == t.path("@/f"))
        // Anything not read ahead is read now: another path, or the same one not followed.
        #expect(try fs.status(Path(t.path("@/g")), follow: true)?.size == 2)
        #expect(try fs.status(Path(t.path("@/f")), follow: false)?.size == 11)
        #expect(try fs.inspect(Path(t.path("~/m"))).target == "/elsewhere")
        #expect(fs.underlying === base)
    }

    @Test func theTransactionGetsTheRealFileSystem() {
        let t = TempTree(dotfiles: "rafs-run")
        var yaml = "version: 1\nroot: ~\nlinks:\n"
        for i in 0..<20 {
            t.file("@/f\(i)", "")
            yaml += "  l\(i): f\(i)\n"
        }
        t.file(t.planFile, yaml)
        let (run, fs) = PlanPipeline.run(file: t.planFile, options: t.loadOptions, stateDirectory: Path(t.state),
                                         prune: true, fileSystem: { LocalFileSystem(root: $0) }, readAhead: .always)
        #expect(run.actions.count == 20)
        #expect(fs is LocalFileSystem)
    }
}
