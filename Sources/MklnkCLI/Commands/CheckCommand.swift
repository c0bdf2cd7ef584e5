import ArgumentParser
import MklnkCore

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Does the filesystem match the plan? Exit 0 yes, 2 drift (listed), 1 cannot be checked here, 65 invalid plan.")

    @OptionGroup var common: CommonOptions

    @Argument(help: ArgumentHelp("The plan file.", valueName: "plan"), transform: RawArguments.planFile)
    var plan: String

    @Flag(help: "Print one JSON document instead of the list.")
    var json = false

    func run() throws {
        Session(common: common, json: json).run { session in
            let run = session.plan(file: plan, prune: true)
            if !json && run.failure == nil && !run.summary.pendingChanges {
                // A link that conflict: skip leaves out is in sync (apply changes nothing), and
                // says so, as plan does.
                session.print(run.diagnostics.merged(withProblemsIn: run.actions))
                let n = run.summary.unchanged, skipped = run.summary.skip
                if !common.quiet {
                    session.console.out.line("In sync: \(n) link\(n == 1 ? " matches" : "s match") the plan"
                                             + (skipped > 0 ? "; \(skipped) skipped (conflict: skip)." : "."))
                }
                return
            }
            try session.present(run, file: plan, title: "Drift")
            if let failure = run.failure { throw Exit.code(for: failure) }
            if run.summary.pendingChanges { throw Exit.changesPending }
        }
    }
}
