@testable import MklnkCore
import MklnkFileSystem

/// The journal on arbitrary bytes, on a filesystem in memory. Two readings of the input:
/// - as a journal file (one torn or corrupted by a crash): read gives none, intact or damaged,
///   never a trap, and recovery from it (which undoes what it names, in memory here) never traps;
/// - as the records of steps (the checksum would stop almost every input at the door): those
///   that parse as steps are written as a journal, which must read back the same (or be refused
///   for a step outside its root, never for its encoding), whatever bytes their names hold.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJournal(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let disk = MemoryDisk()
    let fileSystem = MemoryFileSystem(root: "/", disk: disk)
    let state: Path = "/state"
    let journal = Journal(fileSystem: fileSystem, directory: state)
    do {
        // A small tree for recovery to meet: a link, a file, a directory under /h.
        try fileSystem.createDirectories("/h/d")
        try fileSystem.createDirectories(state)
        try fileSystem.writeFileAtomically("/h/file", Array("bytes".utf8), sync: false)
        try fileSystem.createSymlink(at: "/h/link", target: "/d/vimrc")

        let steps = Record.parse(bytes).compactMap { Step(record: $0) }
        if !steps.isEmpty {
            let header = Journal.Header(transaction: "fuzz", root: "/h", plan: "/p/plan.yaml")
            try journal.write(header, steps)
            switch try journal.read() {
            case .intact(let header2, let steps2, _):
                precondition(header2 == header && steps2 == steps, "a journal does not survive a round trip")
            case .damaged(let damage):
                // Steps outside the root are refused by design; a journal as written must never
                // fail for how it was encoded.
                let encoding = ["first line", "last line", "checksum", "steps, not the", "cannot be read"]
                precondition(!encoding.contains { damage.reason.contains($0) }, "a journal just written is damaged: \(damage.reason)")
            case .none:
                preconditionFailure("a journal just written is missing")
            }
        }
        try fileSystem.writeFileAtomically(journal.path, bytes, sync: false)
        _ = try journal.read()
    } catch {
        // A journal that cannot be read is reported as such: that is the contract.
    }
    _ = try? Recovery.run(stateDirectory: state) { MemoryFileSystem(root: $0, disk: disk) }
    return 0
}
