import MklnkTestSupport
import Testing
import MklnkFileSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A directory found missing answers for every name beneath it without a lookup each, until the
/// same file system changes anything: then what it made (or anyone made meanwhile) is seen.
@Suite struct MissingDirectoryCacheTests {
    @Test func aMissingParentAnswersForEveryNameBeneathIt() throws {
        let tree = try TempTree()
        let fs = LocalFileSystem(root: Path(tree.root))
        #expect(try fs.linkStatus(Path(tree.path("gone/a"))) == nil)
        #expect(try fs.inspect(Path(tree.path("gone/sub/b"))).status == nil)
        #expect(try fs.isDirectory(Path(tree.path("gone/sub"))) == false)
    }

    @Test func everyChangeForgetsWhatWasMissing() throws {
        let tree = try TempTree()
        let fs = LocalFileSystem(root: Path(tree.root))
        let changes: [(String, () throws -> Void)] = [
            ("createDirectory", { try fs.createDirectory(Path(tree.path("made"))) }),
            ("createDirectories", { try fs.createDirectories(Path(tree.path("made/deeper"))) }),
            ("writeFileAtomically", { try fs.writeFileAtomically(Path(tree.path("f")), [1], sync: false) }),
            ("removeFile", { try fs.removeFile(Path(tree.path("f"))) }),
            ("createSymlink", { try fs.createSymlink(at: Path(tree.path("s")), target: "x") }),
            ("unlink", { try fs.unlink(Path(tree.path("s"))) }),
        ]
        for (i, (name, change)) in changes.enumerated() {
            // A fresh directory name each time: the file system keeps directories it opened.
            let link = Path(tree.path("d\(i)/link"))
            #expect(try fs.linkStatus(link) == nil, "\(name): d\(i) is missing before")
            // Made behind the file system's back (as another process would) ...
            _ = mkdir(tree.path("d\(i)"), 0o755)
            _ = symlink("t", tree.path("d\(i)/link"))
            // ... and seen as soon as this file system itself changes something.
            try change()
            #expect(try fs.linkStatus(link)?.kind == .symlink, "\(name)")
            #expect(try fs.inspect(link).target == "t", "\(name)")
        }
    }
}
