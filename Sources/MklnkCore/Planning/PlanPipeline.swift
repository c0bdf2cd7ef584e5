import CMklnkSys
import MklnkFileSystem

/// A plan loaded, expanded and compared with the filesystem: what `plan`, `check` and `apply` share.
public struct PlannedRun: Sendable {
    /// The plan and its graph; once planned, without the entries (the graph's links are the plan).
    public var plan: Plan?
    public var graph: LinkGraph?
    public var actions: [Action]
    public var diagnostics: Diagnostics
    /// What earlier applies of this plan made, as read for planning (apply reuses it).
    public var previous = AppliedState()

    public var summary: Summary { Summary(actions) }

    /// Why the run cannot go on: diagnostics first, then conflicts.
    public var failure: Failure? {
        if let f = diagnostics.failure { return f }
        return actions.indices.contains { actions[$0].op == .conflict } ? .cannotApply : nil
    }
}

/// Runs the read-only half of mklnk.
public enum PlanPipeline {
    /// Loads `file` (from `cache` when it holds this very load) and builds its graph; with
    /// `inspectLinks` false nothing under root is read. The file system returned is the one
    /// planning reads through: it answers from what was read while the plan loaded
    /// (`ReadAheadFileSystem`).
    public static func graph(file: String, options: LoadOptions, fileSystem makeFileSystem: @escaping (Path) -> FileSystem,
                             inspectLinks: Bool, readAhead: ReadAhead = .standard, cache: PlanCache? = nil)
        -> (Plan?, LinkGraph?, FileSystem?, Diagnostics) {
        var clock = PhaseClock()
        let reader = makeFileSystem(options.root ?? "/")
        let prefetch = Prefetch(inspectLinks: inspectLinks, threshold: readAhead.prefetchThreshold) {
            makeFileSystem($0).reader()
        }
        // Once the graph is built this does nothing; before (the plan did not load), it stops the reads.
        defer { prefetch.cancel() }
        var (plan, partial, diagnostics) = PlanCache.load(file: file, options: options, fileSystem: reader,
                                                          prefetch: prefetch, cache: cache)
        // The plan's bytes and the cache's buffer are freed by now: their pages go back before
        // the graph is built, or they would stay resident under it.
        mklnk_release_free_memory()
        clock.lap("load")
        // Taken, not copied: the graph builder drops the entries of the last copy.
        guard let plan = plan.take() else {
            // Every error in one run: the entries that parsed are still checked as a graph.
            if let partial {
                GraphBuilder(fileSystem: makeFileSystem(partial.root), inspectLinks: inspectLinks)
                    .checkStructure(partial, &diagnostics)
            }
            return (nil, nil, nil, diagnostics)
        }
        let fileSystem = makeFileSystem(plan.root)
        let planning = prefetch.root == plan.root ? ReadAheadFileSystem(base: fileSystem, prefetch: prefetch) : fileSystem
        var builder = GraphBuilder(fileSystem: planning, inspectLinks: inspectLinks)
        builder.readAhead = readAhead
        let graph = builder.build(consume plan, &diagnostics)
        clock.lap("graph")
        return (graph.plan, graph, planning, diagnostics)
    }

    /// Plans `file` against the filesystem, pruning against the state in `stateDirectory`. A plan
    /// that is valid but has links that cannot be made here (a missing target, another
    /// filesystem) is still planned for the rest, as with conflicts: `failure` says it cannot be
    /// applied as a whole, and `apply --keep-going` can apply the rest.
    public static func run(file: String, options: LoadOptions, stateDirectory: Path, prune: Bool,
                           fileSystem makeFileSystem: @escaping (Path) -> FileSystem,
                           readAhead: ReadAhead = .standard, cache: PlanCache? = nil) -> (PlannedRun, FileSystem?) {
        var (loaded, built, planning, diagnostics) = graph(file: file, options: options, fileSystem: makeFileSystem,
                                                           inspectLinks: true, readAhead: readAhead, cache: cache)
        // The transaction acts on the real file system: nothing it checks comes from the read-ahead.
        let fileSystem = planning?.underlying
        // Links that cannot be made here (a missing target) are left out of the graph; the rest
        // is still planned, so `--keep-going` can apply it and `plan` can show it.
        guard loaded != nil, built != nil, let fileSystem, let planning, diagnostics.failure != .invalidPlan else {
            return (PlannedRun(plan: loaded, graph: built, actions: [], diagnostics: diagnostics), fileSystem)
        }
        let plan = loaded.take()!, graph = built.take()!
        // From here on only the graph's links count (the builder dropped the entries), and the
        // pages the graph's work freed go back: the state and the actions are single large
        // allocations that would not reuse the freed small ones.
        var clock = PhaseClock()
        mklnk_release_free_memory()
        clock.lap("free")
        var previous = AppliedState()
        do {
            previous = try StateStore(fileSystem: fileSystem, directory: stateDirectory)
                .load(plan: planKey(plan, options), root: plan.root)
        } catch {
            diagnostics.warning("cannot read the state in \(stateDirectory): \(StateStore.reason(error)); nothing will be pruned",
                                at: nil)
        }
        clock.lap("state")
        var planner = Planner(fileSystem: planning, previous: previous, prune: prune)
        planner.readAhead = readAhead
        let actions = StateDirectoryGuard(stateDirectory: stateDirectory).guarding(planner.plan(graph))
        clock.lap("plan")
        var run = PlannedRun(plan: plan, graph: graph, actions: actions, diagnostics: diagnostics)
        run.previous = previous
        return (run, fileSystem)
    }

    /// The name a plan's state is kept under: its absolute path.
    public static func planKey(_ plan: Plan, _ options: LoadOptions) -> Path {
        Paths.absolute(PlanFileName.path(plan.file), base: options.workingDirectory)
    }
}
