import MklnkFileSystem

/// The transaction's own check of `StateDirectoryGuard`, for actions that did not come from
/// the planner of this run (a saved plan, `destroy`, `link`, `unlink`): a step that would move,
/// replace or delete the directory holding the journal, or make a link inside it, refuses the
/// whole apply before anything changes.
extension Transaction {
    static func stateProblems(_ steps: [Step], stateDirectory: Path) -> [ActionFailure] {
        let guarding = StateDirectoryGuard(stateDirectory: stateDirectory)
        var failures: [ActionFailure] = []
        for step in steps {
            switch step {
            case .makeDirectory, .setMode, .removeDirectory:
                continue  // a directory on the state's path made, or removed only when empty
            case .create, .replace, .backup, .delete, .adopt:
                if let problem = guarding.problem(at: step.path) {
                    failures.append(ActionFailure(path: step.path, message: "\(step.path): \(problem)"))
                }
            }
        }
        return failures
    }
}
