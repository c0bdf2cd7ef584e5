import MklnkFileSystem

/// The kind of a link on disk; `auto` is decided by the time a `Link` exists.
public enum ResolvedKind: String, Sendable, Codable {
    case symlink, hardlink, junction

    /// Symlinks and junctions store a target string; hard links do not.
    public var storesTarget: Bool { self != .hardlink }
}

/// One link of the graph: a single path on disk and what it must be.
///
/// A large plan holds one per link: the one-byte fields come last, where they fill the status's
/// tail instead of padding between the words.
public struct Link: Sendable {
    /// Absolute, normalised link path.
    public var path: Path
    /// The absolute target path.
    public var target: Path
    /// What the symlink stores (relative or absolute); for a hard link, the file linked to.
    public var stored: Path
    /// Where the entry stands in the plan.
    public var location: SourceLocation
    /// The target as the graph found it (followed), so the planner need not stat it again.
    public var targetStatus: FileStatus?
    public var kind: ResolvedKind
    /// The entry's options that still matter once the graph is built (the planner's).
    public var relink: Bool
    public var conflict: ConflictPolicy
    public var parents: Bool
    /// The target does not exist and `conflict: adopt` may yet make it (from a file in the way);
    /// without one the link is refused as for `missing: error`.
    public var awaitsAdoption = false
    /// The link cannot be made without its target (`missing: error`, a hard link, `kind: auto`);
    /// false only for a symlink or junction with `missing: allow`.
    public var needsTarget = true

    public init(path: Path, kind: ResolvedKind, target: Path, stored: Path, relink: Bool, conflict: ConflictPolicy,
                parents: Bool, location: SourceLocation, targetStatus: FileStatus?,
                awaitsAdoption: Bool = false, needsTarget: Bool = true) {
        (self.path, self.target, self.stored, self.location, self.targetStatus) = (path, target, stored, location, targetStatus)
        (self.kind, self.relink, self.conflict, self.parents) = (kind, relink, conflict, parents)
        (self.awaitsAdoption, self.needsTarget) = (awaitsAdoption, needsTarget)
    }

    /// Holds the place of a candidate that made no link, until it is dropped.
    static let placeholder = Link(path: "", kind: .symlink, target: "", stored: "", relink: false, conflict: .fail,
                                  parents: false, location: SourceLocation(file: "", line: 0, column: 0),
                                  targetStatus: nil)
}

/// A plan expanded into single links, checked as a whole and put in a valid order.
public struct LinkGraph: Sendable {
    public var plan: Plan
    /// Links in the order they can be made: a link that others go through comes first.
    public var links: [Link]
    public var removals: [Removal]
    /// For each link (by index), the indices of planned links its target goes through.
    public var dependencies: [[Int]]
    /// Link paths the plan lists that could not be resolved here (an error says why), and link
    /// directories whose targets could not be expanded: still the plan's, so never pruned.
    public var unresolved: [Path] = []
    /// Links that cannot be made here for their target (each also in `unresolved`).
    public var refused: [Refusal] = []
    /// How many entries the plan had (`plan.entries` is empty once the graph is built).
    public var entryCount = 0
}

extension FileKind {
    /// For messages: `a regular file`, `a directory`, `a symlink`, `a special file`.
    var described: String {
        switch self {
        case .regular: return "a regular file"
        case .directory: return "a directory"
        case .symlink: return "a symlink"
        case .other: return "a special file"
        }
    }
}
