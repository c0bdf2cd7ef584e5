import MklnkFileSystem

/// Validates a journal before anything in it is undone or finished: a damaged one (a field
/// emptied, a line cut, bytes flipped) must not make recovery act on the wrong paths, nor
/// claim it undid what it did not.
///
/// Version 2 journals end with `mklnk-journal-end <steps> <checksum>`, the checksum (`checksum`)
/// being over every byte before that line. Version 1 journals (no checksum, written by earlier
/// releases) are still read, with the same checks of their contents.
enum JournalCheck {
    static let magic = "mklnk-journal"
    static let endMark = "mklnk-journal-end"

    /// Why a journal cannot be trusted, and what it appears to hold, for the user.
    struct Damage: Error, Sendable, Equatable {
        var path: Path
        var reason: String
        /// What could be read: the root, the plan, the number of steps, scratch names.
        var holds: String
        /// Names the journal mentions that exist now (scratch, trash, backup names): where a
        /// user's entry may be waiting to be put back by hand.
        var leftovers: [Path]
        var commitMark: String?
    }

    /// The last line of a journal of `steps` steps whose earlier bytes have the checksum `checksum`.
    static func end(checksum: UInt64, steps: Int) -> [RecordField] {
        [.text(endMark), .text(String(steps)), .text(hex(checksum))]
    }

    /// The checksum of `bytes` (`Checksum`).
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var sum = Checksum(length: bytes.count)
        bytes.withUnsafeBytes { sum.add($0) }
        return sum.value
    }

    /// A word at a time (a journal of 100,000 steps is 12 MB): multiply and shift per 8 bytes,
    /// the length mixed in first, so it must be known before the bytes come. Bytes may come in
    /// chunks of any size: a word split between two is completed from the next. It finds damage,
    /// not forgery; what a journal may name is checked too.
    struct Checksum {
        private static let prime: UInt64 = 0x9E37_79B9_7F4A_7C15
        private var h: UInt64
        private var words = WordStream()

        init(length: Int) { h = 0xcbf2_9ce4_8422_2325 ^ UInt64(length) }

        mutating func add(_ raw: UnsafeRawBufferPointer) {
            words.add(raw) { word in
                h = (h ^ word) &* Self.prime
                h ^= h >> 29
            }
        }

        /// The checksum of the bytes added (as many as the length given, for a journal's).
        var value: UInt64 {
            let last = (h ^ words.tail) &* Self.prime
            return last ^ (last >> 29)
        }
    }

    private static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// The header and steps of a journal, or why it is damaged.
    static func parse(_ bytes: [UInt8], path: Path) -> Result<(Journal.Header, [Step]), Damage> {
        var records = Record.parse(bytes)
        func damaged(_ reason: String) -> Result<(Journal.Header, [Step]), Damage> {
            .failure(Damage(path: path, reason: reason, holds: describe(records, bytes: bytes.count),
                            leftovers: leftovers(records), commitMark: nil))
        }
        guard let first = records.first, first.count == 5, first[0] == magic, first[1] == "1" || first[1] == "2" else {
            return damaged("its first line is not a mklnk journal header")
        }
        if first[1] == "2" {
            // The end line starts after the last newline but one.
            let body = bytes.count >= 1 && bytes.last == 10 ? bytes.dropLast() : bytes[...]
            let cut = body.lastIndex(of: 10).map { $0 + 1 } ?? 0
            guard let last = records.last, last.count == 3, last[0] == endMark else {
                return damaged("its last line is not the end mark: it was cut short")
            }
            guard last[2] == hex(checksum(bytes[..<cut])) else {
                return damaged("its checksum does not match its contents: it was changed after it was written")
            }
            guard last[1] == String(records.count - 2) else {
                return damaged("it lists \(records.count - 2) steps, not the \(last[1]) it was written with")
            }
            records.removeLast()
        }
        let header = Journal.Header(transaction: first[2], root: first.path(3), plan: first.path(4))
        if let problem = problem(with: header) { return damaged(problem) }
        var steps: [Step] = []
        steps.reserveCapacity(records.count - 1)
        for (i, record) in records.dropFirst().enumerated() {
            guard let step = Step(record: record) else { return damaged("step \(i + 1) cannot be read") }
            if let problem = problem(with: step, header) { return damaged("step \(i + 1): \(problem)") }
            steps.append(step)
        }
        return .success((header, steps))
    }

    private static func problem(with header: Journal.Header) -> String? {
        if header.root.isEmpty { return "its root is empty" }
        if !header.root.isAbsolute || Paths.normalize(header.root) != header.root {
            return "its root \(header.root) is not an absolute, normal path"
        }
        if header.transaction.isEmpty || header.transaction.contains("/") {
            return "its transaction name is not one mklnk writes"
        }
        return nil
    }

    /// Every path of a step lies beneath the root, and its scratch and backup names beside it,
    /// named as mklnk names them: a journal cannot make recovery touch anything else.
    private static func problem(with step: Step, _ header: Journal.Header) -> String? {
        let path = step.path
        guard Paths.isWithin(path, header.root) && path != header.root && Paths.normalize(path) == path else {
            return "\(path) is not beneath its root \(header.root)"
        }
        let dir = Paths.parent(path)
        func scratch(_ name: Path) -> Bool {
            Paths.parent(name) == dir && Paths.name(name).hasPrefix(Path(".mklnk-" + header.transaction + "-"))
        }
        switch step {
        case .makeDirectory, .setMode, .create, .removeDirectory:
            return nil
        case .adopt(_, _, let temporary, let destination, let parents, _):
            // Where the file goes may be outside root (base): any absolute, normal path, and the
            // directories made for it lie on the way there.
            if !scratch(temporary) { return "its scratch name \(temporary) is not one mklnk makes" }
            if !destination.isAbsolute || Paths.normalize(destination) != destination || destination == "/" {
                return "its destination \(destination) is not an absolute, normal path"
            }
            if let odd = parents.first(where: { !Paths.isWithin(destination, $0) || $0 == destination || $0 == "/" }) {
                return "its directory \(odd) is not on the way to \(destination)"
            }
            return nil
        case .replace(_, _, let temporary, _), .delete(_, let temporary, _, _):
            return scratch(temporary) ? nil : "its scratch name \(temporary) is not one mklnk makes"
        case .backup(_, _, let temporary, let backup, _):
            if !scratch(temporary) { return "its scratch name \(temporary) is not one mklnk makes" }
            if !backup.hasPrefix(path + ".mklnk-backup-") || Paths.parent(backup) != dir {
                return "its backup name \(backup) is not one mklnk makes"
            }
            return nil
        }
    }

    /// A few words on what a damaged journal holds.
    private static func describe(_ records: [Record.Fields], bytes: Int) -> String {
        guard let first = records.first, first.count == 5, first[0] == magic else {
            return "\(bytes) bytes in \(records.count) lines, without a header"
        }
        let steps = records.dropFirst().filter { $0.count == 0 || $0[0] != endMark }.count
        let root = first[3].isEmpty ? "an empty root" : "root \(first.path(3))"
        return "an apply of \(first[4].isEmpty ? "an unnamed plan" : "\(first.path(4))") on \(root), \(steps) step\(steps == 1 ? "" : "s")"
    }

    /// Scratch, trash and backup names the journal mentions (absolute paths, as written).
    private static func leftovers(_ records: [Record.Fields]) -> [Path] {
        var names: [Path] = []
        for record in records.dropFirst() {
            for i in 0..<record.count {
                let field = record.path(i)
                if field.isAbsolute && (Paths.name(field).hasPrefix(".mklnk-") || contains(field, ".mklnk-backup-")) {
                    names.append(field)
                }
            }
        }
        return names
    }

    /// Whether `path` holds `text` anywhere, byte for byte (names need not be UTF-8).
    private static func contains(_ path: Path, _ text: String) -> Bool {
        let needle = Array(text.utf8), bytes = path.bytes
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { bytes[$0 ..< $0 + needle.count].elementsEqual(needle) }
    }
}
