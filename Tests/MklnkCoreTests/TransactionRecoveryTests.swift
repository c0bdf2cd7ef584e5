#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkTestSupport
@testable import MklnkCore
import MklnkFileSystem
import Testing

/// SPEC §4 "crash safe", step by step: the journal is written, steps 0..<k ran, the process died.
@Suite struct TransactionRecoveryTests {
    /// A scenario planned on a fresh tree, with its steps and journal header.
    struct Prepared {
        let tree: TempTree
        let before: TreeSnapshot
        let fileSystem: LocalFileSystem
        let steps: [Step]
        let journal: Journal
        let header: Journal.Header
    }

    static func prepare(_ scenario: ApplyScenario) throws -> Prepared {
        let tree = TempTree(dotfiles: "steps")
        scenario.setup(tree)
        let before = tree.snapshot()
        let run = tree.planRun(scenario.plan)
        let root = try #require(run.plan?.root)
        let fs = LocalFileSystem(root: root)
        let (steps, _) = Transaction.steps(for: run.actions, transaction: "crash1", fileSystem: fs)
        let journal = Journal(fileSystem: fs, directory: Path(tree.state))
        let header = Journal.Header(transaction: "crash1", root: root, plan: tree.key(run))
        try journal.write(header, steps)
        return Prepared(tree: tree, before: before, fileSystem: fs, steps: steps, journal: journal, header: header)
    }

    @Test("steps 0..<k done, no commit mark: recovery restores the before-state", arguments: ApplyScenario.all)
    func uncommitted(_ scenario: ApplyScenario) throws {
        let probe = try Self.prepare(scenario)
        let count = probe.steps.count
        probe.tree.remove()
        #expect(count > 0)
        for k in 0...count {
            let p = try Self.prepare(scenario)
            let runner = StepRunner(fileSystem: p.fileSystem)
            for step in p.steps[..<k] { try runner.perform(step) }
            #expect(try p.tree.recover() == .rolledBack(steps: count))
            let now = p.tree.snapshot()
            #expect(now == p.before, "\(scenario.name), k=\(k)\n\(now.difference(from: p.before))")
            #expect(!p.tree.journalExists)
            #expect(try p.tree.recover() == .nothing)
            #expect(p.tree.snapshot() == now)
        }
    }

    @Test("all steps done and the commit mark written: recovery finishes to the after-state",
          arguments: ApplyScenario.all)
    func committed(_ scenario: ApplyScenario) throws {
        let (after, _) = FaultSweep(scenario: scenario).reference()
        let p = try Self.prepare(scenario)
        let runner = StepRunner(fileSystem: p.fileSystem)
        for step in p.steps { try runner.perform(step) }
        try p.journal.markCommitted(p.header)
        #expect(try p.tree.recover() == .finished(steps: p.steps.count))
        let now = p.tree.snapshot()
        #expect(now.normalized(dir: p.tree.dir) == after, "\(now.normalized(dir: p.tree.dir).difference(from: after))")
        #expect(!p.tree.journalExists)
        #expect(try p.tree.recover() == .nothing)
        #expect(p.tree.snapshot() == now)
    }

    @Test("recovery after a partial undo is harmless: undo every step twice", arguments: ApplyScenario.all)
    func undoTwice(_ scenario: ApplyScenario) throws {
        let p = try Self.prepare(scenario)
        let runner = StepRunner(fileSystem: p.fileSystem)
        for step in p.steps { try runner.perform(step) }
        for step in p.steps.reversed() {
            try runner.undo(step)
            try runner.undo(step)
        }
        #expect(p.tree.snapshot() == p.before)
        #expect(try p.tree.recover() == .rolledBack(steps: p.steps.count))
        #expect(p.tree.snapshot() == p.before)
    }

    @Test("a commit mark of another transaction is inert")
    func foreignMark() throws {
        let p = try Self.prepare(.update)
        let runner = StepRunner(fileSystem: p.fileSystem)
        for step in p.steps { try runner.perform(step) }
        p.tree.file(p.tree.state + "/journal.commit", "some-other-transaction")
        #expect(try p.tree.recover() == .rolledBack(steps: p.steps.count))
        #expect(p.tree.snapshot() == p.before)
        #expect(!p.tree.journalExists)
    }

    @Test("a damaged journal: nothing is undone, it is moved aside under a name the report gives, and the next recovery runs",
          arguments: ["unparsable", "root emptied", "a step cut", "a byte changed", "v1 root emptied",
                      "v1 step outside the root"])
    func damagedJournal(_ damage: String) throws {
        let p = try Self.prepare(.everything)
        let runner = StepRunner(fileSystem: p.fileSystem)
        for step in p.steps.prefix(3) { try runner.perform(step) }
        let halfway = p.tree.snapshot()
        let path = p.tree.state + "/journal"
        let text = String(decoding: try #require(try p.fileSystem.readFile(Path(path))), as: UTF8.self)
        let (root, planKey) = ("\(p.header.root)", "\(p.header.plan)")
        var lines = text.split(separator: "\n").map(String.init)
        switch damage {
        case "unparsable": lines = ["mklnk-journal\t1\tx"]
        case "root emptied": lines[0] = lines[0].replacingOccurrences(of: "\t" + root + "\t", with: "\t\t")
        case "a step cut": lines.remove(at: 2)
        case "a byte changed": lines[1] = lines[1].replacingOccurrences(of: "mklnk", with: "mklnK")
        case "v1 root emptied":
            lines.removeLast()
            lines[0] = "mklnk-journal\t1\tcrash1\t\t" + planKey
        default:
            lines.removeLast()
            lines[0] = lines[0].replacingOccurrences(of: "\t2\t", with: "\t1\t")
            lines[1] = lines[1].replacingOccurrences(of: root, with: "/tmp")
        }
        p.tree.file(path, lines.joined(separator: "\n") + "\n")
        let outcome = try p.tree.recover()
        guard case .damaged(let report, let kept) = outcome else {
            Issue.record("\(damage): \(outcome)")
            return
        }
        #expect(p.tree.snapshot() == halfway, "\(damage): recovery acted on a damaged journal")
        #expect(!p.tree.journalExists)
        #expect(p.tree.exists("\(kept)") && "\(kept)".hasPrefix(path + ".damaged-"))
        #expect(report.contains("damaged") && report.contains("\(kept)") && report.contains("nothing was undone"), "\(report)")
        if damage != "unparsable" {
            #expect(report.contains("steps"), "says what it holds: \(report)")
            #expect(report.contains(".mklnk-crash1-"), "names the scratch names left: \(report)")
        }
        #expect(try p.tree.recover() == .nothing)
    }

    @Test("a journal's last line holds its step count and a checksum of everything before it")
    func checksummed() throws {
        let p = try Self.prepare(.update)
        let bytes = try #require(try p.fileSystem.readFile(Path(p.tree.state + "/journal")))
        let last = try #require(String(decoding: bytes, as: UTF8.self).split(separator: "\n").last)
        #expect(last.hasPrefix("mklnk-journal-end\t\(p.steps.count)\t"), "\(last)")
        guard case .intact(let header, let steps, false) = try p.journal.read() else {
            Issue.record("an intact journal was not read back")
            return
        }
        #expect(header == p.header && steps == p.steps)
    }
}
