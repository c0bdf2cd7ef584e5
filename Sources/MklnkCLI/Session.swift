import ArgumentParser
import MklnkCore
import MklnkFileSystem

/// One command's view of the world: facts, console, state directory; and the steps that
/// `plan`, `check`, `apply`, `link` and `unlink` share.
final class Session {
    let common: CommonOptions
    let facts: HostFacts
    let console: Console
    let stateDirectory: Path
    private var printer: DiagnosticPrinter
    private var lock: FileLock?
    /// Locks on the roots being changed (`lockRoot`): one, unless a plan's root changed as it
    /// was planned again.
    private var rootLocks: [Path: FileLock] = [:]
    /// State directories this command created, innermost last, removed again if left empty.
    private var createdDirectories: [Path] = []

    /// How long a second apply waits for the lock before exit 75.
    static let lockTimeout = 2.0

    init(common: CommonOptions) {
        self.common = common
        facts = common.facts
        console = common.console(facts)
        stateDirectory = common.stateDirectory(facts)
        printer = DiagnosticPrinter(console: console)
    }

    var loadOptions: LoadOptions { common.loadOptions(facts) }

    func print(_ diagnostics: Diagnostics) { printer.print(diagnostics) }

    func error(_ message: String) {
        console.err.line(console.paint("mklnk:", "1", stderr: true) + " " + console.paint("error:", "1;31", stderr: true)
                         + " " + message)
    }

    func warning(_ message: String) {
        console.err.line(console.paint("mklnk:", "1", stderr: true) + " " + console.paint("warning:", "1;35", stderr: true)
                         + " " + message)
    }

    /// Flushes and exits at once. Large plans leave 100,000s of objects; the kernel frees them
    /// faster than releasing each would (clang's -disable-free does the same).
    func finish(_ code: ExitCode = .success) -> Never {
        console.flush()
        releaseLock()
        exit(code.rawValue)
    }

    deinit { releaseLock() }

    /// Drops the lock, and with it every trace a command that persisted nothing would leave:
    /// the lock file and the state directories it made (a rolled-back apply leaves the tree as it was).
    private func releaseLock() {
        for lock in rootLocks.values { lock.release() }
        rootLocks = [:]
        guard let lock else { return }
        lock.release(removing: true)
        self.lock = nil
        for dir in createdDirectories.reversed() { _ = dir.withCString { rmdir($0) } }
    }

    // MARK: Planning

    func plan(file: String, prune: Bool) -> PlannedRun {
        if (try? LocalFileSystem(root: "/").status(stateDirectory + "/journal", follow: false)) ?? nil != nil {
            warning("an interrupted apply is pending; the next apply (or 'mklnk recover') settles it first")
        }
        return PlanPipeline.run(file: file, options: loadOptions, stateDirectory: stateDirectory, prune: prune,
                                fileSystem: makeFileSystem).0
    }

    /// Prints diagnostics and the diff (or JSON); throws 65 for an invalid plan.
    func report(_ run: PlannedRun, file: String, json: Bool, title: String) throws {
        print(run.diagnostics)
        if run.diagnostics.failure == .invalidPlan || run.plan == nil {
            if json {
                // Consumers of --json always get one document; this one has no actions.
                console.out.line(JSONRenderer.document(
                    plan: Paths.absolute(RawArguments.path(file), base: common.workingDirectory), root: nil, actions: [],
                    counters: Counters(planned: [], errors: run.diagnostics.errors.count), diagnostics: run.diagnostics))
            }
            console.flush()
            throw Exit.invalidPlan
        }
        let renderer = DiffRenderer(console: console)
        renderer.warnSkips(run.actions)
        if json {
            console.out.line(JSONRenderer.document(
                plan: run.plan.map { PlanPipeline.planKey($0, loadOptions) }, root: run.plan?.root, actions: run.actions,
                counters: Counters(planned: run.actions, errors: run.diagnostics.errors.count),
                diagnostics: run.diagnostics))
        } else {
            renderer.render(run.actions, title: title, errors: run.diagnostics.errors.count)
        }
        console.flush()
    }

    func save(_ run: PlannedRun, plan: Plan, to file: String) throws {
        let saved = SavedPlan(plan: PlanPipeline.planKey(plan, loadOptions), root: plan.root, actions: run.actions)
        let destination = Paths.absolute(RawArguments.path(file), base: common.workingDirectory)
        if let existing = try? LocalFileSystem(root: "/").status(destination, follow: false), existing.kind != .regular {
            self.error("not saving the plan to \(file): it exists and is not a regular file")
            console.flush()
            throw Exit.cannotApply
        }
        do {
            try LocalFileSystem(root: "/").writeFileAtomically(destination, saved.encoded(), sync: false)
        } catch {
            self.error("cannot save the plan to \(file): \(error.reason)")
            console.flush()
            throw Exit.cannotApply
        }
    }

    // MARK: Mutating

    /// Takes the lock (exit 75 when another apply holds it), then settles any interrupted transaction.
    func beginMutation(recovering: Bool = true) throws {
        let fs = LocalFileSystem(root: "/")
        do {
            var missing: [Path] = []
            var dir = Paths.normalize(stateDirectory)
            while dir != "/", try fs.status(dir, follow: true) == nil {
                missing.append(dir)
                dir = Paths.parent(dir)
            }
            try fs.createDirectories(stateDirectory)
            createdDirectories = missing.reversed()
            guard let lock = try takeLock(fs) else {
                self.error("another mklnk apply holds the lock in \(stateDirectory); try again when it is done")
                console.flush()
                throw Exit.locked
            }
            self.lock = lock
        } catch let error as FileSystemError {
            self.error("cannot lock the state directory: \(error.reason)")
            console.flush()
            throw Exit.cannotApply
        }
        if recovering { try recover(announce: false) }
    }

    /// Takes the lock on `root` itself, held until exit, so that no other mklnk (whatever its
    /// state directory) changes the same root meanwhile; exit 75 after waiting `lockTimeout`.
    /// Returns true when it had to wait: another apply ran, and what was planned may be stale.
    @discardableResult
    func lockRoot(_ root: Path) throws -> Bool {
        if rootLocks[root] != nil { return false }
        do {
            if let lock = try FileLock.acquire(directory: root, timeout: 0) {
                rootLocks[root] = lock
                return false
            }
            if let lock = try FileLock.acquire(directory: root, timeout: Self.lockTimeout) {
                rootLocks[root] = lock
                return true
            }
        } catch where error.isNotFound {
            return false  // no root, nothing to write beneath it: the apply itself reports that
        } catch {
            self.error("cannot lock the root \(console.show(root)): \(error.reason)")
            console.flush()
            throw Exit.cannotApply
        }
        self.error("another mklnk apply holds the lock on the root \(console.show(root)); try again when it is done")
        console.flush()
        throw Exit.locked
    }

    private func takeLock(_ fs: LocalFileSystem) throws(FileSystemError) -> FileLock? {
        do {
            return try FileLock.acquire(stateDirectory + "/lock", timeout: Self.lockTimeout)
        } catch {
            guard error.isNotFound else { throw error }
            // A previous holder removed the directory it had made as we arrived: make it again.
            try fs.createDirectories(stateDirectory)
            return try FileLock.acquire(stateDirectory + "/lock", timeout: Self.lockTimeout)
        }
    }

    func recover(announce: Bool) throws {
        do {
            switch try Recovery.run(stateDirectory: stateDirectory, lockTimeout: Self.lockTimeout, fileSystem: makeFileSystem) {
            case .nothing:
                if announce && !common.quiet { console.out.line("Nothing to recover.") }
            case .rolledBack(let steps):
                if !common.quiet { console.err.line("mklnk: recovered an interrupted apply: rolled back \(steps) step\(steps == 1 ? "" : "s")") }
            case .finished(let steps):
                if !common.quiet { console.err.line("mklnk: recovered an interrupted apply: finished its \(steps) committed step\(steps == 1 ? "" : "s")") }
            case .damaged(let report, _):
                // Exit 1, nothing else done: the user reads what it holds before anything runs on.
                for line in report.split(separator: "\n", omittingEmptySubsequences: false) { self.error(String(line)) }
                console.flush()
                throw Exit.cannotApply
            case .busy(let root):
                self.error("another mklnk holds the lock on the root \(console.show(root)); try again when it is done")
                console.flush()
                throw Exit.locked
            }
        } catch let error as FileSystemError {
            self.error("recovery of the interrupted apply failed: \(error); nothing else was changed")
            console.flush()
            throw Exit.cannotApply
        }
        console.flush()
    }

    /// Runs the actions in one transaction and reports the result.
    func execute(_ actions: [Action], fileSystem: FileSystem, plan: Path, previous: AppliedState,
                 keepUnlisted: Bool, keepGoing: Bool, recordsState: Bool, json: Bool, counters: String?,
                 planName: Path?, earlierErrors: Int = 0, unresolved: [Path] = []) throws -> Never {
        try lockRoot(fileSystem.root)  // held already by every command that plans under it
        var transaction = Transaction(fileSystem: fileSystem, stateStore: StateStore(fileSystem: fileSystem, directory: stateDirectory),
                                      plan: plan, previous: previous, keepUnlisted: keepUnlisted, keepGoing: keepGoing)
        transaction.recordsState = recordsState
        transaction.unresolved = unresolved
        let progress = ProgressBar(stream: console.err, enabled: !common.quiet && !json)
        transaction.progress = progress.update
        var outcome = transaction.apply(actions)
        outcome.counters.errors += earlierErrors
        progress.finish()

        var done = actions
        if outcome.rolledBack { done = [] }
        let failedPaths = Set(outcome.failures.map(\.path))
        if !json {
            if !outcome.rolledBack {
                DiffRenderer(console: console).renderApplied(done.filter { !failedPaths.contains($0.path) },
                                                            backups: outcome.backups)
            }
        } else {
            console.out.line(JSONRenderer.document(
                plan: planName, root: fileSystem.root, actions: done, counters: outcome.counters,
                diagnostics: Diagnostics(), extra: [("applied", .bool(!outcome.rolledBack && outcome.failures.isEmpty)),
                                                    ("failures", .array(outcome.failures.map { .object([("path", .path($0.path)), ("message", .string($0.message))]) }))]))
        }
        for failure in outcome.failures { self.error(failure.message) }
        for warning in outcome.warnings { self.warning(warning) }
        if outcome.rolledBack { self.error("the apply failed and was rolled back; nothing was changed") }
        try writeCounters(outcome.counters, to: counters)
        console.flush()
        finish(outcome.rolledBack || !outcome.failures.isEmpty || outcome.counters.errors > 0 ? Exit.cannotApply : .success)
    }

    /// `output` is `-` (stdout) or a file, as given on the command line.
    func writeCounters(_ counters: Counters, to output: String?) throws {
        guard let output else { return }
        let text = counters.pairs.map { "\($0.0)=\($0.1)\n" }.joined()
        if output == "-" {
            console.out.write(text)
            return
        }
        let path = Paths.absolute(RawArguments.path(output), base: common.workingDirectory)
        let fd = path.withCString { open($0, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644) }
        guard fd >= 0 else {
            self.error("cannot write the counters to \(output)")
            return
        }
        _ = text.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
