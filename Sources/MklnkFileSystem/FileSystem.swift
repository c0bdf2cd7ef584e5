#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// How `rename` treats an existing destination.
public enum RenameMode: Sendable {
    /// Replace the destination atomically (`rename(2)`).
    case replace
    /// Fail with `EEXIST` if the destination exists.
    case noReplace
    /// Swap source and destination atomically (`RENAME_EXCHANGE`); both must exist.
    case exchange
}

/// Takes the next chunk of a file being written (`FileSystem.writeFileAtomically(_:sync:chunks:)`);
/// the bytes are written before it returns.
public typealias ChunkWriter = (UnsafeRawBufferPointer) throws(FileSystemError) -> Void

/// Everything mklnk does to a filesystem.
///
/// Two families: *unconfined* calls take any path (targets, the plan's `base`, the state
/// directory); *confined* calls take an absolute path beneath `root` and resolve its parent
/// directories from a descriptor of `root`, following a symlinked parent only while it stays
/// beneath `root`. The final component is never followed.
public protocol FileSystem: AnyObject {
    /// The directory that confined calls may not leave.
    var root: Path { get }

    // MARK: Unconfined reads and state files

    /// `lstat` (follow: false) or `stat`; nil when nothing is there (ENOENT, ENOTDIR).
    func status(_ path: Path, follow: Bool) throws(FileSystemError) -> FileStatus?
    /// The entries of a directory, without `.` and `..`.
    func directoryEntries(_ path: Path) throws(FileSystemError) -> [DirectoryEntry]
    /// The stored target of the symlink at `path`, wherever it lies (`readlink(2)`, unconfined:
    /// for resolving a target as the kernel would). A double without its own answers confined.
    func readLink(anywhere path: Path) throws(FileSystemError) -> Path
    /// The whole file; nil when it does not exist.
    func readFile(_ path: Path) throws(FileSystemError) -> [UInt8]?
    /// The file's first `limit` bytes (all of it when shorter); nil when it does not exist.
    func readFile(_ path: Path, upTo limit: Int) throws(FileSystemError) -> [UInt8]?
    /// Writes what `produce` hands to its writer, chunk by chunk, to a temporary name, then
    /// renames it to `path`; with `sync`, fsyncs the file before the rename and its directory
    /// after. If `produce` or a write fails, the temporary is removed and `path` is untouched.
    func writeFileAtomically(_ path: Path, sync: Bool, chunks produce: (ChunkWriter) throws(FileSystemError) -> Void)
        throws(FileSystemError)
    /// Removes a file if it exists.
    func removeFile(_ path: Path) throws(FileSystemError)
    /// Durably puts the file `staged` (written with `writeFileAtomically`) in place of `path`;
    /// nothing when `staged` does not exist (it was put in place already).
    func replaceFile(_ path: Path, with staged: Path) throws(FileSystemError)
    /// `mkdir -p`.
    func createDirectories(_ path: Path) throws(FileSystemError)

    // MARK: Confined to root

    /// `lstat` of the final component; nil when nothing is there (or a parent is missing).
    func linkStatus(_ path: Path) throws(FileSystemError) -> FileStatus?
    /// What is at `path` without following it and, for a symlink, its target. A symlink is
    /// answered by one `readlinkat` (its status then carries only the kind).
    func inspect(_ path: Path) throws(FileSystemError) -> (status: FileStatus?, target: Path?)
    /// `inspect`, where a symlink storing exactly `expecting` gives that very string back (no copy).
    func inspect(_ path: Path, expecting: Path) throws(FileSystemError) -> (status: FileStatus?, target: Path?)
    /// Whether `path` (at or beneath root) resolves to a directory, following symlinks only
    /// while they stay beneath root.
    func isDirectory(_ path: Path) throws(FileSystemError) -> Bool
    /// The stored target of the symlink at `path`.
    func readLink(_ path: Path) throws(FileSystemError) -> Path
    /// Creates a symlink at `path` storing `target`.
    func createSymlink(at path: Path, target: Path) throws(FileSystemError)
    /// Creates a hard link at `path` to the existing file `existing` (which may lie anywhere).
    func createHardLink(at path: Path, to existing: Path) throws(FileSystemError)
    /// Renames within root.
    func rename(_ from: Path, to: Path, mode: RenameMode) throws(FileSystemError)
    /// Removes a non-directory entry.
    func unlink(_ path: Path) throws(FileSystemError)
    /// Removes a name of a regular file unless it is, or by the time of the unlink has become,
    /// the file's last name: then returns false and the bytes stay at `path`.
    func unlinkUnlessLast(_ path: Path) throws(FileSystemError) -> Bool
    /// Creates one directory.
    func createDirectory(_ path: Path) throws(FileSystemError)
    /// Creates one directory with `mode` (before the umask) instead of 0755.
    func createDirectory(_ path: Path, mode: UInt32) throws(FileSystemError)
    /// Removes one empty directory.
    func removeDirectory(_ path: Path) throws(FileSystemError)
    /// Sets the permission bits of a directory (never through a symlink), for `dirs:` modes.
    func setMode(_ path: Path, _ mode: UInt32) throws(FileSystemError)
    /// Flushes a directory's entries to disk.
    func syncDirectory(_ path: Path) throws(FileSystemError)
    /// Makes every change beneath root durable at once (`syncfs`): one call per transaction.
    func syncRoot() throws(FileSystemError)

    /// Another instance over the same root for reads on another thread, or nil when this one
    /// must be used from a single thread.
    func reader() -> FileSystem?

    /// Another instance over the same root for changes on another thread (with descriptor
    /// caches of its own), or nil when every change must be made through this one.
    func worker() -> FileSystem?

    /// The same filesystem with every path allowed, for what lies outside root by design: the
    /// place in `base` that `conflict: adopt` moves a file to. Implementations that cannot
    /// leave root return themselves (adopting outside root then fails as escaping it).
    func unconfined() -> FileSystem

    /// The file system a decorator (a cache) passes its misses to; itself for a real one.
    var underlying: FileSystem { get }

    /// A hint that no answer kept from earlier reads will be asked for again: a cache may let
    /// them go. Later calls are answered as ever (by the file system itself).
    func forgetKeptAnswers()
}

extension FileSystem {
    public func reader() -> FileSystem? { nil }

    public func forgetKeptAnswers() {}

    public func worker() -> FileSystem? { nil }

    /// `bytes` as the file's one chunk.
    public func writeFileAtomically(_ path: Path, _ bytes: [UInt8], sync: Bool) throws(FileSystemError) {
        try writeFileAtomically(path, sync: sync) { (write) throws(FileSystemError) in
            try bytes.withUnsafeBytes { raw in Result { () throws(FileSystemError) in try write(raw) } }.get()
        }
    }

    /// A copy, then the staged file removed (a `LocalFileSystem` renames it instead).
    public func replaceFile(_ path: Path, with staged: Path) throws(FileSystemError) {
        guard let bytes = try readFile(staged) else { return }
        try writeFileAtomically(path, bytes, sync: true)
        try removeFile(staged)
    }

    public func setMode(_ path: Path, _ mode: UInt32) throws(FileSystemError) {
        throw FileSystemError(errno: ENOTSUP, "chmod", path)
    }

    public func unconfined() -> FileSystem { self }

    /// Made with 0755 then (a double without modes); `setMode` narrows it after.
    public func createDirectory(_ path: Path, mode: UInt32) throws(FileSystemError) {
        try createDirectory(path)
    }

    public var underlying: FileSystem { self }

    public func readLink(anywhere path: Path) throws(FileSystemError) -> Path { try readLink(path) }

    /// Checks, then unlinks: a file whose other names go between the two loses its bytes.
    /// `LocalFileSystem` closes that gap.
    public func unlinkUnlessLast(_ path: Path) throws(FileSystemError) -> Bool {
        if let status = try linkStatus(path), status.kind == .regular, status.linkCount <= 1 { return false }
        try unlink(path)
        return true
    }

    public func readFile(_ path: Path, upTo limit: Int) throws(FileSystemError) -> [UInt8]? {
        try readFile(path).map { Array($0.prefix(limit)) }
    }

    public func inspect(_ path: Path) throws(FileSystemError) -> (status: FileStatus?, target: Path?) {
        let status = try linkStatus(path)
        return (status, status?.kind == .symlink ? try readLink(path) : nil)
    }

    public func inspect(_ path: Path, expecting: Path) throws(FileSystemError)
        -> (status: FileStatus?, target: Path?) {
        let seen = try inspect(path)
        return seen.target == expecting ? (seen.status, expecting) : seen
    }

    public func status(_ path: Path) throws(FileSystemError) -> FileStatus? {
        try status(path, follow: true)
    }
}
