import MklnkTestSupport
import MklnkFileSystem
import Testing

/// The filesystems the contract suite holds to the same answers.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case local, memory
    var testDescription: String { rawValue }
}

/// One starting tree on either filesystem, built through the protocol itself:
///
///     TOP/root/file ("hello")   TOP/root/dir/inner   TOP/root/dir/sub/
///     TOP/root/link -> file     TOP/root/dangling -> nowhere     TOP/root/loop -> loop
///     TOP/root/in -> dir        TOP/root/abs-in -> TOP/root/dir  (symlinked parents inside root)
///     TOP/root/out -> TOP/outside    TOP/root/up -> ../outside   (and outside it)
///     TOP/outside/secret
struct ContractFixture {
    let fileSystem: FileSystem
    let top: Path
    private let tree: TempTree?

    var root: Path { top + "/root" }
    func at(_ relative: String) -> Path { root + Path("/" + relative) }

    init(_ backend: Backend) throws {
        switch backend {
        case .local:
            let tree = try TempTree()
            self.tree = tree
            top = Path(tree.root)
            fileSystem = LocalFileSystem(root: Path(tree.root + "/root"))
        case .memory:
            tree = nil
            top = "/t"
            fileSystem = MemoryFileSystem(root: "/t/root")
        }
        let fs = fileSystem
        try fs.createDirectories(at("dir/sub"))
        try fs.createDirectories(top + "/outside")
        try fs.writeFileAtomically(at("file"), Array("hello".utf8), sync: false)
        try fs.writeFileAtomically(at("dir/inner"), Array("inner".utf8), sync: false)
        try fs.writeFileAtomically(top + "/outside/secret", Array("secret".utf8), sync: false)
        try fs.createSymlink(at: at("link"), target: "file")
        try fs.createSymlink(at: at("dangling"), target: "nowhere")
        try fs.createSymlink(at: at("loop"), target: "loop")
        try fs.createSymlink(at: at("in"), target: "dir")
        try fs.createSymlink(at: at("abs-in"), target: root + "/dir")
        try fs.createSymlink(at: at("out"), target: top + "/outside")
        try fs.createSymlink(at: at("up"), target: "../outside")
    }

    /// The errno `body` fails with (-1 for a confinement error), nil when it succeeds.
    func errno<T>(_ body: () throws -> T) -> Int32? {
        do {
            _ = try body()
            return nil
        } catch {
            return (error as? FileSystemError)?.errnoValue ?? -1
        }
    }

    /// The symlink (relative to TOP) through which `body` was refused for leaving root.
    func escape<T>(_ body: () throws -> T) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            guard let error = error as? FileSystemError else { return "\(error)" }
            guard case .escapesRoot(let via) = error.code else { return "errno \(error.errnoValue ?? 0)" }
            return (via.hasPrefix(top) ? via.dropFirst(top.count) : via).description
        }
    }

    func kind(_ relative: String) throws -> FileKind? { try fileSystem.linkStatus(at(relative))?.kind }
}
