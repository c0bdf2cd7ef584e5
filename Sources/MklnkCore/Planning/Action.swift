import MklnkFileSystem

/// What the planner decided for one path (SPEC §3 markers in brackets).
public enum Operation: String, Sendable {
    case create      // +
    case update      // ~
    case delete      // -
    case backup      // >  move what is in the way aside, then the link is created
    case unchanged   // =
    case skip        //    conflict: skip
    case conflict    // !  cannot be carried out
    case adopt       // <  move the file in the way into base as the target, then link to it
}

/// One step of a plan.
///
/// A plan of 100,000 links is 100,000 actions: the fields are declared so that the one-byte
/// ones fill the observation's tail, and the rarely set ones are kept apart (`details`).
public struct Action: Sendable {
    public var path: Path
    /// For symlinks and junctions, the string stored; for hard links, the file linked to.
    public var target: Path?
    /// What is at `path` now.
    public var was: Observation
    public var op: Operation
    /// The link's kind (for delete: the kind of link removed).
    public var kind: ResolvedKind?
    /// A create that makes the directory `path` itself (`dirs:`), with `mode` when given; no link.
    public var directory = false
    /// Create and update: what the link's target was when planned (nil: missing), so that
    /// `apply --saved` refuses when it has gone or changed kind since.
    public var targetWas: FileKind?
    /// Create and update of a hard link: the file it links to as planned (inode 0: unknown), so
    /// the state records it without a second `stat`.
    public var targetDevice: UInt64 = 0
    public var targetInode: UInt64 = 0
    public var source: SourceLocation?
    /// Why: the conflict, the skip, or why a delete happens.
    public var reason: String? {
        get { details?.reason }
        set { change { $0.reason = newValue } }
    }
    /// Missing parent directories this action creates first, outermost first (for adopt, those
    /// of `adoptedInto`).
    public var parents: [Path] {
        get { details?.parents ?? [] }
        set { if !newValue.isEmpty || details != nil { change { $0.parents = newValue } } }
    }
    public var mode: UInt32? {
        get { details?.mode }
        set { change { $0.mode = newValue } }
    }
    /// Adopt: where the file in the way moves (the absolute target path in `base`).
    public var adoptedInto: Path? {
        get { details?.adoptedInto }
        set { change { $0.adoptedInto = newValue } }
    }
    /// The fields most actions leave empty, apart: a plan of 100,000 links is 100,000 actions,
    /// and these would be a third of each. Copied on write.
    private var details: Details?

    public init(_ op: Operation, _ path: Path, kind: ResolvedKind? = nil, target: Path? = nil,
                was: Observation = .absent, source: SourceLocation? = nil, reason: String? = nil) {
        self.op = op
        self.path = path
        self.kind = kind
        self.target = target
        self.was = was
        self.source = source
        if let reason { self.reason = reason }
    }

    private mutating func change(_ body: (Details) -> Void) {
        if details == nil {
            details = Details()
        } else if !isKnownUniquelyReferenced(&details!) {
            details = details!.copy()
        }
        body(details!)
    }

    /// Whether applying this action changes the filesystem.
    public var changes: Bool {
        switch op {
        case .create, .update, .delete, .backup, .adopt: return true
        case .unchanged, .skip, .conflict: return false
        }
    }
}

/// `Action`'s rarely set fields; written only through `Action.change`, on a copy of its own.
private final class Details: @unchecked Sendable {
    var reason: String?
    var parents: [Path] = []
    var mode: UInt32?
    var adoptedInto: Path?

    func copy() -> Details {
        let d = Details()
        (d.reason, d.parents, d.mode, d.adoptedInto) = (reason, parents, mode, adoptedInto)
        return d
    }
}

/// Counts of a plan, and the MKLNK counters derived from them.
public struct Summary: Sendable, Equatable {
    public var create = 0, update = 0, delete = 0, unchanged = 0, conflict = 0, backup = 0, skip = 0, adopt = 0

    public init() {}

    public init(_ actions: [Action]) {
        // By index: `for a in` would copy every action (and retain its strings) to read one byte.
        for i in actions.indices { count(actions[i].op) }
    }

    public mutating func count(_ op: Operation) {
        switch op {
        case .create: create += 1
        case .update: update += 1
        case .delete: delete += 1
        case .unchanged: unchanged += 1
        case .conflict: conflict += 1
        case .backup: backup += 1
        case .skip: skip += 1
        case .adopt: adopt += 1
        }
    }

    public var pendingChanges: Bool { create + update + delete + backup + adopt > 0 }
}
