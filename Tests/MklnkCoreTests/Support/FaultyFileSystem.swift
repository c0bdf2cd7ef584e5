#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

/// A `FileSystem` over `LocalFileSystem` that fails its Nth mutating call (swift-system's
/// `ForceErrno.counted` is the model). Reads always pass through.
///
/// Every mutating call (links, renames, removals, directories, state files, syncs) is counted and
/// logged, whether or not it fails, so a test can sweep N = 1, 2, … until a run no longer
/// reaches N.
final class FaultyFileSystem: FileSystem {
    enum Mode: Equatable, CustomStringConvertible {
        /// No fault: count and log only.
        case none
        /// Call N fails with `errno` before it has any effect; later calls pass.
        case failOnce(at: Int, errno: Int32)
        /// Call N takes effect, then reports `errno` (an fsync that fails after the rename).
        case failAfterEffect(at: Int, errno: Int32)
        /// Call N and every later mutating call fail without effect: the process is as good as
        /// dead, so the tree stays exactly as it was at call N (a crash, for `Recovery.run`).
        case crash(at: Int)
        /// Call N fails with EIO (before or after its effect), the run goes on (its rollback), and
        /// from call `crashAt` on everything fails: a crash in the middle of the rollback.
        case failThen(at: Int, afterEffect: Bool, crashAt: Int)
        /// Each listed call fails with EIO, after its effect where the value is true.
        case failEach([Int: Bool])

        var description: String {
            switch self {
            case .none: return "none"
            case .failOnce(let n, let e): return "fail call \(n) with errno \(e)"
            case .failAfterEffect(let n, let e): return "call \(n) takes effect, then errno \(e)"
            case .crash(let n): return "crash at call \(n)"
            case .failThen(let n, let after, let c):
                return "fail call \(n)\(after ? " after its effect" : ""), crash at call \(c)"
            case .failEach(let calls): return "fail calls \(calls.keys.sorted())"
            }
        }
    }

    let base: FileSystem
    var mode: Mode
    /// Simulates a filesystem without `RENAME_EXCHANGE`: exchange renames fail with EINVAL.
    var lacksExchange: Bool
    /// Counted syncs are not passed on: durability cannot be observed in-process and fsync is slow
    /// on a shared disk. (`writeFileAtomically` still writes through a temporary and a rename.)
    var skipsSync: Bool
    /// A streamed write to a path with this suffix fails with ENOSPC at its `chunk`th chunk (the
    /// disk filling part way through), whatever the mode.
    var failsChunk: (suffix: String, chunk: Int)?
    private(set) var calls = 0
    /// "op path" for each counted call, in order.
    private(set) var log: [String] = []
    /// True once the fault fired.
    private(set) var fired = false

    convenience init(root: Path, mode: Mode = .none, lacksExchange: Bool = false, skipsSync: Bool = true) {
        self.init(base: LocalFileSystem(root: root), mode: mode, lacksExchange: lacksExchange, skipsSync: skipsSync)
    }

    /// Over any filesystem (the model tests use `MemoryFileSystem`).
    init(base: FileSystem, mode: Mode = .none, lacksExchange: Bool = false, skipsSync: Bool = true) {
        self.base = base
        self.mode = mode
        self.lacksExchange = lacksExchange
        self.skipsSync = skipsSync
    }

    var root: Path { base.root }

    /// Counts one mutating call and runs it, or fails it as the mode says.
    private func mutate(_ op: String, _ path: Path, _ body: () throws(FileSystemError) -> Void)
        throws(FileSystemError) {
        calls += 1
        log.append("\(op) \(path)")
        switch mode {
        case .none:
            break
        case .failOnce(let n, let e) where calls == n:
            fired = true
            throw FileSystemError(errno: e, op, path)
        case .failAfterEffect(let n, let e) where calls == n:
            fired = true
            try body()
            throw FileSystemError(errno: e, op, path)
        case .crash(let n) where calls >= n:
            fired = true
            throw FileSystemError(errno: EIO, op, path)
        case .failThen(_, _, let c) where calls >= c:
            throw FileSystemError(errno: EIO, op, path)
        case .failThen(let n, let afterEffect, _) where calls == n:
            fired = true
            if afterEffect { try body() }
            throw FileSystemError(errno: EIO, op, path)
        case .failEach(let faults) where faults[calls] != nil:
            fired = true
            if faults[calls]! { try body() }
            throw FileSystemError(errno: EIO, op, path)
        default:
            break
        }
        try body()
    }

    // MARK: Reads

    func status(_ path: Path, follow: Bool) throws(FileSystemError) -> FileStatus? {
        try base.status(path, follow: follow)
    }

    func directoryEntries(_ path: Path) throws(FileSystemError) -> [DirectoryEntry] {
        try base.directoryEntries(path)
    }

    func readFile(_ path: Path) throws(FileSystemError) -> [UInt8]? { try base.readFile(path) }

    func linkStatus(_ path: Path) throws(FileSystemError) -> FileStatus? { try base.linkStatus(path) }

    func isDirectory(_ path: Path) throws(FileSystemError) -> Bool { try base.isDirectory(path) }

    func readLink(_ path: Path) throws(FileSystemError) -> Path { try base.readLink(path) }

    // MARK: Mutations

    func writeFileAtomically(_ path: Path, sync: Bool, chunks produce: (ChunkWriter) throws(FileSystemError) -> Void)
        throws(FileSystemError) {
        try mutate("write", path) { () throws(FileSystemError) in
            guard let (suffix, failing) = failsChunk, path.description.hasSuffix(suffix) else {
                return try base.writeFileAtomically(path, sync: sync && !skipsSync, chunks: produce)
            }
            var chunks = 0
            try base.writeFileAtomically(path, sync: sync && !skipsSync) { (write) throws(FileSystemError) in
                try withoutActuallyEscaping(write) { (write) throws(FileSystemError) in
                    try produce { (chunk) throws(FileSystemError) in
                        chunks += 1
                        if chunks == failing { throw FileSystemError(errno: ENOSPC, "write", path) }
                        try write(chunk)
                    }
                }
            }
        }
    }

    func removeFile(_ path: Path) throws(FileSystemError) {
        try mutate("remove", path) { () throws(FileSystemError) in try base.removeFile(path) }
    }

    func createDirectories(_ path: Path) throws(FileSystemError) {
        try mutate("mkdir-p", path) { () throws(FileSystemError) in try base.createDirectories(path) }
    }

    func createSymlink(at path: Path, target: Path) throws(FileSystemError) {
        try mutate("symlink", path) { () throws(FileSystemError) in try base.createSymlink(at: path, target: target) }
    }

    func createHardLink(at path: Path, to existing: Path) throws(FileSystemError) {
        try mutate("link", path) { () throws(FileSystemError) in try base.createHardLink(at: path, to: existing) }
    }

    func rename(_ from: Path, to: Path, mode renameMode: RenameMode) throws(FileSystemError) {
        try mutate("rename-\(renameMode)", from + " -> " + to) { () throws(FileSystemError) in
            if renameMode == .exchange && lacksExchange { throw FileSystemError(errno: EINVAL, "rename", from) }
            try base.rename(from, to: to, mode: renameMode)
        }
    }

    func unlink(_ path: Path) throws(FileSystemError) {
        try mutate("unlink", path) { () throws(FileSystemError) in try base.unlink(path) }
    }

    func createDirectory(_ path: Path) throws(FileSystemError) {
        try mutate("mkdir", path) { () throws(FileSystemError) in try base.createDirectory(path) }
    }

    func setMode(_ path: Path, _ mode: UInt32) throws(FileSystemError) {
        try mutate("chmod", path) { () throws(FileSystemError) in try base.setMode(path, mode) }
    }

    func removeDirectory(_ path: Path) throws(FileSystemError) {
        try mutate("rmdir", path) { () throws(FileSystemError) in try base.removeDirectory(path) }
    }

    func syncDirectory(_ path: Path) throws(FileSystemError) {
        try mutate("fsync", path) { () throws(FileSystemError) in
            if !skipsSync { try base.syncDirectory(path) }
        }
    }

    func syncRoot() throws(FileSystemError) {
        try mutate("syncfs", root) { () throws(FileSystemError) in
            if !skipsSync { try base.syncRoot() }
        }
    }
}
