import ArgumentParser
import MklnkCore
import MklnkFileSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would change (a dry run that changes nothing).",
        discussion: "Exit 0 when the plan can be applied, 1 on conflicts or errors, 65 for an invalid plan; with --detailed-exitcode 0 no change, 2 changes, 1 errors.")

    @OptionGroup var common: CommonOptions

    @Argument(help: ArgumentHelp("The plan file ('-' reads it from standard input; its base is then the current directory).", valueName: "plan"), transform: PlanArgument.kernel)
    var plan: String

    @Flag(help: "Print one JSON document instead of the diff.")
    var json = false

    @Option(help: ArgumentHelp("Save the plan, with what was observed at each path, for 'apply --saved'.", valueName: "saved"))
    var out: String?

    @Flag(name: .customLong("detailed-exitcode"), help: "Exit 0 with no changes, 2 with changes, 1 on errors.")
    var detailedExitcode = false

    @Flag(name: .customLong("no-prune"), help: "Do not delete links that an earlier apply made and the plan no longer lists.")
    var noPrune = false

    @Flag(help: "Preview 'mklnk destroy': the links this plan made that would be removed, and what is kept.")
    var destroy = false

    func validate() throws {
        if out == "" { throw ValidationError("--out needs a file; '' names none") }
        if out == "-" { throw ValidationError("--out needs a file: standard output carries the diff") }
        if destroy && out != nil { throw ValidationError("--out cannot be used with --destroy: a destroy is not saved; run 'mklnk destroy PLAN'") }
        if destroy && plan == StandardInput.argument { throw ValidationError(DestroyCommand.standardInputRefusal) }
    }

    func run() throws {
        Session(common: common, json: json).run { session in
            session.stepSummaryCommand = "plan"
            if let out { try checkDestination(out, session) }
            if destroy { return try DestroyCommand.preview(plan, session, detailedExitcode: detailedExitcode) }
            let run = session.plan(file: plan, prune: !noPrune)
            try session.present(run, file: plan, title: "Plan")
            if let failure = run.failure {
                if out != nil { session.error("not saving a plan that cannot be applied") }
                throw Exit.code(for: failure)
            }
            if let out, let planned = run.plan {
                try session.save(run, plan: planned, keepUnlisted: !StandardInput.prunes(plan, !noPrune), to: out)
            }
            if detailedExitcode && run.summary.pendingChanges { throw Exit.changesPending }
        }
    }

    /// Where `--out` will write is checked before planning, as `--counters` is: a usage error
    /// (64) up front rather than a plan printed and then not saved.
    private func checkDestination(_ out: String, _ session: Session) throws {
        let destination = Paths.absolute(RawArguments.path(out), base: common.workingDirectory)
        let fs = LocalFileSystem(root: "/")
        let existing = try? fs.status(destination, follow: false)
        let directory = try? fs.status(Paths.parent(destination), follow: true)
        var problem: String?
        if let existing, existing.kind != .regular {
            problem = "it exists and is not a regular file"
        } else if directory?.kind != .directory {
            problem = "its directory does not exist"
        } else if Paths.parent(destination).withCString({ access($0, W_OK) }) != 0 {
            problem = "its directory is not writable"
        }
        if let problem {
            session.error("cannot save the plan to \(out): \(problem); nothing was planned")
            throw Exit.usage
        }
    }
}
