import CMklnkSys
import MklnkFileSystem

/// A FileSystem that answers `status` (followed) and `inspect` from what a `Prefetch` read while
/// the plan loaded, and passes everything else, and every miss, to the real one.
///
/// The graph and the planner read through it as through any FileSystem and never learn whether
/// an answer was read ahead: a miss only costs the syscall. The first lookup (or the first
/// `reader()`, made on the calling thread before reads are spread over cores) waits for the
/// read-ahead to finish, so it keeps reading while the graph's own checks run. It serves planning alone (answers are
/// what the tree was when it was read); the transaction gets the real FileSystem, so nothing it
/// re-checks before acting comes from here.
final class ReadAheadFileSystem: FileSystem {
    let base: FileSystem
    /// nil once its answers are forgotten: then every call goes to `base`.
    private var prefetch: Prefetch?

    /// `prefetch` reads under `base.root`; no more links are offered to it.
    init(base: FileSystem, prefetch: Prefetch) {
        self.base = base
        self.prefetch = prefetch
    }

    var root: Path { base.root }

    var underlying: FileSystem { base.underlying }

    func reader() -> FileSystem? {
        guard let prefetch else { return base.reader() }
        prefetch.settle()
        return base.reader().map { ReadAheadFileSystem(base: $0, prefetch: prefetch) }
    }

    /// Called on the thread that made the readers, once they are done: the answers (most of
    /// planning's memory for a large plan) go, and their pages with them, for the one large
    /// array of actions that comes next would not fit in the holes they leave.
    func forgetKeptAnswers() {
        guard prefetch != nil else { return }
        prefetch = nil
        mklnk_release_free_memory()
    }

    // MARK: Answered from the read-ahead

    func status(_ path: Path, follow: Bool) throws(FileSystemError) -> FileStatus? {
        prefetch?.settle()
        if follow, let read = prefetch?.status(of: path) { return try read.get() }
        return try base.status(path, follow: follow)
    }

    func inspect(_ path: Path) throws(FileSystemError) -> (status: FileStatus?, target: Path?) {
        prefetch?.settle()
        if let read = prefetch?.inspection(of: path) { return try read.get() }
        return try base.inspect(path)
    }

    func inspect(_ path: Path, expecting: Path) throws(FileSystemError) -> (status: FileStatus?, target: Path?) {
        prefetch?.settle()
        guard let read = prefetch?.inspection(of: path) else { return try base.inspect(path, expecting: expecting) }
        let seen = try read.get()
        return seen.target == expecting ? (seen.status, expecting) : seen
    }

    // MARK: Passed through

    func directoryEntries(_ path: Path) throws(FileSystemError) -> [DirectoryEntry] { try base.directoryEntries(path) }
    func readFile(_ path: Path) throws(FileSystemError) -> [UInt8]? { try base.readFile(path) }
    func readFile(_ path: Path, upTo limit: Int) throws(FileSystemError) -> [UInt8]? { try base.readFile(path, upTo: limit) }
    func writeFileAtomically(_ path: Path, sync: Bool, chunks produce: (ChunkWriter) throws(FileSystemError) -> Void)
        throws(FileSystemError) {
        try base.writeFileAtomically(path, sync: sync, chunks: produce)
    }
    func removeFile(_ path: Path) throws(FileSystemError) { try base.removeFile(path) }
    func createDirectories(_ path: Path) throws(FileSystemError) { try base.createDirectories(path) }
    func linkStatus(_ path: Path) throws(FileSystemError) -> FileStatus? { try base.linkStatus(path) }
    func isDirectory(_ path: Path) throws(FileSystemError) -> Bool { try base.isDirectory(path) }
    func readLink(_ path: Path) throws(FileSystemError) -> Path { try base.readLink(path) }
    func readLink(anywhere path: Path) throws(FileSystemError) -> Path { try base.readLink(anywhere: path) }
    func createSymlink(at path: Path, target: Path) throws(FileSystemError) { try base.createSymlink(at: path, target: target) }
    func createHardLink(at path: Path, to existing: Path) throws(FileSystemError) { try base.createHardLink(at: path, to: existing) }
    func rename(_ from: Path, to: Path, mode: RenameMode) throws(FileSystemError) { try base.rename(from, to: to, mode: mode) }
    func unlink(_ path: Path) throws(FileSystemError) { try base.unlink(path) }
    func createDirectory(_ path: Path) throws(FileSystemError) { try base.createDirectory(path) }
    func removeDirectory(_ path: Path) throws(FileSystemError) { try base.removeDirectory(path) }
    func syncDirectory(_ path: Path) throws(FileSystemError) { try base.syncDirectory(path) }
    func syncRoot() throws(FileSystemError) { try base.syncRoot() }
}
