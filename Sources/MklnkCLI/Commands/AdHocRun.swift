import ArgumentParser
import MklnkCore
import MklnkFileSystem

/// `link` and `unlink`: a plan made from the command line, through the same planner and
/// transaction as `apply`, and counted and reported as `apply` reports (the session writes the
/// counters and the `--json` document however the command ends).
struct AdHocRun {
    let session: Session

    /// The plan's file name in messages.
    static let source = "<command line>"

    /// What applying `plan` would do. When it cannot be done (an error, a conflict) this reports
    /// why and throws the exit code, having changed nothing. Unless it only `previews`, the root
    /// is locked first, so that what is planned is what is applied.
    func plan(_ plan: Plan, _ initial: Diagnostics, previews: Bool = false) throws -> (actions: [Action], fileSystem: FileSystem) {
        var diagnostics = initial
        session.report.applied = false
        session.report.root = plan.root
        if !previews { try session.lockRoot(plan.root) }
        let fileSystem = makeFileSystem(plan.root)
        let graph = GraphBuilder(fileSystem: fileSystem, inspectLinks: true).build(plan, &diagnostics)
        session.print(diagnostics)
        if let failure = diagnostics.failure {
            session.report.counters = Counters(refused: [], errors: diagnostics.errors.count)
            throw Exit.code(for: failure)
        }
        var planner = Planner(fileSystem: fileSystem, prune: false)
        // A one-off command names where an adopt moves the file (`link --adopt TARGET`, `adopt --into`).
        planner.adoptsOnlyIntoBase = false
        let actions = planner.plan(graph)
        guard actions.contains(where: { $0.op == .conflict }) else { return (actions, fileSystem) }
        session.print(.problems(in: actions))
        if !session.json {
            DiffRenderer(console: session.console).render(actions.filter { $0.op == .conflict }, summary: false)
        }
        session.error("nothing was changed")
        session.report.actions = actions
        session.report.counters = Counters(refused: actions, errors: diagnostics.errors.count)
        throw Exit.cannotApply
    }

    /// Refuses before anything is planned, counted as one error.
    func refuse(_ message: String) throws -> Never {
        session.report.applied = false
        session.error(message)
        session.report.counters = Counters(refused: [], errors: 1)
        throw Exit.cannotApply
    }

    /// Applies what `plan` planned in one transaction; exits with its outcome.
    func apply(_ actions: [Action], _ fileSystem: FileSystem) throws -> Never {
        try session.execute(actions, fileSystem: fileSystem, plan: Path(Self.source), previous: AppliedState(),
                            keepUnlisted: true, keepGoing: false, recordsState: false)
    }
}

/// A plan made from the command line, planned under the root lock and applied (`adopt`).
func runAdHoc(_ plan: Plan, _ initial: Diagnostics, _ session: Session) throws {
    let run = AdHocRun(session: session)
    let (actions, fileSystem) = try run.plan(plan, initial)
    try run.apply(actions, fileSystem)
}

/// `--counters` and `--json`, as `apply` has them, for the one-shot commands.
struct ReportOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Append the counters as NAME=VALUE lines to FILE ('-' for stdout; $GITHUB_OUTPUT works). Opened before anything changes.",
                               valueName: "file"))
    var counters: String?

    @Flag(help: "Print one JSON document.")
    var json = false

    var isEmpty: Bool { counters == nil && !json }
}
