import Foundation
import MklnkTestSupport
import Testing

/// The model-based random tests of the CLI suite (ModelCase), thousands of them, in process on a
/// `MemoryFileSystem`. A failure names its seed: `MKLNK_MEMORY_MODEL_SEED=N
/// MKLNK_MEMORY_MODEL_CASES=1` replays it; a fixed seed joins `found`.
@Suite("Model-based random tests (in memory)")
struct MemoryModelTests {
    static let found: [UInt64] = []

    static let environment = ProcessInfo.processInfo.environment
    static let cases = Int(environment["MKLNK_MEMORY_MODEL_CASES"] ?? "") ?? 3000
    static let firstSeed = UInt64(environment["MKLNK_MEMORY_MODEL_SEED"] ?? "") ?? 1
    static let seconds = Double(environment["MKLNK_MODEL_SECONDS"] ?? "") ?? 90
    static let batches = 8

    @Test(arguments: 0..<batches)
    func randomScenarios(batch: Int) {
        let deadline = Date().addingTimeInterval(Self.seconds)
        var ran = 0
        for index in stride(from: batch, to: Self.cases, by: Self.batches) where Date() < deadline {
            check(seed: Self.firstSeed + UInt64(index))
            ran += 1
        }
        #expect(ran > 0 || batch >= Self.cases)
    }

    @Test(arguments: found)
    func foundSeeds(seed: UInt64) {
        check(seed: seed)
    }

    private func check(seed: UInt64) {
        let scenario = ModelCase(seed: seed)
        var run = MemoryModelRun(scenario)
        run.run()
        if Self.environment["MKLNK_MODEL_TRACE"] != nil { print("memory model seed \(seed): \(run.outcome)") }
        #expect(run.problems.isEmpty, "memory model seed \(seed) (MKLNK_MEMORY_MODEL_SEED=\(seed) MKLNK_MEMORY_MODEL_CASES=1):\n\(run.problems.joined(separator: "\n"))\n--- plan\n\(scenario.plan)")
    }
}
