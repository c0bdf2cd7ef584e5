import MklnkCore
import MklnkFileSystem
import MklnkTestSupport
import Testing

/// The real pipeline on a `TempTree(dotfiles:)`: `home/` is the root, `dots/plan.yaml` the plan,
/// `state/` the state directory.
extension TempTree {
    /// A journal whose commit mark names its transaction: recovery will finish it, not undo it.
    var journalCommitted: Bool {
        guard let journal = contents(state + "/journal"), let mark = contents(state + "/journal.commit") else {
            return false
        }
        let header = journal.prefix { $0 != "\n" }.split(separator: "\t", omittingEmptySubsequences: false)
        return header.count > 2 && header[2] == mark
    }

    var journalExists: Bool { exists(state + "/journal") || exists(state + "/journal.commit") }

    /// Bytes of every file in the state directory's `plans/`, by name.
    func stateFiles() -> [String: String] {
        var out: [String: String] = [:]
        for name in names(state + "/plans") { out[name] = contents(state + "/plans/" + name) }
        return out
    }

    /// Everything under `home` and `dots` but the plan file (the state directory is not part of the tree).
    func snapshot() -> TreeSnapshot { snapshot(excluding: ["state", "dots/plan.yaml"]) }

    // MARK: The real pipeline

    var facts: HostFacts {
        HostFacts(os: "linux", arch: "x86_64", hostname: "ci-runner-1", user: "tess", home: home,
                  environment: ["HOME": home, "CI": "true"])
    }

    var loadOptions: LoadOptions { LoadOptions(facts: facts, workingDirectory: Path(dots)) }

    /// Writes `yaml` as `dots/plan.yaml` and plans it against this tree (pruning against `state`).
    func planRun(_ yaml: String, prune: Bool = true) -> PlannedRun {
        file(planFile, yaml)
        return ReadAheadCheck.both { readAhead in
            PlanPipeline.run(file: planFile, options: loadOptions, stateDirectory: Path(state), prune: prune,
                             fileSystem: { LocalFileSystem(root: $0) }, readAhead: readAhead).0
        }
    }

    /// The state key of `run`'s plan.
    func key(_ run: PlannedRun) -> Path { PlanPipeline.planKey(run.plan!, loadOptions) }

    /// A transaction for `run` on `fileSystem`.
    func transaction(_ run: PlannedRun, on fileSystem: FileSystem, prune: Bool = true,
                     keepGoing: Bool = false) -> Transaction {
        let store = StateStore(fileSystem: fileSystem, directory: Path(state))
        let previous = (try? store.load(plan: key(run), root: run.plan!.root)) ?? AppliedState()
        return Transaction(fileSystem: fileSystem, stateStore: store, plan: key(run), previous: previous,
                           keepUnlisted: !prune, keepGoing: keepGoing)
    }

    /// Plans and applies `yaml` without faults; returns the run and the outcome.
    @discardableResult
    func apply(_ yaml: String, prune: Bool = true, keepGoing: Bool = false) -> (PlannedRun, ApplyOutcome) {
        let run = planRun(yaml, prune: prune)
        precondition(run.plan != nil, "plan did not load: \(run.diagnostics.items.map(\.description))")
        let fs = FaultyFileSystem(root: run.plan!.root)
        return (run, transaction(run, on: fs, prune: prune, keepGoing: keepGoing).apply(run.actions))
    }

    /// Settles an interrupted transaction with the real filesystem, as `mklnk recover` does.
    func recover() throws(FileSystemError) -> RecoveryOutcome {
        try Recovery.run(stateDirectory: Path(state), fileSystem: { LocalFileSystem(root: $0) })
    }
}
