#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LocalFileSystem {
    /// Unlinks a name of a regular file unless it is the last one, without a gap between the
    /// check and the unlink: the file is held open across the unlink, and if its other names
    /// went meanwhile (its link count is then 0), its bytes are written back under the name.
    public func unlinkUnlessLast(_ path: Path) throws(FileSystemError) -> Bool {
        forgetMissing()
        return try withParent(path, "unlink") { (dir, name) throws(FileSystemError) -> Bool in
            let fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            if fd < 0 {
                // Not a readable regular file (a symlink, no read permission): check, then unlink.
                var st = stat()
                if fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) != 0 { throw FileSystemError(errno: errno, "lstat", path) }
                if (st.st_mode & S_IFMT) == S_IFREG && st.st_nlink <= 1 { return false }
                if unlinkat(dir, name, 0) != 0 { throw FileSystemError(errno: errno, "unlink", path) }
                return true
            }
            defer { close(fd) }
            var st = stat()
            if fstat(fd, &st) != 0 { throw FileSystemError(errno: errno, "fstat", path) }
            if (st.st_mode & S_IFMT) == S_IFREG && st.st_nlink <= 1 { return false }
            if unlinkat(dir, name, 0) != 0 { throw FileSystemError(errno: errno, "unlink", path) }
            if fstat(fd, &st) != 0 || st.st_nlink > 0 || (st.st_mode & S_IFMT) != S_IFREG { return true }
            try Self.copy(from: fd, to: dir, name, mode: mode_t(st.st_mode & 0o7777), path: path)
            return false
        }
    }

    /// Writes the bytes of `source` to a new file `name` in `dir`.
    private static func copy(from source: Int32, to dir: Int32, _ name: UnsafePointer<CChar>, mode: mode_t,
                             path: Path) throws(FileSystemError) {
        let out = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        if out < 0 { throw FileSystemError(errno: errno, "open", path) }
        defer { close(out) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        var offset: off_t = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(source, $0.baseAddress, $0.count, offset) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw FileSystemError(errno: errno, "read", path) }
            if n == 0 { return }
            var written = 0
            while written < n {
                let w = buffer.withUnsafeBytes { write(out, $0.baseAddress! + written, n - written) }
                if w < 0 && errno == EINTR { continue }
                if w < 0 { throw FileSystemError(errno: errno, "write", path) }
                written += w
            }
            offset += off_t(n)
        }
    }
}
