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
        // Read access only lets `append` see the last byte; a write-only file is still appended to.
        var fd = path.withCString { Glibc.open($0, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644) }
        if fd < 0 && errno == EACCES { fd = path.withCString { Glibc.open($0, O_WRONLY | O_APPEND | O_CLOEXEC) } }
        guard fd >= 0 else { return .failure(FileSystemError(errno: errno, "open", path)) }
        return .success(.file(fd: fd, name: argument))
    }

    /// Appends the counters to `fd`, first ending a last line left unterminated by whoever wrote
    /// the file before (`$GITHUB_OUTPUT`, a script's `echo -n`), so each stays a `NAME=VALUE` line.
    /// Returns the errno of a write that failed (0 when all was written).
    static func append(_ counters: Counters, to fd: Int32) -> Int32 {
        var text = Array(lines(counters).utf8)
        var info = stat()
        var last: UInt8 = 0
        if fstat(fd, &info) == 0, info.st_size > 0, pread(fd, &last, 1, info.st_size - 1) == 1, last != UInt8(ascii: "\n") {
            text.insert(UInt8(ascii: "\n"), at: 0)
        }
        var done = 0
        while done < text.count {
            let n = text[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return n < 0 ? errno : EIO }
            done += n
        }
        return 0
    }

    static func lines(_ counters: Counters) -> String {
        counters.pairs.map { "\($0.0)=\($0.1)\n" }.joined()
    }
}
