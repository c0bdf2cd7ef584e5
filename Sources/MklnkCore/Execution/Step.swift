import MklnkFileSystem

/// A link to be made: its kind and the stored target (or, for a hard link, the file).
public struct NewLink: Sendable, Equatable {
    public var kind: ResolvedKind
    public var target: Path
}

/// What stood at a path before a step, enough to recognise it again.
struct Original: Sendable, Equatable {
    var kind: FileKind?
    var target: Path
    var device: UInt64
    var inode: UInt64

    init(_ o: Observation) {
        kind = o.kind
        target = o.target ?? ""
        device = o.device
        inode = o.inode
    }

    init(kind: FileKind?, target: Path, device: UInt64, inode: UInt64) {
        self.kind = kind
        self.target = target
        self.device = device
        self.inode = inode
    }
}

/// One change of a transaction and everything needed to undo it, written to the journal before
/// anything changes. Temporary and trash names live in the same directory as `path`.
enum Step: Sendable, Equatable {
    /// `mode`: the mode it is made with (the umask only removes bits), so that a `dirs:` directory
    /// with a restrictive mode is never more open than asked, even before its `setMode`.
    case makeDirectory(path: Path, mode: UInt32 = 0o755)
    /// The mode of a directory made by this transaction (`dirs:`); undone with that directory.
    case setMode(path: Path, mode: UInt32)
    case create(path: Path, link: NewLink)
    /// New link made at `temporary`, swapped into `path`; `temporary` then holds the original.
    case replace(path: Path, link: NewLink, temporary: Path, original: Original)
    /// As `replace`, then the original moves to `backup` for good.
    case backup(path: Path, link: NewLink, temporary: Path, backup: Path, original: Original)
    /// The link moves to `trash`, deleted only after the commit. `dangling` (a `clean:` delete):
    /// the symlink is deleted only while its target still does not exist.
    case delete(path: Path, trash: Path, original: Original, dangling: Bool = false)
    /// The file at `path` moves to `destination` (in `base`, perhaps outside root) after the
    /// missing `parents` of it are made; the link takes its place (AdoptStep).
    case adopt(path: Path, link: NewLink, temporary: Path, destination: Path, parents: [Path], original: Original)
    /// A directory mklnk made, removed after the commit if empty (destroy).
    case removeDirectory(path: Path)

    var path: Path {
        switch self {
        case .makeDirectory(let p, _), .setMode(let p, _), .create(let p, _), .replace(let p, _, _, _), .backup(let p, _, _, _, _),
             .delete(let p, _, _, _), .adopt(let p, _, _, _, _, _), .removeDirectory(let p):
            return p
        }
    }

    var isBackup: Bool {
        if case .backup = self { return true }
        return false
    }

    // MARK: Journal records

    /// Appends the step's journal record.
    func write<W: RecordSink>(to w: inout W) {
        switch self {
        case .makeDirectory(let p, let mode):
            w.field("mkdir"); w.field(p)
            if mode != 0o755 { w.field(String(mode, radix: 8)) }
        case .setMode(let p, let mode):
            w.field("chmod"); w.field(p); w.field(String(mode, radix: 8))
        case .create(let p, let l):
            w.field("create"); w.field(p); w.field(l)
        case .replace(let p, let l, let t, let o):
            w.field("replace"); w.field(p); w.field(l); w.field(t); w.field(o)
        case .backup(let p, let l, let t, let b, let o):
            w.field("backup"); w.field(p); w.field(l); w.field(t); w.field(b); w.field(o)
        case .delete(let p, let t, let o, let dangling):
            w.field(dangling ? "clean" : "delete"); w.field(p); w.field(t); w.field(o)
        case .adopt(let p, let l, let t, let d, let parents, let o):
            w.field("adopt"); w.field(p); w.field(l); w.field(t); w.field(d); w.field(o)
            for parent in parents { w.field(parent) }
        case .removeDirectory(let p):
            w.field("rmdir"); w.field(p)
        }
        w.end()
    }

    init?(record r: Record.Fields) {
        func link(_ i: Int) -> NewLink? {
            guard r.count > i + 1, let kind = ResolvedKind(rawValue: r[i]) else { return nil }
            return NewLink(kind: kind, target: r.path(i + 1))
        }
        guard r.count > 0 else { return nil }
        switch r[0] {
        case "mkdir" where r.count == 2:
            self = .makeDirectory(path: r.path(1))
        case "mkdir" where r.count == 3:
            guard let mode = UInt32(r[2], radix: 8) else { return nil }
            self = .makeDirectory(path: r.path(1), mode: mode)
        case "chmod" where r.count == 3:
            guard let mode = UInt32(r[2], radix: 8) else { return nil }
            self = .setMode(path: r.path(1), mode: mode)
        case "create" where r.count == 4:
            guard let l = link(2) else { return nil }
            self = .create(path: r.path(1), link: l)
        case "replace" where r.count == 9:
            guard let l = link(2), let o = Self.original(r, 5) else { return nil }
            self = .replace(path: r.path(1), link: l, temporary: r.path(4), original: o)
        case "backup" where r.count == 10:
            guard let l = link(2), let o = Self.original(r, 6) else { return nil }
            self = .backup(path: r.path(1), link: l, temporary: r.path(4), backup: r.path(5), original: o)
        case "adopt" where r.count >= 10:
            guard let l = link(2), let o = Self.original(r, 6) else { return nil }
            self = .adopt(path: r.path(1), link: l, temporary: r.path(4), destination: r.path(5),
                          parents: (10..<r.count).map { r.path($0) }, original: o)
        case "rmdir" where r.count == 2:
            self = .removeDirectory(path: r.path(1))
        case "delete" where r.count == 7, "clean" where r.count == 7:
            guard let o = Self.original(r, 3) else { return nil }
            self = .delete(path: r.path(1), trash: r.path(2), original: o, dangling: r[0] == "clean")
        default:
            return nil
        }
    }

    private static func original(_ r: Record.Fields, _ i: Int) -> Original? {
        guard r.count >= i + 4, let device = UInt64(r[i + 2]), let inode = UInt64(r[i + 3]) else { return nil }
        return Original(kind: r[i].isEmpty ? nil : FileKind(rawValue: r[i]), target: r.path(i + 1), device: device,
                        inode: inode)
    }
}

extension RecordSink {
    fileprivate mutating func field(_ link: NewLink) {
        field(link.kind.rawValue)
        field(link.target)
    }

    fileprivate mutating func field(_ o: Original) {
        field(o.kind?.rawValue ?? "")
        field(o.target)
        field(o.device)
        field(o.inode)
    }
}
