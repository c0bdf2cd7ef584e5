@testable import MklnkCore
import MklnkFileSystem
import Testing

/// Which links the state after an apply records (`Transaction.nextState`), from the actions alone.
@Suite struct TransactionNextStateTests {
    static func link(_ op: Operation, _ name: String, _ target: String = "/t") -> Action {
        Action(op, Path("/r/" + name), kind: .symlink, target: Path(target))
    }

    static func recorded(_ name: String) -> RecordedLink {
        RecordedLink(path: Path("/r/" + name), kind: .symlink, stored: "/old", device: 0, inode: 0)
    }

    static func transaction(keepUnlisted: Bool, unresolved: [String] = []) -> Transaction {
        let fs = MemoryFileSystem(root: "/r")
        let previous = AppliedState(ordered: ["a", "gone", "skipped", "conflicted", "missing", "deleted"].map(recorded))
        var t = Transaction(fileSystem: fs, stateStore: StateStore(fileSystem: fs, directory: "/s"), plan: "/p.yaml",
                            previous: previous, keepUnlisted: keepUnlisted, keepGoing: false)
        t.unresolved = unresolved.map { Path("/r/" + $0) }
        return t
    }

    static let actions: [Action] = [
        link(.create, "a", "/first"), link(.unchanged, "b"), link(.create, "a", "/second"), link(.update, "c\r\n"),
        link(.skip, "skipped"), link(.conflict, "conflicted"), link(.skip, "missing"), link(.delete, "deleted"),
    ]

    @Test("a path listed twice is recorded once, as first listed")
    func repeatsAreRecordedOnce() {
        let next = Self.transaction(keepUnlisted: false).nextState(Self.actions, failed: [], steps: [], owners: [])
        let links = next.links
        #expect(links.keys.map(\.description).sorted() == ["/r/a", "/r/b", "/r/c\\r\\n"])
        #expect(links["/r/a"]?.stored == "/first")
        #expect(next.encoded.split(separator: 10).count == 4, "a header and one record a path")
    }

    @Test("--no-prune keeps old records the plan does not list, and only those")
    func keptRecordsAreTheUnlistedOnes() {
        let next = Self.transaction(keepUnlisted: true).nextState(Self.actions, failed: [], steps: [], owners: [])
        // Listed (made, skipped, in conflict) or deleted: not taken from the old state.
        #expect(next.links.keys.map(\.description).sorted() == ["/r/a", "/r/b", "/r/c\\r\\n", "/r/gone"])
        #expect(next.links["/r/a"]?.stored == "/first")
    }

    @Test("an unresolved link keeps its old record; a skip of a resolved one does not")
    func unresolvedKeepTheirRecords() {
        let next = Self.transaction(keepUnlisted: false, unresolved: ["missing"])
            .nextState(Self.actions, failed: [], steps: [], owners: [])
        #expect(next.links.keys.map(\.description).sorted() == ["/r/a", "/r/b", "/r/c\\r\\n", "/r/missing"])
        #expect(next.links["/r/missing"]?.stored == "/old")
    }

    @Test("a link recorded beneath a directory of links that could not be expanded keeps its record, as the planner keeps the link")
    func beneathAnUnresolvedDirectory() {
        let fs = MemoryFileSystem(root: "/r")
        let previous = AppliedState(ordered: ["a", "dir/x", "dir/sub/y", "dirx", "gone"].map(Self.recorded))
        var t = Transaction(fileSystem: fs, stateStore: StateStore(fileSystem: fs, directory: "/s"), plan: "/p.yaml",
                            previous: previous, keepUnlisted: false, keepGoing: true)
        t.unresolved = ["/r/dir"]
        let next = t.nextState([Self.link(.unchanged, "a")], failed: [], steps: [], owners: [])
        #expect(next.links.keys.map(\.description).sorted() == ["/r/a", "/r/dir/sub/y", "/r/dir/x"])
    }

    @Test("a failed action's link is not recorded as made")
    func failedActionsAreNotRecorded() {
        let next = Self.transaction(keepUnlisted: false).nextState(Self.actions, failed: [0, 1], steps: [], owners: [])
        #expect(next.links["/r/a"]?.stored == "/second")
        #expect(next.links["/r/b"] == nil)
    }
}
