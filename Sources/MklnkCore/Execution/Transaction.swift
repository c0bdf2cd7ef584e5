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
            do {
                try journal.write(header, steps)
                clock.lap("journal")
            } catch {
                outcome.failures.append(ActionFailure(path: journal.path, message: "cannot write the journal: \(error.reason)"))
                outcome.rolledBack = true
                try? fileSystem.removeFile(journal.path)
                return outcome
            }
            for (index, step) in steps.enumerated() {
                do {
                    try runner.perform(step)
                } catch {
                    outcome.failures.append(ActionFailure(path: step.path, message: error.message))
                    // With --keep-going only this step is undone; if even that fails, what it left
                    // is unknown, so everything is rolled back after all.
                    if keepGoing && (error.changedNothing || Self.undoTwice(step, runner)) {
                        failedActions.formUnion(owners[index] ..< owners[index] + (steps[index].isBackup ? 2 : 1))
                        continue
                    }
                    // The failed step may have done part of its work: it is undone with the rest,
                    // unless it changed nothing (then what is at its path is not ours).
                    rollBack(error.changedNothing ? steps[..<index] : steps[...index], journal: journal, &outcome)
                    return outcome
                }
                progress?(index + 1, steps.count)
            }
        }

        clock.lap("steps")
        // The state is rewritten only when it would record something else; when that is known
        // without building it (`stateMatches`), it is not built.
        let same = failedActions.isEmpty && stateMatches(actions, steps: steps, owners: owners)
        let next = same ? previous : finalState ?? nextState(actions, failed: failedActions, steps: steps, owners: owners)
        let stateChanged = recordsState && !same && next.encoded != previous.encoded
        if steps.isEmpty && !stateChanged {
            outcome.counters = counters(actions, failed: failedActions)
            return outcome
        }
        let statePath = stateStore.path(plan: plan, root: fileSystem.root)
        var marking = false
        do {
            if !steps.isEmpty { try fileSystem.syncRoot() }
            if stateChanged { try stateStore.save(next, to: statePath + ".next") }
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
            rollBack(steps[...], journal: journal, &outcome)
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

    /// Undoes `done` in reverse. Undo is idempotent, so a failed one is tried once more; if it
    /// still fails the journal stays for `mklnk recover`.
    private func rollBack(_ done: ArraySlice<Step>, journal: Journal, _ outcome: inout ApplyOutcome) {
        let runner = StepRunner(fileSystem: fileSystem)
        outcome.rolledBack = true
        var clean = true
        for step in done.reversed() {
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

    private static func undoTwice(_ step: Step, _ runner: StepRunner) -> Bool {
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
        if let error = twice({ () throws(FileSystemError) in
            if let bytes = try fileSystem.readFile(statePath + ".next") {
                try fileSystem.writeFileAtomically(statePath, bytes, sync: true)
                try fileSystem.removeFile(statePath + ".next")
            }
        }) {
            return ("committed, but the state was not saved (\(error)); run 'mklnk recover'", kept)
        }
        if let error = twice({ () throws(FileSystemError) in try journal.remove() }) {
            return ("committed, but the journal was not removed (\(error)); run 'mklnk recover'", kept)
        }
        return (nil, kept)
    }

    // MARK: State and counters

    /// The links of this plan after the apply, in plan order (so an unchanged plan encodes to
    /// the same bytes and the state is not rewritten).
    private func nextState(_ actions: [Action], failed: Set<Int>, steps: [Step], owners: [Int]) -> AppliedState {
        var next: [RecordedLink] = []
        var listed = Set<Path>()
        var deleted = Set<Path>()
        for (i, a) in actions.enumerated() where !failed.contains(i) {
            switch a.op {
            case .delete:
                deleted.insert(a.path)
            case .create, .update, .unchanged, .adopt:
                guard let kind = a.kind, let target = a.target, listed.insert(a.path).inserted else { continue }
                var record = RecordedLink(path: a.path, kind: kind, stored: target, device: 0, inode: 0)
                if kind == .hardlink, let file = try? fileSystem.status(target, follow: true) {
                    record.device = file.device
                    record.inode = file.inode
                }
                next.append(record)
            case .skip, .conflict:
                // Still the plan's link, though not made now: not re-added from the old state.
                if a.kind != nil { listed.insert(a.path) }
            case .backup:
                break  // the create that follows records the link
            }
        }
        if keepUnlisted || !unresolved.isEmpty {
            let keep = Set(unresolved)
            for old in previous.links.values.sorted(by: { $0.path < $1.path })
            where !listed.contains(old.path) && !deleted.contains(old.path) && (keepUnlisted || keep.contains(old.path)) {
                next.append(old)
            }
        }
        return AppliedState(ordered: next, made: made(actions, steps, owners: owners, failed: failed))
    }

    private func counters(_ actions: [Action], failed: Set<Int>) -> Counters {
        var c = Counters()
        for (i, a) in actions.enumerated() {
            if failed.contains(i) {
                if a.op != .backup { c.errors += 1 }
                continue
            }
            switch a.op {
            case .create where a.directory: break  // a `dirs:` directory, not a link
            case .create, .update: c.files += 1
            case .adopt:
                c.files += 1
                c.adopted += 1
            case .delete: c.deleted += 1
            case .unchanged where a.kind != nil: c.unchanged += 1
            case .backup: c.backups += 1
            case .conflict: c.errors += 1
            default: break
            }
        }
        return c
    }
}
