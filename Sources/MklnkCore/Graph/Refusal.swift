import MklnkFileSystem

/// A link of a valid plan that cannot be made here for its target: missing, of the wrong
/// kind, or on another filesystem than a hard link's path (SPEC §3, exit 1). The graph leaves
/// it out and reports the cause as an error (`Diagnostic.conflict` names the path); the planner
/// lists it as a `conflict` action, so `plan`, `--json` and `--keep-going` show it as every
/// other cause of exit 1 is shown, and count it once.
public struct Refusal: Sendable {
    public var path: Path
    /// The kind asked for; nil for `auto` when it could not be decided.
    public var kind: ResolvedKind?
    /// The absolute target path.
    public var target: Path
    /// The entry's place.
    public var location: SourceLocation
    public var reason: String
}

extension Planner {
    /// The conflict action of each refused link, with what is at its path now.
    func conflicts(refused: [Refusal]) -> [Action] {
        refused.map { r in
            let was = (try? Observation.observe(r.path, in: fileSystem)) ?? .absent
            return Action(.conflict, r.path, kind: r.kind, target: r.target, was: was, source: r.location,
                          reason: r.reason)
        }
    }
}
