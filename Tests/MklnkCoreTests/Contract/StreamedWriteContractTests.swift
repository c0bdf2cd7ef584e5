#if canImport(Glibc)
import Glibc
#endif
import MklnkFileSystem
import Testing

/// `writeFileAtomically(_:sync:chunks:)`, the write the journal and the state are streamed
/// through: all of the chunks or none of them, on both filesystems.
@Suite("FileSystem contract: streamed writes (local and in memory)")
struct StreamedWriteContractTests {
    /// Chunks of odd sizes (one empty, one with every byte value), then the whole.
    static let chunks: [[UInt8]] = [Array("first\r\n".utf8), [], Array(0...255), Array(repeating: 7, count: 100_003)]

    @Test(arguments: Backend.allCases)
    func theChunksMakeTheFileInOrder(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        for sync in [false, true] {
            try f.fileSystem.writeFileAtomically(f.at("file"), sync: sync) { (write) throws(FileSystemError) in
                for chunk in Self.chunks {
                    try chunk.withUnsafeBytes { raw in Result { () throws(FileSystemError) in try write(raw) } }.get()
                }
            }
            #expect(try f.fileSystem.readFile(f.at("link")) == Self.chunks.flatMap { $0 }, "sync \(sync)")
        }
        try f.fileSystem.writeFileAtomically(f.at("new"), sync: true) { _ in }
        #expect(try f.fileSystem.readFile(f.at("new")) == [], "no chunk: an empty file")
        #expect(try f.fileSystem.directoryEntries(f.root).map(\.name).filter { $0.hasPrefix("new") || $0.hasPrefix("file") }
            .sorted() == ["file", "new"], "no temporary left beside them")
    }

    @Test(arguments: Backend.allCases)
    func aFailingProducerLeavesTheOldFileAndNoOther(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let before = try f.fileSystem.directoryEntries(f.root).map(\.name).sorted()
        var calls = 0
        for target in ["file", "fresh"] {
            #expect(f.errno {
                try f.fileSystem.writeFileAtomically(f.at(target), sync: true) { (write) throws(FileSystemError) in
                    for chunk in Self.chunks.prefix(3) {
                        try chunk.withUnsafeBytes { raw in Result { () throws(FileSystemError) in try write(raw) } }.get()
                    }
                    calls += 1
                    throw FileSystemError(errno: EIO, "encode", f.at(target))
                }
            } == EIO)
        }
        #expect(calls == 2)
        #expect(try f.fileSystem.readFile(f.at("file")) == Array("hello".utf8), "the old file is untouched")
        #expect(try f.fileSystem.directoryEntries(f.root).map(\.name).sorted() == before, "nothing new is left")
    }

    @Test(arguments: Backend.allCases)
    func aWriteWhereNoDirectoryIsFailsBeforeProducing(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        var produced = false
        #expect(f.errno {
            try f.fileSystem.writeFileAtomically(f.at("missing/x"), sync: false) { _ in produced = true }
        } == ENOENT)
        #expect(!produced)
        #expect(f.errno { try f.fileSystem.writeFileAtomically(f.at("file/x"), sync: false) { _ in } } == ENOTDIR)
    }

    /// A write the kernel fails part way (ENOSPC): the temporary name is made a symlink to
    /// /dev/full, which `open` follows. The error names the write, and no file is left.
    @Test func aWriteTheDiskRefusesLeavesNoFile() throws {
        let f = try ContractFixture(.local)
        let temporary = f.at("state") + ".tmp-\(getpid())"
        try f.fileSystem.createSymlink(at: temporary, target: "/dev/full")
        var handed = 0
        do {
            try f.fileSystem.writeFileAtomically(f.at("state"), sync: true) { (write) throws(FileSystemError) in
                for chunk in Self.chunks {
                    try chunk.withUnsafeBytes { raw in Result { () throws(FileSystemError) in try write(raw) } }.get()
                    handed += 1
                }
            }
            Issue.record("the write to /dev/full succeeded")
        } catch {
            #expect(error.errnoValue == ENOSPC && error.operation == "write" && error.path == temporary)
        }
        #expect(handed == 0, "the first chunk's write fails, and the producer stops there")
        #expect(try f.fileSystem.linkStatus(temporary) == nil, "the temporary is removed")
        #expect(try f.fileSystem.linkStatus(f.at("state")) == nil)
    }
}
