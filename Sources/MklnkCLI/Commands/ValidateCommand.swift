import ArgumentParser
import MklnkCore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Load and check plans without looking at link paths on disk.",
        discussion: "Globs are expanded against base. Exit 0 when every plan is valid, 65 when one is not.")

    @OptionGroup var common: CommonOptions

    @Argument(help: ArgumentHelp("Plan files.", valueName: "plan"), transform: PlanArgument.kernel)
    var plans: [String]

    func run() throws {
        let facts = common.facts
        let console = common.console(facts)
        var printer = DiagnosticPrinter(console: console, annotations: common.annotations(facts))
        var invalid = false
        for file in plans {
            let (plan, graph, _, diagnostics) = PlanPipeline.graph(
                file: file, options: common.loadOptions(facts), fileSystem: makeFileSystem, inspectLinks: false)
            // Problems of this machine (a missing target) do not make the plan invalid: warnings here.
            printer.print(diagnostics, downgrade: .cannotApply)
            if diagnostics.failure == .invalidPlan {
                invalid = true
            } else if plan != nil, let graph, !common.quiet {
                let entries = graph.entryCount, links = graph.links.count
                console.out.line("\(TerminalText.escape(file)): valid, \(entries) entr\(entries == 1 ? "y" : "ies"), \(links) link\(links == 1 ? "" : "s")")
            }
        }
        try console.flushChecked(code: invalid ? Exit.invalidPlan : .success)
        if invalid { throw Exit.invalidPlan }
    }
}
