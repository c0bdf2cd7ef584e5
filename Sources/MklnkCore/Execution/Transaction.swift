#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

/// A path that could not be changed, and why.
public struct ActionFailure: Sendable {
    public var path: Path
    public var message: String
}

/// What an apply did.
public struct ApplyOutcome: Sendable {
    public var counters = Counters()
    public var failures: [ActionFailure] = []
    /// True when a failure undid every change.
    public var rolledBack = false
    /// Problems after the commit: the links are in place, but cleanup is left for `mklnk recover`.
    public var warnings: [String] = []
    /// Where each backed-up path's original now lives.
    public var backups: [Path: Path] = [:]
}

/// Applies actions all or nothing (DESIGN: the transaction).
///
/// The journal of every step is written and synced before the first change; steps run in order;
/// on the first failure every completed step is undone in reverse. Success is made durable with
/// one `syncfs`, then the commit mark; the constant number of fsyncs does not grow with links.
public struct Transaction {
    public let fileSystem: FileSystem
    public let stateStore: StateStore
    /// The state key: the plan's absolute path (or a command name for `link` / `unlink`).
    public let plan: Path
    public let previous: AppliedState
    /// `--no-prune`: keep the records of links the plan no longer lists.
    public let keepUnlisted: Bool
    public let keepGoing: Bool
    /// Links the plan lists but could not resolve on this run (a missing target): their
    /// records are kept, so a later apply neither forgets nor prunes them.
    public var unresolved: [Path] = []
    /// False for `link` and `unlink`: one-off links are not a plan's to prune.
    public var recordsState = true
    /// Called after each step with (done, total).
    public var progress: ((Int, Int) -> Void)?
    /// The state to record instead of the one worked out from the actions (destroy's).
    public var finalState: AppliedState?
    /// From how many new links in a row on they are made on every core (`ParallelSteps`).
    public var parallelThreshold = ParallelSteps.standardThreshold

    public init(fileSystem: FileSystem, stateStore: StateStore, plan: Path, previous: AppliedState,
                keepUnlisted: Bool, keepGoing: Bool) {
        self.fileSystem = fileSystem
        self.stateStore = stateStore
        self.plan = plan
        self.previous = previous
        self.keepUnlisted = keepUnlisted
        self.keepGoing = keepGoing
    }

    public func apply(_ actions: [Action]) -> ApplyOutcome {
        var outcome = ApplyOutcome()
        let runner = StepRunner(fileSystem: fileSystem)
        let transaction = String(UInt64(time(nil)), radix: 36) + "-" + String(getpid())
        let (steps, owners) = Self.steps(for: actions, transaction: transaction, fileSystem: fileSystem)
        let journal = Journal(fileSystem: fileSystem, directory: stateStore.directory)
        let header = Journal.Header(transaction: transaction, root: fileSystem.root, plan: plan)
        var failedActions = Set<Int>()
        var clock = PhaseClock()

        if !steps.isEmpty {
            let refused = Self.stateProblems(steps, stateDirectory: stateStore.directory)
            if !refused.isEmpty {
                outcome.failures = refused
                outcome.rolledBack = true
                return outcome
            }
            do {
                try journal.write(header, steps)
                clock.lap("journal")
            } catch {
                outcome.failures.append(ActionFailure(path: journal.path, message: "cannot write the journal: \(error.reason)"))
                outcome.rolledBack = true
                try? fileSystem.removeFile(journal.path)
                return outcome
            }
            var index = 0
            while index < steps.count {
                if let batch = ParallelSteps.batch(in: steps, from: index, threshold: parallelThreshold, fileSystem: fileSystem) {
                    let done = index
                    let run = ParallelSteps(steps: steps, range: batch, keepGoing: keepGoing)
                        .run(on: fileSystem, progress: progress.map { report in { report(done + $0, steps.count) } })
                    for (i, error) in run.undone {
                        outcome.failures.append(ActionFailure(path: steps[i].path, message: error.message))
                        failedActions.insert(owners[i])
                    }
                    if let (i, error) = run.stop {
                        outcome.failures.append(ActionFailure(path: steps[i].path, message: error.message))
                        rollBack(steps, before: batch.upperBound, journal: journal, &outcome) {
                            $0 < batch.lowerBound || run.begun[$0 - batch.lowerBound]
                        }
                        return outcome
                    }
                    index = batch.upperBound
                    continue
                }
                let step = steps[index]
                do {
                    try runner.perform(step)
                } catch {
                    outcome.failures.append(ActionFailure(path: step.path, message: error.message))
                    // With --keep-going only this step is undone; if even that fails, what it left
                    // is unknown, so everything is rolled back after all.
                    if keepGoing && (error.changedNothing || Self.undoTwice(step, runner)) {
                        failedActions.formUnion(owners[index] ..< owners[index] + (steps[index].isBackup ? 2 : 1))
                        index += 1
                        continue
                    }
                    // The failed step may have done part of its work: it is undone with the rest,
                    // unless it changed nothing (then what is at its path is not ours).
                    let failed = index
                    rollBack(steps, before: index + 1, journal: journal, &outcome) { $0 < failed || !error.changedNothing }
                    return outcome
                }
                index += 1
                progress?(index, steps.count)
            }
        }

        clock.lap("steps")
        // The state is rewritten only when it would record something else; when that is known
        // without building it (`stateMatches`), it is not built.
        let same = failedActions.isEmpty && stateMatches(actions, steps: steps, owners: owners)
        let next = same ? previous : finalState ?? nextState(actions, failed: failedActions, steps: steps, owners: owners)
        let stateChanged = recordsState && !same && !next.encodes(previous.encoded)
        if steps.isEmpty && !stateChanged {
            outcome.counters = counters(actions, failed: failedActions)
            return outcome
        }
        let statePath = stateStore.path(plan: plan, root: fileSystem.root)
        if stateChanged, let aside = stateStore.setAsideIfDamaged(statePath) {
            outcome.warnings.append("the damaged state \(statePath) was kept as \(aside); a new one replaces it")
        }
        var marking = false
        do {
            // On root's filesystem the staged state is made durable by the syncfs of the links.
            let synced = !steps.isEmpty && sameFileSystem(stateStore.directory, fileSystem.root)
            if stateChanged && synced { try stateStore.save(next, to: statePath + ".next", sync: false) }
            if !steps.isEmpty { try fileSystem.syncRoot() }
            if stateChanged && !synced { try stateStore.save(next, to: statePath + ".next") }
            marking = !steps.isEmpty
            if marking { try journal.markCommitted(header) }
        } catch {
            outcome.failures.append(ActionFailure(path: fileSystem.root, message: "cannot commit: \(error.reason)"))
            // The mark may be on disk although writing it failed (say, the fsync after its rename).
            // It must be voided before anything is undone, or a crash during the rollback would
            // make recovery finish a half-undone transaction. If it cannot be voided, every step
            // is still done: leave the decision to `mklnk recover`.
            if marking && (try? journal.voidMark()) == nil && (try? journal.voidMark()) == nil {
                outcome.warnings.append("the apply could not be committed nor cleanly abandoned; run 'mklnk recover'")
                return outcome
            }
            try? fileSystem.removeFile(statePath + ".next")
            rollBack(steps, before: steps.count, journal: journal, &outcome) { _ in true }
            return outcome
        }
        clock.lap("commit")
        let (problem, kept) = Self.finish(steps, statePath: statePath, fileSystem: fileSystem, journal: journal)
        outcome.warnings += kept
        if let problem { outcome.warnings.append(problem) }
        clock.lap("finish")
        outcome.counters = counters(actions, failed: failedActions)
        for (index, step) in steps.enumerated() where !failedActions.contains(owners[index]) {
            if case .backup(let path, _, _, let backup, _) = step { outcome.backups[path] = backup }
        }
        return outcome
    }

    /// Undoes the steps before `end` that were `done`, in reverse. Undo is idempotent, so a failed
    /// one is tried once more; if it still fails the journal stays for `mklnk recover`.
    private func rollBack(_ steps: [Step], before end: Int, journal: Journal, _ outcome: inout ApplyOutcome,
                          done: (Int) -> Bool) {
        var runner = StepRunner(fileSystem: fileSystem)
        var notes: [String] = []
        runner.report = { notes.append($0) }
        defer { outcome.failures += notes.map { ActionFailure(path: fileSystem.root, message: "rollback: " + $0) } }
        outcome.rolledBack = true
        var clean = true
        for index in stride(from: end - 1, through: 0, by: -1) where done(index) {
            let step = steps[index]
            do {
                try runner.undo(step)
            } catch {
                do {
                    try runner.undo(step)
                } catch {
                    clean = false
                    outcome.failures.append(ActionFailure(path: step.path, message: "rollback: \(error.description)"))
                }
            }
        }
        if clean {
            if (try? journal.remove()) == nil { try? journal.remove() }
        } else {
            outcome.warnings.append("the rollback is incomplete; run 'mklnk recover' to finish it")
        }
    }

    /// Whether `a` (or, when it does not exist yet, its nearest existing parent) is on the
    /// filesystem of `b`.
    private func sameFileSystem(_ a: Path, _ b: Path) -> Bool {
        var dir = a
        while true {
            if let status = try? fileSystem.status(dir, follow: true) {
                return status.device == (try? fileSystem.status(b, follow: true))??.device
            }
            if dir == "/" || dir.isEmpty { return false }
            dir = Paths.parent(dir)
        }
    }

    static func undoTwice(_ step: Step, _ runner: StepRunner) -> Bool {
        if (try? runner.undo(step)) != nil { return true }
        return (try? runner.undo(step)) != nil
    }

    /// After the commit mark: removes trash, promotes the state, deletes the journal. Each part is
    /// idempotent and tried twice; whatever is left, `mklnk recover` finishes. Also returns what
    /// cleanup kept rather than delete a file's last name.
    static func finish(_ steps: [Step], statePath: Path, fileSystem: FileSystem, journal: Journal)
        -> (problem: String?, kept: [String]) {
        let runner = StepRunner(fileSystem: fileSystem)
        func twice(_ body: () throws(FileSystemError) -> Void) -> FileSystemError? {
            do { try body(); return nil } catch {
                do { try body(); return nil } catch { return error }
            }
        }
        var kept: [String] = []
        for step in steps {
            if let error = twice({ () throws(FileSystemError) in
                if let note = try runner.finish(step) { kept.append(note) }
            }) {
                return ("committed, but cleanup failed (\(error)); run 'mklnk recover'", kept)
            }
        }
        if let error = twice({ () throws(FileSystemError) in try fileSystem.replaceFile(statePath, with: statePath + ".next") }) {
            return ("committed, but the state was not saved (\(error)); run 'mklnk recover'", kept)
        }
        if let error = twice({ () throws(FileSystemError) in try journal.remove() }) {
            return ("committed, but the journal was not removed (\(error)); run 'mklnk recover'", kept)
        }
        return (nil, kept)
    }
}
