import MklnkFileSystem

extension Planner {
    /// Links are made beneath the root, which mklnk never creates: a root that is missing or not
    /// a directory is one conflict, so that `plan` and `check` say at once what `apply` would
    /// find at its first step.
    func rootConflict(_ plan: Plan) -> Action? {
        let reason: String
        do {
            switch try fileSystem.status(plan.root, follow: true)?.kind {
            case .directory?: return nil
            case nil: reason = "the root does not exist (links are made beneath it; mklnk does not create it)"
            case let kind?: reason = "the root is a \(kind == .regular ? "regular file" : "special file"), not a directory"
            }
        } catch {
            reason = "cannot inspect the root: \(error.reason)"
        }
        return Action(.conflict, plan.root, was: .absent, source: nil, reason: reason)
    }
}
