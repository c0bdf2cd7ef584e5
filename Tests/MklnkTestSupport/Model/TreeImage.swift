#if canImport(Glibc)
import Glibc
#endif

/// A path as the kernel sees it: bytes, compared and hashed byte by byte.
public typealias BytePath = [UInt8]

/// Everything the model checks about a directory tree, by byte path relative to its top.
public struct TreeImage: Equatable {
    public enum Kind: Equatable, Sendable { case file, directory, symlink, other }

    public struct Entry: Equatable {
        public var kind: Kind
        public var inode: UInt64
        /// A symlink's stored target, a regular file's bytes.
        public var target: BytePath?
        public var bytes: [UInt8]?

        public init(kind: Kind, inode: UInt64, target: BytePath? = nil, bytes: [UInt8]? = nil) {
            self.kind = kind
            self.inode = inode
            self.target = target
            self.bytes = bytes
        }
    }

    public var entries: [BytePath: Entry] = [:]

    public init(entries: [BytePath: Entry]) { self.entries = entries }

    /// Walks `top` without following symlinks; `skip` names top-level entries to leave out.
    public init(of top: String, skip: Set<String> = []) {
        walk(Array(top.utf8), relative: [], skip: Set(skip.map { Array($0.utf8) }))
    }

    private mutating func walk(_ top: BytePath, relative: BytePath, skip: Set<BytePath>) {
        let dir = relative.isEmpty ? top : top + [47] + relative
        for name in Disk.names(dir) where !(relative.isEmpty && skip.contains(name)) {
            let rel = relative.isEmpty ? name : relative + [47] + name
            let full = top + [47] + rel
            guard let st = Disk.status(full) else { continue }
            var entry = Entry(kind: .other, inode: UInt64(st.st_ino))
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                entry.kind = .file
                entry.bytes = Disk.read(full)
            case S_IFDIR:
                entry.kind = .directory
                walk(top, relative: rel, skip: skip)
            case S_IFLNK:
                entry.kind = .symlink
                entry.target = Disk.readlink(full)
            default:
                break
            }
            entries[rel] = entry
        }
    }

    /// Regular files' contents, whatever their names.
    public var contents: Set<[UInt8]> { Set(entries.values.compactMap(\.bytes)) }

    /// One line per path that differs, for failure messages.
    public func difference(from before: TreeImage) -> String {
        let keys = Set(entries.keys).union(before.entries.keys).sorted { $0.lexicographicallyPrecedes($1) }
        return keys.filter { entries[$0] != before.entries[$0] }.map { key in
            "  \(Disk.show(key)): \(before.entries[key].map(Self.show) ?? "absent") => \(entries[key].map(Self.show) ?? "absent")"
        }.joined(separator: "\n")
    }

    public static func show(_ e: Entry) -> String {
        switch e.kind {
        case .file: return "file #\(e.inode) \(Disk.show(Array((e.bytes ?? []).prefix(24))))"
        case .directory: return "dir #\(e.inode)"
        case .symlink: return "symlink -> \(Disk.show(e.target ?? []))"
        case .other: return "other #\(e.inode)"
        }
    }
}

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
        // The name read in place (see directoryNames), as bytes: they need not be UTF-8.
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

    public static func write(_ path: BytePath, _ bytes: [UInt8]) {
        let fd = withPath(path) { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        guard fd >= 0 else { return }
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
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

    /// `rm -rf`.
    public static func remove(_ path: BytePath) {
        guard let st = status(path) else { return }
        if st.st_mode & S_IFMT == S_IFDIR {
            for name in names(path) { remove(path + [47] + name) }
            _ = withPath(path) { rmdir($0) }
        } else {
            _ = withPath(path) { unlink($0) }
        }
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
