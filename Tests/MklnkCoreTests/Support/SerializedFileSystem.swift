#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

/// Any `FileSystem` made usable from several threads: every call holds one lock, and `worker()`
/// gives another instance over the same base and lock. So a single-threaded double (a
/// `MemoryFileSystem`, a `FaultyFileSystem` counting calls) takes part in a parallel apply,
/// its calls interleaved one by one in whatever order the threads reach them.
final class SerializedFileSystem: FileSystem, @unchecked Sendable {
    final class Lock: @unchecked Sendable {
        private var mutex = pthread_mutex_t()
        init() { pthread_mutex_init(&mutex, nil) }
        deinit { pthread_mutex_destroy(&mutex) }
        func run<T>(_ body: () throws(FileSystemError) -> T) throws(FileSystemError) -> T {
            pthread_mutex_lock(&mutex)
            defer { pthread_mutex_unlock(&mutex) }
            return try body()
        }
    }

    let base: FileSystem
    let lock: Lock

    init(base: FileSystem, lock: Lock = Lock()) {
        self.base = base
        self.lock = lock
    }

    var root: Path { base.root }
    func worker() -> FileSystem? { SerializedFileSystem(base: base, lock: lock) }
    func reader() -> FileSystem? { nil }
    func unconfined() -> FileSystem {
        let other = base.unconfined()
        return other === base ? self : SerializedFileSystem(base: other, lock: lock)
    }

    private func locked<T>(_ body: () throws(FileSystemError) -> T) throws(FileSystemError) -> T {
        try lock.run(body)
    }

    func status(_ path: Path, follow: Bool) throws(FileSystemError) -> FileStatus? {
        try locked { () throws(FileSystemError) in try base.status(path, follow: follow) }
    }
    func directoryEntries(_ path: Path) throws(FileSystemError) -> [DirectoryEntry] {
        try locked { () throws(FileSystemError) in try base.directoryEntries(path) }
    }
    func readFile(_ path: Path) throws(FileSystemError) -> [UInt8]? {
        try locked { () throws(FileSystemError) in try base.readFile(path) }
    }
    func writeFileAtomically(_ path: Path, sync: Bool, chunks produce: (ChunkWriter) throws(FileSystemError) -> Void)
        throws(FileSystemError) {
        try locked { () throws(FileSystemError) in try base.writeFileAtomically(path, sync: sync, chunks: produce) }
    }
    func removeFile(_ path: Path) throws(FileSystemError) {
        try locked { () throws(FileSystemError) in try base.removeFile(path) }
    }
    func createDirectories(_ path: Path) throws(FileSystemError) {
        try locked { () throws(FileSystemError) in try base.createDirectories(path) }
    }
    func linkStatus(_ path: Path) throws(FileSystemError) -> FileStatus? {
        try locked { () throws(FileSystemError) in try base.linkStatus(path) }
    }
    func isDirectory(_ path: Path) throws(FileSystemError) -> Bool {
        try locked { () throws(FileSystemError) in try base.isDirectory(path) }
    }
    func readLink(_ path: Path) throws(FileSystemError) -> Path {
        try locked { () throws(FileSystemError) in try base.readLink(path) }
    }
    func createSymlink(at path: Path, target: Path) throws(FileSystemError) {
        try locked { () throws(FileSystemError) in try base.createSymlink(at: path, target: target) }
    }
    func createHardLink(at path: Path, to existing: Path) throws(FileSystemError) {
        try locked { () throws(FileSystemError) in try base.createHardLink(at: path, to: existing) }
    }
    func rename(_ from: Path, to: Path, mode: RenameMode) throws(FileSystemError) {
        try locked { () throws(FileSystemError) in try base.rename(from, to: to, mode: mode) }
    }
    func unlink(_ path: Path) throws(FileSystemError) {
        try locked { () throws(FileSystemError) in try base.unlink(path) }
    }
    func unlinkUnlessLast(_ path: Path) throws(FileSystemError) -> Bool {
        try locked { () throws(FileSystemError) in try base.unlinkUnlessLast(path) }
    }
    func createDirectory(_ path: Path) throws(FileSystemError) {
        try locked { () throws(FileSystemError) in try base.createDirectory(path) }
    }
    func removeDirectory(_ path: Path) throws(FileSystemError) {
        try locked { () throws(FileSystemError) in try base.removeDirectory(path) }
    }
    func setMode(_ path: Path, _ mode: UInt32) throws(FileSystemError) {
        try locked { () throws(FileSystemError) in try base.setMode(path, mode) }
    }
    func syncDirectory(_ path: Path) throws(FileSystemError) {
        try locked { () throws(FileSystemError) in try base.syncDirectory(path) }
    }
    func syncRoot() throws(FileSystemError) {
        try locked { () throws(FileSystemError) in try base.syncRoot() }
    }
}
