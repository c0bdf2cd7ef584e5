#if canImport(Glibc)
import Glibc
#endif

/// One action as `--json` reports it.
public struct ModelAction: Decodable, Sendable {
    public var op: String
    public var path: String
    public var kind: String?
    public var target: String?
    public var reason: String?

    public init(op: String, path: String, kind: String?, target: String?, reason: String?) {
        self.op = op
        self.path = path
        self.kind = kind
        self.target = target
        self.reason = reason
    }

    /// mklnk's JSON writes a byte that is not UTF-8 as `\udcXX`, which Foundation's decoder
    /// refuses; `decodable` turns those into U+E0XX first, and `bytes` turns them back.
    public static func decodable(_ json: String) -> String {
        json.replacing(#/\\udc([0-9a-fA-F]{2})/#) { "\\ue0" + $0.output.1 }
    }

    public static func bytes(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        for u in s.unicodeScalars {
            if (0xE000...0xE0FF).contains(u.value) { out.append(UInt8(u.value - 0xE000)) } else { out += String(u).utf8 }
        }
        return out
    }
}

/// The model: what the tree must look like after the reported actions, worked out from the tree
/// before them, then compared entry by entry with the tree on disk.
public struct ModelEffects {
    public private(set) var expected: [BytePath: TreeSnapshot.Entry]
    public private(set) var problems: [String] = []
    let dir: BytePath

    /// The inode and bytes of the file a hard link's target names (followed).
    let file: (BytePath) -> (inode: UInt64, bytes: [UInt8])?

    public init(before: TreeSnapshot, dir: BytePath, file: @escaping (BytePath) -> (inode: UInt64, bytes: [UInt8])?) {
        expected = before.entries
        self.dir = dir
        self.file = file
    }

    public mutating func apply(_ action: ModelAction, after: TreeSnapshot) {
        let absolute = ModelAction.bytes(action.path)
        guard absolute.starts(with: dir + [47]), let path = physical(Array(absolute.dropFirst(dir.count + 1))) else {
            return problems.append("\(action.op) \(Disk.show(absolute)): outside the case directory")
        }
        guard path.starts(with: Array("home/".utf8)) else {
            return problems.append("\(action.op) \(Disk.show(absolute)): lands on \(Disk.show(path)), outside root")
        }
        switch action.op {
        case "unchanged", "skip":
            break
        case "create", "update":
            makeParents(of: path)
            let target = ModelAction.bytes(action.target ?? "")
            if action.kind == "hardlink" {
                guard let found = file(target) else { return problems.append("hard link to a missing \(Disk.show(target))") }
                expected[path] = TreeSnapshot.Entry(kind: .file, inode: found.inode, bytes: found.bytes)
            } else {
                expected[path] = TreeSnapshot.Entry(kind: .symlink, inode: 0, target: target)
            }
        case "backup":
            guard let original = expected[path] else { return problems.append("backup of nothing at \(Disk.show(path))") }
            let prefix = path + Array(".mklnk-backup-".utf8)
            guard let moved = after.entries.first(where: { $0.key.starts(with: prefix) && !$0.key.dropFirst(prefix.count).contains(47)
                && expected[$0.key] == nil && $0.value.inode == original.inode })?.key
            else { return problems.append("backup of \(Disk.show(path)): not found beside it") }
            for key in Array(expected.keys) where key == path || key.starts(with: path + [47]) {
                expected[moved + key.dropFirst(path.count)] = expected.removeValue(forKey: key)
            }
        case "delete":
            guard let gone = expected.removeValue(forKey: path) else { return problems.append("delete of nothing at \(Disk.show(path))") }
            if gone.kind == .directory { problems.append("delete of a directory: \(Disk.show(path))") }
        default:
            problems.append("\(action.op) \(Disk.show(path)) in an apply that succeeded")
        }
    }

    /// Every difference between the model and the tree on disk.
    public func compare(with after: TreeSnapshot) -> [String] {
        var out: [String] = []
        let keys = Set(expected.keys).union(after.entries.keys).sorted { $0.lexicographicallyPrecedes($1) }
        for key in keys {
            let e = expected[key], a = after.entries[key]
            let same: Bool
            switch (e, a) {
            case let (e?, a?) where e.kind == a.kind:
                switch e.kind {
                case .symlink: same = e.target == a.target
                case .file: same = e.bytes == a.bytes && (e.inode == 0 || e.inode == a.inode)
                case .directory, .other: same = e.inode == 0 || e.inode == a.inode
                }
            default: same = false
            }
            if !same {
                out.append("\(Disk.show(key)): model \(e.map(TreeSnapshot.show) ?? "absent"), disk \(a.map(TreeSnapshot.show) ?? "absent")")
            }
        }
        return out
    }

    /// Missing parents become directories (of unknown inode).
    private mutating func makeParents(of path: BytePath) {
        var end = path.count
        while let slash = path[..<end].lastIndex(of: 47) {
            let parent = Array(path[..<slash])
            if expected[parent] != nil { return }
            expected[parent] = TreeSnapshot.Entry(kind: .directory, inode: 0)
            end = slash
        }
    }

    /// Where `path` is once its parents' symlinks are followed (the last name is not), as the
    /// model has the tree now; nil when it leaves the case directory.
    func physical(_ path: BytePath) -> BytePath? {
        var parts = path.split(separator: 47).map(Array.init)
        var i = 0, hops = 0
        while i < parts.count - 1 {
            let prefix = Array(parts[0...i].joined(separator: [47]))
            guard let e = expected[prefix], e.kind == .symlink, let target = e.target else {
                i += 1
                continue
            }
            hops += 1
            if hops > 40 { return nil }
            var base: [BytePath]
            if target.first == 47 {
                guard target.starts(with: dir + [47]) else { return nil }
                base = []
                parts = Array(target.dropFirst(dir.count + 1)).split(separator: 47).map(Array.init) + parts[(i + 1)...]
            } else {
                base = Array(parts[0..<i])
                parts = base + target.split(separator: 47).map(Array.init) + parts[(i + 1)...]
            }
            var normal: [BytePath] = []
            for p in parts where p != [46] {
                if p == [46, 46] {
                    if normal.isEmpty { return nil }
                    normal.removeLast()
                } else {
                    normal.append(p)
                }
            }
            parts = normal
            i = 0
        }
        return Array(parts.joined(separator: [47]))
    }
}
