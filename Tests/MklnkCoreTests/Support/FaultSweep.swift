#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkTestSupport
@testable import MklnkCore
import MklnkFileSystem
import Testing

/// One run of a scenario on a fresh tree with a faulty filesystem.
struct FaultRun {
    let tree: TempTree
    let before: TreeSnapshot
    let stateBefore: [String: String]
    let run: PlannedRun
    let fileSystem: FaultyFileSystem
    let outcome: ApplyOutcome

}

/// Sweeps the fault position N = 1, 2, … over every mutating call of a scenario's apply.
struct FaultSweep {
    let scenario: ApplyScenario
    var lacksExchange = false
    var keepGoing = false

    /// The after-state of a run without faults (normalised), and how many mutating calls it made.
    func reference(sourceLocation: Testing.SourceLocation = #_sourceLocation) -> (TreeSnapshot, Int) {
        let tree = TempTree(dotfiles: "ref")
        scenario.setup(tree)
        let run = tree.planRun(scenario.plan)
        let ops = run.actions.map(\.op)
        for op in scenario.expects {
            #expect(ops.contains(op), "\(scenario.name): no \(op) planned in \(ops)", sourceLocation: sourceLocation)
        }
        #expect(run.failure == nil, "\(scenario.name): \(run.diagnostics.items.map(\.description)) \(run.actions.filter { $0.op == .conflict }.map { $0.reason ?? "" })",
                sourceLocation: sourceLocation)
        let fs = FaultyFileSystem(root: run.plan!.root, lacksExchange: lacksExchange)
        let outcome = tree.transaction(run, on: fs, keepGoing: keepGoing).apply(run.actions)
        #expect(outcome.failures.isEmpty && !outcome.rolledBack && outcome.warnings.isEmpty,
                "\(scenario.name): the fault-free run failed: \(outcome.failures.map(\.message)) \(outcome.warnings)",
                sourceLocation: sourceLocation)
        #expect(!tree.journalExists, sourceLocation: sourceLocation)
        return (tree.snapshot().normalized(dir: tree.dir), fs.calls)
    }

    /// Runs the scenario once with `mode`.
    func run(_ mode: FaultyFileSystem.Mode) -> FaultRun {
        let tree = TempTree(dotfiles: "fault")
        scenario.setup(tree)
        let before = tree.snapshot()
        let stateBefore = tree.stateFiles()
        let run = tree.planRun(scenario.plan)
        let fs = FaultyFileSystem(root: run.plan!.root, mode: mode, lacksExchange: lacksExchange)
        let outcome = tree.transaction(run, on: fs, keepGoing: keepGoing).apply(run.actions)
        return FaultRun(tree: tree, before: before, stateBefore: stateBefore, run: run, fileSystem: fs,
                        outcome: outcome)
    }

    /// Calls `check` for N = 1, 2, … until a run no longer reaches call N. Returns the number of
    /// faulted runs.
    @discardableResult
    func sweep(_ mode: (Int) -> FaultyFileSystem.Mode, limit: Int = 400,
               sourceLocation: Testing.SourceLocation = #_sourceLocation,
               check: (FaultRun, Int, TreeSnapshot) -> Void) -> Int {
        let (after, _) = reference(sourceLocation: sourceLocation)
        for n in 1...limit {
            let r = run(mode(n))
            if !r.fileSystem.fired {
                #expect(r.outcome.failures.isEmpty && !r.outcome.rolledBack, sourceLocation: sourceLocation)
                let now = r.tree.snapshot().normalized(dir: r.tree.dir)
                let same = now == after
                #expect(same, "\(scenario.name): unfaulted run\n\(now.difference(from: after))", sourceLocation: sourceLocation)
                return n - 1
            }
            check(r, n, after)
        }
        Issue.record("\(scenario.name): still faulting after \(limit) calls", sourceLocation: sourceLocation)
        return limit
    }

    /// A description of the faulted call for messages.
    static func describe(_ r: FaultRun, _ n: Int) -> String {
        let call = n <= r.fileSystem.log.count ? r.fileSystem.log[n - 1] : "?"
        return "\(r.fileSystem.mode) (\(call)); calls: \(r.fileSystem.log.joined(separator: " | "))"
    }

    /// The tree is exactly as before (inodes included), the journal is gone and the state unchanged.
    /// Without RENAME_EXCHANGE an updated symlink is restored by re-creating it (same target, new
    /// inode), so symlink inodes are compared only where the exchange exists.
    static func expectBefore(_ r: FaultRun, _ n: Int, _ what: String,
                             sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        var now = r.tree.snapshot()
        var before = r.before
        if r.fileSystem.lacksExchange {
            now = now.ignoringSymlinkInodes
            before = before.ignoringSymlinkInodes
        }
        let same = now == before
        #expect(same, "\(what): not the before-state, \(describe(r, n))\n\(now.difference(from: before))",
                sourceLocation: sourceLocation)
        #expect(!r.tree.journalExists, "\(what): journal left, \(describe(r, n))", sourceLocation: sourceLocation)
        let sameState = r.tree.stateFiles() == r.stateBefore
        #expect(sameState, "\(what): state changed, \(describe(r, n))", sourceLocation: sourceLocation)
    }

    /// The tree is as after a fault-free run and the journal is gone.
    static func expectAfter(_ r: FaultRun, _ n: Int, _ after: TreeSnapshot, _ what: String,
                            sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let now = r.tree.snapshot().normalized(dir: r.tree.dir)
        let same = now == after
        #expect(same, "\(what): not the after-state, \(describe(r, n))\n\(now.difference(from: after))",
                sourceLocation: sourceLocation)
        #expect(!r.tree.journalExists, "\(what): journal left, \(describe(r, n))", sourceLocation: sourceLocation)
        #expect(!r.tree.names(r.tree.state + "/plans").contains { $0.hasSuffix(".next") },
                "\(what): staged state left, \(describe(r, n))", sourceLocation: sourceLocation)
    }
}
