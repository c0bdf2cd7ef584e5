// Golden files for `mklnk plan`: the human diff (`--color never`) and `--json`, for every
// fixture in Fixtures/ (a plan and the tree it is planned against).
//
// Re-record every golden file after an intended change of output (then review the diff):
//
//     MKLNK_RECORD=1 swift test --filter Golden
//
// A missing golden file fails the test. The temporary directory prints as `$TMP`.
import Foundation
import MklnkTestSupport
import Testing

@Suite struct GoldenPlanTests {
    static var recording: Bool { ProcessInfo.processInfo.environment["MKLNK_RECORD"] == "1" }

    @Test(arguments: Fixture.all)
    func humanAndJSON(_ fixture: Fixture) throws {
        let scratch = try TempTree(prefix: "mklnk-golden")
        try fixture.make(in: scratch.root)
        let env = ["HOME": scratch.root + "/home"]
        let common = ["plan", "home/dots/plan.yaml", "--state-dir", scratch.root + "/state"]

        let extra = try fixture.tree.arguments
        let human = try MklnkProcess.run(common + ["--color", "never"] + extra, in: scratch.root, environment: env)
        let transcript = """
            $ mklnk plan home/dots/plan.yaml --color never\(extra.map { " " + $0 }.joined())
            exit: \(human.status)
            --- stdout
            \(human.stdout)--- stderr
            \(human.stderr)
            """
        try Self.compare(Self.stable(transcript, scratch.root), golden: "\(fixture.name).txt")

        let json = try MklnkProcess.run(common + ["--json"], in: scratch.root, environment: env)
        #expect(json.status == human.status, "--json exits as the human run does")
        try Self.compare(Self.stable(json.stdout, scratch.root), golden: "\(fixture.name).json")
        // One JSON document, whatever the outcome (an invalid plan's has no actions).
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(parsed?["version"] as? Int == 1)
        #expect(parsed.map { Array($0.keys).sorted() }
                == ["actions", "counters", "diagnostics", "exit", "plan", "root", "summary", "version"])
        if json.status == 65 { #expect((parsed?["actions"] as? [Any])?.isEmpty == true) }
        #expect(!FileManager.default.fileExists(atPath: scratch.root + "/state"), "plan makes no state")
    }

    /// Replaces the temporary directory with `$TMP`.
    static func stable(_ text: String, _ root: String) -> String {
        text.replacingOccurrences(of: root, with: "$TMP")
    }

    static func compare(_ actual: String, golden name: String) throws {
        let url = Fixture.goldenDirectory.appendingPathComponent(name)
        if recording {
            try FileManager.default.createDirectory(at: Fixture.goldenDirectory, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden file Golden/\(name); record it with: MKLNK_RECORD=1 swift test --filter Golden")
            return
        }
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
            Issue.record("""
                Golden/\(name) differs at line \(line + 1):
                  expected: \(line < e.count ? String(e[line]) : "<end>")
                  actual:   \(line < a.count ? String(a[line]) : "<end>")
                whole output:
                \(actual)
                (re-record with: MKLNK_RECORD=1 swift test --filter Golden)
                """)
        }
    }
}
