import MklnkCore
import MklnkFileSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `--counters` sends the counters (SPEC §3): a file opened before anything changes, so
/// one that cannot be opened stops the command (exit 64) before it has done anything.
enum CountersOutput {
    case standardOutput
    case file(fd: Int32, name: String)

    /// Opens the file `argument` names for appending (creating it), or nil with the reason it cannot be.
    static func open(_ argument: String, workingDirectory: Path) -> Result<CountersOutput, FileSystemError> {
        if argument == "-" { return .success(.standardOutput) }
        let path = Paths.absolute(RawArguments.path(argument), base: workingDirectory)
        let fd = path.withCString { Glibc.open($0, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { return .failure(FileSystemError(errno: errno, "open", path)) }
        return .success(.file(fd: fd, name: argument))
    }

    static func lines(_ counters: Counters) -> String {
        counters.pairs.map { "\($0.0)=\($0.1)\n" }.joined()
    }
}
