import MklnkFileSystem

/// What recovery found and did.
public enum RecoveryOutcome: Sendable, Equatable {
    /// No interrupted transaction.
    case nothing
    /// An uncommitted transaction was undone: the filesystem is as before it.
    case rolledBack(steps: Int)
    /// A committed transaction was finished: the filesystem is as after it.
    case finished(steps: Int)
    /// The journal is damaged: nothing was undone or finished. It was moved to `keptAt` so later
    /// commands can run; `report` says what it holds and what to do.
    case damaged(report: String, keptAt: Path)
    /// Another mklnk holds the lock on the journal's root: nothing was done.
    case busy(root: Path)
}

/// Finishes an interrupted transaction; every mutating command runs it first (SPEC §4).
public enum Recovery {
    /// Rolls back or finishes the journal in `stateDirectory`, if there is one, holding the lock
    /// on its root meanwhile (waiting up to `lockTimeout` seconds for it). Temporary files a
    /// killed run left in the state directory go first (`StateLeftovers`).
    /// Safe to run any number of times: each undo checks the filesystem before acting.
    /// `setAside` is told of every entry an undo could not return to its name (taken meanwhile)
    /// and the backup name it went to instead.
    public static func run(stateDirectory: Path, lockTimeout: Double = 2,
                           fileSystem makeFileSystem: (Path) -> FileSystem,
                           setAside: (String) -> Void = { _ in }) throws(FileSystemError) -> RecoveryOutcome {
        let probe = makeFileSystem("/")
        StateLeftovers.remove(in: stateDirectory, fileSystem: probe)
        let journal = Journal(fileSystem: probe, directory: stateDirectory)
        let header: Journal.Header, steps: [Step], committed: Bool
        switch try journal.read() {
        case .none:
            try probe.removeFile(journal.commitPath)  // a mark whose journal is gone is inert
            return .nothing
        case .damaged(let damage):
            let kept = try journal.setAside()
            return .damaged(report: report(damage, keptAt: kept, fileSystem: probe), keptAt: kept)
        case .intact(let h, let s, let c):
            (header, steps, committed) = (h, s, c)
        }
        // Another apply on this root (with another state directory) must not run meanwhile.
        var rootLock: FileLock?
        do {
            rootLock = try FileLock.acquire(directory: header.root, timeout: lockTimeout)
            if rootLock == nil { return .busy(root: header.root) }
        } catch where error.isNotFound {
            // The root is gone: nothing beneath it can be undone, and nothing can race there.
        }
        defer { rootLock?.release() }
        let fileSystem = makeFileSystem(header.root)
        let rooted = Journal(fileSystem: fileSystem, directory: stateDirectory)
        let statePath = StateStore(fileSystem: fileSystem, directory: stateDirectory)
            .path(plan: header.plan, root: header.root)
        if committed {
            if let problem = Transaction.finish(steps, statePath: statePath, fileSystem: fileSystem, journal: rooted).problem {
                throw FileSystemError(errno: 5 /* EIO */, problem, stateDirectory)
            }
            return .finished(steps: steps.count)
        }
        var notes: [String] = []
        var runner = StepRunner(fileSystem: fileSystem)
        runner.report = { notes.append($0) }
        defer { notes.forEach(setAside) }
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

    /// What a damaged journal holds, which of its names exist, and what to do.
    private static func report(_ damage: JournalCheck.Damage, keptAt: Path, fileSystem: FileSystem) -> String {
        var lines = ["the journal of an interrupted apply is damaged: \(damage.reason); nothing was undone or finished",
                     "it holds \(damage.holds)" + (damage.commitMark == nil ? "" : ", with a commit mark")]
        let present = damage.leftovers.filter { ((try? fileSystem.status($0, follow: false)) ?? nil) != nil }
        if !present.isEmpty {
            lines.append("names it made that still exist (a file of yours may be under one of them):")
            lines += present.prefix(20).map { "  \($0)" }
            if present.count > 20 { lines.append("  … and \(present.count - 20) more") }
        }
        lines.append("it was kept as \(keptAt); later applies no longer wait for it. Compare it with the tree, "
                     + "move back by hand anything under a .mklnk- name, then delete it")
        return lines.joined(separator: "\n")
    }
}
