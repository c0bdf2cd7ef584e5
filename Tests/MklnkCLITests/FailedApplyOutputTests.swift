import Foundation
import MklnkTestSupport
import Testing

/// An apply that fails part way (a fault injected with strace): one JSON document, and one
/// conclusion on stderr that says what the user must do.
@Suite struct FailedApplyOutputTests {
    static let strace = ["/usr/bin/strace", "/bin/strace"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// `mklnk ARGS` under strace with `faults` injected, HOME and state as `TempTree.mklnk` sets them.
    func mklnk(_ t: TempTree, _ args: [String], faults: [String]) throws -> ApplyCLIResult {
        let strace = try #require(Self.strace, "strace is needed (make deps installs it)")
        return try MklnkProcess.run(["-f", "-o", "/dev/null"] + faults.flatMap { ["-e", $0] }
                                    + [MklnkProcess.path] + args + ["--state-dir", t.state],
                                    in: t.dir, environment: ["HOME": t.home, "NO_COLOR": "1"], executable: strace)
    }

    func twoLinks(_ label: String) -> (TempTree, String) {
        let t = TempTree(dotfiles: label)
        t.file("@/a", "a\n")
        t.file("@/b", "b\n")
        return (t, t.plan("links:\n  a: a\n  b: b\n"))
    }

    @Test("rolled back: one document with applied false, and 'nothing was changed' once")
    func rolledBack() throws {
        let (t, plan) = twoLinks("rolled-back")
        let before = t.snapshot()
        let r = try mklnk(t, ["apply", plan, "--json"], faults: ["trace=symlinkat,symlink", "inject=symlinkat:error=EIO:when=2"])
        JSONContractTests.expectOneDocument(r, status: 1, "rolled back")
        let doc = JSONContractTests.document(r)
        #expect(doc?["applied"] as? Bool == false)
        #expect((doc?["failures"] as? [Any])?.count == 1, "\(r)")
        #expect((doc?["counters"] as? [String: Int])?["_mklnk_errors"] == 1, "\(r)")
        #expect(r.stderr.components(separatedBy: "nothing was changed").count == 2, "\(r)")
        #expect(t.snapshot() == before)
    }

    @Test("rolled back: the document lists what was attempted, and the failure is located at its entry")
    func rolledBackNamesTheEntry() throws {
        let (t, plan) = twoLinks("rolled-back-located")
        let r = try mklnk(t, ["apply", plan, "--json"], faults: ["trace=symlinkat,symlink", "inject=symlinkat:error=EIO:when=2"])
        let doc = try #require(JSONContractTests.document(r), "\(r)")
        let actions = try #require(doc["actions"] as? [[String: Any]], "\(r)")
        #expect(actions.map { $0["op"] as? String } == ["create", "conflict"], "the one that failed is marked: \(r)")
        #expect(doc["applied"] as? Bool == false)
        let diagnostics = try #require(doc["diagnostics"] as? [[String: Any]], "\(r)")
        let failed = try #require(diagnostics.first { ($0["message"] as? String)?.contains("Input/output error") == true }, "\(r)")
        let location = try #require(failed["location"] as? String, "unlocated: \(r)")
        let line = try #require(String(contentsOfFile: plan, encoding: .utf8).components(separatedBy: "\n").firstIndex(of: "  b: b")) + 1
        #expect(location == "\(plan):\(line):3", "\(r)")
        let human = try mklnk(t, ["apply", plan], faults: ["trace=symlinkat,symlink", "inject=symlinkat:error=EIO:when=2"])
        #expect(human.stderr.contains("plan.yaml:\(line):3: error: symlink ~/b"), "\(human)")
    }

    @Test("--keep-going: a step that fails is a conflict with its reason, not a create, and the Applied line counts the error")
    func keepGoingFailedStep() throws {
        let (t, plan) = twoLinks("keep-going-failed-step")
        let faults = ["trace=symlinkat,symlink", "inject=symlinkat:error=EIO:when=2"]
        let r = try mklnk(t, ["apply", plan, "--keep-going", "--json"], faults: faults)
        #expect(r.status == 1, "\(r)")
        let doc = try #require(JSONContractTests.document(r), "\(r)")
        let actions = try #require(doc["actions"] as? [[String: Any]], "\(r)")
        #expect(actions.map { $0["op"] as? String } == ["create", "conflict"], "\(r)")
        #expect((actions.last?["reason"] as? String)?.contains("Input/output error") == true, "\(r)")
        let summary = doc["summary"] as? [String: Int]
        #expect(summary?["create"] == 1 && summary?["conflict"] == 1, "\(r)")
        #expect((doc["counters"] as? [String: Int])?["_mklnk_files"] == 1, "\(r)")
        t.removeFile("~/a")
        let human = try mklnk(t, ["apply", plan, "--keep-going"], faults: faults)
        #expect(human.stdout.contains("Applied: 1 created, 0 updated, 0 deleted, 0 unchanged, 1 error."), "\(human)")
    }

    @Test("a rollback that cannot finish says so, and only that: not also 'nothing was changed'")
    func rollbackIncomplete() throws {
        let (t, plan) = twoLinks("rollback-unfinished")
        let before = t.snapshot()
        let r = try mklnk(t, ["apply", plan], faults: [
            // The rollback removes the first link with unlinkat; recovery uses unlink, left alone.
            "trace=symlinkat,symlink,unlinkat", "inject=symlinkat:error=EIO:when=2", "inject=unlinkat:error=EIO",
        ])
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.contains("rollback is incomplete; run 'mklnk recover'"), "\(r)")
        #expect(!r.stderr.contains("nothing was changed"), "\(r)")
        #expect(r.stderr.components(separatedBy: "incomplete").count == 2, "one conclusion\n\(r)")
        #expect(t.mklnk("recover").status == 0)
        #expect(t.snapshot() == before)
    }
}
