import MklnkFileSystem

/// A link as mklnk left it, so a later apply can prune it or repair it (SPEC §4).
public struct RecordedLink: Sendable, Equatable {
    public var path: Path
    public var kind: ResolvedKind
    /// The stored target (symlink, junction) or the file linked to (hard link).
    public var stored: Path
    /// The link's own inode for a hard link (0 for symlinks).
    public var device: UInt64
    public var inode: UInt64

    public init(path: Path, kind: ResolvedKind, stored: Path, device: UInt64, inode: UInt64) {
        self.path = path
        self.kind = kind
        self.stored = stored
        self.device = device
        self.inode = inode
    }
}

/// What the last apply of one plan against one root made.
///
/// A state read from its file is kept as the file's bytes and parsed only when asked: a no-op
/// plan of 100,000 links compares the header's digest of the recorded paths with the plan's and
/// never reads the rest (a state loaded with `StateStore.load` reads its body on first use).
/// A state made by an apply keeps its records and is encoded as it is compared or written
/// (`AppliedState+Encoding`), never held as bytes unless `encoded` is asked for.
public final class AppliedState: @unchecked Sendable {
    /// Order-independent digest of the recorded link paths, from the header.
    public let digest: UInt64
    /// True when nothing was recorded (no state file).
    public let isEmpty: Bool
    private var body: [UInt8]?
    private let readBody: () -> [UInt8]
    private var parsed: [Path: RecordedLink]?
    /// The records of a state made here rather than read.
    let records: (links: [RecordedLink], made: MadeRecords)?

    public convenience init(encoded: [UInt8] = []) {
        self.init(header: encoded) { encoded }
    }

    /// A state whose first line is in `header`; `readBody` gives the whole file when needed.
    init(header: [UInt8], readBody: @escaping () -> [UInt8]) {
        let records = Record.parse(header.prefix { $0 != 10 })
        digest = records.first.flatMap { $0.count == 3 && $0[0] == "#" ? UInt64($0[2], radix: 16) : nil } ?? 0
        isEmpty = header.isEmpty
        self.readBody = readBody
        self.records = nil
    }

    /// A state holding `links` in the given order, then what else was made.
    public init(ordered links: [RecordedLink], made: MadeRecords = MadeRecords()) {
        digest = Self.digest(of: links.lazy.map { $0.path })
        isEmpty = false
        readBody = { [] }
        records = (links, made)
    }

    /// A state holding `links`, ordered by path.
    public convenience init(links: [Path: RecordedLink]) {
        self.init(ordered: links.values.sorted { $0.path < $1.path })
    }

    /// Whether the bytes are held (read, or asked for).
    var hasBody: Bool { body != nil }

    /// The state file's bytes (empty when there was none).
    public var encoded: [UInt8] {
        if let body { return body }
        let bytes = records.map { Self.encode($0.links, made: $0.made) } ?? readBody()
        body = bytes
        return bytes
    }

    /// The recorded links by path.
    public var links: [Path: RecordedLink] {
        if let parsed { return parsed }
        var links: [Path: RecordedLink] = [:]
        if let records {
            links.reserveCapacity(records.links.count)
            for link in records.links { links[link.path] = link }
            parsed = links
            return links
        }
        let encoded = self.encoded
        links.reserveCapacity(encoded.count / 96)
        // Line by line: parsing the whole file into records first tripled the peak memory of
        // a 100,000-link state.
        var start = 0
        while start < encoded.count {
            let end = encoded[start...].firstIndex(of: UInt8(ascii: "\n")) ?? encoded.count
            defer { start = end + 1 }
            guard start < end else { continue }
            let r = Record.fields(encoded[start..<end])
            guard r.count == 5, r[0] != "#",
                  let kind = ResolvedKind(rawValue: r[0]), let device = UInt64(r[3]), let inode = UInt64(r[4])
            else { continue }
            let path = r.path(1)
            links[path] = RecordedLink(path: path, kind: kind, stored: r.path(2), device: device, inode: inode)
        }
        parsed = links
        return links
    }

    /// XOR of the paths' hashes: equal sets give equal digests, whatever the order.
    public static func digest<S: Sequence>(of paths: S) -> UInt64 where S.Element == Path {
        var d: UInt64 = 0
        for p in paths { d ^= fnv1a64(p) }
        return d
    }
}
