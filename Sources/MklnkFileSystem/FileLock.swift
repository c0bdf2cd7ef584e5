#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMklnkSys

/// An exclusive `flock` on a file, held until `release` or process exit (the kernel drops it
/// when the process dies, so a crashed apply never leaves a stale lock).
///
/// The holder may unlink the file on release (so a failed apply leaves nothing behind). That is
/// safe because a taker checks, once it holds the lock, that the file it locked is still the one
/// at the path, and starts over if not.
public final class FileLock {
    private var fd: Int32
    private let path: Path
    private let isDirectory: Bool

    private init(fd: Int32, path: Path, isDirectory: Bool = false) {
        self.fd = fd
        self.path = path
        self.isDirectory = isDirectory
    }

    /// Takes the lock, retrying for up to `timeout` seconds; nil when another process holds it.
    public static func acquire(_ path: Path, timeout: Double) throws(FileSystemError) -> FileLock? {
        var waited = 0.0
        while true {
            let fd = path.withCString { open($0, O_RDWR | O_CREAT | O_CLOEXEC, 0o644) }
            if fd < 0 { throw FileSystemError(errno: errno, "open", path) }
            if mklnk_try_lock(fd) == 0 {
                var held = stat(), current = stat()
                if fstat(fd, &held) == 0 && path.withCString({ stat($0, &current) }) == 0
                    && held.st_ino == current.st_ino && held.st_dev == current.st_dev {
                    return FileLock(fd: fd, path: path)
                }
                close(fd)  // the holder before us removed it: lock the new one
                continue
            }
            let e = errno
            close(fd)
            if e != EWOULDBLOCK && e != EINTR { throw FileSystemError(errno: e, "flock", path) }
            if waited >= timeout { return nil }
            usleep(50_000)
            waited += 0.05
        }
    }

    /// Takes the lock on the directory `path` itself (a descriptor of it, so every spelling of
    /// one directory is one lock and nothing is written there), retrying for up to `timeout`
    /// seconds; nil when another process holds it. The lock never removes the directory.
    public static func acquire(directory path: Path, timeout: Double) throws(FileSystemError) -> FileLock? {
        let fd = path.withCString { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        if fd < 0 { throw FileSystemError(errno: errno, "open", path) }
        var waited = 0.0
        while mklnk_try_lock(fd) != 0 {
            let e = errno
            if (e != EWOULDBLOCK && e != EINTR) || waited >= timeout {
                close(fd)
                if e == EWOULDBLOCK || e == EINTR { return nil }
                throw FileSystemError(errno: e, "flock", path)
            }
            usleep(50_000)
            waited += 0.05
        }
        return FileLock(fd: fd, path: path, isDirectory: true)
    }

    /// Releases the lock; with `removing`, deletes the lock file first (while still holding it).
    public func release(removing: Bool = false) {
        guard fd >= 0 else { return }
        if removing && !isDirectory { _ = path.withCString { unlink($0) } }
        close(fd)
        fd = -1
    }

    deinit { release() }
}
