import MklnkFileSystem

/// A link as mklnk left it, so a later apply can prune it or repair it (SPEC §4).
public struct RecordedLink: Sendable, Equatable {
    public var path: String
    public var kind: ResolvedKind
    /// The stored target (symlink, junction) or the file linked to (hard link).
    public var stored: String
    /// The link's own inode for a hard link (0 for symlinks).
    public var device: UInt64
    public var inode: UInt64
}

/// What the last apply of one plan against one root made.
public struct AppliedState: Sendable {
    public var links: [String: RecordedLink] = [:]

    public init(links: [String: RecordedLink] = [:]) { self.links = links }
}

/// Reads and writes per-plan state files in the state directory.
public struct StateStore {
    public let fileSystem: FileSystem
    public let directory: String

    public init(fileSystem: FileSystem, directory: String) {
        self.fileSystem = fileSystem
        self.directory = directory
    }

    /// One file per (plan file, root): the same plan applied to two roots keeps two records.
    public func path(plan: String, root: String) -> String {
        directory + "/plans/" + fnv1a(plan + "\n" + root) + ".state"
    }

    public func load(plan: String, root: String) throws(FileSystemError) -> AppliedState {
        guard let bytes = try fileSystem.readFile(path(plan: plan, root: root)) else { return AppliedState() }
        var state = AppliedState()
        state.links.reserveCapacity(bytes.count / 96)
        // Line by line: parsing the whole file into records first tripled the peak memory of
        // a 100,000-link state.
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            defer { start = end + 1 }
            guard let r = Record.parse(Array(bytes[start..<end])).first, r.count == 5, r[0] != "#",
                  let kind = ResolvedKind(rawValue: r[0]), let device = UInt64(r[3]), let inode = UInt64(r[4])
            else { continue }
            state.links[r[1]] = RecordedLink(path: r[1], kind: kind, stored: r[2], device: device, inode: inode)
        }
        return state
    }

    public func save(_ state: AppliedState, plan: String, root: String) throws(FileSystemError) {
        try save(state, to: path(plan: plan, root: root))
    }

    /// Writes `state` durably to `file` (the next state is staged before the commit).
    public func save(_ state: AppliedState, to file: String) throws(FileSystemError) {
        var bytes = Array(Record.line(["#", "mklnk state 1"]).utf8)
        bytes.reserveCapacity(state.links.count * 128)
        for link in state.links.values.sorted(by: { $0.path < $1.path }) {
            bytes += Record.line([link.kind.rawValue, link.path, link.stored, String(link.device), String(link.inode)]).utf8
        }
        try fileSystem.createDirectories(directory + "/plans")
        try fileSystem.writeFileAtomically(file, bytes, sync: true)
    }
}
