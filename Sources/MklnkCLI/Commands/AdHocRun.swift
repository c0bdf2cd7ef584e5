import ArgumentParser
import MklnkCore
import MklnkFileSystem

/// `link` and `unlink`: a plan made from the command line, through the same planner and
/// transaction as `apply`, and counted and reported as `apply` reports.
struct AdHocRun {
    let session: Session
    let report: ReportOptions

    /// The plan's file name in messages and in the JSON document.
    static let source = "<command line>"

    /// What applying `plan` would do. When it cannot be done (an error, a conflict) this reports
    /// why, with the counters and the JSON document, and throws the exit code, having changed nothing.
    /// Unless it only `previews`, the root is locked first, so that what is planned is what is applied.
    func plan(_ plan: Plan, _ initial: Diagnostics, previews: Bool = false) throws -> (actions: [Action], fileSystem: FileSystem) {
        var diagnostics = initial
        if !previews { try session.lockRoot(plan.root) }
        let fileSystem = makeFileSystem(plan.root)
        let graph = GraphBuilder(fileSystem: fileSystem, inspectLinks: true).build(plan, &diagnostics)
        session.print(diagnostics)
        let actions = diagnostics.failure == nil ? Planner(fileSystem: fileSystem, prune: false).plan(graph) : []
        let conflicts = actions.filter { $0.op == .conflict }
        guard let failure = diagnostics.failure ?? (conflicts.isEmpty ? nil : .cannotApply) else {
            return (actions, fileSystem)
        }
        let counters = Counters(refused: actions, errors: diagnostics.errors.count)
        if report.json {
            session.console.out.line(JSONRenderer.document(
                plan: nil, root: plan.root, actions: actions, counters: counters, diagnostics: diagnostics,
                extra: [("applied", .bool(false)), ("failures", .array([]))]))
        } else if !conflicts.isEmpty {
            DiffRenderer(console: session.console).render(conflicts, summary: false)
        }
        session.error("nothing was changed")
        try session.writeCounters(counters, to: report.counters)
        session.console.flush()
        throw Exit.code(for: failure)
    }

    /// Refuses before anything is planned, counted as one error (and one JSON document).
    func refuse(_ message: String) throws -> Never {
        var diagnostics = Diagnostics()
        diagnostics.error(message, at: nil, failure: .cannotApply)
        if report.json {
            session.console.out.line(JSONRenderer.document(
                plan: nil, root: nil, actions: [], counters: Counters(refused: [], errors: 1), diagnostics: diagnostics,
                extra: [("applied", .bool(false)), ("failures", .array([]))]))
        }
        session.error(message)
        try session.writeCounters(Counters(refused: [], errors: 1), to: report.counters)
        session.console.flush()
        throw Exit.cannotApply
    }

    /// Applies what `plan` planned in one transaction; exits with its outcome.
    func apply(_ actions: [Action], _ fileSystem: FileSystem) throws -> Never {
        DiffRenderer(console: session.console).warnSkips(actions)
        try session.execute(actions, fileSystem: fileSystem, plan: Path(Self.source), previous: AppliedState(),
                            keepUnlisted: true, keepGoing: false, recordsState: false, json: report.json,
                            counters: report.counters, planName: nil)
    }
}

/// `--counters` and `--json`, as `apply` has them, for the one-shot commands.
struct ReportOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Append the counters as NAME=VALUE lines to FILE ('-' for stdout; $GITHUB_OUTPUT works).",
                               valueName: "file"))
    var counters: String?

    @Flag(help: "Print one JSON document.")
    var json = false

    var isEmpty: Bool { counters == nil && !json }
}
