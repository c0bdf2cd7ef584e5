#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import MklnkCore
import MklnkFileSystem
import Testing

/// SPEC §4 "all or nothing": a failure at any mutating call leaves the tree exactly as it was
/// (or, once committed, exactly as after), with the journal gone.
@Suite struct TransactionFaultTests {
    static let errnos: [Int32] = [EIO, EINVAL]

    @Test("a failed call N rolls back to the starting tree", arguments: ApplyScenario.withSweeps, [false, true])
    func failOnce(_ scenario: ApplyScenario, lacksExchange: Bool) {
        for e in Self.errnos {
            FaultSweep(scenario: scenario, lacksExchange: lacksExchange)
                .sweep({ .failOnce(at: $0, errno: e) }) { r, n, after in
                    if r.outcome.rolledBack {
                        #expect(!r.outcome.failures.isEmpty)
                        FaultSweep.expectBefore(r, n, scenario.name)
                    } else {
                        // Failed during cleanup after the commit: retried, so the run still finished.
                        #expect(r.outcome.failures.isEmpty, "\(r.outcome.failures.map(\.message))")
                        FaultSweep.expectAfter(r, n, after, scenario.name)
                    }
                }
        }
    }

    @Test("a call N that takes effect and then reports an error rolls back too",
          arguments: ApplyScenario.all, [false, true])
    func failAfterEffect(_ scenario: ApplyScenario, lacksExchange: Bool) {
        // EIO only: EINVAL means "unsupported", which no call reports after doing its work.
        for e in [EIO] {
            FaultSweep(scenario: scenario, lacksExchange: lacksExchange)
                .sweep({ .failAfterEffect(at: $0, errno: e) }) { r, n, after in
                    if r.outcome.rolledBack {
                        FaultSweep.expectBefore(r, n, scenario.name)
                    } else {
                        #expect(r.outcome.failures.isEmpty, "\(r.outcome.failures.map(\.message))")
                        FaultSweep.expectAfter(r, n, after, scenario.name)
                    }
                }
        }
    }

    @Test("a crash at call N, then recovery, gives the before- or the after-state; twice is harmless",
          arguments: ApplyScenario.withSweeps, [false, true])
    func crash(_ scenario: ApplyScenario, lacksExchange: Bool) throws {
        let sweep = FaultSweep(scenario: scenario, lacksExchange: lacksExchange)
        try sweep.sweepCrashes(sweep.crashPoints { .crash(at: $0) })
    }

    @Test("a failure at N, then a crash during the rollback at M, recovers to the before-state",
          arguments: ApplyScenario.all, [false, true])
    func failThenCrashInRollback(_ scenario: ApplyScenario, lacksExchange: Bool) throws {
        let sweep = FaultSweep(scenario: scenario, lacksExchange: lacksExchange)
        let (_, total) = sweep.reference()
        for n in 1...total {
            for afterEffect in [false, true] {
                // Calls the faulted run makes after N: its rollback (or its cleanup after a commit).
                let probe = sweep.run(.failThen(at: n, afterEffect: afterEffect, crashAt: Int.max))
                let made = probe.fileSystem.calls
                probe.tree.remove()
                guard made > n else { continue }
                try sweep.sweepCrashes((n + 1...made).map { .failThen(at: n, afterEffect: afterEffect, crashAt: $0) })
            }
        }
    }

    @Test("a crash during recovery, then recovery again, still gives the before- or the after-state",
          arguments: ApplyScenario.all)
    func crashDuringRecovery(_ scenario: ApplyScenario) throws {
        let sweep = FaultSweep(scenario: scenario)
        let (after, total) = sweep.reference()
        for n in 1...total {
            // How many mutating calls recovery makes after a crash at call n.
            let probe = sweep.run(.crash(at: n))
            var counting: FaultyFileSystem?
            _ = try Recovery.run(stateDirectory: Path(probe.tree.state)) { root in
                if root == "/" { return LocalFileSystem(root: "/") }
                let fs = FaultyFileSystem(root: root)
                counting = fs
                return fs
            }
            let made = counting?.calls ?? 0
            probe.tree.remove()
            guard made > 0 else { continue }
            for k in 1...made {
                let r = sweep.run(.crash(at: n))
                let committed = r.tree.journalCommitted
                _ = try? Recovery.run(stateDirectory: Path(r.tree.state)) { root in
                    root == "/" ? LocalFileSystem(root: "/") as FileSystem : FaultyFileSystem(root: root, mode: .crash(at: k))
                }
                _ = try r.tree.recover()
                let what = "\(scenario.name): apply crashed at \(n), recovery crashed at \(k)"
                if committed {
                    FaultSweep.expectAfter(r, n, after, what)
                } else {
                    FaultSweep.expectBefore(r, n, what)
                }
                #expect(try r.tree.recover() == .nothing)
            }
        }
    }
}

extension FaultSweep {
    /// Crash modes for every call position of a fault-free run.
    func crashPoints(_ mode: (Int) -> FaultyFileSystem.Mode) -> [FaultyFileSystem.Mode] {
        let (_, total) = reference()
        return (1...total).map(mode)
    }

    /// Runs each mode (each ends in a crash), then recovers twice with the real filesystem.
    func sweepCrashes(_ modes: [FaultyFileSystem.Mode], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let (after, _) = reference()
        for mode in modes {
            let r = run(mode)
            let n = mode.position
            let marked = r.tree.journalCommitted
            let first = try r.tree.recover()
            let now = r.tree.snapshot()
            if marked {
                #expect(first != .nothing)
                FaultSweep.expectAfter(r, n, after, "\(scenario.name) crash, committed", sourceLocation: sourceLocation)
            } else if now == r.before || (lacksExchange && now.ignoringSymlinkInodes == r.before.ignoringSymlinkInodes) {
                FaultSweep.expectBefore(r, n, "\(scenario.name) crash", sourceLocation: sourceLocation)
            } else {
                // Only a crash after the commit (while its journal was being removed) may leave the after-state.
                FaultSweep.expectAfter(r, n, after, "\(scenario.name) crash, neither before nor after",
                                       sourceLocation: sourceLocation)
                #expect(r.fileSystem.log.contains { $0.hasSuffix("/journal.commit") },
                        "\(scenario.name): after-state without a commit, \(FaultSweep.describe(r, n))",
                        sourceLocation: sourceLocation)
            }
            let second = try r.tree.recover()
            #expect(second == .nothing, sourceLocation: sourceLocation)
            #expect(r.tree.snapshot() == now, "\(scenario.name): second recovery changed the tree",
                    sourceLocation: sourceLocation)
        }
    }
}

extension FaultyFileSystem.Mode {
    /// The call the fault (or the crash) hits first.
    var position: Int {
        switch self {
        case .none: return 0
        case .failOnce(let n, _), .failAfterEffect(let n, _), .crash(let n): return n
        case .failThen(let n, _, _): return n
        case .failEach(let calls): return calls.keys.min() ?? 0
        }
    }
}
