#if canImport(Glibc)
import Glibc
#endif
@testable import MklnkCore
import MklnkFileSystem
import Testing

/// The journal and the staged state are written a chunk at a time: a disk that fills part way
/// through either must leave the tree as it was, and no journal or staged state behind.
@Suite struct TransactionStreamedWriteTests {
    /// Enough links, with long names, for a journal and a state of several chunks each.
    static let count = 12_000
    static let name = String(repeating: "n", count: 120)

    static func run(failing suffix: String) -> (ApplyOutcome, MemoryFileSystem, StateStore) {
        let disk = MemoryDisk()
        let memory = MemoryFileSystem(root: "/r", disk: disk)
        try! memory.createDirectories("/r/d")
        try! memory.createDirectories("/s")
        let faulty = FaultyFileSystem(base: memory)
        faulty.failsChunk = (suffix, 2)
        let store = StateStore(fileSystem: faulty, directory: "/s")
        let actions = (0..<count).map { i in
            Action(.create, Path("/r/d/\(name)\(i)"), kind: .symlink, target: Path("/t/\(name)\(i)"))
        }
        let outcome = Transaction(fileSystem: faulty, stateStore: store, plan: "/p.yaml", previous: AppliedState(),
                                  keepUnlisted: false, keepGoing: false).apply(actions)
        return (outcome, memory, StateStore(fileSystem: memory, directory: "/s"))
    }

    @Test("a journal the disk refuses part way: nothing is changed, no journal is left")
    func journalRefusedPartWay() throws {
        let (outcome, fs, _) = Self.run(failing: "/journal")
        #expect(outcome.rolledBack)
        #expect(outcome.failures.first?.message.hasPrefix("cannot write the journal") == true)
        #expect(try fs.directoryEntries("/r/d").isEmpty)
        #expect(try fs.directoryEntries("/s").isEmpty)
    }

    @Test("a staged state the disk refuses part way: the apply is rolled back, nothing is left")
    func stagedStateRefusedPartWay() throws {
        let (outcome, fs, store) = Self.run(failing: ".state.next")
        #expect(outcome.rolledBack)
        #expect(outcome.failures.first?.message.hasPrefix("cannot commit") == true)
        #expect(try fs.directoryEntries("/r/d").isEmpty)
        #expect(try fs.directoryEntries("/s/plans").isEmpty)
        #expect(try fs.directoryEntries("/s").map(\.name) == ["plans"], "no journal, no commit mark")
        #expect(try store.load(plan: "/p.yaml", root: "/r").isEmpty)
    }

    @Test("the same apply with room on the disk: every link, and the state records them")
    func withRoom() throws {
        let (outcome, fs, store) = Self.run(failing: "/nothing")
        #expect(!outcome.rolledBack && outcome.failures.isEmpty)
        #expect(try fs.directoryEntries("/r/d").count == Self.count)
        let state = try store.load(plan: "/p.yaml", root: "/r")
        #expect(state.links.count == Self.count)
        #expect(state.encoded.count > 2 * RecordChunks.size, "the state took several chunks")
        #expect(try fs.directoryEntries("/s").map(\.name) == ["plans"])
    }
}
