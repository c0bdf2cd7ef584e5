#if canImport(Glibc)
import Glibc
#endif

/// A path as the kernel sees it: bytes, compared and hashed byte by byte.
public typealias BytePath = [UInt8]

/// Byte-path syscalls for the model tests (names that are not UTF-8 included). Writes that fail
/// are skipped: a change after an earlier apply may meet a link where a file was (the checks
/// compare against the tree as it is, not as it was meant to be).
public enum Disk {
    public static func withPath<T>(_ path: BytePath, _ body: (UnsafePointer<CChar>) -> T) -> T {
        (path + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) } }
    }

    /// `lstat`, or `stat` with `follow`.
    public static func status(_ path: BytePath, follow: Bool = false) -> Glibc.stat? {
        var st = Glibc.stat()
        return withPath(path) { fstatat(AT_FDCWD, $0, &st, follow ? 0 : AT_SYMLINK_NOFOLLOW) } == 0 ? st : nil
    }

    public static func names(_ dir: BytePath) -> [BytePath] {
        guard let d = withPath(dir, { opendir($0) }) else { return [] }
        defer { closedir(d) }
        var out: [BytePath] = []
        // The name is read where it lies, as bytes (they need not be UTF-8): `d_name` copied as a
        // field would read 256 bytes, past the end of a short last entry of the readdir buffer
        // (AddressSanitizer stops there).
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        while let e = readdir(d) {
            let start = (UnsafeRawPointer(e) + offset).assumingMemoryBound(to: UInt8.self)
            let name = Array(UnsafeBufferPointer(start: start, count: strlen(UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self))))
            if name != [46] && name != [46, 46] { out.append(name) }
        }
        return out.sorted { $0.lexicographicallyPrecedes($1) }
    }

    public static func read(_ path: BytePath) -> [UInt8] {
        let fd = withPath(path) { open($0, O_RDONLY) }
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return out }
            out += buffer[0..<n]
        }
    }

    public static func readlink(_ path: BytePath) -> BytePath? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = withPath(path) { p in buffer.withUnsafeMutableBytes { Glibc.readlink(p, $0.baseAddress!.assumingMemoryBound(to: CChar.self), 4096) } }
        return n < 0 ? nil : Array(buffer[0..<n])
    }

    /// Creates or truncates `path` with `bytes` and `mode`; false when that failed.
    @discardableResult
    public static func write(_ path: BytePath, _ bytes: [UInt8], mode: UInt32 = 0o644) -> Bool {
        let fd = withPath(path) { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode)) }
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        return written == bytes.count && fchmod(fd, mode_t(mode)) == 0
    }

    public static func mkdir(_ path: BytePath) {
        _ = withPath(path) { Glibc.mkdir($0, 0o755) }
    }

    public static func symlink(_ target: BytePath, at path: BytePath) {
        _ = withPath(target) { t in withPath(path) { Glibc.symlink(t, $0) } }
    }

    public static func link(_ existing: BytePath, at path: BytePath) {
        _ = withPath(existing) { e in withPath(path) { Glibc.link(e, $0) } }
    }

    public static func rename(_ from: BytePath, _ to: BytePath) {
        _ = withPath(from) { f in withPath(to) { Glibc.rename(f, $0) } }
    }

    /// `rm -rf` that never follows a symlink (a directory a test made unreadable is opened first).
    public static func remove(_ path: BytePath) {
        guard let st = status(path) else { return }
        if st.st_mode & S_IFMT == S_IFDIR {
            _ = withPath(path) { chmod($0, 0o755) }
            for name in names(path) { remove(path + [47] + name) }
            _ = withPath(path) { rmdir($0) }
        } else {
            _ = withPath(path) { unlink($0) }
        }
    }

    /// Each `old` in `bytes` replaced by `new`.
    public static func replacing(_ old: [UInt8], with new: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        guard !old.isEmpty else { return bytes }
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes.count - i >= old.count && bytes[i..<(i + old.count)].elementsEqual(old) {
                out += new
                i += old.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    public static var writer: ModelTreeWriter { DiskWriter() }

    /// Printable: UTF-8 as is, control characters and other bytes escaped.
    public static func show(_ bytes: [UInt8]) -> String {
        var out = ""
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            out += scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{FFFD}"
                ? scalar.escaped(asASCII: true) : String(scalar)
        }
        return out
    }
}

private struct DiskWriter: ModelTreeWriter {
    func write(_ path: BytePath, _ bytes: [UInt8]) { Disk.write(path, bytes) }
    func mkdir(_ path: BytePath) { Disk.mkdir(path) }
    func symlink(_ target: BytePath, at path: BytePath) { Disk.symlink(target, at: path) }
    func link(_ existing: BytePath, at path: BytePath) { Disk.link(existing, at: path) }
    func rename(_ from: BytePath, _ to: BytePath) { Disk.rename(from, to) }
}
