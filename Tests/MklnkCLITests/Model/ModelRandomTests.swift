import Foundation
import MklnkTestSupport
import Testing

/// Model-based random tests through the binary: hundreds of seeded scenarios (ModelCase), each
/// checked by ModelRun. A failure names its seed; `MKLNK_MODEL_SEED=N MKLNK_MODEL_CASES=1`
/// replays it, and a fixed seed joins `found` below.
@Suite("Model-based random tests (binary, on disk)")
struct ModelRandomTests {
    /// Seeds that once failed, replayed on every run.
    static let found: [UInt64] = []

    static let seeds = ModelSeeds(prefix: "MKLNK_MODEL", cases: 300)

    @Test(arguments: 0..<ModelSeeds.batches)
    func randomScenarios(batch: Int) {
        #expect(Self.seeds.run(batch: batch, check))
    }

    @Test(arguments: found)
    func foundSeeds(seed: UInt64) {
        check(seed: seed)
    }

    private func check(seed: UInt64) {
        let scenario = ModelCase(seed: seed)
        var run = ModelRun(scenario)
        run.run(fault: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace"))
        if ModelSeeds.trace { print("model seed \(seed): \(run.outcome)") }
        #expect(run.problems.isEmpty, "model seed \(seed) (\(Self.seeds.replay(seed))):\n\(run.problems.joined(separator: "\n"))\n--- plan\n\(scenario.plan)")
    }
}
