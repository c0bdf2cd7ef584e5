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

    @Test("a rollback that cannot finish says so, and only that: not also 'nothing was changed'")
    func rollbackIncomplete() throws {
        let (t, plan) = twoLinks("rollback-incomplete")
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
