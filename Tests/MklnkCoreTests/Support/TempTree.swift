import MklnkTestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct TempTreeError: Error, CustomStringConvertible {
    var description: String
}

/// A directory tree in a fresh temporary directory, removed (without following any link) when
/// the value goes away. Paths given to its methods are relative to `root`.
final class TempTree {
    /// Absolute, with no symlink in it (so lexical and physical paths agree).
    let root: String

    init(in parent: String = "/tmp", prefix: String = "mklnk-test") throws {
        var template = Array("\(parent)/\(prefix).XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard let made else { throw TempTreeError(description: "mkdtemp in \(parent): errno \(errno)") }
        guard let real = realpath(made, nil) else { throw TempTreeError(description: "realpath: errno \(errno)") }
        root = String(cString: real)
        free(real)
    }

    deinit { Self.removeTree(root) }

    func path(_ relative: String) -> String {
        relative.isEmpty ? root : root + "/" + relative
    }

    /// `mkdir -p`.
    @discardableResult
    func dir(_ relative: String) throws -> String {
        var current = root
        for part in relative.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST { throw failure("mkdir", current) }
        }
        return current
    }

    /// A regular file (parents made as needed).
    @discardableResult
    func file(_ relative: String, _ contents: String = "", mode: UInt32 = 0o644) throws -> String {
        try parents(of: relative)
        let p = path(relative)
        let fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode))
        if fd < 0 { throw failure("open", p) }
        defer { close(fd) }
        let bytes = Array(contents.utf8)
        if !bytes.isEmpty && write(fd, bytes, bytes.count) != bytes.count { throw failure("write", p) }
        if fchmod(fd, mode_t(mode)) != 0 { throw failure("chmod", p) }
        return p
    }

    /// A symlink storing `target` verbatim.
    @discardableResult
    func symlink(_ relative: String, to target: String) throws -> String {
        try parents(of: relative)
        let p = path(relative)
        if cSymlink(target, p) != 0 { throw failure("symlink", p) }
        return p
    }

    /// Another name for the existing file `existing` (relative to root, or absolute).
    @discardableResult
    func hardlink(_ relative: String, to existing: String) throws -> String {
        try parents(of: relative)
        let p = path(relative)
        let source = existing.hasPrefix("/") ? existing : path(existing)
        if link(source, p) != 0 { throw failure("link", p) }
        return p
    }

    /// Sets the modification time, seconds since the epoch.
    func touch(_ relative: String, modified seconds: Int) throws {
        let p = path(relative)
        var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
        if utimensat(AT_FDCWD, p, &times, AT_SYMLINK_NOFOLLOW) != 0 { throw failure("utimensat", p) }
    }

    /// `lstat`; nil when nothing is there.
    func status(_ relative: String) -> stat? {
        var st = stat()
        return lstat(path(relative), &st) == 0 ? st : nil
    }

    func exists(_ relative: String) -> Bool { status(relative) != nil }

    /// The stored target of a symlink.
    func readLink(_ relative: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(path(relative), &buffer, buffer.count)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The device number of `relative` (followed), to tell filesystems apart.
    func device(_ relative: String) -> UInt64? {
        var st = stat()
        return cStat(path(relative), &st) == 0 ? UInt64(st.st_dev) : nil
    }

    private func parents(of relative: String) throws {
        let components = relative.split(separator: "/")
        if components.count > 1 { try dir(components.dropLast().joined(separator: "/")) }
    }

    private func failure(_ operation: String, _ path: String) -> TempTreeError {
        TempTreeError(description: "\(operation) \(path): \(String(cString: strerror(errno)))")
    }

    /// `rm -rf` that never follows a symlink.
    static func removeTree(_ path: String) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            chmod(path, 0o755)
            for name in directoryNames(path) { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}

// The C calls whose names the class's own methods shadow.
private func cSymlink(_ target: String, _ path: String) -> Int32 { symlink(target, path) }
private func cStat(_ path: String, _ st: inout stat) -> Int32 { stat(path, &st) }
