import MklnkCore
import MklnkFileSystem

extension Array where Element == Action {
    /// The actions as a report shows them after an apply: a change whose step failed is a
    /// conflict with the failure as its reason (it was not made, so it is not counted as made),
    /// once per path (a backup and the link after it are one change).
    func markingFailures(_ failures: [ActionFailure]) -> [Action] {
        if failures.isEmpty { return self }
        var reasons: [Path: String] = [:]
        for failure in failures where reasons[failure.path] == nil { reasons[failure.path] = failure.message }
        var marked: Set<Path> = []
        return compactMap { action in
            guard action.changes, let reason = reasons[action.path] else { return action }
            guard marked.insert(action.path).inserted else { return nil }
            var failed = action
            failed.op = .conflict
            failed.reason = reason
            return failed
        }
    }
}
