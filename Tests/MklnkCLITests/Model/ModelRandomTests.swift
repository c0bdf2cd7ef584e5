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

    static let environment = ProcessInfo.processInfo.environment
    static let cases = Int(environment["MKLNK_MODEL_CASES"] ?? "") ?? 300
    static let firstSeed = UInt64(environment["MKLNK_MODEL_SEED"] ?? "") ?? 1
    /// Cases are split into batches that run in parallel; a batch stops starting new cases after
    /// this many seconds, so a slow machine tests fewer cases instead of running long.
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
        var run = ModelRun(scenario)
        run.run(fault: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace"))
        if Self.environment["MKLNK_MODEL_TRACE"] != nil { print("model seed \(seed): \(run.outcome)") }
        #expect(run.problems.isEmpty, "model seed \(seed) (MKLNK_MODEL_SEED=\(seed) MKLNK_MODEL_CASES=1):\n\(run.problems.joined(separator: "\n"))\n--- plan\n\(scenario.plan)")
    }
}
