import Foundation
import MklnkTestSupport

/// A run of the built binary under strace, paused at a chosen syscall, so that a test can change
/// the tree at exactly that moment (`strace -e inject=SYSCALL:delay_enter=USEC:when=N`).
final class PausedRun: @unchecked Sendable {
    private let process = Process()
    private let out = Pipe(), err = Pipe()
    private var outData = Data(), errData = Data()
    private let group = DispatchGroup()

    static var strace: String? {
        ["/usr/bin/strace", "/bin/strace"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts `mklnk args --state-dir STATE` in `tree`, pausing `seconds` on entry to the `call`th
    /// call of `syscall` (rename and renameat2 are counted together when `syscall` is
    /// "renameat2,rename"; the first name is the one delayed).
    init(_ tree: TempTree, _ args: [String], stateDir: String? = nil, pauseAt syscall: String = "renameat2",
         call: Int = 1, seconds: Double = 2) throws {
        guard let strace = Self.strace else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "strace is not installed (make deps)"])
        }
        process.executableURL = URL(fileURLWithPath: strace)
        process.arguments = ["-f", "-o", "/dev/null", "-e", "trace=\(syscall)",
                             "-e", "inject=\(syscall):delay_enter=\(Int(seconds * 1_000_000)):when=\(call)",
                             MklnkProcess.path] + args + ["--state-dir", stateDir ?? tree.state]
        process.environment = ["HOME": tree.home, "NO_COLOR": "1", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"]
        process.currentDirectoryURL = URL(fileURLWithPath: tree.dir)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        for (pipe, isOut) in [(out, true), (err, false)] {
            group.enter()
            DispatchQueue.global().async { [self] in
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                if isOut { outData = data } else { errData = data }
                group.leave()
            }
        }
    }

    /// Waits (up to 20 s) until `condition` holds while the run is still going; false if it ended first.
    func wait(until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if condition() { return process.isRunning }
            if !process.isRunning { return false }
            usleep(5_000)
        }
        return false
    }

    struct Result: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    /// Waits for the end of the run.
    func finish() -> Result {
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

extension TempTree {
    /// Names beneath the home directory (recursively) that mklnk uses as scratch: `.mklnk-…`
    /// but not backups.
    func scratchNames(_ dir: String = "~") -> [String] {
        var found: [String] = []
        for name in names(dir) {
            let p = path(dir) + "/" + name
            if name.hasPrefix(".mklnk-") { found.append(p) }
            if !isSymlink(p), exists(p), !names(p).isEmpty { found += scratchNames(p) }
        }
        return found
    }
}
