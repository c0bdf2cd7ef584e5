/// What a directory entry is, seen without following it.
public enum FileKind: String, Sendable {
    case regular, directory, symlink, other
}

/// The parts of `stat` that mklnk decides on.
///
/// A large plan keeps one for each target and link path it read: the link count and the mode
/// bits are held in the widths they need, so a status fits in 40 bytes, optional or not.
public struct FileStatus: Sendable, Equatable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    /// Modification time, seconds since the epoch.
    public var modified: Int64
    private var storedLinkCount: UInt32
    private var storedPermissions: UInt16
    public var kind: FileKind

    public var linkCount: UInt64 {
        get { UInt64(storedLinkCount) }
        set { storedLinkCount = UInt32(clamping: newValue) }
    }

    /// Permission bits (`0o7777`).
    public var permissions: UInt32 {
        get { UInt32(storedPermissions) }
        set { storedPermissions = UInt16(truncatingIfNeeded: newValue & 0o7777) }
    }

    public init(kind: FileKind, device: UInt64 = 0, inode: UInt64 = 0, linkCount: UInt64 = 1,
                size: Int64 = 0, modified: Int64 = 0, permissions: UInt32 = 0o644) {
        self.kind = kind
        self.device = device
        self.inode = inode
        storedLinkCount = UInt32(clamping: linkCount)
        self.size = size
        self.modified = modified
        storedPermissions = UInt16(truncatingIfNeeded: permissions & 0o7777)
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
