import Foundation

/// The seeds of a model-based random suite, from the environment: `PREFIX_CASES` cases from seed
/// `PREFIX_SEED` (a failure names its seed; `PREFIX_SEED=N PREFIX_CASES=1` replays it), split
/// into `batches` that run in parallel. A batch stops starting new cases after
/// `MKLNK_MODEL_SECONDS`, so a slow machine tests fewer cases instead of running long.
public struct ModelSeeds: Sendable {
    public static let batches = 8
    public static let trace = ProcessInfo.processInfo.environment["MKLNK_MODEL_TRACE"] != nil

    public let prefix: String
    public let cases: Int
    public let firstSeed: UInt64
    public let seconds: Double

    public init(prefix: String, cases defaultCases: Int) {
        let environment = ProcessInfo.processInfo.environment
        self.prefix = prefix
        cases = Int(environment[prefix + "_CASES"] ?? "") ?? defaultCases
        firstSeed = UInt64(environment[prefix + "_SEED"] ?? "") ?? 1
        seconds = Double(environment["MKLNK_MODEL_SECONDS"] ?? "") ?? 90
    }

    /// Checks batch `batch`'s seeds until the deadline; true when it ran one (or had none).
    public func run(batch: Int, _ check: (UInt64) -> Void) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var ran = 0
        for index in stride(from: batch, to: cases, by: Self.batches) where Date() < deadline {
            check(firstSeed + UInt64(index))
            ran += 1
        }
        return ran > 0 || batch >= cases
    }

    /// How to replay `seed`.
    public func replay(_ seed: UInt64) -> String { "\(prefix)_SEED=\(seed) \(prefix)_CASES=1" }
}
