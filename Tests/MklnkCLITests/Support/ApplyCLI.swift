import Foundation
import MklnkTestSupport

/// What a run of the `mklnk` binary did.
typealias ApplyCLIResult = MklnkProcess.Result

extension MklnkProcess.Result {
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

/// Runs the built `mklnk` binary for the apply tests.
enum ApplyCLI {
    /// Runs `mklnk args` with exactly `environment` (plus PATH), stdin from /dev/null.
    static func run(_ args: [String], environment: [String: String], scratch: String) -> ApplyCLIResult {
        do {
            return try MklnkProcess.run(args, in: scratch, environment: environment)
        } catch {
            fatalError("cannot run \(MklnkProcess.path): \(error)")
        }
    }

    /// A file's bytes as text ("" when unreadable).
    static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8))
            ?? FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
