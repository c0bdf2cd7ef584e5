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
    /// `--json`: stdout carries exactly one document, printed by `finish` however the command ends.
    let json: Bool
    /// What the command found and did, for `--json` and the CI step summary.
    var report = Report()
    /// `plan` or `apply`: the command whose outcome goes to `$GITHUB_STEP_SUMMARY`.
    var stepSummaryCommand: String?
    private var printer: DiagnosticPrinter
    private var countersOutput: CountersOutput?
    /// The state directory's lock (Session+Locks.swift).
    var lock: FileLock?
    /// Locks on the roots being changed (`lockRoot`): one, unless a plan's root changed as it
    /// was planned again.
    var rootLocks: [Path: FileLock] = [:]
    /// State directories this command created, innermost last, removed again if left empty.
    var createdDirectories: [Path] = []
    /// The plan caches `apply` may write (`planCache`).
    private var writableCaches: [PlanCache] = []

    /// How long a second apply waits for the lock before exit 75.
    static let lockTimeout = 2.0

    init(common: CommonOptions, json: Bool = false) {
        self.common = common
        self.json = json
        facts = common.facts
        console = common.console(facts)
        stateDirectory = common.stateDirectory(facts)
        printer = DiagnosticPrinter(console: console, annotations: common.annotations(facts))
    }

    var loadOptions: LoadOptions { common.loadOptions(facts) }

    /// Runs a command's body and ends the process through `finish`, whichever way the body ends,
    /// so `--json`, the counters and the step summary are written for every outcome.
    func run(_ body: (Session) throws -> Void) -> Never {
        do {
            try body(self)
            finish()
        } catch let code as ExitCode {
            finish(code)
        } catch {
            self.error("\(error)")
            finish(Exit.cannotApply)
        }
    }

    /// Prints diagnostics on stderr (capped, annotated under CI) and keeps them all for `--json`.
    func print(_ diagnostics: Diagnostics) {
        report.diagnostics.append(contentsOf: diagnostics)
        printer.print(diagnostics)
    }

    func error(_ message: String) {
        var d = Diagnostics()
        d.error(message, at: nil, failure: .cannotApply)
        print(d)
    }

    func warning(_ message: String) {
        var d = Diagnostics()
        d.warning(message, at: nil)
        print(d)
    }

    /// Writes the counters, the `--json` document and the step summary, flushes and exits at
    /// once. Large plans leave 100,000s of objects; the kernel frees them faster than releasing
    /// each would (clang's -disable-free does the same).
    func finish(_ code: ExitCode = .success) -> Never {
        var code = code
        let counters = report.effectiveCounters
        switch countersOutput {
        case .standardOutput?:
            // With --json the counters are in the document only.
            if !json { console.out.write(CountersOutput.lines(counters)) }
        case .file(let fd, let name)?:
            var failed = CountersOutput.append(counters, to: fd)
            if close(fd) != 0 && failed == 0 { failed = errno }
            if failed != 0 {
                console.out.flush()
                code = LostOutput.report("the counters to \(TerminalText.escape(name))", error: failed,
                                         applied: report.applied == true, code: code, to: console)
            }
        case nil:
            break
        }
        if json {
            console.out.line(JSONRenderer.document(report, exit: code.rawValue, workingDirectory: common.workingDirectory))
        }
        if let command = stepSummaryCommand, let file = facts.environment["GITHUB_STEP_SUMMARY"], !file.isEmpty {
            let text = StepSummary(console: console).markdown(command: command, report: report, exit: code.rawValue)
            if !StepSummary.append(text, to: Path(file)) {
                console.err.line("mklnk: warning: cannot append to $GITHUB_STEP_SUMMARY (\(TerminalText.escape(file)))")
            }
        }
        console.flush()
        if let failed = console.out.failure {
            code = LostOutput.report("to standard output", error: failed, applied: report.applied == true, code: code, to: console)
        }
        discardUnkeptCaches()
        releaseLock()
        exit(code.rawValue)
    }

    /// The compiled plans `apply` stored (at once, under the lock) stay only beside a state: a
    /// state directory this command made and left without one is removed whole (no trace).
    private func discardUnkeptCaches() {
        if writableCaches.isEmpty || createdDirectories.isEmpty { return }
        if (try? LocalFileSystem(root: "/").status(stateDirectory + "/plans", follow: false)) ?? nil == nil {
            for cache in writableCaches { cache.discard() }
        }
    }

    /// `--counters FILE`: opened now, before anything changes; one that cannot be opened is a
    /// usage error and nothing is done.
    func openCounters(_ argument: String?) throws {
        guard let argument else { return }
        switch CountersOutput.open(argument, workingDirectory: common.workingDirectory) {
        case .success(let output): countersOutput = output
        case .failure(let error):
            self.error("cannot open the counters file \(argument): \(error.reason); nothing was changed")
            throw Exit.usage
        }
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

    /// The compiled-plan cache in the state directory (`PlanCache`), unless `MKLNK_PLAN_CACHE`
    /// is `0` or `off`. Only `apply`, holding the state directory's lock, writes it: `plan` and
    /// `check` change nothing (SPEC §2).
    func planCache(writable: Bool) -> PlanCache? {
        if let setting = facts.environment.values["MKLNK_PLAN_CACHE"], setting == "0" || setting == "off" { return nil }
        // The cache compares variables as text: values that are not UTF-8 could decode alike.
        if !facts.environment.notUTF8.isEmpty { return nil }
        let cache = PlanCache(stateDirectory: stateDirectory, writable: writable && lock != nil)
        if cache.writable { writableCaches.append(cache) }
        return cache
    }

    // MARK: Planning

    func plan(file: String, prune: Bool) -> PlannedRun {
        let pending = (try? LocalFileSystem(root: "/").status(stateDirectory + "/journal", follow: false)) ?? nil != nil
        var run = PlanPipeline.run(file: file, options: loadOptions, stateDirectory: stateDirectory,
                                   prune: StandardInput.prunes(file, prune), fileSystem: makeFileSystem,
                                   cache: planCache(writable: false)).0
        // The tree is mid-transaction, and the next apply first undoes or finishes it: a verdict
        // on it now would not be the one `apply` acts on (AUDIT3 F23). `apply` recovers before
        // planning, so only `plan` and `check` get here with a journal.
        if pending && run.diagnostics.failure == nil {
            run.diagnostics.error("cannot be planned or checked here: an interrupted apply is pending (its journal is in "
                                  + "\(stateDirectory)); run 'mklnk recover' first", at: nil, failure: .cannotApply)
        }
        return run
    }

    /// The plan file's absolute path for reports; nil for a plan on standard input (no file).
    func planFile(_ file: String) -> Path? {
        file == StandardInput.argument ? nil : Paths.absolute(PlanFileName.path(file), base: common.workingDirectory)
    }

    /// Prints diagnostics, each conflict as a located error, and the diff (unless `--json`);
    /// throws 65 for an invalid plan.
    /// The counters are those the apply would report: a plan that cannot be carried out as a
    /// whole writes nothing unless the apply is to keep going.
    func present(_ run: PlannedRun, file: String, title: String, keepGoing: Bool = false) throws {
        let errors = run.diagnostics.errorsBesideConflicts
        print(run.diagnostics.merged(withProblemsIn: run.actions))
        if run.diagnostics.failure == .invalidPlan || run.plan == nil {
            // Consumers of --json always get one document; this one has no actions.
            report.plan = planFile(file)
            report.counters = Counters(planned: [], errors: errors)
            throw Exit.invalidPlan
        }
        report.plan = planFile(file)
        report.root = run.plan?.root
        report.actions = run.actions
        report.counters = run.failure == nil || keepGoing
            ? Counters(planned: run.actions, errors: errors) : Counters(refused: run.actions, errors: errors)
        if !json { DiffRenderer(console: console).render(run.actions, title: title, errors: errors) }
    }

    func save(_ run: PlannedRun, plan: Plan, keepUnlisted: Bool, to file: String) throws {
        var saved = SavedPlan(plan: PlanPipeline.planKey(plan, loadOptions), root: plan.root, actions: run.actions)
        saved.observe(fileSystem: makeFileSystem(plan.root), state: run.previous)
        saved.keepUnlisted = keepUnlisted
        saved.variablesDigest = SavedPlanSeal.digest(of: loadOptions.variables)
        let destination = Paths.absolute(RawArguments.path(file), base: common.workingDirectory)
        if let existing = try? LocalFileSystem(root: "/").status(destination, follow: false), existing.kind != .regular {
            self.error("not saving the plan to \(file): it exists and is not a regular file")
            throw Exit.cannotApply
        }
        do {
            try LocalFileSystem(root: "/").writeFileAtomically(destination, saved.encoded(), sync: false)
        } catch {
            self.error("cannot save the plan to \(file): \(error.reason)")
            throw Exit.cannotApply
        }
    }

    // MARK: Mutating

    /// Runs the actions in one transaction and reports the result.
    func execute(_ actions: [Action], fileSystem: FileSystem, plan: Path, previous: AppliedState,
                 keepUnlisted: Bool, keepGoing: Bool, recordsState: Bool, earlierErrors: Int = 0,
                 unresolved: [Path] = [], finalState: AppliedState? = nil, trailer: [String] = []) throws -> Never {
        try lockRoot(fileSystem.root)  // held already by every command that plans under it
        var transaction = Transaction(fileSystem: fileSystem, stateStore: StateStore(fileSystem: fileSystem, directory: stateDirectory),
                                      plan: plan, previous: previous, keepUnlisted: keepUnlisted, keepGoing: keepGoing)
        transaction.recordsState = recordsState
        transaction.unresolved = unresolved
        transaction.finalState = finalState
        let progress = ProgressBar(stream: console.err, enabled: !common.quiet && !json)
        transaction.progress = progress.update
        var outcome = transaction.apply(actions)
        outcome.counters.errors += earlierErrors
        outcome.failures = ScratchNames.forUser(outcome.failures, actions: actions)
        progress.finish()

        let failedPaths = Set(outcome.failures.map(\.path))
        report.root = fileSystem.root
        // A rolled-back apply still reports what it attempted (`applied` says it was undone),
        // as a refused one does: a script sees which entry failed.
        report.actions = actions.markingFailures(outcome.failures)
        report.counters = outcome.counters
        // A rolled-back apply counts what failed, though it undid the rest.
        if outcome.rolledBack { report.counters?.errors = max(outcome.counters.errors, outcome.failures.count) }
        report.applied = !outcome.rolledBack && outcome.failures.isEmpty
        report.failures = outcome.failures
        if !json && !outcome.rolledBack {
            DiffRenderer(console: console).renderApplied(actions, backups: outcome.backups,
                                                        errors: outcome.failures.count, failed: failedPaths)
            if !common.quiet { for line in trailer { console.out.line(line) } }
        }
        var problems = Diagnostics()
        if !outcome.failures.isEmpty {
            let sources = Dictionary(actions.compactMap { a in a.source.map { (a.path, $0) } }, uniquingKeysWith: { first, _ in first })
            for failure in outcome.failures { problems.error(failure.message, at: sources[failure.path], failure: .cannotApply) }
        }
        // One conclusion per failure: a rollback that could not finish leaves its journal.
        if outcome.rolledBack {
            let journalLeft = (try? LocalFileSystem(root: "/").status(stateDirectory + "/journal", follow: false)) ?? nil != nil
            problems.error(journalLeft
                ? "the apply failed and its rollback is incomplete; run 'mklnk recover' to finish it"
                : "the apply failed and was rolled back; nothing was changed", at: nil, failure: .cannotApply)
        } else {
            for warning in outcome.warnings { problems.warning(warning, at: nil) }
        }
        print(problems)
        finish(outcome.rolledBack || !outcome.failures.isEmpty || outcome.counters.errors > 0 ? Exit.cannotApply : .success)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
