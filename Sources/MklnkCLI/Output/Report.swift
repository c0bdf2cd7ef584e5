import MklnkCore
import MklnkFileSystem

/// What a command found and did, gathered as it runs; printed as the `--json` document and the
/// CI step summary when the command ends, whichever way it ends.
struct Report {
    /// The plan's absolute path (its state key), or nil when there is none.
    var plan: Path?
    var root: Path?
    var actions: [Action] = []
    /// nil: counted from the actions (what they would do).
    var counters: Counters?
    /// Everything printed on stderr, uncapped.
    var diagnostics = Diagnostics()
    /// `apply` only: whether the changes were made and stay.
    var applied: Bool?
    /// `apply` only: the paths that could not be changed.
    var failures: [ActionFailure] = []
    /// `destroy` and `plan --destroy` only: the backups mklnk took that are kept.
    var backups: [RecordedBackup]?

    var effectiveCounters: Counters {
        counters ?? Counters(planned: actions, errors: diagnostics.errors.count - Summary(actions).conflict)
    }
}
