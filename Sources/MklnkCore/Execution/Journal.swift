import MklnkFileSystem

/// The undo log of one transaction, in the state directory.
///
/// `journal` lists every step before the first change; `journal.commit` appears once every
/// change is durable. Recovery rolls back a journal without a commit mark and finishes one with.
struct Journal {
    let fileSystem: FileSystem
    let directory: Path

    struct Header: Equatable {
        var transaction: String
        var root: Path
        var plan: Path
    }

    var path: Path { directory + "/journal" }
    var commitPath: Path { directory + "/journal.commit" }

    /// Writes the whole journal durably: one fsync of the file and one of its directory.
    func write(_ header: Header, _ steps: [Step]) throws(FileSystemError) {
        // Bytes straight away: a String first, then its copy as bytes, doubled the peak memory
        // of a 100,000-link apply's journal.
        var bytes = Record.line(["mklnk-journal", "1", .text(header.transaction), .path(header.root), .path(header.plan)])
        bytes.reserveCapacity(steps.count * 128)
        for step in steps { Record.append(step.record, to: &bytes) }
        try fileSystem.createDirectories(directory)
        try fileSystem.writeFileAtomically(path, bytes, sync: true)
    }

    /// Reads an interrupted journal; nil when there is none.
    func read() throws(FileSystemError) -> (Header, [Step], committed: Bool)? {
        guard let bytes = try fileSystem.readFile(path) else { return nil }
        let records = Record.parse(bytes)
        guard let first = records.first, first.count == 5, first[0] == "mklnk-journal", first[1] == "1" else {
            throw FileSystemError(errno: 74 /* EBADMSG */, "read journal", path)
        }
        let header = Header(transaction: first[2], root: first.path(3), plan: first.path(4))
        var steps: [Step] = []
        steps.reserveCapacity(records.count - 1)
        for record in records.dropFirst() {
            guard let step = Step(record: record) else {
                throw FileSystemError(errno: 74, "read journal", path)
            }
            steps.append(step)
        }
        let mark = try fileSystem.readFile(commitPath)
        let committed = mark.map { String(decoding: $0, as: UTF8.self) == header.transaction } ?? false
        return (header, steps, committed)
    }

    /// The commit point: after this, recovery finishes the transaction instead of undoing it.
    func markCommitted(_ header: Header) throws(FileSystemError) {
        try fileSystem.writeFileAtomically(commitPath, Array(header.transaction.utf8), sync: true)
    }

    /// Durably replaces a commit mark that may or may not have been written with one that matches
    /// no transaction, before a rollback.
    func voidMark() throws(FileSystemError) {
        try fileSystem.writeFileAtomically(commitPath, Array("void".utf8), sync: true)
    }

    /// Ends the transaction: the journal first, then the mark (a mark without a journal is inert).
    func remove() throws(FileSystemError) {
        try fileSystem.removeFile(path)
        try fileSystem.removeFile(commitPath)
    }
}
