import ArgumentParser
import MklnkCore

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would change (a dry run that changes nothing).",
        discussion: "Exit 0 when the plan can be applied, 1 on conflicts or errors, 65 for an invalid plan; with --detailed-exitcode 0 no change, 2 changes, 1 errors.")

    @OptionGroup var common: CommonOptions

    @Argument(help: ArgumentHelp("The plan file ('-' reads it from standard input; its base is then the current directory).", valueName: "plan"))
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

    func run() throws {
        Session(common: common, json: json).run { session in
            session.stepSummaryCommand = "plan"
            if destroy { return try DestroyCommand.preview(plan, session, detailedExitcode: detailedExitcode) }
            let run = session.plan(file: plan, prune: !noPrune)
            try session.present(run, file: plan, title: "Plan")
            if let failure = run.failure {
                if out != nil { session.error("not saving a plan that cannot be applied") }
                throw Exit.code(for: failure)
            }
            if let out, let planned = run.plan {
                try session.save(run, plan: planned, to: out)
            }
            if detailedExitcode && run.summary.pendingChanges { throw Exit.changesPending }
        }
    }
}
