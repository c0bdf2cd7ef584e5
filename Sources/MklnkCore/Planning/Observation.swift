import MklnkFileSystem

/// What was at a path when it was planned: enough to tell later whether it changed.
///
/// Every action holds one: its one-byte field comes last, where the action's own small fields
/// can follow it without padding.
public struct Observation: Sendable, Equatable {
    /// The stored target, for a symlink.
    public var target: Path?
    public var device: UInt64 = 0
    public var inode: UInt64 = 0
    public var linkCount: UInt64 = 0
    public var size: Int64 = 0
    public var modified: Int64 = 0
    /// nil when nothing was there.
    public var kind: FileKind?

    public static let absent = Observation(kind: nil, target: nil)

    public init(kind: FileKind?, target: Path?) {
        self.kind = kind
        self.target = target
    }

    public init(_ status: FileStatus?, target: Path? = nil) {
        guard let status else {
            self = .absent
            return
        }
        kind = status.kind
        self.target = target
        device = status.device
        inode = status.inode
        linkCount = status.linkCount
        size = status.size
        modified = status.modified
    }

    /// Looks at `path` now, without following it.
    public static func observe(_ path: Path, in fileSystem: FileSystem) throws(FileSystemError) -> Observation {
        let (status, target) = try fileSystem.inspect(path)
        return Observation(status, target: target)
    }

    /// `observe`, sharing `expecting` as the target of a symlink that stores exactly it.
    public static func observe(_ path: Path, expecting: Path, in fileSystem: FileSystem) throws(FileSystemError)
        -> Observation {
        let (status, target) = try fileSystem.inspect(path, expecting: expecting)
        return Observation(status, target: target)
    }

    /// A few words for the diff: `-> /etc/gitconfig`, `a regular file`, `a directory`.
    public var summary: String {
        switch kind {
        case nil: return "nothing"
        case .symlink?: return "-> \(target.map { "\($0)" } ?? "?")"
        case .regular?: return linkCount > 1 ? "a hard link (\(linkCount) links)" : "a regular file"
        case .directory?: return "a directory"
        case .other?: return "a special file"
        }
    }
}
