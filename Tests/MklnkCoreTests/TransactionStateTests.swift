#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkTestSupport
@testable import MklnkCore
import MklnkFileSystem
import Testing

/// SPEC §4 through the real pipeline: idempotence, pruning, stale hard links, backup names,
/// --keep-going, confinement, and what `remove` refuses.
@Suite struct TransactionStateTests {
    func plan(_ body: String) -> String { ApplyScenario.plan(body) }

    func ops(_ run: PlannedRun) -> [String] {
        run.actions.filter { $0.op != .unchanged }.map { "\($0.op) \(Paths.name($0.path))" }
    }

    // MARK: Idempotence

    @Test("a second apply of the same plan changes nothing")
    func idempotent() {
        let t = TempTree(dotfiles: "idem")
        ApplyScenario.everything.setup(t)
        let (_, first) = t.apply(ApplyScenario.everything.plan)
        #expect(first.failures.isEmpty)
        let snapshot = t.snapshot()
        let state = t.stateFiles()
        let (run, second) = t.apply(ApplyScenario.everything.plan)
        #expect(ops(run) == [])
        #expect(second.counters.files == 0)
        #expect(second.counters.deleted == 0 && second.counters.backups == 0 && second.counters.errors == 0)
        #expect(second.counters.unchanged == 5)
        let same = t.snapshot() == snapshot
        #expect(same)
        #expect(t.stateFiles() == state)
        #expect(!t.journalExists)
    }

    // MARK: Pruning

    static let threeLinks = ApplyScenario.plan("links:\n  a: a\n  b: b\n  h: { target: h, kind: hardlink }\n")

    func threeApplied(_ label: String) -> TempTree {
        let t = TempTree(dotfiles: label)
        for name in ["a", "b", "h"] { t.file("@/" + name, name + "\n") }
        let (_, outcome) = t.apply(Self.threeLinks)
        #expect(outcome.failures.isEmpty && outcome.counters.files == 3)
        return t
    }

    @Test("links an earlier apply made and the plan no longer lists are pruned")
    func prune() {
        let t = threeApplied("prune")
        let (run, outcome) = t.apply(plan("links:\n  a: a\n"))
        #expect(ops(run) == ["delete b", "delete h"])
        #expect(outcome.counters.deleted == 2 && outcome.counters.unchanged == 1)
        #expect(!t.exists("~/b") && !t.exists("~/h"))
        #expect(t.contents("@/h") == "h\n" && t.contents("@/b") == "b\n")
        #expect(t.names("~") == ["a"])  // no trash left
        // Forgotten: nothing more to prune.
        #expect(ops(t.planRun(plan("links:\n  a: a\n"))) == [])
    }

    @Test("a pruned link the user changed since is kept")
    func pruneKeepsChangedLinks() {
        let t = threeApplied("prune-changed")
        unlink(t.path("~/b"))
        t.symlink("~/b", "/somewhere/else")
        t.replaceByRename("~/h", "h\n")  // same bytes, but the user's own file now
        let (run, outcome) = t.apply(plan("links:\n  a: a\n"))
        #expect(ops(run) == [])
        #expect(outcome.counters.deleted == 0)
        #expect(t.linkTarget("~/b") == "/somewhere/else")
        #expect(t.contents("~/h") == "h\n")
    }

    @Test("a pruned hard link that became the file's last name is kept, as a skip that says so")
    func pruneKeepsLastLink() {
        let t = threeApplied("prune-last")
        unlink(t.path("@/h"))
        let (run, _) = t.apply(plan("links:\n  a: a\n  b: b\n"))
        #expect(ops(run) == ["skip h"])
        #expect(t.contents("~/h") == "h\n")
    }

    @Test("--no-prune keeps the links and remembers them for a later apply")
    func noPrune() {
        let t = threeApplied("no-prune")
        let (run, outcome) = t.apply(plan("links:\n  a: a\n"), prune: false)
        #expect(ops(run) == [])
        #expect(outcome.counters.deleted == 0)
        #expect(t.exists("~/b") && t.exists("~/h"))
        let (later, _) = t.apply(plan("links:\n  a: a\n"))
        #expect(ops(later) == ["delete b", "delete h"])
    }

    // MARK: Stale hard links

    static let tool = ApplyScenario.plan("links:\n  tool: { target: bin/tool, kind: hardlink }\n")

    func toolApplied(_ label: String) -> TempTree {
        let t = TempTree(dotfiles: label)
        t.file("@/bin/tool", "v1\n")
        t.apply(Self.tool)
        #expect(t.inode("~/tool") == t.inode("@/bin/tool"))
        return t
    }

    @Test("a stale hard link whose bytes differ is backed up, then re-linked")
    func staleHardLinkNewBytes() {
        let t = toolApplied("stale-new")
        let old = t.inode("~/tool")
        t.replaceByRename("@/bin/tool", "v2\n")
        let (run, outcome) = t.apply(Self.tool)
        #expect(ops(run) == ["backup tool", "create tool"])
        #expect(outcome.counters.backups == 1 && outcome.counters.files == 1)
        #expect(t.inode("~/tool") == t.inode("@/bin/tool"))
        let backups = t.names("~").filter { $0.hasPrefix("tool.mklnk-backup-") }
        #expect(backups.count == 1)
        #expect(backups.first.map { t.contents("~/" + $0) } == "v1\n")
        #expect(backups.first.map { t.inode("~/" + $0) } == old)
        #expect(ops(t.planRun(Self.tool)) == [])
    }

    @Test("a stale hard link with the same bytes is re-linked without a backup")
    func staleHardLinkSameBytes() {
        let t = toolApplied("stale-same")
        t.replaceByRename("@/bin/tool", "v1\n")
        let (run, outcome) = t.apply(Self.tool)
        #expect(ops(run) == ["update tool"])
        #expect(outcome.counters.files == 1 && outcome.counters.backups == 0)
        #expect(t.inode("~/tool") == t.inode("@/bin/tool"))
        #expect(t.names("~") == ["tool"])
        #expect(ops(t.planRun(Self.tool)) == [])
    }

    @Test("a file mklnk did not make is not a stale hard link: it is in the way")
    func notStaleWithoutState() {
        let t = TempTree(dotfiles: "not-stale")
        t.file("@/bin/tool", "v1\n")
        t.file("~/tool", "v1\n")
        let run = t.planRun(Self.tool)
        #expect(run.actions.map(\.op) == [.conflict])
    }

    // MARK: Backup names


    static let bashrc = ApplyScenario.plan("links:\n  .bashrc: { target: bash/bashrc, conflict: backup }\n")

    @Test("a backup is NAME.mklnk-backup-YYYYmmddTHHMMSS in the same directory, holding the original")
    func backupName() {
        let t = TempTree(dotfiles: "backup-name")
        t.file("@/bash/bashrc", "export A=1\n")
        t.file("~/.bashrc", "mine\n")
        let inode = t.inode("~/.bashrc")
        let start = time(nil)
        let (_, outcome) = t.apply(Self.bashrc)
        let end = time(nil)
        #expect(outcome.counters.backups == 1 && outcome.counters.files == 1)
        let names = t.names("~").filter { $0 != ".bashrc" }
        let allowed = (start...end).map { ".bashrc.mklnk-backup-" + backupStamp($0) }
        #expect(names.count == 1 && allowed.contains(names[0]), "\(names) not in \(allowed)")
        #expect(t.inode("~/" + names[0]) == inode)
        #expect(t.contents("~/" + names[0]) == "mine\n")
        #expect(t.linkTarget("~/.bashrc") == t.dots + "/bash/bashrc")
    }

    @Test("a backup name already taken gets -2, then -3", arguments: [1, 2])
    func backupNameTaken(_ taken: Int) {
        let t = TempTree(dotfiles: "backup-taken")
        t.file("@/bash/bashrc", "export A=1\n")
        t.file("~/.bashrc", "mine\n")
        let now = time(nil)
        var existing: Set<String> = []
        for s in 0...3 {
            let base = ".bashrc.mklnk-backup-" + backupStamp(now + time_t(s))
            for k in 1...taken {
                let name = k == 1 ? base : base + "-\(k)"
                t.file("~/" + name, "older backup\n")
                existing.insert(name)
            }
        }
        let (_, outcome) = t.apply(Self.bashrc)
        #expect(outcome.failures.isEmpty)
        let new = t.names("~").filter { $0 != ".bashrc" && !existing.contains($0) }
        #expect(new.count == 1 && new[0].hasSuffix("-\(taken + 1)"), "\(new)")
        #expect(new.first.map { t.contents("~/" + $0) } == "mine\n")
        for name in existing { #expect(t.contents("~/" + name) == "older backup\n") }
    }

    // MARK: --keep-going

    static let abc = ApplyScenario.plan("links:\n  a: a\n  b: b\n  c: c\n")

    func abcTree(_ label: String) -> TempTree {
        let t = TempTree(dotfiles: label)
        for name in ["a", "b", "c"] { t.file("@/" + name, name) }
        return t
    }

    @Test("--keep-going applies what it can and counts the errors")
    func keepGoing() throws {
        let t = abcTree("keep-going")
        let run = t.planRun(Self.abc)
        let fs = FaultyFileSystem(root: try #require(run.plan?.root), mode: .failOnce(at: 4, errno: EACCES))
        let outcome = t.transaction(run, on: fs, keepGoing: true).apply(run.actions)
        #expect(fs.log[3].hasPrefix("symlink ") && fs.log[3].hasSuffix("/home/b"))
        #expect(!outcome.rolledBack)
        #expect(outcome.failures.count == 1)
        #expect(outcome.counters.files == 2 && outcome.counters.errors == 1)
        #expect(t.exists("~/a") && !t.exists("~/b") && t.exists("~/c"))
        #expect(!t.journalExists)
        // The state holds what was made; the next apply makes only b.
        #expect(ops(t.planRun(Self.abc)) == ["create b"])
    }

    @Test("--keep-going rolls everything back when a failed step cannot even be undone")
    func keepGoingUndoFails() throws {
        let t = abcTree("keep-going-undo")
        let before = t.snapshot()
        let run = t.planRun(Self.abc)
        // b's symlink is made but reported failed; both tries to undo it fail too.
        let fs = FaultyFileSystem(root: try #require(run.plan?.root), mode: .failEach([4: true, 5: false, 6: false]))
        let outcome = t.transaction(run, on: fs, keepGoing: true).apply(run.actions)
        #expect(outcome.rolledBack)
        let same = t.snapshot() == before
        #expect(same, "\(t.snapshot().difference(from: before))")
        #expect(!t.journalExists)
    }

    // MARK: Confinement

    @Test("a symlinked parent that leads outside the root is a conflict")
    func symlinkedParentOutside() {
        let t = TempTree(dotfiles: "escape")
        t.file("@/f", "f\n")
        t.directory("outside")
        t.symlink("~/evil", t.path("outside"))
        let run = t.planRun(plan("links:\n  evil/x: f\n  evil/deeper/y: f\n"))
        #expect(run.actions.map(\.op) == [.conflict, .conflict])
        #expect(run.actions.allSatisfy { $0.reason?.contains("outside the root") == true }, "\(run.actions.map(\.reason))")
        #expect(run.failure == .cannotApply)
    }

    @Test("a parent swapped for a symlink to outside after planning: the apply fails and rolls back")
    func parentSwappedAfterPlanning() throws {
        let t = TempTree(dotfiles: "swap")
        t.file("@/f", "f\n")
        t.directory("outside")
        t.directory("~/evil")
        let run = t.planRun(plan("links:\n  first: f\n  evil/x: f\n  evil/new/y: f\n"))
        #expect(run.failure == nil)
        #expect(rename(t.path("~/evil"), t.path("~/evil.moved")) == 0)
        t.symlink("~/evil", t.path("outside"))
        let before = t.snapshot()
        let outcome = t.transaction(run, on: LocalFileSystem(root: try #require(run.plan?.root))).apply(run.actions)
        #expect(outcome.rolledBack)
        #expect(t.names("outside").isEmpty)
        let same = t.snapshot() == before
        #expect(same, "\(t.snapshot().difference(from: before))")
        #expect(!t.journalExists)
    }

    @Test("a symlinked parent that stays beneath the root is followed")
    func symlinkedParentInside() {
        let t = TempTree(dotfiles: "inside")
        t.file("@/f", "f\n")
        t.directory("~/real")
        t.symlink("~/alias", "real")
        let (run, outcome) = t.apply(plan("links:\n  alias/x: f\n"))
        #expect(run.failure == nil && outcome.failures.isEmpty)
        #expect(t.linkTarget("~/real/x") == t.dots + "/f")
    }

    // MARK: remove

    @Test("remove never deletes a file or a directory")
    func removeNonLinks() {
        let t = TempTree(dotfiles: "remove-nonlink")
        t.file("~/file", "mine\n")
        t.directory("~/dir")
        let run = t.planRun(plan("remove:\n  - ~/file\n  - ~/dir\n"))
        #expect(run.actions.map(\.op) == [.conflict, .conflict])
        #expect(run.failure == .cannotApply)
    }

    @Test("remove never deletes the last name of a file, counted over the whole plan")
    func removeLastLink() {
        let t = TempTree(dotfiles: "remove-last")
        t.file("~/one", "bytes\n")
        t.hardLink("~/two", to: "~/one")
        let run = t.planRun(plan("remove:\n  - ~/one\n  - ~/two\n"))
        #expect(run.actions.map(\.op) == [.delete, .conflict])
        let single = t.planRun(plan("remove:\n  - ~/two\n"))
        #expect(single.actions.map(\.op) == [.delete])
    }

    @Test("remove and prune together never delete the last name of a file")
    func removeAndPruneLastLink() {
        let t = TempTree(dotfiles: "remove-prune")
        t.file("@/h", "h\n")
        t.apply(plan("links:\n  h: { target: h, kind: hardlink }\n"))
        t.hardLink("~/other", to: "~/h")
        unlink(t.path("@/h"))  // the file now has two names, ~/h (recorded) and ~/other
        let run = t.planRun(plan("links: {}\nremove:\n  - ~/other\n"))
        let deletes = run.actions.filter { $0.op == .delete }.count
        #expect(deletes <= 1, "\(ops(run))")
    }
}
