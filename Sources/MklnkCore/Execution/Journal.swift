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

    /// Writes the whole journal durably: one fsync of the file and one of its directory. The
    /// last line holds the number of steps and a checksum of every byte before it, so damage is
    /// found before anything is undone (`JournalCheck`). Written as it is encoded, `chunkSize`
    /// bytes at a time.
    ///
    /// The checksum starts from the length of what it covers, so that is counted first, as if no
    /// name needed escaping (the count then looks at no byte). Should the records come out longer,
    /// they are encoded once more to be summed with their true length.
    func write(_ header: Header, _ steps: [Step], chunkSize: Int = RecordChunks.size) throws(FileSystemError) {
        var counter = Record.Counter()
        Self.write(header, to: &counter)
        for step in steps { step.write(to: &counter) }
        try fileSystem.createDirectories(directory)
        try fileSystem.writeFileAtomically(path, sync: true) { (write) throws(FileSystemError) in
            var sum = JournalCheck.Checksum(length: counter.count), length = 0
            try Self.encode(header, steps, chunkSize: chunkSize) { (chunk) throws(FileSystemError) in
                sum.add(chunk)
                length += chunk.count
                try write(chunk)
            }
            if length != counter.count {
                sum = JournalCheck.Checksum(length: length)
                Self.encode(header, steps, chunkSize: chunkSize) { sum.add($0) }
            }
            var w = Record.Writer()
            w.fields(JournalCheck.end(checksum: sum.value, steps: steps.count))
            w.end()
            try w.handOn(atLeast: 1, to: write)
        }
    }

    /// The journal's header and step records, handed on in chunks of about `chunkSize` bytes.
    private static func encode<E: Error>(_ header: Header, _ steps: [Step], chunkSize: Int,
                                         to hand: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) {
        var w = Record.Writer(capacity: min(chunkSize, RecordChunks.size) + 4096)
        write(header, to: &w)
        for step in steps {
            step.write(to: &w)
            try w.handOn(atLeast: chunkSize, to: hand)
        }
        try w.handOn(atLeast: 1, to: hand)
    }

    private static func write<W: RecordSink>(_ header: Header, to w: inout W) {
        w.fields([.text(JournalCheck.magic), "2", .text(header.transaction), .path(header.root), .path(header.plan)])
        w.end()
    }

    /// What the state directory holds.
    enum Contents {
        case none
        case intact(Header, [Step], committed: Bool)
        /// Unreadable, or its checksum or contents do not hold: nothing in it may be acted on.
        case damaged(JournalCheck.Damage)
    }

    /// Reads and validates an interrupted journal.
    func read() throws(FileSystemError) -> Contents {
        guard let bytes = try fileSystem.readFile(path) else { return .none }
        let mark = try fileSystem.readFile(commitPath)
        switch JournalCheck.parse(bytes, path: path) {
        case .failure(let damage):
            var damage = damage
            damage.commitMark = mark.map { String(decoding: $0, as: UTF8.self) }
            return .damaged(damage)
        case .success(let (header, steps)):
            let committed = mark.map { String(decoding: $0, as: UTF8.self) == header.transaction } ?? false
            return .intact(header, steps, committed: committed)
        }
    }

    /// Moves a damaged journal (and its commit mark) aside to `journal.damaged-<timestamp>[-N]`
    /// in the state directory, so later applies can run; returns the new name.
    func setAside() throws(FileSystemError) -> Path {
        let stamp = Transaction.timestamp()
        var name: Path = "\(path).damaged-\(stamp)"
        var n = 1
        while try fileSystem.status(name, follow: false) != nil {
            n += 1
            name = "\(path).damaged-\(stamp)-\(n)"
        }
        if let mark = try fileSystem.readFile(commitPath) {
            try fileSystem.writeFileAtomically(name + ".commit", mark, sync: false)
        }
        guard let bytes = try fileSystem.readFile(path) else { return name }
        try fileSystem.writeFileAtomically(name, bytes, sync: true)
        try remove()
        return name
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
