import MklnkFileSystem

/// mklnk never moves, replaces or deletes a directory that holds its own state directory, nor
/// links anything inside it (AUDIT3 F5, F22): the journal of the very apply would move with it,
/// so a crash would leave nothing for `recover` to find, and the state would then be written
/// through the new link into the user's files.
public struct StateDirectoryGuard: Sendable {
    /// The state directory as written and as the kernel resolves it.
    private let states: [Path]
    /// Those and every directory above them.
    private let holders: Set<Path>
    /// The longest of them: a longer path is none of them, and is not hashed to find out.
    private let longest: Int

    public init(stateDirectory: Path) {
        let lexical = Paths.normalize(stateDirectory)
        let physical = CanonicalTarget.resolve(lexical)
        states = lexical == physical ? [lexical] : [lexical, physical]
        var holders = Set<Path>()
        for state in states {
            var p = state
            while p != "/" && !p.isEmpty {
                holders.insert(p)
                p = Paths.parent(p)
            }
        }
        self.holders = holders
        longest = states.map(\.count).max() ?? 0
    }

    /// Why changing `path` would touch the state directory; nil when it would not.
    public func problem(at path: Path) -> String? {
        if path.count <= longest && holders.contains(path) {
            let state = states[0]
            let which = path == state ? "it is mklnk's state directory" : "it holds mklnk's state directory \(state)"
            return "\(which) (its journal and state): mklnk never moves, replaces or deletes it "
                + "(use --state-dir to keep the state elsewhere)"
        }
        if let state = states.first(where: { Paths.isWithin(path, $0) }) {
            return "it lies in mklnk's state directory \(state), which holds only mklnk's own files"
        }
        return nil
    }

    /// `actions` with every change that `problem(at:)` refuses made a conflict (a backup and
    /// the create that follows it for the same path become one).
    public func guarding(_ actions: [Action]) -> [Action] {
        guard actions.contains(where: { $0.changes && !$0.directory && problem(at: $0.path) != nil }) else { return actions }
        var out: [Action] = []
        out.reserveCapacity(actions.count)
        for a in actions {
            guard a.changes, !a.directory, let reason = problem(at: a.path) else {
                out.append(a)
                continue
            }
            if let last = out.last, last.op == .conflict, last.path == a.path, last.reason == reason {
                out[out.count - 1].kind = last.kind ?? a.kind
                out[out.count - 1].target = last.target ?? a.target
                continue
            }
            out.append(Action(.conflict, a.path, kind: a.kind, target: a.target, was: a.was, source: a.source,
                              reason: reason))
        }
        return out
    }
}
