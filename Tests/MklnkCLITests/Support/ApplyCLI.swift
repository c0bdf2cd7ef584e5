#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a run of the `mklnk` binary did.
struct ApplyCLIResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String
    var seconds: Double

    var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }

    /// `NAME=VALUE` lines of stdout, as a dictionary.
    var counters: [String: Int] {
        var out: [String: Int] = [:]
        for line in stdout.split(separator: "\n") where line.hasPrefix("_mklnk_") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let v = Int(parts[1]) { out[String(parts[0])] = v }
        }
        return out
    }
}

/// Runs the built `mklnk` binary (next to the test bundle, or `$MKLNK_BIN`).
enum ApplyCLI {
    static let binary: String = locate()

    private static func locate() -> String {
        if let env = getenv("MKLNK_BIN") { return String(cString: env) }
        var start = CommandLine.arguments[0]
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if n > 0 { start = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        #endif
        var dir = parent(start)
        while dir != "/" && !dir.isEmpty {
            var st = stat()
            if stat(dir + "/mklnk", &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && access(dir + "/mklnk", X_OK) == 0 {
                return dir + "/mklnk"
            }
            dir = parent(dir)
        }
        fatalError("cannot find the mklnk binary near \(start); build it (swift build) or set MKLNK_BIN")
    }

    private static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Runs `mklnk args` with exactly `environment` (plus PATH), stdin from /dev/null.
    static func run(_ args: [String], environment: [String: String], scratch: String) -> ApplyCLIResult {
        let outPath = scratch + "/.cli-stdout", errPath = scratch + "/.cli-stderr"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var env = environment
        env["PATH"] = env["PATH"] ?? "/usr/bin:/bin"
        let argv = ([binary] + args).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        var pid = pid_t()
        let rc = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        precondition(rc == 0, "posix_spawn \(binary): \(rc)")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &end)
        let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
        let exited = (status & 0x7f) == 0
        let code = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        return ApplyCLIResult(status: code, stdout: read(outPath), stderr: read(errPath), seconds: seconds)
    }

    static func read(_ path: String) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

// The C call `ApplyCLI.read` shadows.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
