#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkTestSupport
import Testing

/// SPEC §4 pruning, stale hard links and backup names, through the binary.
@Suite struct ApplyPruneTests {
    func twoLinks(_ label: String) -> (TempTree, String) {
        let t = TempTree(dotfiles: label)
        t.file("@/a", "a\n")
        t.file("@/b", "b\n")
        let plan = t.plan("links:\n  a: a\n  b: b\n")
        let r = t.mklnk("apply", plan)
        #expect(r.status == 0, "\(r)")
        return (t, plan)
    }

    @Test("a link dropped from the plan is deleted by the next apply")
    func prune() {
        let (t, plan) = twoLinks("prune")
        t.plan("links:\n  a: a\n")
        let r = t.mklnk("apply", plan, "--counters", "-")
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("- ~/b"), "\(r)")
        #expect(r.counters["_mklnk_deleted"] == 1 && r.counters["_mklnk_unchanged"] == 1, "\(r)")
        #expect(!t.exists("~/b") && t.exists("~/a") && t.exists("@/b"))
        #expect(t.names("~") == ["a"])
    }

    @Test("a dropped link the user changed meanwhile is kept")
    func pruneKeepsChanged() {
        let (t, plan) = twoLinks("prune-changed")
        t.replaceSymlink("~/b", "/my/own/b")
        t.plan("links:\n  a: a\n")
        let r = t.mklnk("apply", plan, "--counters", "-")
        #expect(r.status == 0 && r.counters["_mklnk_deleted"] == 0, "\(r)")
        #expect(t.linkTarget("~/b") == "/my/own/b")
    }

    @Test("a dropped hard link that became its file's last name (the target was deleted) is kept, with a warning")
    func pruneKeepsLastNameAndSaysSo() {
        let t = TempTree(dotfiles: "prune-last-name")
        t.file("@/a", "a\n")
        t.file("@/b", "b\n")
        let plan = t.plan("links:\n  h: { target: a, kind: hardlink }\n  k: b\n")
        #expect(t.mklnk("apply", plan).status == 0)
        t.removeFile("@/a")
        t.plan("links:\n  k: b\n")
        for command in ["plan", "apply"] {
            let r = t.mklnk(command, plan)
            #expect(r.status == 0, "\(r)")
            #expect(r.stderr.contains("~/h: it is the last link to its file; kept"), "\(command): \(r)")
        }
        #expect(t.contents("~/h") == "a\n")
    }

    @Test("--no-prune keeps a dropped link; a later apply without it prunes it")
    func noPrune() {
        let (t, plan) = twoLinks("no-prune")
        t.plan("links:\n  a: a\n")
        let kept = t.mklnk("apply", plan, "--no-prune", "--counters", "-")
        #expect(kept.status == 0 && kept.counters["_mklnk_deleted"] == 0, "\(kept)")
        #expect(t.linkTarget("~/b") == t.dots + "/b")
        let later = t.mklnk("apply", plan, "--counters", "-")
        #expect(later.counters["_mklnk_deleted"] == 1, "\(later)")
        #expect(!t.exists("~/b"))
    }

    @Test("pruning is per plan: another plan's links are not touched")
    func prunePerPlan() {
        let (t, _) = twoLinks("prune-per-plan")
        t.file("@/c", "c\n")
        let other = t.plan("links:\n  c: c\n", name: "other.yaml")
        let r = t.mklnk("apply", other, "--counters", "-")
        #expect(r.status == 0 && r.counters["_mklnk_deleted"] == 0, "\(r)")
        #expect(t.exists("~/a") && t.exists("~/b") && t.exists("~/c"))
    }

    // MARK: Stale hard links

    /// `NAME.mklnk-backup-YYYYmmddTHHMMSS`.
    static func isBackupName(_ s: String, of name: String) -> Bool {
        let prefix = name + ".mklnk-backup-"
        guard s.hasPrefix(prefix) else { return false }
        let stamp = Array(s.dropFirst(prefix.count))
        return stamp.count == 15 && stamp[8] == "T"
            && stamp.enumerated().allSatisfy { $0.offset == 8 || $0.element.isASCII && $0.element.isNumber }
    }

    @Test("a hard link whose target git replaced is re-linked; different bytes are kept as a backup first")
    func staleHardLink() {
        let t = TempTree(dotfiles: "stale")
        t.file("@/bin/tool", "v1\n")
        let plan = t.plan("links:\n  tool: { target: bin/tool, kind: hardlink }\n")
        #expect(t.mklnk("apply", plan).status == 0)
        let old = t.inode("~/tool")
        #expect(old == t.inode("@/bin/tool"))
        t.replaceByRename("@/bin/tool", "v2\n")
        let r = t.mklnk("apply", plan, "--counters", "-")
        #expect(r.status == 0, "\(r)")
        #expect(r.counters["_mklnk_files"] == 1 && r.counters["_mklnk_backups"] == 1, "\(r)")
        #expect(t.inode("~/tool") == t.inode("@/bin/tool"))
        let backups = t.names("~").filter { $0 != "tool" }
        #expect(backups.count == 1 && backups.allSatisfy { Self.isBackupName($0, of: "tool") }, "\(backups)")
        #expect(backups.first.map { t.contents("~/" + $0) } == "v1\n")
        #expect(backups.first.map { t.inode("~/" + $0) } == old)
        // Same bytes: re-linked without a backup.
        t.replaceByRename("@/bin/tool", "v2\n")
        let same = t.mklnk("apply", plan, "--counters", "-")
        #expect(same.counters["_mklnk_files"] == 1 && same.counters["_mklnk_backups"] == 0, "\(same)")
        #expect(t.inode("~/tool") == t.inode("@/bin/tool"))
        #expect(t.names("~").count == 2)
        let idle = t.mklnk("apply", plan, "--counters", "-")
        #expect(idle.counters["_mklnk_files"] == 0 && idle.counters["_mklnk_unchanged"] == 1, "\(idle)")
    }

    // MARK: Backup names


    @Test("conflict: backup moves the file to NAME.mklnk-backup-YYYYmmddTHHMMSS, or -2, -3 when taken",
          arguments: [0, 1, 2])
    func backupNames(_ taken: Int) {
        let t = TempTree(dotfiles: "backup-names")
        t.file("@/bashrc", "export A=1\n")
        t.file("~/.bashrc", "mine\n")
        let inode = t.inode("~/.bashrc")
        let now = time(nil)
        var existing: Set<String> = []
        for s in 0...3 where taken > 0 {
            let base = ".bashrc.mklnk-backup-" + backupStamp(now + time_t(s))
            for k in 1...taken {
                let name = k == 1 ? base : base + "-\(k)"
                t.file("~/" + name, "older\n")
                existing.insert(name)
            }
        }
        let plan = t.plan("links:\n  .bashrc: { target: bashrc, conflict: backup }\n")
        let r = t.mklnk("apply", plan, "--counters", "-")
        let end = time(nil)
        #expect(r.status == 0 && r.counters["_mklnk_backups"] == 1, "\(r)")
        let new = t.names("~").filter { $0 != ".bashrc" && !existing.contains($0) }
        #expect(new.count == 1, "\(new)")
        guard let name = new.first else { return }
        let stamps = (now...end).map { ".bashrc.mklnk-backup-" + backupStamp($0) }
        if taken == 0 {
            #expect(stamps.contains(name), "\(name) not in \(stamps)")
        } else {
            #expect(stamps.map { $0 + "-\(taken + 1)" }.contains(name), "\(name)")
        }
        #expect(t.inode("~/" + name) == inode)
        #expect(t.contents("~/" + name) == "mine\n")
        for e in existing { #expect(t.contents("~/" + e) == "older\n") }
    }

    @Test("without conflict: backup a file in the way fails the plan (exit 1), and nothing changes")
    func conflictFail() {
        let t = TempTree(dotfiles: "conflict-fail")
        t.file("@/bashrc", "export A=1\n")
        t.file("@/vimrc", "set\n")
        t.file("~/.bashrc", "mine\n")
        let plan = t.plan("links:\n  .vimrc: vimrc\n  .bashrc: bashrc\n")
        let before = t.snapshot()
        let r = t.mklnk("apply", plan)
        #expect(r.status == 1, "\(r)")
        #expect(r.stdout.contains("! ~/.bashrc"), "\(r)")
        #expect(t.snapshot() == before)
    }
}
