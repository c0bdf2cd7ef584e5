#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMklnkSys

/// An exclusive `flock` on a file, held until `release` or process exit (the kernel drops it
/// when the process dies, so a crashed apply never leaves a stale lock).
public final class FileLock {
    private var fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// Takes the lock, retrying for up to `timeout` seconds; nil when another process holds it.
    public static func acquire(_ path: String, timeout: Double) throws(FileSystemError) -> FileLock? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw FileSystemError(errno: errno, "open", path) }
        var waited = 0.0
        while true {
            if mklnk_try_lock(fd) == 0 { return FileLock(fd: fd) }
            if errno != EWOULDBLOCK && errno != EINTR {
                let e = errno
                close(fd)
                throw FileSystemError(errno: e, "flock", path)
            }
            if waited >= timeout {
                close(fd)
                return nil
            }
            usleep(50_000)
            waited += 0.05
        }
    }

    public func release() {
        if fd >= 0 { close(fd) }
        fd = -1
    }

    deinit { release() }
}
