@testable import MklnkCore
import MklnkFileSystem

/// The journal on arbitrary bytes (one torn or corrupted by a crash), on a filesystem in memory:
/// reading gives nil, steps or an error, never a trap; steps it reads, written back, read the
/// same; and recovery from it (which undoes what it names, in memory here) never traps either.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJournal(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let disk = MemoryDisk()
    let fileSystem = MemoryFileSystem(root: "/", disk: disk)
    let state: Path = "/state"
    do {
        // A small tree for recovery to meet: a link, a file, a directory under /h.
        try fileSystem.createDirectories("/h/d")
        try fileSystem.createDirectories(state)
        try fileSystem.writeFileAtomically("/h/file", Array("bytes".utf8), sync: false)
        try fileSystem.createSymlink(at: "/h/link", target: "/d/vimrc")
        let journal = Journal(fileSystem: fileSystem, directory: state)
        try fileSystem.writeFileAtomically(journal.path, bytes, sync: false)
        if let (header, steps, _) = try journal.read() {
            try journal.write(header, steps)
            guard let (header2, steps2, _) = try journal.read() else { preconditionFailure("a rewritten journal is missing") }
            precondition(header2 == header && steps2 == steps, "a journal does not survive a round trip")
        }
    } catch {
        // A journal that cannot be read is reported as such: that is the contract.
    }
    _ = try? Recovery.run(stateDirectory: state) { MemoryFileSystem(root: $0, disk: disk) }
    return 0
}
