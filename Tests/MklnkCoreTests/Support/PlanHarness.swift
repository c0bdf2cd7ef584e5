@testable import MklnkCore
import MklnkFileSystem
import MklnkTestSupport
import Testing

/// A plan loaded and planned against a `TempTree`, in process.
///
/// Layout: the plan is written to `dots/plan.yaml` (so `base` is `dots/`), root and `$HOME`
/// are `home/`, the state directory is `state/`.
struct Planned {
    var tree: TempTree
    var plan: Plan?
    var graph: LinkGraph?
    var actions: [Action]
    var diagnostics: Diagnostics

    var errors: [Diagnostic] { diagnostics.errors }
    var warnings: [Diagnostic] { diagnostics.items.filter { $0.severity == .warning } }
    var failure: Failure? {
        PlannedRun(plan: plan, graph: graph, actions: actions, diagnostics: diagnostics).failure
    }

    /// The actions at `relative` (below the tree root), in order.
    func actions(at relative: String) -> [Action] {
        let p = tree.path(relative)
        return actions.filter { $0.path == p }
    }

    /// The only action at `relative`; nil when there is none or more than one.
    func action(at relative: String) -> Action? {
        let found = actions(at: relative)
        return found.count == 1 ? found[0] : nil
    }

    /// The ops, in order, as `op path` with paths relative to the tree.
    var summary: [String] {
        actions.map { "\($0.op.rawValue) \(tree.relative($0.path.description))" }
    }

    /// Link paths of the graph, in order, relative to the tree.
    var linkPaths: [String] { graph?.links.map { tree.relative($0.path.description) } ?? [] }

    func link(at relative: String) -> Link? {
        graph?.links.first { $0.path == tree.path(relative) }
    }

    /// Every error message, for test failure output.
    var messages: String { diagnostics.items.map(\.description).joined(separator: "\n") }
}

extension TempTree {
    /// Facts and options of the planner tests (base is the tree's top).
    private var plannerOptions: LoadOptions {
        LoadOptions(facts: HostFacts(os: "linux", arch: "x86_64", hostname: "testhost", user: "tester", home: home,
                                     environment: ["HOME": home]),
                    workingDirectory: Path(root))
    }

    /// Writes `yaml` to `dots/plan.yaml`; makes `home/` and `dots/` if missing.
    func writePlan(_ yaml: String) {
        directory("home")
        file("dots/plan.yaml", yaml)
    }

    /// Plans `yaml` as `mklnk plan` does (load, graph, state, planner), changing nothing.
    func plan(_ yaml: String, state: [RecordedLink] = [], prune: Bool = true) throws -> Planned {
        writePlan(yaml)
        if !state.isEmpty {
            let applied = AppliedState(ordered: state)
            try StateStore(fileSystem: LocalFileSystem(root: "/"), directory: Path(self.state))
                .save(applied, plan: Path(planFile), root: Path(home))
        }
        let run = ReadAheadCheck.both { readAhead in
            PlanPipeline.run(file: planFile, options: plannerOptions, stateDirectory: Path(self.state),
                             prune: prune, fileSystem: { LocalFileSystem(root: $0) }, readAhead: readAhead).0
        }
        return Planned(tree: self, plan: run.plan, graph: run.graph, actions: run.actions,
                       diagnostics: run.diagnostics)
    }

    /// Loads `yaml` and builds its graph only (no planner).
    func graph(_ yaml: String, inspectLinks: Bool = true) throws -> Planned {
        writePlan(yaml)
        func make(_ readAhead: ReadAhead) -> (Plan?, LinkGraph?, FileSystem?, Diagnostics) {
            PlanPipeline.graph(file: planFile, options: plannerOptions, fileSystem: { LocalFileSystem(root: $0) },
                               inspectLinks: inspectLinks, readAhead: readAhead)
        }
        let off = make(.off)
        let (plan, graph, _, diagnostics) = make(.always)
        #expect(ReadAheadCheck.fingerprint(off.1, off.3) == ReadAheadCheck.fingerprint(graph, diagnostics),
                "the read-ahead changed the graph")
        return Planned(tree: self, plan: plan, graph: graph, actions: [], diagnostics: diagnostics)
    }
}
