#if canImport(Glibc)
import Glibc
#endif

/// Everything observable about a directory tree, by byte path relative to its top (names need
/// not be UTF-8): each path's kind, inode, symlink target bytes, file bytes and link count.
/// Two forms of comparison:
/// - `==` on the same tree (before and after a rolled-back run): exact, inodes included, so a
///   file that was copied back instead of renamed back is caught;
/// - `normalized(dir:)` across two trees made the same way: the tree's own directory in symlink
///   targets becomes `$T`, backup timestamps become `*`, and inodes become the first path that
///   shares them (hard-link identity), which is what can be compared between two copies.
public struct TreeSnapshot: Equatable, CustomStringConvertible {
    public enum Kind: String, Equatable, Sendable { case file, directory, symlink, other }

    public struct Entry: Equatable {
        public var kind: Kind
        public var inode: UInt64
        /// A symlink's stored target, a regular file's bytes.
        public var target: BytePath?
        public var bytes: [UInt8]?
        /// Regular files only (0 for the rest).
        public var linkCount: UInt64
        /// The first path (byte order) with the same inode, for regular files.
        public var identity: BytePath?
        /// Only in a `stamped` snapshot.
        public var stamp: Stamp?

        public init(kind: Kind, inode: UInt64, target: BytePath? = nil, bytes: [UInt8]? = nil,
                    linkCount: UInt64 = 0, identity: BytePath? = nil, stamp: Stamp? = nil) {
            self.kind = kind
            self.inode = inode
            self.target = target
            self.bytes = bytes
            self.linkCount = linkCount
            self.identity = identity
            self.stamp = stamp
        }
    }

    /// The rest of what `lstat` says that a change would move (a chmod, a rewrite in place, a
    /// link or unlink of another name moves the change time).
    public struct Stamp: Equatable {
        public var mode: UInt32
        public var device: UInt64
        public var size: Int64
        public var modified: timespec
        public var changed: timespec

        init(_ st: stat) {
            mode = UInt32(st.st_mode) & 0o7777
            device = UInt64(st.st_dev)
            size = Int64(st.st_size)
            modified = st.st_mtim
            changed = st.st_ctim
        }

        public static func == (a: Stamp, b: Stamp) -> Bool {
            a.mode == b.mode && a.device == b.device && a.size == b.size
                && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
                && a.changed.tv_sec == b.changed.tv_sec && a.changed.tv_nsec == b.changed.tv_nsec
        }
    }

    public var entries: [BytePath: Entry] = [:]

    public init(entries: [BytePath: Entry]) { self.entries = entries }

    /// Walks `top` without following symlinks; `excluding` names paths (relative to `top`, at
    /// any depth) to leave out with all below them. `stamped` adds each entry's `Stamp`, and
    /// `top` itself as the empty path.
    public init(of top: String, excluding: Set<String> = [], stamped: Bool = false) {
        let topBytes = Array(top.utf8)
        if stamped, let st = Disk.status(topBytes) {
            entries[[]] = Entry(kind: .directory, inode: UInt64(st.st_ino), stamp: Stamp(st))
        }
        walk(topBytes, relative: [], excluding: Set(excluding.map { Array($0.utf8) }), stamped: stamped)
        var firstWithInode: [UInt64: BytePath] = [:]
        for path in entries.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) where entries[path]!.kind == .file {
            let inode = entries[path]!.inode
            if firstWithInode[inode] == nil { firstWithInode[inode] = path }
            entries[path]!.identity = firstWithInode[inode]
        }
    }

    private mutating func walk(_ top: BytePath, relative: BytePath, excluding: Set<BytePath>, stamped: Bool) {
        let dir = relative.isEmpty ? top : top + [47] + relative
        for name in Disk.names(dir) {
            let rel = relative.isEmpty ? name : relative + [47] + name
            if excluding.contains(rel) { continue }
            let full = top + [47] + rel
            guard let st = Disk.status(full) else { continue }
            var entry = Entry(kind: .other, inode: UInt64(st.st_ino), stamp: stamped ? Stamp(st) : nil)
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                entry.kind = .file
                entry.bytes = Disk.read(full)
                entry.linkCount = UInt64(st.st_nlink)
            case S_IFDIR:
                entry.kind = .directory
                walk(top, relative: rel, excluding: excluding, stamped: stamped)
            case S_IFLNK:
                entry.kind = .symlink
                entry.target = Disk.readlink(full)
            default:
                break
            }
            entries[rel] = entry
        }
    }

    /// Comparable across two trees built the same way under different directories.
    public func normalized(dir: String) -> TreeSnapshot {
        var out: [BytePath: Entry] = [:]
        for (path, var e) in entries {
            e.inode = 0
            e.target = e.target.map { Disk.replacing(Array(dir.utf8), with: Array("$T".utf8), in: $0) }
            e.identity = e.identity.map(Self.stamplessName)
            out[Self.stamplessName(path)] = e
        }
        return TreeSnapshot(entries: out)
    }

    /// The same snapshot with symlink inodes zeroed.
    public var ignoringSymlinkInodes: TreeSnapshot {
        var copy = self
        for (path, e) in entries where e.kind == .symlink { copy.entries[path]!.inode = 0 }
        return copy
    }

    /// Regular files' contents, whatever their names, multiplicity ignored.
    public var contents: Set<[UInt8]> { Set(entries.values.compactMap(\.bytes)) }

    /// `x.mklnk-backup-20240101T120000-2` → `x.mklnk-backup-*`.
    public static func stamplessName(_ path: BytePath) -> BytePath {
        let marker = Array(".mklnk-backup-".utf8)
        guard let start = firstIndex(of: marker, in: path) else { return path }
        var rest = path[(start + marker.count)...]
        while let c = rest.first, (48...57).contains(c) || c == UInt8(ascii: "T") || c == UInt8(ascii: "-") {
            rest = rest.dropFirst()
        }
        return Array(path[..<(start + marker.count)]) + [UInt8(ascii: "*")] + rest
    }

    private static func firstIndex(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        return (0...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    public var description: String {
        entries.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { "\(Disk.show($0)) \(Self.show(entries[$0]!))" }
            .joined(separator: "\n")
    }

    public static func show(_ e: Entry) -> String {
        let stamp = e.stamp.map {
            " mode=\(String($0.mode, radix: 8)) dev=\($0.device) size=\($0.size)"
                + " mtime=\($0.modified.tv_sec).\($0.modified.tv_nsec) ctime=\($0.changed.tv_sec).\($0.changed.tv_nsec)"
        } ?? ""
        return kindAndContent(e) + stamp
    }

    private static func kindAndContent(_ e: Entry) -> String {
        switch e.kind {
        case .file:
            return "file #\(e.inode) \(Disk.show(Array((e.bytes ?? []).prefix(40)))) links=\(e.linkCount)"
                + " id=\(Disk.show(e.identity ?? []))"
        case .directory: return "dir #\(e.inode)"
        case .symlink: return "symlink #\(e.inode) -> \(Disk.show(e.target ?? []))"
        case .other: return "other #\(e.inode)"
        }
    }

    /// One line per path that differs, for failure messages.
    public func difference(from before: TreeSnapshot) -> String {
        let keys = Set(entries.keys).union(before.entries.keys).sorted { $0.lexicographicallyPrecedes($1) }
        return keys.filter { entries[$0] != before.entries[$0] }.map { key in
            "  \(Disk.show(key)): \(before.entries[key].map(Self.show) ?? "absent") => \(entries[key].map(Self.show) ?? "absent")"
        }.joined(separator: "\n")
    }
}
