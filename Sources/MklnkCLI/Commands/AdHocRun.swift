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
        if !previews {
            try session.lockRoot(plan.root)
            if let home = Self.defaultRoot(of: plan, home: Path(session.facts.home)) { try session.lockRoot(home) }
        }
        let fileSystem = makeFileSystem(plan.root)
        let graph = GraphBuilder(fileSystem: fileSystem, inspectLinks: true).build(plan, &diagnostics)
        session.print(diagnostics)
        // A link refused for its target is planned as a conflict, as `plan` shows it.
        if diagnostics.failure == .invalidPlan || diagnostics.errorsBesideConflicts > 0 {
            session.report.counters = Counters(refused: [], errors: diagnostics.errors.count)
            throw Exit.code(for: diagnostics.failure ?? .cannotApply)
        }
        var planner = Planner(fileSystem: fileSystem, prune: false)
        // A one-off command names where an adopt moves the file (`link --adopt TARGET`, `adopt --into`).
        planner.adoptsOnlyIntoBase = false
        let actions = planner.plan(graph)
        guard actions.contains(where: { $0.op == .conflict }) else { return (actions, fileSystem) }
        session.print(.problems(in: actions, besides: diagnostics))
        if !session.json {
            DiffRenderer(console: session.console).render(actions.filter { $0.op == .conflict }, summary: false)
        }
        session.error("nothing was changed")
        session.report.actions = actions
        session.report.counters = Counters(refused: actions, errors: diagnostics.errorsBesideConflicts)
        throw Exit.cannotApply
    }

    /// Without `--root` the root is `/`, and an apply on these paths would most likely run on
    /// `$HOME`, its default root: for paths beneath it that is locked too, so that `link` and
    /// `unlink` wait for such an apply as another apply would (SPEC §4, one at a time). The
    /// paths stay confined to `/` only (they may write anywhere, as documented).
    static func defaultRoot(of plan: Plan, home: Path) -> Path? {
        guard plan.root == "/", home.isAbsolute, home != "/" else { return nil }
        let home = Paths.normalize(home)
        let beneath = plan.entries.contains { Paths.isWithin(Paths.normalize($0.link), home) }
            || plan.removals.contains { Paths.isWithin($0.path, home) }
        return beneath ? home : nil
    }

    /// A path argument as an entry's link path: absolute, and with its `..` kept (as the loader
    /// keeps a plan's), so that the graph puts the link where the kernel would (`kernelLinkPath`).
    static func spelled(_ written: Path, cwd: Path) -> Path {
        let kept = written.isAbsolute ? written : Paths.join(cwd, written)
        let dotDot = kept.bytes.split(separator: UInt8(ascii: "/")).contains { $0.elementsEqual("..".utf8) }
        return dotDot ? kept : Paths.absolute(written, base: cwd)
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
