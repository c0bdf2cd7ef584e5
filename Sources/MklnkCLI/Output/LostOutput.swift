import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A write to standard output or to the `--counters` file that failed (a full disk, `/dev/full`,
/// a closed descriptor) loses what the command was asked to print: it is said on stderr and the
/// command does not exit 0 (audit F9), as `cat` and `printf` do. SPEC §3 names no code for it:
/// success and "changes pending" become 1 ("cannot be carried out here"), any other failure
/// keeps its code. What an apply changed stays changed, and the message says so.
enum LostOutput {
    /// The exit code once `what` could not be written (errno `error`), after saying so on stderr.
    static func report(_ what: String, error: Int32, applied: Bool, code: ExitCode, to console: Console) -> ExitCode {
        var message = "mklnk: error: cannot write \(what): \(String(cString: strerror(error)))"
        if applied { message += "; the apply was carried out and its changes stay applied, only this output was lost" }
        console.err.line(message)
        console.err.flush()
        return code == .success || code == Exit.changesPending ? Exit.cannotApply : code
    }
}

extension Console {
    /// Flushes both streams; throws the exit code `LostOutput` gives when stdout lost a write
    /// (for commands that end without a `Session`).
    func flushChecked(code: ExitCode = .success) throws {
        flush()
        if let failed = out.failure {
            throw LostOutput.report("to standard output", error: failed, applied: false, code: code, to: self)
        }
    }
}
