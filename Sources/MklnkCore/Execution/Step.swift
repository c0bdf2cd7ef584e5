import MklnkFileSystem

/// A link to be made: its kind and the stored target (or, for a hard link, the file).
public struct NewLink: Sendable, Equatable {
    public var kind: ResolvedKind
    public var target: String
}

/// What stood at a path before a step, enough to recognise it again.
struct Original: Sendable, Equatable {
    var kind: FileKind?
    var target: String
    var device: UInt64
    var inode: UInt64

    init(_ o: Observation) {
        kind = o.kind
        target = o.target ?? ""
        device = o.device
        inode = o.inode
    }

    init(kind: FileKind?, target: String, device: UInt64, inode: UInt64) {
        self.kind = kind
        self.target = target
        self.device = device
        self.inode = inode
    }
}

/// One change of a transaction and everything needed to undo it, written to the journal before
/// anything changes. Temporary and trash names live in the same directory as `path`.
enum Step: Sendable, Equatable {
    case makeDirectory(path: String)
    /// The mode of a directory made by this transaction (`dirs:`); undone with that directory.
    case setMode(path: String, mode: UInt32)
    case create(path: String, link: NewLink)
    /// New link made at `temporary`, swapped into `path`; `temporary` then holds the original.
    case replace(path: String, link: NewLink, temporary: String, original: Original)
    /// As `replace`, then the original moves to `backup` for good.
    case backup(path: String, link: NewLink, temporary: String, backup: String, original: Original)
    /// The link moves to `trash`, deleted only after the commit.
    case delete(path: String, trash: String, original: Original)

    var path: String {
        switch self {
        case .makeDirectory(let p), .setMode(let p, _), .create(let p, _), .replace(let p, _, _, _), .backup(let p, _, _, _, _),
             .delete(let p, _, _):
            return p
        }
    }

    var isBackup: Bool {
        if case .backup = self { return true }
        return false
    }

    // MARK: Journal records

    var record: [String] {
        switch self {
        case .makeDirectory(let p):
            return ["mkdir", p]
        case .setMode(let p, let mode):
            return ["chmod", p, String(mode, radix: 8)]
        case .create(let p, let l):
            return ["create", p, l.kind.rawValue, l.target]
        case .replace(let p, let l, let t, let o):
            return ["replace", p, l.kind.rawValue, l.target, t] + Self.fields(o)
        case .backup(let p, let l, let t, let b, let o):
            return ["backup", p, l.kind.rawValue, l.target, t, b] + Self.fields(o)
        case .delete(let p, let t, let o):
            return ["delete", p, t] + Self.fields(o)
        }
    }

    init?(record r: [String]) {
        func link(_ i: Int) -> NewLink? {
            guard r.count > i + 1, let kind = ResolvedKind(rawValue: r[i]) else { return nil }
            return NewLink(kind: kind, target: r[i + 1])
        }
        switch r.first {
        case "mkdir"? where r.count == 2:
            self = .makeDirectory(path: r[1])
        case "chmod"? where r.count == 3:
            guard let mode = UInt32(r[2], radix: 8) else { return nil }
            self = .setMode(path: r[1], mode: mode)
        case "create"? where r.count == 4:
            guard let l = link(2) else { return nil }
            self = .create(path: r[1], link: l)
        case "replace"? where r.count == 9:
            guard let l = link(2), let o = Self.original(r, 5) else { return nil }
            self = .replace(path: r[1], link: l, temporary: r[4], original: o)
        case "backup"? where r.count == 10:
            guard let l = link(2), let o = Self.original(r, 6) else { return nil }
            self = .backup(path: r[1], link: l, temporary: r[4], backup: r[5], original: o)
        case "delete"? where r.count == 7:
            guard let o = Self.original(r, 3) else { return nil }
            self = .delete(path: r[1], trash: r[2], original: o)
        default:
            return nil
        }
    }

    private static func fields(_ o: Original) -> [String] {
        [o.kind?.rawValue ?? "", o.target, String(o.device), String(o.inode)]
    }

    private static func original(_ r: [String], _ i: Int) -> Original? {
        guard r.count >= i + 4, let device = UInt64(r[i + 2]), let inode = UInt64(r[i + 3]) else { return nil }
        return Original(kind: r[i].isEmpty ? nil : FileKind(rawValue: r[i]), target: r[i + 1], device: device,
                        inode: inode)
    }
}
