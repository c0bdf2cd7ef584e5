import MklnkTestSupport
import Foundation
import MklnkFileSystem
import Testing

/// SPEC §3 / issue 13: `--json` prints exactly one JSON document on stdout whatever happens,
/// with `was` as a value and the counters in the document only.
@Suite struct JSONContractTests {
    /// The whole of stdout as one JSON object (nil when it is not exactly one document).
    static func document(_ r: ApplyCLIResult) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any]
    }

    /// Checks the document's shape and that it agrees with the exit status.
    static func expectOneDocument(_ r: ApplyCLIResult, status: Int32, _ what: String) {
        #expect(r.status == status, "\(what): \(r)")
        let doc = document(r)
        #expect(doc != nil, "\(what): stdout is not one JSON document\n\(r)")
        guard let doc else { return }
        for key in ["version", "plan", "root", "actions", "summary", "counters", "diagnostics", "exit"] {
            #expect(doc.keys.contains(key), "\(what): no \(key)")
        }
        #expect(doc["exit"] as? Int == Int(status), "\(what)")
        #expect(!r.stdout.contains("\n! ") && !r.stdout.contains("_mklnk_files="), "\(what): human lines on stdout\n\(r)")
    }

    /// A plan with a conflict (a file in the way) and one with a missing target.
    func refusedPlans(_ t: TempTree) -> (conflict: String, missing: String) {
        t.file("@/a", "a\n")
        t.file("~/a", "mine\n")
        return (t.plan("links:\n  a: a\n"), t.plan("links:\n  b: nope\n", name: "missing.yaml"))
    }

    @Test("plan, check and apply --json: one document for an invalid plan, a missing file, a conflict, a missing target",
          arguments: ["plan", "check", "apply"])
    func everyOutcome(_ command: String) {
        let t = TempTree(dotfiles: "json-" + command)
        let (conflict, missing) = refusedPlans(t)
        let invalid = t.plan("links:\n  a: a\n  a: a\n", name: "invalid.yaml")
        let before = t.snapshot()
        Self.expectOneDocument(t.mklnk(command, invalid, "--json"), status: 65, "\(command) invalid")
        Self.expectOneDocument(t.mklnk(command, t.path("@/absent.yaml"), "--json"), status: 65, "\(command) missing file")
        let refused = t.mklnk(command, conflict, "--json")
        Self.expectOneDocument(refused, status: 1, "\(command) conflict")
        let ops = (Self.document(refused)?["actions"] as? [[String: Any]])?.compactMap { $0["op"] as? String }
        #expect(ops == ["conflict"], "\(refused)")
        Self.expectOneDocument(t.mklnk(command, missing, "--json"), status: 1, "\(command) missing target")
        #expect(t.snapshot() == before)
    }

    @Test("apply --json: one document when locked (75), for a usage error (64) and after a rollback")
    func lockedAndUsage() throws {
        let t = TempTree(dotfiles: "json-locked")
        t.file("@/a", "a\n")
        let plan = t.plan("links:\n  a: a\n")
        t.directory(t.state)
        let lock = try #require(try FileLock.acquire(Path(t.state + "/lock"), timeout: 0))
        let locked = t.mklnk("apply", plan, "--json")
        lock.release()
        Self.expectOneDocument(locked, status: 75, "locked")
        #expect(Self.document(locked)?["applied"] as? Bool == false)
        Self.expectOneDocument(t.mklnk("apply", plan, "--json", "--root", ""), status: 64, "--root ''")
        Self.expectOneDocument(ApplyCLI.run(["plan", plan, "--json", "--state-dir", ""], environment: ["HOME": t.home],
                                            scratch: t.dir), status: 64, "--state-dir ''")
        #expect(!t.exists("~/a"))
    }

    @Test("--counters - with --json: the counters are in the document only")
    func countersInDocument() {
        let t = TempTree(dotfiles: "json-counters")
        t.file("@/a", "a\n")
        let r = t.mklnk("apply", t.plan("links:\n  a: a\n"), "--json", "--counters", "-")
        Self.expectOneDocument(r, status: 0, "apply")
        let counters = Self.document(r)?["counters"] as? [String: Int]
        #expect(counters?["_mklnk_files"] == 1, "\(r)")
        #expect(Self.document(r)?["applied"] as? Bool == true)
    }

    @Test("was is a value: a symlink's target, a regular file's link count, a directory")
    func wasIsAValue() {
        let t = TempTree(dotfiles: "json-was")
        t.file("@/a", "a\n")
        t.symlink("~/a", "/etc/hostname")
        t.file("~/pair_a", "p\n")
        t.hardLink("~/pair_b", to: "~/pair_a")
        t.directory("~/d")
        let plan = t.plan("links:\n  a: a\n  d: { target: a, conflict: skip }\nremove:\n  - ~/pair_b\n")
        let r = t.mklnk("plan", plan, "--json")
        Self.expectOneDocument(r, status: 0, "plan")
        let actions = Self.document(r)?["actions"] as? [[String: Any]] ?? []
        func was(_ name: String) -> [String: String]? {
            (actions.first { $0["path"] as? String == t.path(name) }?["was"] as? [String: Any])?.mapValues { "\($0)" }
        }
        #expect(was("~/a") == ["kind": "symlink", "target": "/etc/hostname"], "\(r)")
        #expect(was("~/pair_b") == ["kind": "regular", "links": "2"], "\(r)")
        #expect(was("~/d") == ["kind": "directory"], "\(r)")
    }
}
