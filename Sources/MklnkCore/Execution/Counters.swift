/// MKLNK's counters (SPEC §3): `_mklnk_files` links written, `_mklnk_errors` errors, and the rest.
public struct Counters: Sendable, Equatable {
    public var files = 0
    public var errors = 0
    public var deleted = 0
    public var unchanged = 0
    public var backups = 0
    /// Files moved into `base` by `conflict: adopt` (each also a link written).
    public var adopted = 0

    public init() {}

    /// What a plan would count if applied as it stands.
    public init(planned actions: [Action], errors: Int) {
        let s = Summary(actions)
        // A `dirs:` create makes a directory, not a link; an adopt writes a link.
        files = s.create + s.update + s.adopt - actions.lazy.filter { $0.directory && $0.op == .create }.count
        adopted = s.adopt
        deleted = s.delete
        unchanged = s.unchanged
        backups = s.backup
        self.errors = errors + s.conflict
    }

    /// What an apply that refused to start counts: nothing written, every problem an error.
    public init(refused actions: [Action], errors: Int) {
        let s = Summary(actions)
        unchanged = s.unchanged
        self.errors = errors + s.conflict
    }

    /// Name and value, in the order they are printed. `_mklnk_adopted` only when a file was
    /// adopted, so consumers of the five original counters see no change otherwise.
    public var pairs: [(String, Int)] {
        [("_mklnk_files", files), ("_mklnk_errors", errors), ("_mklnk_deleted", deleted),
         ("_mklnk_unchanged", unchanged), ("_mklnk_backups", backups)] + (adopted > 0 ? [("_mklnk_adopted", adopted)] : [])
    }
}
