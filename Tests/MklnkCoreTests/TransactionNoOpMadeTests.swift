@testable import MklnkCore
import MklnkTestSupport
import MklnkFileSystem
import Testing

/// The state's directory and backup records take part in deciding that an apply changes no
/// record (`Transaction.stateMatches`): one that records a directory or backup that is gone is
/// rewritten without it; one whose records all still hold is left as it is, without being built.
@Suite struct TransactionNoOpMadeTests {
    static let plan = ApplyScenario.plan("links:\n  sub/a: a\n  b: { target: b, conflict: backup }\n")

    /// A tree applied once: `~/sub` made for a link, `~/b` moved aside; both recorded.
    func applied(_ label: String) -> (TempTree, String) {
        let t = TempTree(dotfiles: label)
        for name in ["a", "b"] { t.file("@/" + name, name + "\n") }
        t.file("~/b", "the user's own b\n")
        let (_, outcome) = t.apply(Self.plan)
        #expect(outcome.failures.isEmpty && outcome.counters.files == 2 && outcome.counters.backups == 1)
        let names = t.names(t.state + "/plans")
        #expect(names.count == 1)
        let file = t.state + "/plans/" + (names.first ?? "")
        #expect(t.contents(file)?.contains("dir\t\(t.path("~/sub"))\n") == true)
        #expect(t.contents(file)?.contains("backup\t\(t.path("~/b"))\t") == true)
        return (t, file)
    }

    func matches(_ t: TempTree) -> Bool {
        let run = t.planRun(Self.plan)
        return t.transaction(run, on: LocalFileSystem(root: run.plan!.root)).stateMatches(run.actions, steps: [], owners: [])
    }

    @Test("a no-op whose directory and backup records still hold matches the state as recorded")
    func recordsThatHoldMatch() {
        let (t, file) = applied("made-same")
        defer { t.remove() }
        let bytes = t.contents(file)
        #expect(matches(t))
        let (_, outcome) = t.apply(Self.plan)
        #expect(outcome.failures.isEmpty && outcome.counters.unchanged == 2)
        #expect(t.contents(file) == bytes)
    }

    @Test("a recorded backup that is gone is dropped from the state")
    func goneBackupIsRewritten() {
        let (t, file) = applied("made-backup-gone")
        defer { t.remove() }
        let backups = t.names("~").filter { $0.hasPrefix("b.mklnk-backup-") }
        #expect(backups.count == 1)
        for name in backups { Self.removeFile(t.path("~/" + name)) }
        #expect(!matches(t))
        let (_, outcome) = t.apply(Self.plan)
        #expect(outcome.failures.isEmpty && outcome.counters.unchanged == 2)
        #expect(t.contents(file)?.contains("backup\t") == false)
        #expect(t.contents(file)?.contains("dir\t\(t.path("~/sub"))\n") == true)
    }

    @Test("a recorded directory that is gone is dropped from the state")
    func goneDirectoryIsRewritten() {
        let (t, file) = applied("made-dir-gone")
        defer { t.remove() }
        let bytes = t.contents(file) ?? ""
        t.file(file, bytes + "dir\t\(t.path("~/gone"))\n")
        #expect(!matches(t))
        let (_, outcome) = t.apply(Self.plan)
        #expect(outcome.failures.isEmpty && outcome.counters.unchanged == 2)
        #expect(t.contents(file) == bytes)
    }

    static func removeFile(_ path: String) {
        _ = try? LocalFileSystem(root: "/").removeFile(Path(path))
    }
}
