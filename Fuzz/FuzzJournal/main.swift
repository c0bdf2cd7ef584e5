#if canImport(Glibc)
import Glibc
#endif
@testable import MklnkCore
import MklnkFileSystem

/// The journal reader on arbitrary bytes (a journal torn or corrupted by a crash): nil, steps or
/// an error, never a trap; steps it reads, written back, read the same.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJournal(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let journal = Journal(fileSystem: scratch.fileSystem, directory: scratch.directory)
    do {
        try scratch.fileSystem.writeFileAtomically(journal.path, bytes, sync: false)
        guard let (header, steps, _) = try journal.read() else { preconditionFailure("a written journal is missing") }
        try journal.write(header, steps)
        guard let (header2, steps2, _) = try journal.read() else { preconditionFailure("a rewritten journal is missing") }
        precondition(header2 == header && steps2 == steps, "a journal does not survive a round trip")
    } catch {
        // A journal that cannot be read is reported as such: that is the contract.
    }
    return 0
}

/// One private directory for the whole run.
nonisolated(unsafe) private let scratch: (fileSystem: LocalFileSystem, directory: String) = {
    let tmp = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array("\(tmp)/mklnk-fuzz-journal-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { fatalError("mkdtemp failed") }
    let directory = String(cString: made)
    return (LocalFileSystem(root: directory), directory)
}()
