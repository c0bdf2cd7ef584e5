#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkTestSupport
@testable import MklnkCore
import MklnkFileSystem
import Testing

/// An apply rewrites the state only when it would record something else: a no-op writes nothing
/// (no journal, no commit, no state), a repaired drift only its journal and links; a state that
/// says anything else is still rewritten.
@Suite struct TransactionNoOpTests {
    static let plan = ApplyScenario.plan("links:\n  a: a\n  b: b\n  h: { target: h, kind: hardlink }\n")

    func applied(_ label: String) -> (TempTree, String) {
        let t = TempTree(dotfiles: label)
        for name in ["a", "b", "h"] { t.file("@/" + name, name + "\n") }
        let (_, outcome) = t.apply(Self.plan)
        #expect(outcome.failures.isEmpty && outcome.counters.files == 3)
        let names = t.names(t.state + "/plans")
        #expect(names.count == 1)
        return (t, t.state + "/plans/" + (names.first ?? ""))
    }

    func inode(_ path: String) -> UInt64 {
        var st = stat()
        return lstat(path, &st) == 0 ? UInt64(st.st_ino) : 0
    }

    @Test("a no-op apply whose state matches leaves the state file as it is")
    func matchingStateIsNotRewritten() {
        let (t, file) = applied("noop-same")
        let before = inode(file)
        let bytes = t.contents(file)
        let (_, outcome) = t.apply(Self.plan)
        #expect(outcome.failures.isEmpty && outcome.counters.unchanged == 3 && outcome.counters.files == 0)
        #expect(inode(file) == before)  // a rewrite renames a new file over it
        #expect(t.contents(file) == bytes)
        #expect(!t.journalExists)
    }

    @Test("repairing drift that records nothing new leaves the state file as it is")
    func repairedDriftKeepsTheState() {
        let (t, file) = applied("drift-same")
        let before = inode(file)
        let bytes = t.contents(file)
        unlink(t.path("~/a"))
        unlink(t.path("~/b"))
        t.symlink("~/b", "/somewhere/else")
        let (run, outcome) = t.apply(Self.plan)
        #expect(run.actions.map(\.op).filter { $0 != .unchanged } == [.create, .update])
        #expect(outcome.failures.isEmpty && outcome.counters.files == 2)
        #expect(t.linkTarget("~/a") == t.path("@/a") && t.linkTarget("~/b") == t.path("@/b"))
        #expect(inode(file) == before)
        #expect(t.contents(file) == bytes)
        #expect(!t.journalExists)
    }

    /// The state file with one thing changed.
    static func edit(_ change: String, _ s: String) -> String {
        let lines = s.split(separator: "\n").map(String.init)
        switch change {
        case "a recorded target differs":
            return s.replacingOccurrences(of: "/a\t", with: "/x\t")
        case "a hard link's inode differs":
            return lines.map { line in
                line.hasPrefix("hardlink\t") ? line.split(separator: "\t").dropLast().joined(separator: "\t") + "\t1" : line
            }.joined(separator: "\n") + "\n"
        case "a record more":
            // A link under the root that is not there: nothing to prune, only to forget.
            let a = lines[1].split(separator: "\t")
            return s + "symlink\t\(a[1])-gone\t\(a[2])\t0\t0\n"
        default:  // the header's digest
            return lines[0].split(separator: "\t").dropLast().joined(separator: "\t") + "\t0\n"
                + lines.dropFirst().joined(separator: "\n") + "\n"
        }
    }

    @Test("a no-op apply rewrites a state that records anything else", arguments: [
        "a recorded target differs", "a hard link's inode differs", "a record more", "the header's digest differs",
    ])
    func differingStateIsRewritten(_ change: String) {
        let (t, file) = applied("noop-differs")
        let bytes = t.contents(file) ?? ""
        let edited = Self.edit(change, bytes)
        #expect(edited != bytes, "\(change): the edit changed nothing")
        t.file(file, edited)
        let (_, outcome) = t.apply(Self.plan)
        #expect(outcome.failures.isEmpty && outcome.counters.unchanged == 3)
        #expect(t.contents(file) == bytes, "\(change)")
        #expect(!t.journalExists)
    }
}
