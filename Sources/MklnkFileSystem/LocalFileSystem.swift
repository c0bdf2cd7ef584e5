#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMklnkSys

/// The real filesystem, through `*at` syscalls relative to directory descriptors.
///
/// Confined calls open each parent component from a descriptor of `root` with
/// `O_NOFOLLOW | O_DIRECTORY`. A symlinked parent is read and followed by hand, and only while
/// its destination stays beneath `root`; otherwise the call fails with `.escapesRoot`. Parent
/// descriptors are cached, so thousands of links in one directory cost one walk.
public final class LocalFileSystem: FileSystem {
    public let root: String
    private var rootDescriptor: Int32 = -1
    /// By the bytes of the directory's path: String keys would confuse names that are
    /// canonically equal (`K` and the Kelvin sign) but different directories.
    private var directories: [[UInt8]: Int32] = [:]

    /// Readers (see `reader()`) stat paths from a descriptor of their directory, kept open.
    private var isReader = false
    private var statDirectory: (path: String, fd: Int32)?

    public init(root: String) {
        self.root = Paths.normalize(root)
    }

    /// Another instance for reads on another thread. It serves only reads of the planning
    /// phase, so it may keep the directory of the last path it stat'ed open: a run of targets in
    /// one directory then costs one path walk, not one each.
    public func reader() -> FileSystem? {
        let reader = LocalFileSystem(root: root)
        reader.isReader = true
        return reader
    }

    deinit {
        closeCachedDirectories()
        if let statDirectory { close(statDirectory.fd) }
        if rootDescriptor >= 0 { close(rootDescriptor) }
    }

    // MARK: Unconfined

    public func status(_ path: String, follow: Bool) throws(FileSystemError) -> FileStatus? {
        var st = stat()
        let rc: Int32
        if isReader {
            rc = statInDirectory(path, &st, follow: follow)
        } else {
            rc = follow ? stat(path, &st) : lstat(path, &st)
        }
        if rc != 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw FileSystemError(errno: errno, follow ? "stat" : "lstat", path)
        }
        return FileStatus(st)
    }

    public func directoryEntries(_ path: String) throws(FileSystemError) -> [DirectoryEntry] {
        guard let dir = opendir(path) else { throw FileSystemError(errno: errno, "opendir", path) }
        defer { closedir(dir) }
        var entries: [DirectoryEntry] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
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

    public func readFile(_ path: String) throws(FileSystemError) -> [UInt8]? {
        try readFile(path, upTo: Int.max)
    }

    public func readFile(_ path: String, upTo limit: Int) throws(FileSystemError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
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

    public func writeFileAtomically(_ path: String, _ bytes: [UInt8], sync: Bool) throws(FileSystemError) {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw FileSystemError(errno: errno, "open", temporary) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = errno
                close(fd)
                cUnlink(temporary)
                throw FileSystemError(errno: e, "write", temporary)
            }
            written += n
        }
        if sync && fsync(fd) != 0 {
            let e = errno
            close(fd)
            cUnlink(temporary)
            throw FileSystemError(errno: e, "fsync", temporary)
        }
        close(fd)
        if cRename(temporary, path) != 0 {
            let e = errno
            cUnlink(temporary)
            throw FileSystemError(errno: e, "rename", path)
        }
        if sync { try syncPath(Paths.parent(path)) }
    }

    public func removeFile(_ path: String) throws(FileSystemError) {
        if cUnlink(path) != 0 && errno != ENOENT { throw FileSystemError(errno: errno, "unlink", path) }
    }

    public func createDirectories(_ path: String) throws(FileSystemError) {
        let normalized = Paths.normalize(path)
        if let st = try status(normalized, follow: true) {
            if st.kind == .directory { return }
            throw FileSystemError(errno: ENOTDIR, "mkdir", normalized)
        }
        if normalized != "/" { try createDirectories(Paths.parent(normalized)) }
        if mkdir(normalized, 0o755) != 0 && errno != EEXIST {
            throw FileSystemError(errno: errno, "mkdir", normalized)
        }
    }

    // MARK: Confined

    public func linkStatus(_ path: String) throws(FileSystemError) -> FileStatus? {
        do {
            return try withParent(path, "lstat") { (dir, name) throws(FileSystemError) -> FileStatus? in
                var st = stat()
                if fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) != 0 {
                    if errno == ENOENT || errno == ENOTDIR { return nil }
                    throw FileSystemError(errno: errno, "lstat", path)
                }
                return FileStatus(st)
            }
        } catch {
            if error.isNotFound { return nil }
            throw error
        }
    }

    public func inspect(_ path: String) throws(FileSystemError) -> (status: FileStatus?, target: String?) {
        try inspect(path, expecting: nil)
    }

    public func inspect(_ path: String, expecting: String) throws(FileSystemError) -> (status: FileStatus?, target: String?) {
        try inspect(path, expecting: Optional(expecting))
    }

    private func inspect(_ path: String, expecting: String?) throws(FileSystemError) -> (status: FileStatus?, target: String?) {
        do {
            return try withParent(path, "lstat") { (dir, name) throws(FileSystemError) -> (FileStatus?, String?) in
                // One readlinkat answers for a symlink, the common case of a plan already applied.
                let n = linkBuffer.withUnsafeMutableBufferPointer { readlinkat(dir, name, $0.baseAddress!, $0.count) }
                if n >= 0 && n < linkBuffer.count {
                    // A link already in place stores what is expected: no new string for it.
                    if let expecting, Paths.withBytes(expecting, { e in
                        e.count == n && (n == 0 || memcmp(e.baseAddress!, linkBuffer, n) == 0)
                    }) {
                        return (FileStatus(kind: .symlink), expecting)
                    }
                    let target = linkBuffer.withUnsafeBufferPointer { buffer in
                        buffer.withMemoryRebound(to: UInt8.self) { String(decoding: $0[0..<n], as: UTF8.self) }
                    }
                    return (FileStatus(kind: .symlink), target)
                }
                if n < 0 && errno != EINVAL {
                    if errno == ENOENT || errno == ENOTDIR { return (nil, nil) }
                    throw FileSystemError(errno: errno, "readlink", path)
                }
                // Not a symlink (EINVAL), or a target longer than the buffer: the two-call way.
                var st = stat()
                if fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) != 0 {
                    if errno == ENOENT || errno == ENOTDIR { return (nil, nil) }
                    throw FileSystemError(errno: errno, "lstat", path)
                }
                let status = FileStatus(st)
                return (status, status.kind == .symlink ? try Self.readLink(dir, name, path) : nil)
            }
        } catch {
            if error.isNotFound { return (nil, nil) }
            throw error
        }
    }

    public func isDirectory(_ path: String) throws(FileSystemError) -> Bool {
        let normalized = Paths.normalize(path)
        do {
            _ = try directory(normalized, operation: "open", path: normalized)
            return true
        } catch {
            if error.isNotFound { return false }
            throw error
        }
    }

    public func readLink(_ path: String) throws(FileSystemError) -> String {
        try withParent(path, "readlink") { (dir, name) throws(FileSystemError) in try Self.readLink(dir, name, path) }
    }

    public func createSymlink(at path: String, target: String) throws(FileSystemError) {
        try withParent(path, "symlink") { (dir, name) throws(FileSystemError) in
            if symlinkat(target, dir, name) != 0 { throw FileSystemError(errno: errno, "symlink", path) }
        }
    }

    public func createHardLink(at path: String, to existing: String) throws(FileSystemError) {
        try withParent(path, "link") { (dir, name) throws(FileSystemError) in
            if linkat(AT_FDCWD, existing, dir, name, AT_SYMLINK_FOLLOW) != 0 {
                throw FileSystemError(errno: errno, "link", path)
            }
        }
    }

    public func rename(_ from: String, to: String, mode: RenameMode) throws(FileSystemError) {
        let (fromDir, fromName) = try parentDirectory(of: from, operation: "rename")
        let (toDir, toName) = try parentDirectory(of: to, operation: "rename")
        let rc: Int32
        switch mode {
        case .replace: rc = renameat(fromDir, fromName, toDir, toName)
        case .exchange: rc = mklnk_rename_exchange(fromDir, fromName, toDir, toName)
        case .noReplace:
            var r = mklnk_rename_noreplace(fromDir, fromName, toDir, toName)
            if r != 0 && (errno == EINVAL || errno == ENOSYS) {
                // The filesystem lacks RENAME_NOREPLACE: check, then rename.
                var st = stat()
                if fstatat(toDir, toName, &st, AT_SYMLINK_NOFOLLOW) == 0 {
                    throw FileSystemError(errno: EEXIST, "rename", to)
                }
                r = renameat(fromDir, fromName, toDir, toName)
            }
            rc = r
        }
        if rc != 0 { throw FileSystemError(errno: errno, "rename", from) }
        forgetDirectories(under: from)
        if mode == .exchange { forgetDirectories(under: to) }
    }

    public func unlink(_ path: String) throws(FileSystemError) {
        try withParent(path, "unlink") { (dir, name) throws(FileSystemError) in
            if unlinkat(dir, name, 0) != 0 { throw FileSystemError(errno: errno, "unlink", path) }
        }
    }

    public func createDirectory(_ path: String) throws(FileSystemError) {
        try withParent(path, "mkdir") { (dir, name) throws(FileSystemError) in
            if mkdirat(dir, name, 0o755) != 0 { throw FileSystemError(errno: errno, "mkdir", path) }
        }
    }

    public func setMode(_ path: String, _ mode: UInt32) throws(FileSystemError) {
        try withParent(path, "chmod") { (dir, name) throws(FileSystemError) in
            let fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if fd < 0 { throw FileSystemError(errno: errno, "chmod", path) }
            defer { close(fd) }
            if fchmod(fd, mode_t(mode)) != 0 { throw FileSystemError(errno: errno, "chmod", path) }
        }
    }

    public func removeDirectory(_ path: String) throws(FileSystemError) {
        try withParent(path, "rmdir") { (dir, name) throws(FileSystemError) in
            if unlinkat(dir, name, AT_REMOVEDIR) != 0 { throw FileSystemError(errno: errno, "rmdir", path) }
        }
        forgetDirectories(under: path)
    }

    public func syncDirectory(_ path: String) throws(FileSystemError) {
        let normalized = Paths.normalize(path)
        if normalized == root {
            try syncPath(root)
            return
        }
        let (dir, name) = try parentDirectory(of: normalized, operation: "fsync")
        let fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 { throw FileSystemError(errno: errno, "open", path) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw FileSystemError(errno: errno, "fsync", path) }
    }

    public func syncRoot() throws(FileSystemError) {
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw FileSystemError(errno: errno, "open", root) }
        defer { close(fd) }
        if mklnk_syncfs(fd) != 0 { throw FileSystemError(errno: errno, "syncfs", root) }
    }

    /// `fstatat` from the cached directory of an absolute `path` (plain `stat` when it has none).
    private func statInDirectory(_ path: String, _ st: inout stat, follow: Bool) -> Int32 {
        let flags = follow ? 0 : AT_SYMLINK_NOFOLLOW
        let slash = Paths.withBytes(path) { b in
            b.first == UInt8(ascii: "/") ? Paths.lastSlash(b).flatMap { $0 > 0 && $0 < b.count - 1 ? $0 : nil } : nil
        }
        guard let slash else { return follow ? stat(path, &st) : lstat(path, &st) }
        let fd: Int32
        if let cached = statDirectory, cached.path.utf8.count == slash, Paths.hasBytePrefix(path, cached.path) {
            fd = cached.fd
        } else {
            let dir = String(path.utf8.prefix(slash))!
            fd = mklnk_open_search_directory(dir)
            // A directory that cannot be opened: `stat` says why, with the whole path.
            if fd < 0 { return follow ? stat(path, &st) : lstat(path, &st) }
            if let statDirectory { close(statDirectory.fd) }
            statDirectory = (dir, fd)
        }
        return path.withCString { fstatat(fd, $0 + slash + 1, &st, flags) }
    }

    // MARK: Resolution beneath root

    /// Reused for every `readlinkat`: planning 100,000 links allocates no buffers.
    private var linkBuffer = [CChar](repeating: 0, count: 4096)
    /// The last parent looked up, for runs of links in one directory.
    private var lastParent: (path: String, fd: Int32)?

    /// Runs `body` with the descriptor of `path`'s parent and its last component as a C string,
    /// without allocating when the parent is the one of the previous call.
    private func withParent<T>(_ path: String, _ operation: String,
                               _ body: (Int32, UnsafePointer<CChar>) throws(FileSystemError) -> T) throws(FileSystemError) -> T {
        if let last = lastParent, let offset = Self.nameOffset(path, in: last.path) {
            return try Self.run(body, last.fd, path, offset)
        }
        guard Paths.isNormal(path) else { return try withParent(Paths.normalize(path), operation, body) }
        guard path != root, Paths.isWithin(path, root), let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else {
            throw FileSystemError(.escapesRoot(via: path), operation, path)
        }
        let dir: Int32
        let parentLength = path.utf8.distance(from: path.utf8.startIndex, to: slash)
        if let last = lastParent, last.path.utf8.count == max(parentLength, 1),
           Paths.hasBytePrefix(path, last.path) {
            dir = last.fd
        } else {
            let parent = slash == path.startIndex ? "/" : String(path[..<slash])
            dir = try directory(parent, operation: operation, path: path)
            lastParent = (parent, dir)
        }
        return try Self.run(body, dir, path, parentLength + 1)
    }

    private static func run<T>(_ body: (Int32, UnsafePointer<CChar>) throws(FileSystemError) -> T, _ dir: Int32,
                               _ path: String, _ offset: Int) throws(FileSystemError) -> T {
        let result: Result<T, FileSystemError> = path.withCString { cPath in
            do throws(FileSystemError) {
                return .success(try body(dir, cPath + offset))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Where the name starts when `path` is a proper name (not empty, `.` or `..`) directly
    /// inside `parent` (normal, beneath root); nil otherwise. The common case of `withParent`:
    /// links come in directories, and this is one pass over bytes instead of a normality check.
    private static func nameOffset(_ path: String, in parent: String) -> Int? {
        Paths.withBytes(parent) { d in
            Paths.withBytes(path) { p in
                let length = d.count == 1 ? 0 : d.count  // "/" + name
                let name = p.count - length - 1
                guard name > 0, p[length] == UInt8(ascii: "/"), Paths.lastSlash(p) == length,
                      !(p[length + 1] == UInt8(ascii: ".") && (name == 1 || (name == 2 && p[length + 2] == UInt8(ascii: ".")))),
                      length == 0 || memcmp(p.baseAddress!, d.baseAddress!, length) == 0 else { return nil }
                return length + 1
            }
        }
    }

    /// The descriptor of `path`'s parent directory and its last component.
    private func parentDirectory(of path: String, operation: String) throws(FileSystemError) -> (Int32, String) {
        let normalized = Paths.normalize(path)
        guard normalized != root, Paths.isWithin(normalized, root) else {
            throw FileSystemError(.escapesRoot(via: normalized), operation, path)
        }
        let parent = Paths.parent(normalized)
        let dir = try directory(parent, operation: operation, path: path)
        return (dir, Paths.name(normalized))
    }

    /// Opens (or finds cached) the directory `dir`, which lies beneath or at root.
    private func directory(_ dir: String, operation: String, path: String) throws(FileSystemError) -> Int32 {
        if let fd = directories[Array(dir.utf8)] { return fd }
        if rootDescriptor < 0 {
            rootDescriptor = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if rootDescriptor < 0 { throw FileSystemError(errno: errno, "open", root) }
        }
        if Paths.sameBytes(dir, root) { return rootDescriptor }
        var pending = Array(componentsBelowRoot(dir).reversed())
        var current = rootDescriptor
        var logical = root
        var hops = 0
        func release(_ fd: Int32) { if fd != rootDescriptor { close(fd) } }
        while let name = pending.popLast() {
            // Never from the input (it is normal); only a symlink's destination could hold one.
            if name.isEmpty || name == "." || name == ".." {
                release(current)
                throw FileSystemError(.escapesRoot(via: logical), operation, path)
            }
            let next = mklnk_open_directory(current, name)
            if next >= 0 {
                release(current)
                current = next
                logical = logical == "/" ? "/" + name : logical + "/" + name
                continue
            }
            let e = errno
            var st = stat()
            guard e == ELOOP || e == ENOTDIR, fstatat(current, name, &st, AT_SYMLINK_NOFOLLOW) == 0,
                  (st.st_mode & S_IFMT) == S_IFLNK
            else {
                release(current)
                throw FileSystemError(errno: e, operation, path)
            }
            let via = logical == "/" ? "/" + name : logical + "/" + name
            hops += 1
            let stored: String
            do {
                stored = try Self.readLink(current, name, via)
            } catch {
                release(current)
                throw error
            }
            var destination = Paths.absolute(stored, base: logical)
            if !Paths.isWithin(destination, root), let physical = physicalRoot(), Paths.isWithin(destination, physical) {
                // Points into root by its physical path (root itself is reached through a symlink).
                destination = root + String(decoding: destination.utf8.dropFirst(physical.utf8.count), as: UTF8.self)
            }
            guard hops <= 40, Paths.isWithin(destination, root) else {
                release(current)
                if hops > 40 { throw FileSystemError(errno: ELOOP, operation, path) }
                throw FileSystemError(.escapesRoot(via: via), operation, path)
            }
            // Walk again from root along the symlink's destination, then the rest.
            release(current)
            current = rootDescriptor
            logical = root
            pending.append(contentsOf: componentsBelowRoot(destination).reversed())
        }
        if directories.count >= 256 { closeCachedDirectories() }
        directories[Array(dir.utf8)] = current
        return current
    }

    /// The components of `path` (normal, within root) beneath root, cut and split by bytes: a
    /// `/` followed by a combining mark is one Character, and cutting by Characters would drop
    /// the mark and make a `..` of the name after it.
    private func componentsBelowRoot(_ path: String) -> [String] {
        let bytes = Array(path.utf8)
        let skip = root == "/" ? 1 : root.utf8.count + 1
        guard bytes.count > skip else { return [] }
        return bytes[skip...].split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
    }

    private var physicalRootCache: String??

    /// `realpath(root)` when it differs from root.
    private func physicalRoot() -> String? {
        if let cached = physicalRootCache { return cached }
        var physical: String?
        if let resolved = realpath(root, nil) {
            let p = String(cString: resolved)
            free(resolved)
            physical = p == root ? nil : p
        }
        physicalRootCache = .some(physical)
        return physical
    }

    private func forgetDirectories(under path: String) {
        let normalized = Paths.normalize(path)
        if let last = lastParent, Paths.isWithin(last.path, normalized) { lastParent = nil }
        for (dir, fd) in directories where dir.withUnsafeBufferPointer({ d in Paths.withBytes(normalized) { Paths.isWithin(d, $0) } }) {
            close(fd)
            directories[dir] = nil
        }
    }

    private func closeCachedDirectories() {
        for fd in directories.values where fd != rootDescriptor { close(fd) }
        directories.removeAll()
        lastParent = nil
    }

    private func syncPath(_ dir: String) throws(FileSystemError) {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw FileSystemError(errno: errno, "open", dir) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw FileSystemError(errno: errno, "fsync", dir) }
    }

    private static func readLink(_ dir: Int32, _ name: UnsafePointer<CChar>, _ path: String) throws(FileSystemError) -> String {
        var capacity = 1024
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let n = readlinkat(dir, name, &buffer, capacity)
            if n < 0 { throw FileSystemError(errno: errno, "readlink", path) }
            if n < capacity {
                return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            capacity *= 4
        }
    }
}

// The C calls whose names the class's own methods shadow.
@discardableResult private func cUnlink(_ path: String) -> Int32 { unlink(path) }
private func cRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }

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
