import Foundation
import MklnkTestSupport
import Testing

/// The model-based random tests of the CLI suite (ModelCase), thousands of them, in process on a
/// `MemoryFileSystem`. A failure names its seed: `MKLNK_MEMORY_MODEL_SEED=N
/// MKLNK_MEMORY_MODEL_CASES=1` replays it; a fixed seed joins `found`.
@Suite("Model-based random tests (in memory)")
struct MemoryModelTests {
    static let found: [UInt64] = []

    static let seeds = ModelSeeds(prefix: "MKLNK_MEMORY_MODEL", cases: 3000)

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
        var run = MemoryModelRun(scenario)
        run.run()
        if ModelSeeds.trace { print("memory model seed \(seed): \(run.outcome)") }
        #expect(run.problems.isEmpty, "memory model seed \(seed) (\(Self.seeds.replay(seed))):\n\(run.problems.joined(separator: "\n"))\n--- plan\n\(scenario.plan)")
    }
}
