import MklnkFileSystem

/// What recovery found and did.
public enum RecoveryOutcome: Sendable, Equatable {
    /// No interrupted transaction.
    case nothing
    /// An uncommitted transaction was undone: the filesystem is as before it.
    case rolledBack(steps: Int)
    /// A committed transaction was finished: the filesystem is as after it.
    case finished(steps: Int)
}

/// Finishes an interrupted transaction; every mutating command runs it first (SPEC §4).
public enum Recovery {
    /// Rolls back or finishes the journal in `stateDirectory`, if there is one.
    /// Safe to run any number of times: each undo checks the filesystem before acting.
    public static func run(stateDirectory: Path, fileSystem makeFileSystem: (Path) -> FileSystem)
        throws(FileSystemError) -> RecoveryOutcome {
        let probe = makeFileSystem("/")
        let journal = Journal(fileSystem: probe, directory: stateDirectory)
        guard let (header, steps, committed) = try journal.read() else {
            try probe.removeFile(journal.commitPath)  // a mark whose journal is gone is inert
            return .nothing
        }
        let fileSystem = makeFileSystem(header.root)
        let rooted = Journal(fileSystem: fileSystem, directory: stateDirectory)
        let statePath = StateStore(fileSystem: fileSystem, directory: stateDirectory)
            .path(plan: header.plan, root: header.root)
        if committed {
            if let problem = Transaction.finish(steps, statePath: statePath, fileSystem: fileSystem, journal: rooted) {
                throw FileSystemError(errno: 5 /* EIO */, problem, stateDirectory)
            }
            return .finished(steps: steps.count)
        }
        let runner = StepRunner(fileSystem: fileSystem)
        for step in steps.reversed() {
            do {
                try runner.undo(step)
            } catch {
                try runner.undo(step)
            }
        }
        try fileSystem.removeFile(statePath + ".next")
        try rooted.remove()
        return .rolledBack(steps: steps.count)
    }
}
