#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMklnkSys

/// The calls confined to root: each acts on a name inside a parent directory that
/// `directory(_:operation:path:)` (ConfinedWalk.swift) opened without leaving root.
extension LocalFileSystem {
    public func linkStatus(_ path: Path) throws(FileSystemError) -> FileStatus? {
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

    public func inspect(_ path: Path) throws(FileSystemError) -> (status: FileStatus?, target: Path?) {
        try inspect(path, expecting: nil)
    }

    public func inspect(_ path: Path, expecting: Path) throws(FileSystemError) -> (status: FileStatus?, target: Path?) {
        try inspect(path, expecting: Optional(expecting))
    }

    private func inspect(_ path: Path, expecting: Path?) throws(FileSystemError) -> (status: FileStatus?, target: Path?) {
        do {
            return try withParent(path, "lstat") { (dir, name) throws(FileSystemError) -> (FileStatus?, Path?) in
                // One readlinkat answers for a symlink, the common case of a plan already applied.
                let n = linkBuffer.withUnsafeMutableBufferPointer { readlinkat(dir, name, $0.baseAddress!, $0.count) }
                if n >= 0 && n < linkBuffer.count {
                    // A link already in place stores what is expected: no new path for it.
                    if let expecting, expecting.withBytes({ e in
                        e.count == n && (n == 0 || memcmp(e.baseAddress!, linkBuffer, n) == 0)
                    }) {
                        return (FileStatus(kind: .symlink), expecting)
                    }
                    let target = linkBuffer.withUnsafeBufferPointer { buffer in
                        buffer.withMemoryRebound(to: UInt8.self) { Path(bytes: $0[0..<n]) }
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

    public func isDirectory(_ path: Path) throws(FileSystemError) -> Bool {
        let normalized = Paths.normalize(path)
        do {
            _ = try directory(normalized, operation: "open", path: normalized)
            return true
        } catch {
            if error.isNotFound { return false }
            throw error
        }
    }

    public func readLink(_ path: Path) throws(FileSystemError) -> Path {
        try withParent(path, "readlink") { (dir, name) throws(FileSystemError) in try Self.readLink(dir, name, path) }
    }

    public func createSymlink(at path: Path, target: Path) throws(FileSystemError) {
        forgetMissing()
        try withParent(path, "symlink") { (dir, name) throws(FileSystemError) in
            if target.withCString({ symlinkat($0, dir, name) }) != 0 { throw FileSystemError(errno: errno, "symlink", path) }
        }
    }

    public func createHardLink(at path: Path, to existing: Path) throws(FileSystemError) {
        forgetMissing()
        try withParent(path, "link") { (dir, name) throws(FileSystemError) in
            if existing.withCString({ linkat(AT_FDCWD, $0, dir, name, AT_SYMLINK_FOLLOW) }) != 0 {
                throw FileSystemError(errno: errno, "link", path)
            }
        }
    }

    public func rename(_ from: Path, to: Path, mode: RenameMode) throws(FileSystemError) {
        forgetMissing()
        let (fromDir, fromName) = try parentDirectory(of: from, operation: "rename")
        let (toDir, toName) = try parentDirectory(of: to, operation: "rename")
        var fellBack = false, noHardLinks = false
        let rc: Int32 = fromName.withCString { fromName in
            toName.withCString { toName in
                switch mode {
                case .replace: return renameat(fromDir, fromName, toDir, toName)
                case .exchange: return mklnk_rename_exchange(fromDir, fromName, toDir, toName)
                case .noReplace:
                    let r = mklnk_rename_noreplace(fromDir, fromName, toDir, toName)
                    guard r != 0 && (errno == EINVAL || errno == ENOSYS) else { return r }
                    fellBack = true
                    return NoReplaceFallback.move(fromDir, fromName, toDir, toName, noHardLinks: &noHardLinks)
                }
            }
        }
        if rc != 0 {
            let e = errno
            if fellBack && e == EEXIST { throw FileSystemError(errno: EEXIST, "rename", to) }
            if noHardLinks {
                throw FileSystemError(errno: e, "rename (this filesystem has neither RENAME_NOREPLACE nor hard links, "
                                      + "so nothing can be moved without risk of replacing a file)", from)
            }
            throw FileSystemError(errno: e, "rename", from)
        }
        forgetWalks(through: from)
        forgetWalks(through: to)
    }

    public func unlink(_ path: Path) throws(FileSystemError) {
        forgetMissing()
        try withParent(path, "unlink") { (dir, name) throws(FileSystemError) in
            if unlinkat(dir, name, 0) != 0 { throw FileSystemError(errno: errno, "unlink", path) }
        }
        forgetWalks(through: path)
    }

    public func createDirectory(_ path: Path) throws(FileSystemError) {
        try createDirectory(path, mode: 0o755)
    }

    public func createDirectory(_ path: Path, mode: UInt32) throws(FileSystemError) {
        forgetMissing()
        try withParent(path, "mkdir") { (dir, name) throws(FileSystemError) in
            if mkdirat(dir, name, mode_t(mode)) != 0 { throw FileSystemError(errno: errno, "mkdir", path) }
        }
    }

    public func setMode(_ path: Path, _ mode: UInt32) throws(FileSystemError) {
        try withParent(path, "chmod") { (dir, name) throws(FileSystemError) in
            let fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if fd < 0 { throw FileSystemError(errno: errno, "chmod", path) }
            defer { close(fd) }
            if fchmod(fd, mode_t(mode)) != 0 { throw FileSystemError(errno: errno, "chmod", path) }
        }
    }

    public func removeDirectory(_ path: Path) throws(FileSystemError) {
        forgetMissing()
        try withParent(path, "rmdir") { (dir, name) throws(FileSystemError) in
            if unlinkat(dir, name, AT_REMOVEDIR) != 0 { throw FileSystemError(errno: errno, "rmdir", path) }
        }
        forgetWalks(through: path)
    }

    public func syncDirectory(_ path: Path) throws(FileSystemError) {
        let normalized = Paths.normalize(path)
        if normalized == root {
            try syncPath(root)
            return
        }
        let (dir, name) = try parentDirectory(of: normalized, operation: "fsync")
        let fd = name.withCString { openat(dir, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        if fd < 0 { throw FileSystemError(errno: errno, "open", path) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw FileSystemError(errno: errno, "fsync", path) }
    }

    // MARK: The parent of a name

    /// Runs `body` with the descriptor of `path`'s parent and its last component as a C string,
    /// without allocating when the parent is the one of the previous call.
    func withParent<T>(_ path: Path, _ operation: String,
                       _ body: (Int32, UnsafePointer<CChar>) throws(FileSystemError) -> T) throws(FileSystemError) -> T {
        if let last = lastParent, let offset = Self.nameOffset(path, in: last.path) {
            return try Self.run(body, last.fd, path, offset)
        }
        guard Paths.isNormal(path) else { return try withParent(Paths.normalize(path), operation, body) }
        guard path != root, Paths.isWithin(path, root),
              let slash = path.withBytes({ Paths.lastSlash($0) }) else {
            throw FileSystemError(.escapesRoot(via: path), operation, path)
        }
        let dir: Int32
        if let last = lastParent, last.path.count == max(slash, 1), path.hasPrefix(last.path) {
            dir = last.fd
        } else {
            let parent = slash == 0 ? "/" : Path(bytes: path.bytes[..<slash])
            dir = try directory(parent, operation: operation, path: path)
            lastParent = (parent, dir)
        }
        return try Self.run(body, dir, path, slash + 1)
    }

    private static func run<T>(_ body: (Int32, UnsafePointer<CChar>) throws(FileSystemError) -> T, _ dir: Int32,
                               _ path: Path, _ offset: Int) throws(FileSystemError) -> T {
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
    private static func nameOffset(_ path: Path, in parent: Path) -> Int? {
        parent.withBytes { d in
            path.withBytes { p in
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
    func parentDirectory(of path: Path, operation: String) throws(FileSystemError) -> (Int32, Path) {
        let normalized = Paths.normalize(path)
        guard normalized != root, Paths.isWithin(normalized, root) else {
            throw FileSystemError(.escapesRoot(via: normalized), operation, path)
        }
        let parent = Paths.parent(normalized)
        let dir = try directory(parent, operation: operation, path: path)
        return (dir, Paths.name(normalized))
    }

    static func readLink(_ dir: Int32, _ name: UnsafePointer<CChar>, _ path: Path) throws(FileSystemError) -> Path {
        var capacity = 1024
        while true {
            var buffer = [UInt8](repeating: 0, count: capacity)
            let n = buffer.withUnsafeMutableBufferPointer { b in
                b.withMemoryRebound(to: CChar.self) { readlinkat(dir, name, $0.baseAddress!, capacity) }
            }
            if n < 0 { throw FileSystemError(errno: errno, "readlink", path) }
            if n < capacity {
                buffer.removeLast(capacity - n)
                return Path(bytes: buffer)
            }
            capacity *= 4
        }
    }
}
