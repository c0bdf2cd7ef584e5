import Foundation
import MklnkTestSupport
import Testing

/// Audit 2 E7: a link that cannot be made for its target (missing, across filesystems, not a
/// file for a hard link) is a `!` conflict line and a `conflict` action with its reason, like
/// every other exit-1 cause of SPEC §3, and is counted once.
@Suite struct TargetRefusalTests {
    /// `.m` has a missing target (line 4), `.h` a hard link that can be made (line 5).
    func missingTarget(_ label: String) -> (TempTree, String) {
        let t = TempTree(dotfiles: label)
        t.file("@/a", "a\n")
        return (t, t.plan("links:\n  .m: nope\n  .h: { target: a, kind: hardlink }\n"))
    }

    @Test("plan: a missing target is a ! line with its location, counted as one conflict and no extra error")
    func missingTargetIsAConflictLine() {
        let (t, plan) = missingTarget("refusal-human")
        let r = t.mklnk("plan", plan)
        #expect(r.status == 1, "\(r)")
        #expect(r.stdout.contains("! ~/.m: target \(t.path("@/nope")) does not exist (missing: allow makes a dangling link)   [\(plan):4:3]"), "\(r)")
        #expect(r.stdout.contains("Plan: 1 to create, 0 to update, 0 to delete, 0 unchanged, 1 conflict.\n"), "\(r)")
        // The cause is on stderr once, at the target, as before.
        #expect(r.stderr.components(separatedBy: "does not exist").count == 2, "\(r)")
        #expect(r.stderr.contains("plan.yaml:4:7: error: target \(t.path("@/nope")) does not exist"), "\(r)")
    }

    @Test("plan --json: the missing target is a conflict action with a reason; summary and counters count it once")
    func missingTargetIsAConflictAction() throws {
        let (t, plan) = missingTarget("refusal-json")
        let r = t.mklnk("plan", plan, "--json")
        #expect(r.status == 1, "\(r)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let actions = try #require(doc["actions"] as? [[String: Any]])
        let conflict = try #require(actions.first { $0["path"] as? String == t.path("~/.m") }, "\(r)")
        #expect(conflict["op"] as? String == "conflict")
        #expect(conflict["source"] as? String == plan + ":4:3")
        #expect((conflict["reason"] as? String)?.contains("does not exist") == true)
        #expect(conflict["target"] as? String == t.path("@/nope"))
        let summary = try #require(doc["summary"] as? [String: Int])
        #expect(summary["conflict"] == 1 && summary["create"] == 1)
        let counters = try #require(doc["counters"] as? [String: Int])
        #expect(counters["_mklnk_errors"] == 1 && counters["_mklnk_files"] == 0, "\(counters)")
        let diagnostics = try #require(doc["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.filter { $0["severity"] as? String == "error" }.count == 1, "\(diagnostics)")
    }

    @Test("apply refuses with the ! line; --keep-going makes the rest and counts the refusal as one error")
    func applyCountsOnce() {
        let (t, plan) = missingTarget("refusal-apply")
        let refused = t.mklnk("apply", plan, "--counters", "-")
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stdout.contains("! ~/.m: target"), "\(refused)")
        #expect(refused.stdout.contains("_mklnk_errors=1\n"), "\(refused)")
        #expect(!t.exists("~/.h"))
        let kept = t.mklnk("apply", plan, "--keep-going", "--counters", "-")
        #expect(kept.status == 1, "\(kept)")
        #expect(t.linkCount("~/.h") == 2)
        #expect(kept.stdout.contains("! ~/.m: target"), "\(kept)")
        #expect(kept.stdout.contains("_mklnk_files=1\n_mklnk_errors=1\n"), "\(kept)")
        #expect(kept.stdout.contains(", 1 conflict.") || kept.stdout.contains(", 1 conflict,"), "\(kept)")
        #expect(!kept.stdout.contains(" error"), "no second count as an error\n\(kept)")
    }

    @Test("apply --keep-going with a refused link keeps its record: once out of the plan, the link mklnk made is pruned")
    func keepGoingKeepsTheRecord() {
        let t = TempTree(dotfiles: "refusal-record")
        t.file("@/a", "a\n")
        t.file("@/o", "o\n")
        let plan = t.plan("links:\n  .o: o\n  .k: a\n")
        #expect(t.mklnk("apply", plan).status == 0)
        #expect(t.isSymlink("~/.o"))
        t.remove("@/o")
        let kept = t.mklnk("apply", plan, "--keep-going")
        #expect(kept.status == 1 && kept.stdout.contains("! ~/.o: target"), "\(kept)")
        #expect(t.isSymlink("~/.o"), "a refused link is left as it is")
        t.plan("links:\n  .k: a\n")
        let pruned = t.mklnk("apply", plan)
        #expect(pruned.status == 0 && pruned.stdout.contains("- ~/.o"), "\(pruned)")
        #expect(!t.isSymlink("~/.o"))
    }

    @Test("check lists the missing target as a ! line and exits 1")
    func checkListsIt() {
        let (t, plan) = missingTarget("refusal-check")
        let r = t.mklnk("check", plan)
        #expect(r.status == 1, "\(r)")
        #expect(r.stdout.contains("! ~/.m: target"), "\(r)")
    }

    @Test("link: a missing target is a conflict action in --json")
    func linkCommand() throws {
        let t = TempTree(dotfiles: "refusal-link")
        let r = t.mklnk("link", "--root", t.home, t.path("~/.x"), t.path("@/nope"), "--json")
        #expect(r.status == 1, "\(r)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let actions = try #require(doc["actions"] as? [[String: Any]])
        #expect(actions.map { $0["op"] as? String } == ["conflict"], "\(r)")
        #expect((doc["counters"] as? [String: Int])?["_mklnk_errors"] == 1, "\(r)")
    }

    static let crossDevice: Bool = {
        var a = stat(), b = stat()
        return lstat("/dev/shm", &a) == 0 && lstat("/tmp", &b) == 0 && a.st_dev != b.st_dev
            && access("/dev/shm", W_OK) == 0
    }()

    @Test("a hard link across filesystems is a ! line and a conflict action",
          .enabled(if: crossDevice, "needs /dev/shm on another filesystem than /tmp (skipped)"))
    func crossDeviceHardLink() throws {
        let t = TempTree(dotfiles: "refusal-xdev")
        let shm = try TempTree(in: "/dev/shm")
        defer { shm.remove() }
        let target = shm.file("x", "x\n")
        let plan = t.plan("links:\n  .x: { target: \(target), kind: hardlink }\n")
        let r = t.mklnk("plan", plan)
        #expect(r.status == 1, "\(r)")
        #expect(r.stdout.contains("! ~/.x: a hard link cannot cross filesystems"), "\(r)")
        #expect(r.stdout.contains("0 to create, 0 to update, 0 to delete, 0 unchanged, 1 conflict.\n"), "\(r)")
        let j = t.mklnk("plan", plan, "--json")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        let actions = try #require(doc["actions"] as? [[String: Any]])
        #expect(actions.map { $0["op"] as? String } == ["conflict"], "\(j)")
        #expect(actions.first?["kind"] as? String == "hardlink")
    }
}
