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

    /// Opens `destination` for appending (creating it), or nil with the reason it cannot be.
    static func open(_ destination: String, workingDirectory: String) -> Result<CountersOutput, FileSystemError> {
        if destination == "-" { return .success(.standardOutput) }
        let path = Paths.absolute(destination, base: workingDirectory)
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return .failure(FileSystemError(errno: errno, "open", path)) }
        return .success(.file(fd: fd, name: destination))
    }

    static func lines(_ counters: Counters) -> String {
        counters.pairs.map { "\($0.0)=\($0.1)\n" }.joined()
    }
}
