#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

/// Everything observable about a directory tree: each path's kind, symlink target, inode and
/// bytes. Two forms of comparison:
/// - `==` on the same tree (before and after a rolled-back run): exact, inodes included, so a file
///   that was copied back instead of renamed back is caught;
/// - `normalized` across two trees made the same way: the tree's own directory in symlink
///   targets becomes `$T`, backup timestamps become `*`, and inodes become the first path that
///   shares them (hard-link identity), which is what can be compared between two copies.
struct TreeSnapshot: Equatable, CustomStringConvertible {
    struct Entry: Equatable {
        var kind: FileKind
        var target: String?
        var inode: UInt64
        /// The first path (sorted) with the same inode, for regular files.
        var identity: String?
        var bytes: String?
        var linkCount: UInt64
    }

    var entries: [String: Entry]

    init(entries: [String: Entry]) { self.entries = entries }

    init(of dir: String, excluding: Set<String> = []) {
        var entries: [String: Entry] = [:]
        // By bytes, keyed by the escaped text (`Path.description`): names need not be UTF-8.
        func walk(_ relative: Path) {
            let full: Path = relative.isEmpty ? Path(dir) : "\(dir)/\(relative)"
            for entry in ((try? LocalFileSystem(root: "/").directoryEntries(full)) ?? []).sorted(by: { $0.name < $1.name }) {
                let relPath: Path = relative.isEmpty ? entry.name : "\(relative)/\(entry.name)"
                let rel = relPath.description
                if excluding.contains(rel) { continue }
                let path: Path = "\(dir)/\(relPath)"
                guard let st = try? LocalFileSystem(root: "/").status(path, follow: false) else { continue }
                var e = Entry(kind: st.kind, target: nil, inode: st.inode, identity: nil, bytes: nil, linkCount: 0)
                switch st.kind {
                case .symlink:
                    e.target = (try? LocalFileSystem(root: "/").readLink(path))?.description
                case .regular:
                    e.bytes = (try? LocalFileSystem(root: "/").readFile(path)).flatMap { $0 }
                        .map { String(decoding: $0, as: UTF8.self) }
                    e.linkCount = st.linkCount
                case .directory:
                    walk(relPath)
                case .other:
                    break
                }
                entries[rel] = e
            }
        }
        walk("")
        var firstWithInode: [UInt64: String] = [:]
        for path in entries.keys.sorted() where entries[path]!.kind == .regular {
            let inode = entries[path]!.inode
            if firstWithInode[inode] == nil { firstWithInode[inode] = path }
            entries[path]!.identity = firstWithInode[inode]
        }
        self.entries = entries
    }

    /// Comparable across two trees built the same way under different directories.
    func normalized(dir: String) -> TreeSnapshot {
        var out: [String: Entry] = [:]
        for (path, var e) in entries {
            e.inode = 0
            if e.kind != .regular { e.linkCount = 0 }
            e.target = e.target.map { $0.replacing(dir, with: "$T") }
            e.identity = e.identity.map(Self.stamplessName)
            out[Self.stamplessName(path)] = e
        }
        return TreeSnapshot(entries: out)
    }

    /// The same snapshot with symlink inodes zeroed.
    var ignoringSymlinkInodes: TreeSnapshot {
        var copy = self
        for (path, e) in entries where e.kind == .symlink { copy.entries[path]!.inode = 0 }
        return copy
    }

    /// `x.mklnk-backup-20240101T120000-2` → `x.mklnk-backup-*`.
    static func stamplessName(_ path: String) -> String {
        guard let range = path.firstRange(of: ".mklnk-backup-") else { return path }
        var rest = path[range.upperBound...]
        while let c = rest.first, c.isNumber || c == "T" || c == "-" { rest = rest.dropFirst() }
        return String(path[..<range.upperBound]) + "*" + rest
    }

    /// Regular-file contents, with multiplicity ignored.
    var allBytes: Set<String> { Set(entries.values.compactMap(\.bytes)) }

    var description: String {
        entries.keys.sorted().map { path in
            let e = entries[path]!
            var line = "\(path) [\(e.kind.rawValue) #\(e.inode)]"
            if let t = e.target { line += " -> \(t)" }
            if let b = e.bytes { line += " \"\(b)\" links=\(e.linkCount) id=\(e.identity ?? "")" }
            return line
        }.joined(separator: "\n")
    }

    static func show(_ e: Entry) -> String {
        var s = "\(e.kind.rawValue) #\(e.inode)"
        if let t = e.target { s += " -> \(t)" }
        if let b = e.bytes { s += " \"\(b.prefix(40))\" links=\(e.linkCount) id=\(e.identity ?? "")" }
        return s
    }

    /// The paths where two snapshots differ, one line each, for failure messages.
    func difference(from other: TreeSnapshot) -> String {
        let keys = Set(entries.keys).union(other.entries.keys).sorted()
        var lines: [String] = []
        for k in keys where entries[k] != other.entries[k] {
            lines.append("  \(k): \(other.entries[k].map(Self.show) ?? "absent") → \(entries[k].map(Self.show) ?? "absent")")
        }
        return lines.joined(separator: "\n")
    }
}
