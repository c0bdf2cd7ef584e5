import Foundation

/// The built `mklnk` executable, run as a user would.
enum MklnkBinary {
    /// `$MKLNK_BINARY`, else `.build/debug/mklnk` under the package root (found from this file).
    static var path: String {
        if let override = ProcessInfo.processInfo.environment["MKLNK_BINARY"], !override.isEmpty { return override }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()  // Support
            .deletingLastPathComponent()  // MklnkCoreTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/mklnk").path
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs mklnk with `arguments` in `directory`, with exactly `environment` (plus PATH).
    static func run(_ arguments: [String], in directory: String, environment: [String: String]) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TempTreeError(description: "no mklnk binary at \(path); run 'swift build' first")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = environment
        env["PATH"] = env["PATH"] ?? "/usr/bin:/bin"
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
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
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}
