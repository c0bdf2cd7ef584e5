import Foundation

/// The built `mklnk` binary, run as a user would: the one runner every test target shares.
public enum MklnkProcess {
    public struct Result: CustomStringConvertible, Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var seconds: Double

        public var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    /// `$MKLNK_BINARY` (or `$MKLNK_BIN`); else the `mklnk` beside the running test bundle; else
    /// `.build/debug/mklnk` under the package root.
    public static let path: String = locate()

    /// Runs mklnk with `arguments` in `directory`. With `environment`, exactly that (plus PATH);
    /// without, the test's own environment. Standard input is /dev/null.
    public static func run(_ arguments: [String], in directory: String? = nil,
                           environment: [String: String]? = nil, executable: String? = nil) throws -> Result {
        let path = executable ?? Self.path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path,
                             NSLocalizedDescriptionKey: "no mklnk binary at \(path); run 'swift build' first"])
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if var env = environment {
            env["PATH"] = env["PATH"] ?? "/usr/bin:/bin"
            // Under `make test-sanitizers` the binary is instrumented too and needs the same options.
            for key in ["ASAN_OPTIONS", "TSAN_OPTIONS"] where env[key] == nil {
                env[key] = ProcessInfo.processInfo.environment[key]
            }
            process.environment = env
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let start = Date()
        try process.run()
        // Read both pipes before waiting, so a large output cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus
            : process.terminationStatus
        return Result(status: status, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self), seconds: Date().timeIntervalSince(start))
    }

    private static func locate() -> String {
        let env = ProcessInfo.processInfo.environment
        if let p = env["MKLNK_BINARY"] ?? env["MKLNK_BIN"], !p.isEmpty { return p }
        let fm = FileManager.default
        // Tests run from .build/<config>/…xctest: the binary of the same build is a parent's child.
        var dir = URL(fileURLWithPath: (try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                      ?? CommandLine.arguments[0]).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("mklnk").path
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
               fm.isExecutableFile(atPath: candidate) {
                return candidate
            }
            dir.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/mklnk").path
    }
}
