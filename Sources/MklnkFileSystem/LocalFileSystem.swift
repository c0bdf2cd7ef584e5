#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMklnkSys

/// The real filesystem, through `*at` syscalls relative to directory descriptors.
///
/// Confined calls (LocalFileSystem+Confined.swift) open each parent component from a descriptor
/// of `root` with `O_NOFOLLOW | O_DIRECTORY` (ConfinedWalk.swift). A symlinked parent is read and
/// followed by hand, and only while its destination stays beneath `root`; otherwise the call
/// fails with `.escapesRoot`. Parent descriptors are cached, so thousands of links in one
/// directory cost one walk. This file holds the plain, unconfined I/O.
public final class LocalFileSystem: FileSystem {
    public let root: Path
    var rootDescriptor: Int32 = -1
    /// Open directories beneath root, by the bytes of their path.
    var directories: [Path: Int32] = [:]
    /// For each of them, the physical paths its walk went through (see `forgetWalks`).
    var walks: [Path: [Path]] = [:]
    /// Reused for every `readlinkat`: planning 100,000 links allocates no buffers.
    var linkBuffer = [CChar](repeating: 0, count: 4096)
    /// The last parent looked up, for runs of links in one directory.
    var lastParent: (path: Path, fd: Int32)?
    var physicalRootCache: Path??
    /// Directories a walk found missing (ENOENT), until this instance next changes anything: a
    /// missing parent then answers for every link beneath it without a syscall each.
    var missingDirectories = Set<Path>()

    /// Readers (see `reader()`) stat paths from a descriptor of their directory, kept open.
    private var isReader = false
    private var statDirectory: (path: Path, fd: Int32)?

    public init(root: Path) {
        self.root = Paths.normalize(root)
    }

    /// Another instance for reads on another thread. It serves only reads of the planning
    /// phase, so it may keep the directory of the last path it stat'ed open: a run of targets in
    /// one directory then costs one path walk, not one each.
    public func unconfined() -> FileSystem { root == "/" ? self : LocalFileSystem(root: "/") }

    public func reader() -> FileSystem? {
        let reader = LocalFileSystem(root: root)
        reader.isReader = true
        return reader
    }

    public func worker() -> FileSystem? { LocalFileSystem(root: root) }

    deinit {
        closeCachedDirectories()
        if let statDirectory { close(statDirectory.fd) }
        if rootDescriptor >= 0 { close(rootDescriptor) }
    }

    // MARK: Unconfined

    public func status(_ path: Path, follow: Bool) throws(FileSystemError) -> FileStatus? {
        var st = stat()
        let rc: Int32
        if isReader {
            rc = statInDirectory(path, &st, follow: follow)
        } else {
            rc = path.withCString { follow ? stat($0, &st) : lstat($0, &st) }
        }
        if rc != 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw FileSystemError(errno: errno, follow ? "stat" : "lstat", path)
        }
        return FileStatus(st)
    }

    public func directoryEntries(_ path: Path) throws(FileSystemError) -> [DirectoryEntry] {
        guard let dir = path.withCString({ opendir($0) }) else { throw FileSystemError(errno: errno, "opendir", path) }
        defer { closedir(dir) }
        var entries: [DirectoryEntry] = []
        while let entry = readdir(dir) {
            // The name's bytes as they are (a name need not be UTF-8), read in place: copying the
            // 256-byte d_name field reads past a short last entry of the readdir buffer.
            let name = Path(cString: (UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_name)!)
                .assumingMemoryBound(to: CChar.self))
            if name == "." || name == ".." { continue }
            let kind: FileKind?
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): kind = .regular
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK): kind = .symlink
            case Int32(DT_UNKNOWN): kind = nil
            default: kind = .other
            }
            entries.append(DirectoryEntry(name: name, kind: kind))
        }
        return entries
    }

    public func readLink(anywhere path: Path) throws(FileSystemError) -> Path {
        var capacity = 1024
        while true {
            var buffer = [UInt8](repeating: 0, count: capacity)
            let n = path.withCString { p in
                buffer.withUnsafeMutableBufferPointer { b in
                    b.withMemoryRebound(to: CChar.self) { readlink(p, $0.baseAddress!, capacity) }
                }
            }
            if n < 0 { throw FileSystemError(errno: errno, "readlink", path) }
            if n < capacity {
                buffer.removeLast(capacity - n)
                return Path(bytes: buffer)
            }
            capacity *= 4
        }
    }

    public func readFile(_ path: Path) throws(FileSystemError) -> [UInt8]? {
        try readFile(path, upTo: Int.max)
    }

    public func readFile(_ path: Path, upTo limit: Int) throws(FileSystemError) -> [UInt8]? {
        let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC) }
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw FileSystemError(errno: errno, "open", path)
        }
        defer { close(fd) }
        // Read into a buffer of the file's size: grown by doubling, a 15 MB state would
        // briefly need 24 MB.
        var st = stat()
        let size = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
        var bytes = [UInt8](repeating: 0, count: max(min(size, limit), 0))
        var count = 0
        while count < limit {
            let n: Int
            if count < bytes.count {
                n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            } else {
                // Past the size fstat gave (the file grew, or reports none): by chunks.
                var chunk = [UInt8](repeating: 0, count: min(1 << 16, limit - count))
                n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n > 0 { bytes += chunk[..<n] }
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(errno: errno, "read", path)
            }
            if n == 0 { break }
            count += n
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    public func writeFileAtomically(_ path: Path, sync: Bool, chunks produce: (ChunkWriter) throws(FileSystemError) -> Void)
        throws(FileSystemError) {
        forgetMissing()
        let temporary = path + ".tmp-\(getpid())"
        let fd = temporary.withCString { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        if fd < 0 { throw FileSystemError(errno: errno, "open", temporary) }
        do throws(FileSystemError) {
            try produce { (chunk) throws(FileSystemError) in
                var written = 0
                while written < chunk.count {
                    let n = write(fd, chunk.baseAddress! + written, chunk.count - written)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw FileSystemError(errno: errno, "write", temporary)
                    }
                    written += n
                }
            }
            if sync && fsync(fd) != 0 { throw FileSystemError(errno: errno, "fsync", temporary) }
        } catch {
            close(fd)
            cUnlink(temporary)
            throw error
        }
        close(fd)
        if cRename(temporary, path) != 0 {
            let e = errno
            cUnlink(temporary)
            throw FileSystemError(errno: e, "rename", path)
        }
        if sync { try syncPath(Paths.parent(path)) }
    }

    public func removeFile(_ path: Path) throws(FileSystemError) {
        forgetMissing()
        if cUnlink(path) != 0 && errno != ENOENT { throw FileSystemError(errno: errno, "unlink", path) }
    }

    public func replaceFile(_ path: Path, with staged: Path) throws(FileSystemError) {
        forgetMissing()
        if cRename(staged, path) != 0 {
            if errno == ENOENT { return }
            throw FileSystemError(errno: errno, "rename", staged)
        }
        try syncPath(Paths.parent(path))
    }

    public func createDirectories(_ path: Path) throws(FileSystemError) {
        forgetMissing()
        let normalized = Paths.normalize(path)
        if let st = try status(normalized, follow: true) {
            if st.kind == .directory { return }
            throw FileSystemError(errno: ENOTDIR, "mkdir", normalized)
        }
        if normalized != "/" { try createDirectories(Paths.parent(normalized)) }
        if normalized.withCString({ mkdir($0, 0o755) }) != 0 && errno != EEXIST {
            throw FileSystemError(errno: errno, "mkdir", normalized)
        }
    }

    public func syncRoot() throws(FileSystemError) {
        let fd = root.withCString { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        if fd < 0 { throw FileSystemError(errno: errno, "open", root) }
        defer { close(fd) }
        if mklnk_syncfs(fd) != 0 { throw FileSystemError(errno: errno, "syncfs", root) }
    }

    /// `fstatat` from the cached directory of an absolute `path` (plain `stat` when it has none).
    private func statInDirectory(_ path: Path, _ st: inout stat, follow: Bool) -> Int32 {
        let flags = follow ? 0 : AT_SYMLINK_NOFOLLOW
        let slash = path.withBytes { b in
            b.first == UInt8(ascii: "/") ? Paths.lastSlash(b).flatMap { $0 > 0 && $0 < b.count - 1 ? $0 : nil } : nil
        }
        guard let slash else { return path.withCString { follow ? stat($0, &st) : lstat($0, &st) } }
        let fd: Int32
        if let cached = statDirectory, cached.path.count == slash, path.hasPrefix(cached.path) {
            fd = cached.fd
        } else {
            let dir = Path(bytes: path.bytes[..<slash])
            fd = dir.withCString { mklnk_open_search_directory($0) }
            // A directory that cannot be opened: `stat` says why, with the whole path.
            if fd < 0 { return path.withCString { follow ? stat($0, &st) : lstat($0, &st) } }
            if let statDirectory { close(statDirectory.fd) }
            statDirectory = (dir, fd)
        }
        return path.withCString { fstatat(fd, $0 + slash + 1, &st, flags) }
    }

    func syncPath(_ dir: Path) throws(FileSystemError) {
        let fd = dir.withCString { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        if fd < 0 { throw FileSystemError(errno: errno, "open", dir) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw FileSystemError(errno: errno, "fsync", dir) }
    }
}

// The C calls whose names the class's own methods shadow.
@discardableResult private func cUnlink(_ path: Path) -> Int32 { path.withCString { unlink($0) } }
private func cRename(_ from: Path, _ to: Path) -> Int32 {
    from.withCString { f in to.withCString { t in rename(f, t) } }
}

extension FileStatus {
    init(_ st: stat) {
        let kind: FileKind
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        default: kind = .other
        }
        #if canImport(Darwin)
        let modified = Int64(st.st_mtimespec.tv_sec)
        #else
        let modified = Int64(st.st_mtim.tv_sec)
        #endif
        self.init(kind: kind, device: UInt64(st.st_dev), inode: UInt64(st.st_ino), linkCount: UInt64(st.st_nlink),
                  size: Int64(st.st_size), modified: modified, permissions: UInt32(st.st_mode) & 0o7777)
    }
}
