import ArgumentParser
import MklnkCore
import MklnkFileSystem

enum GraphFormat: String, ExpressibleByArgument, CaseIterable {
    case dot, mermaid
}

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print the link graph for Graphviz (dot) or Markdown (mermaid).")

    @OptionGroup var common: CommonOptions

    @Argument(help: ArgumentHelp("The plan file.", valueName: "plan"), transform: PlanArgument.kernel)
    var plan: String

    @Option(help: "dot or mermaid.")
    var format: GraphFormat = .dot

    func run() throws {
        let facts = common.facts
        let console = common.console(facts)
        var printer = DiagnosticPrinter(console: console, annotations: common.annotations(facts))
        let (_, graph, _, diagnostics) = PlanPipeline.graph(
            file: plan, options: common.loadOptions(facts), fileSystem: makeFileSystem, inspectLinks: false)
        printer.print(diagnostics, downgrade: .cannotApply)
        guard let graph, diagnostics.failure != .invalidPlan else { throw Exit.invalidPlan }
        var ids: [Path: String] = [:]
        func id(_ path: Path) -> String {
            if let existing = ids[path] { return existing }
            let new = "n\(ids.count)"
            ids[path] = new
            return new
        }
        func quoted(_ s: Path) -> String {
            let text = console.show(s)
            switch format {
            case .dot: return "\"" + text.replacingAll("\\", "\\\\").replacingAll("\"", "\\\"") + "\""
            case .mermaid: return "\"" + text.replacingAll("\"", "#quot;") + "\""
            }
        }
        switch format {
        case .dot:
            console.out.line("digraph mklnk {")
            console.out.line("  rankdir=LR;")
            console.out.line("  node [shape=box];")
            for link in graph.links {
                console.out.line("  \(quoted(link.path)) -> \(quoted(link.target)) [label=\"\(link.kind.rawValue)\"];")
            }
            console.out.line("}")
        case .mermaid:
            console.out.line("flowchart LR")
            for link in graph.links {
                let a = id(link.path), b = id(link.target)
                console.out.line("  \(a)[\(quoted(link.path))] -->|\(link.kind.rawValue)| \(b)[\(quoted(link.target))]")
            }
        }
        try console.flushChecked()
    }
}

extension String {
    func replacingAll(_ a: String, _ b: String) -> String {
        guard contains(a) else { return self }
        return split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}
