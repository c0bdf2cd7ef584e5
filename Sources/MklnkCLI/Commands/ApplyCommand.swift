import ArgumentParser
import CMklnkSys
import MklnkCore
import MklnkFileSystem

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Plan and apply in one transaction: all or nothing, crash safe.",
        discussion: "Exit 0 applied, 1 conflicts or a failure (rolled back) or a stale saved plan, 65 invalid plan, 75 locked.")

    @OptionGroup var common: CommonOptions

    @Argument(help: ArgumentHelp("The plan file ('-' reads it from standard input; omit with --saved).", valueName: "plan"), transform: PlanArgument.kernel)
    var plan: String?

    @Option(help: ArgumentHelp("Apply exactly a plan saved by 'plan --out'; refuse if anything it touches changed or a rule of 'plan' no longer holds.", valueName: "saved"))
    var saved: String?

    @Flag(name: .customLong("dry-run"), help: "Print what 'plan' prints and change nothing.")
    var dryRun = false

    @Flag(name: .customLong("keep-going"), help: "Apply what can be applied and count the errors (MKLNK's behaviour) instead of rolling back.")
    var keepGoing = false

    @Flag(name: .customLong("no-prune"), help: "Keep links that an earlier apply made and the plan no longer lists.")
    var noPrune = false

    @Option(help: ArgumentHelp("Append the counters as NAME=VALUE lines to FILE ('-' for stdout; $GITHUB_OUTPUT works). Opened before anything changes; with --dry-run, what the apply would count.", valueName: "file"))
    var counters: String?

    @Flag(help: "Print one JSON document.")
    var json = false

    func validate() throws {
        if (plan == nil) == (saved == nil) { throw ValidationError("give a plan file or --saved FILE (one of them)") }
        if saved != nil && dryRun { throw ValidationError("--dry-run plans anew; it does not take --saved") }
        if counters == "" { throw ValidationError("--counters needs a file or '-'; '' names none") }
    }

    func run() throws {
        Session(common: common, json: json).run { session in
            session.stepSummaryCommand = dryRun ? "plan" : "apply"
            try session.openCounters(counters)
            if dryRun, let plan {
                let run = session.plan(file: plan, prune: !noPrune)
                try session.present(run, file: plan, title: "Plan", keepGoing: keepGoing)
                if let failure = run.failure { throw Exit.code(for: failure) }
                return
            }
            session.report.applied = false
            session.report.plan = plan.flatMap(session.planFile)
            try session.beginMutation()
            if let saved { return try applySaved(saved, session) }
            if let plan { try apply(plan, session) }
        }
    }

    private func apply(_ plan: String, _ session: Session) throws {
        let noPrune = !StandardInput.prunes(plan, !self.noPrune)
        var run = PlanPipeline.run(file: plan, options: session.loadOptions, stateDirectory: session.stateDirectory,
                                   prune: !noPrune, fileSystem: makeFileSystem, cache: session.planCache(writable: true))
        // The plan names the root; once it is locked, a plan made while another apply ran there is made again.
        if run.0.diagnostics.failure != .invalidPlan, let root = run.0.plan?.root, try session.lockRoot(root) {
            run = PlanPipeline.run(file: plan, options: session.loadOptions, stateDirectory: session.stateDirectory,
                                   prune: !noPrune, fileSystem: makeFileSystem, cache: session.planCache(writable: true))
        }
        let errors = run.0.diagnostics.errorsBesideConflicts
        session.print(run.0.diagnostics.merged(withProblemsIn: run.0.actions))
        guard let planned = run.0.plan, let fileSystem = run.1, run.0.diagnostics.failure != .invalidPlan else {
            session.report.counters = Counters(planned: [], errors: errors)
            throw Exit.invalidPlan
        }
        try session.lockRoot(planned.root)
        let key = PlanPipeline.planKey(planned, session.loadOptions)
        session.report.root = planned.root
        if let failure = run.0.failure, !keepGoing {
            if !session.json {
                DiffRenderer(console: session.console).render(run.0.actions.filter { $0.op == .conflict }, summary: false)
            }
            session.error("nothing was changed: the plan cannot be carried out here")
            session.report.actions = run.0.actions
            session.report.counters = Counters(refused: run.0.actions, errors: errors)
            throw Exit.code(for: failure)
        }
        let (actions, previous) = (run.0.actions, run.0.previous)
        let unresolved = run.0.graph?.unresolved ?? []
        // The transaction needs only the actions: free the plan and the graph before it runs.
        run.0.plan = nil
        run.0.graph = nil
        run.0.actions = []
        // Their pages go back before the journal and the state are built: those are a few large
        // buffers that would not reuse the many small blocks freed, so the peak would hold both.
        mklnk_release_free_memory()
        try session.execute(actions, fileSystem: fileSystem, plan: key, previous: previous,
                        keepUnlisted: noPrune, keepGoing: keepGoing, recordsState: true,
                        earlierErrors: errors, unresolved: unresolved)
    }

    private func applySaved(_ argument: String, _ session: Session) throws {
        let reader = LocalFileSystem(root: "/")
        let given = RawArguments.path(argument)
        // As messages name it: a name that is not UTF-8 shows its bytes escaped.
        let file = given.string ?? given.description
        let path = Paths.absolute(given, base: common.workingDirectory)
        let read: [UInt8]??
        do throws(FileSystemError) {
            read = try reader.readFile(path)
        } catch {
            session.error("cannot read the saved plan \(file): \(error.reason)")
            throw Exit.cannotApply
        }
        guard let bytes = read ?? nil else {
            session.error("cannot read the saved plan \(file): it does not exist")
            throw Exit.cannotApply
        }
        var saved: SavedPlan
        switch SavedPlan.decode(bytes) {
        case .success(let decoded): saved = decoded
        case .failure(let damage):
            session.error(SavedPlan.looksSaved(bytes)
                ? "\(file) is a damaged saved plan: \(damage.reason); nothing was changed (save it again with 'mklnk plan PLAN --out FILE')"
                : "\(file) is not a saved plan (make one with 'mklnk plan PLAN --out FILE')")
            throw Exit.cannotApply
        }
        session.report.plan = saved.plan
        session.report.root = saved.root
        try SavedPlanOptions.check(saved, common: common, session: session)
        // --no-prune is honoured: the saved prunes are not carried out, their links stay recorded.
        if noPrune { saved = saved.withoutPrunes() }
        try session.lockRoot(saved.root)
        let fileSystem = makeFileSystem(saved.root)
        let previous = (try? StateStore(fileSystem: fileSystem, directory: session.stateDirectory)
            .load(plan: saved.plan, root: saved.root)) ?? AppliedState()
        let problems = SavedPlanCheck(fileSystem: fileSystem, previous: previous).problems(in: saved, keepGoing: keepGoing)
        if !problems.isEmpty {
            var diagnostics = Diagnostics()
            for p in problems {
                diagnostics.error("\(p.path): \(p.reason)",
                                  at: p.source ?? SourceLocation(file: file, line: p.line, column: 1), failure: .cannotApply)
            }
            diagnostics.error("the saved plan no longer holds here; nothing was changed (run 'mklnk plan' again)",
                              at: nil, failure: .cannotApply)
            session.print(diagnostics)
            session.report.actions = saved.actions
            session.report.counters = Counters(refused: saved.actions, errors: problems.count)
            throw Exit.cannotApply
        }
        try session.execute(saved.actions, fileSystem: fileSystem, plan: saved.plan, previous: previous,
                        keepUnlisted: saved.keepUnlisted, keepGoing: keepGoing, recordsState: true)
    }
}
