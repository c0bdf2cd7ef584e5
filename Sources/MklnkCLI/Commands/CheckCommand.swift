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
        try session.report(run, json: json, title: "Drift")
        if let failure = run.failure { throw Exit.code(for: failure) }
        session.finish(run.summary.pendingChanges ? Exit.changesPending : .success)
    }
}
