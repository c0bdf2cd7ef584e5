import ArgumentParser
import MklnkCore

/// SPEC §3 exit codes.
enum Exit {
    static let cannotApply = ExitCode(1)
    static let changesPending = ExitCode(2)
    static let usage = ExitCode(64)
    static let invalidPlan = ExitCode(65)
    static let locked = ExitCode(75)

    static func code(for failure: Failure) -> ExitCode {
        failure == .invalidPlan ? invalidPlan : cannotApply
    }
}
