import Foundation
import MklnkTestSupport
import Testing

/// The crash sweeps' scenarios (Tests/crash/scenarios, read by Tests/crash/fixture.py in the
/// sweeps): the same files, made here by `TreeFixture`. The fault-free run the sweeps compare
/// every faulted run with must succeed, change the tree, prune what the scenario says, keep the
/// bytes of every file, and leave nothing for a second apply to do.
@Suite struct CrashScenarioTests {
    static let directory = TreeFixture.sweepScenarios

    static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".tree") }.map { String($0.dropLast(5)) }.sorted()
    }

    @Test("the sweeps' scenarios exist") func listed() {
        #expect(Self.names == ["adopt", "destroy", "odd", "plain"])
    }

    @Test("a scenario's fault-free run", arguments: names)
    func faultFree(_ name: String) throws {
        let fixture = try TreeFixture(contentsOf: Self.directory + "/\(name).tree")
        let t = try TempTree(prefix: "mklnk-scenario-\(name)")
        try fixture.make(in: t.root) {
            let r = t.mklnk("apply", t.planFile, "-q")
            if r.status != 0 { throw TreeFixtureError(description: "the scenario's own apply failed: \(r)") }
        }
        let before = t.snapshot()
        let r = t.mklnk([fixture.command, t.planFile, "-q"] + fixture.arguments)
        #expect(r.status == 0, "\(r)")
        let after = t.snapshot()
        #expect(after != before, "the run changed nothing")
        #expect(after.contents.isSuperset(of: before.contents), "bytes lost:\n\(after.difference(from: before))")
        for path in fixture.pruned {
            #expect(after.entries[path] == nil, "not pruned: \(Disk.show(path))")
        }
        if fixture.command == "apply" {
            let again = t.mklnk("apply", t.planFile, "-q")
            #expect(again.status == 0 && t.snapshot() == after, "a second apply changed:\n\(t.snapshot().difference(from: after))")
        }
    }
}
