/// What a directory entry is, seen without following it.
public enum FileKind: String, Sendable {
    case regular, directory, symlink, other
}

/// The parts of `stat` that mklnk decides on.
public struct FileStatus: Sendable, Equatable {
    public var device: UInt64
    public var inode: UInt64
    public var linkCount: UInt64
    public var size: Int64
    /// Modification time, seconds since the epoch.
    public var modified: Int64
    /// Permission bits (`0o7777`).
    public var permissions: UInt32
    /// Last, beside `permissions`: the status then fits in 48 bytes, optional or not.
    public var kind: FileKind

    public init(kind: FileKind, device: UInt64 = 0, inode: UInt64 = 0, linkCount: UInt64 = 1,
                size: Int64 = 0, modified: Int64 = 0, permissions: UInt32 = 0o644) {
        self.kind = kind
        self.device = device
        self.inode = inode
        self.linkCount = linkCount
        self.size = size
        self.modified = modified
        self.permissions = permissions
    }

    /// Same file: same device and inode.
    public func isSameFile(as other: FileStatus) -> Bool {
        device == other.device && inode == other.inode
    }
}

/// A directory entry from a listing; `kind` is nil where the filesystem does not say.
public struct DirectoryEntry: Sendable {
    public var name: Path
    public var kind: FileKind?
}
