@testable import MklnkCore
import MklnkFileSystem
import Testing

/// The journal and a new state are written a chunk at a time as they are encoded: the files must
/// be byte for byte what the whole-buffer encoding wrote, whatever the chunk size.
@Suite struct StreamedEncodingTests {
    static let chunkSizes = [1, 5, 8, 13, 4096, RecordChunks.size]

    /// Names with bytes that are escaped (CR, LF, tab, backslash), a combining mark after a
    /// backslash, bytes that are not UTF-8, and plain ones of every length modulo 8.
    static func name(_ i: Int) -> Path {
        let odd = RecordTests.odd[i % RecordTests.odd.count]
        return Path("/r/d\(i % 7)/" + String(repeating: "n", count: i % 11)) + odd + Path("\(i)")
    }

    /// The same kinds of step with names that need no escaping (then the count before the
    /// journal is written is its length).
    static var plainSteps: [Step] { steps(named: { Path("/r/d\($0 % 7)/é" + String(repeating: "n", count: $0 % 11) + "\($0)") }) }

    static var steps: [Step] { steps(named: name) }

    static func steps(named name: (Int) -> Path) -> [Step] {
        (0..<600).map { i in
            let p = name(i), t = name(i + 1), o = Original(kind: i % 3 == 0 ? nil : .symlink, target: name(i + 2),
                                                              device: UInt64(i) * 977, inode: UInt64.max - UInt64(i))
            let link = NewLink(kind: i % 2 == 0 ? .symlink : .hardlink, target: t)
            let scratch = Paths.parent(p) + "/.mklnk-t1-\(i)", directory = Paths.parent("/b" + p)
            switch i % 9 {
            case 0: return .makeDirectory(path: p, mode: i % 18 == 0 ? 0o700 : 0o755)
            case 1: return .setMode(path: p, mode: 0o750)
            case 2: return .create(path: p, link: link)
            case 3: return .replace(path: p, link: link, temporary: scratch, original: o)
            case 4: return .backup(path: p, link: link, temporary: scratch, backup: p + ".mklnk-backup-1", original: o)
            case 5: return .delete(path: p, trash: scratch, original: o, dangling: i % 2 == 0)
            case 6: return .adopt(path: p, link: link, temporary: scratch, destination: "/b" + p,
                                  parents: [Paths.parent(directory), directory], original: o)
            case 7: return .removeDirectory(path: p)
            default: return .create(path: p, link: NewLink(kind: .junction, target: name(i + 5)))
            }
        }
    }

    /// The journal as it was written before streaming: every record into one buffer, then the
    /// end line with the checksum of that buffer (computed here as it was then).
    static func wholeJournal(_ header: Journal.Header, _ steps: [Step]) -> [UInt8] {
        var w = Record.Writer()
        w.fields([.text(JournalCheck.magic), "2", .text(header.transaction), .path(header.root), .path(header.plan)])
        w.end()
        for step in steps { step.write(to: &w) }
        let sum = w.bytes.withUnsafeBytes { raw in
            let prime: UInt64 = 0x9E37_79B9_7F4A_7C15
            var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(raw.count)
            var i = 0
            while i + 8 <= raw.count {
                h = (h ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))) &* prime
                h ^= h >> 29
                i += 8
            }
            var tail: UInt64 = 0
            for (k, b) in raw[i...].enumerated() { tail |= UInt64(b) << (8 * UInt64(k)) }
            h = (h ^ tail) &* prime
            return h ^ (h >> 29)
        }
        let hex = String(sum, radix: 16)
        w.fields([.text(JournalCheck.endMark), .text(String(steps.count)), .text(String(repeating: "0", count: 16 - hex.count) + hex)])
        w.end()
        return w.bytes
    }

    @Test(arguments: chunkSizes)
    func theStreamedJournalIsTheWholeBufferOne(_ chunkSize: Int) throws {
        let fs = MemoryFileSystem(root: "/")
        let journal = Journal(fileSystem: fs, directory: "/state\r\n")
        let odd = Journal.Header(transaction: "t1", root: "/r", plan: Path(bytes: [0x2F, 0xFF, 0x0D, 0x0A]))
        let plain = Journal.Header(transaction: "t1", root: "/r", plan: "/p.yaml")
        for (header, steps) in [(odd, Self.steps), (plain, Self.steps), (odd, Self.plainSteps), (plain, Self.plainSteps),
                                (plain, []), (odd, []), (plain, Array(Self.plainSteps.prefix(1)))] {
            try journal.write(header, steps, chunkSize: chunkSize)
            let written = try #require(try fs.readFile(journal.path))
            #expect(written == Self.wholeJournal(header, steps), "\(steps.count) steps")
            let parsed = JournalCheck.parse(written, path: journal.path)
            guard case .success(let (readHeader, readSteps)) = parsed else {
                Issue.record("the streamed journal does not pass its check: \(parsed)")
                continue
            }
            #expect(readHeader == header && readSteps == steps)
        }
    }

    /// What needs no escaping is counted exactly; the rest short by one byte per escape.
    @Test func theCounterCountsWhatTheWriterWritesBarEscapes() {
        var writer = Record.Writer(), counter = Record.Counter()
        for step in Self.plainSteps {
            step.write(to: &writer)
            step.write(to: &counter)
            #expect(counter.count == writer.bytes.count, "\(step)")
        }
        for number: UInt64 in [0, 9, 10, 99, 100, UInt64.max] {
            writer.field(number)
            counter.field(number)
            #expect(counter.count == writer.bytes.count, "\(number)")
        }
        writer.field("\t\r\n\\é")
        counter.field("\t\r\n\\é")
        writer.field(Path(bytes: [9, 0xFF, 92]))
        counter.field(Path(bytes: [9, 0xFF, 92]))
        #expect(counter.count == writer.bytes.count - 6)
    }

    @Test func theChecksumOfChunksIsTheChecksumOfTheWhole() {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 7, 8, 9, 63, 64, 65, 1000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            for _ in 0..<20 {
                var sum = JournalCheck.Checksum(length: length)
                var at = 0
                while at < length {
                    let end = min(length, at + Int.random(in: 0...17, using: &generator))
                    bytes[at..<end].withUnsafeBytes { sum.add($0) }
                    at = end
                }
                #expect(sum.value == JournalCheck.checksum(bytes[...]), "\(length) bytes")
            }
        }
    }

    static let made = MadeRecords(directories: [name(1), name(2)],
                                  backups: [RecordedBackup(path: name(3), backup: name(3) + ".mklnk-backup-x\r\n")])

    static var links: [RecordedLink] {
        (0..<500).map { i in
            RecordedLink(path: name(i), kind: [.symlink, .hardlink, .junction][i % 3], stored: name(i * 7),
                         device: i % 3 == 1 ? UInt64(i) : 0, inode: i % 3 == 1 ? UInt64.max / UInt64(i + 1) : 0)
        }
    }

    /// The state file as it was written before streaming: field arrays, numbers as `String`s.
    static func wholeState(_ links: [RecordedLink], _ made: MadeRecords) -> [UInt8] {
        let digest = links.reduce(UInt64(0)) { $0 ^ fnv1a64($1.path) }
        var bytes = Record.line(["#", "mklnk state 1", .text(String(digest, radix: 16))])
        for l in links {
            Record.append([.text(l.kind.rawValue), .path(l.path), .path(l.stored), .text(String(l.device)), .text(String(l.inode))],
                          to: &bytes)
        }
        for d in made.directories { Record.append(["dir", .path(d)], to: &bytes) }
        for b in made.backups { Record.append(["backup", .path(b.path), .path(b.backup)], to: &bytes) }
        return bytes
    }

    @Test(arguments: chunkSizes)
    func aNewStateIsWrittenAndComparedAsTheWholeBufferOne(_ chunkSize: Int) throws {
        for (links, made) in [(Self.links, Self.made), (Self.links, MadeRecords()), ([], Self.made), ([], MadeRecords())] {
            let expected = Self.wholeState(links, made)
            let state = AppliedState(ordered: links, made: made)
            var streamed: [UInt8] = []
            state.encode(chunkSize: chunkSize) { streamed.append(contentsOf: $0) }
            #expect(streamed == expected)
            #expect(state.encodes(expected, chunkSize: chunkSize))
            #expect(!state.encodes([], chunkSize: chunkSize))
            #expect(!state.encodes(expected.dropLast(), chunkSize: chunkSize))
            #expect(!state.encodes(expected + [10], chunkSize: chunkSize))
            var changed = expected
            changed[changed.count - 2] ^= 1
            #expect(!state.encodes(changed, chunkSize: chunkSize))
            #expect(!state.hasBody, "comparing does not keep the bytes")
        }
    }

    @Test func aSavedStateIsItsBytesAndReadsBackTheSame() throws {
        let fs = MemoryFileSystem(root: "/")
        let store = StateStore(fileSystem: fs, directory: "/state")
        let state = AppliedState(ordered: Self.links, made: Self.made)
        try store.save(state, plan: "/p.yaml", root: "/r")
        #expect(!state.hasBody, "saving does not keep the bytes")
        let file = store.path(plan: "/p.yaml", root: "/r")
        let expected = Self.wholeState(Self.links, Self.made)
        #expect(try fs.readFile(file) == expected)
        let loaded = try store.load(plan: "/p.yaml", root: "/r")
        #expect(loaded.digest == state.digest && !loaded.isEmpty)
        #expect(loaded.links == state.links && loaded.made == state.made)
        #expect(state.encodes(loaded.encoded) && loaded.encodes(expected) && !loaded.encodes(expected.dropLast()))
        #expect(state.encoded == expected && state.hasBody)
        // A loaded state is saved as the bytes it holds.
        try store.save(loaded, to: "/state/copy")
        #expect(try fs.readFile("/state/copy") == expected)
    }
}
