import ArgumentParser
import MklnkCore

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Does the filesystem match the plan? Exit 0 yes, 2 drift (listed), 1 error.")

    @OptionGroup var common: CommonOptions

    @Argument(help: ArgumentHelp("The plan file.", valueName: "plan"))
    var plan: String

    @Flag(help: "Print one JSON document instead of the list.")
    var json = false

    func run() throws {
        let session = Session(common: common)
        let run = session.plan(file: plan, prune: true)
        if !json && run.failure == nil && !run.summary.pendingChanges && run.diagnostics.failure == nil {
            session.print(run.diagnostics)
            let n = run.summary.unchanged
            if !common.quiet { session.console.out.line("In sync: \(n) link\(n == 1 ? "" : "s") match the plan.") }
            session.finish()
        }
        try session.report(run, file: plan, json: json, title: "Drift")
        if let failure = run.failure { throw Exit.code(for: failure) }
        session.finish(run.summary.pendingChanges ? Exit.changesPending : .success)
    }
}
