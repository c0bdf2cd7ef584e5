#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
/// Kept as the bytes of its file and parsed only when asked: a no-op plan of 100,000 links
/// compares the header's digest of the recorded paths with the plan's and never reads the rest
/// (a state loaded with `StateStore.load` reads its body on first use).
public final class AppliedState: @unchecked Sendable {
    /// Order-independent digest of the recorded link paths, from the header.
    public let digest: UInt64
    /// True when nothing was recorded (no state file).
    public let isEmpty: Bool
    private var body: [UInt8]?
    private let readBody: () -> [UInt8]
    private var parsed: [Path: RecordedLink]?

    public convenience init(encoded: [UInt8] = []) {
        self.init(header: encoded) { encoded }
    }

    /// A state whose first line is in `header`; `readBody` gives the whole file when needed.
    init(header: [UInt8], readBody: @escaping () -> [UInt8]) {
        let records = Record.parse(header.prefix { $0 != 10 })
        digest = records.first.flatMap { $0.count == 3 && $0[0] == "#" ? UInt64($0[2], radix: 16) : nil } ?? 0
        isEmpty = header.isEmpty
        self.readBody = readBody
    }

    /// The state file's bytes (empty when there was none).
    public var encoded: [UInt8] {
        if let body { return body }
        let read = readBody()
        body = read
        return read
    }

    /// A state holding `links` in the given order.
    public convenience init(ordered links: [RecordedLink]) {
        self.init(encoded: Self.encode(links))
    }

    /// A state holding `links`, ordered by path.
    public convenience init(links: [Path: RecordedLink]) {
        self.init(ordered: links.values.sorted { $0.path < $1.path })
    }

    /// The recorded links by path.
    public var links: [Path: RecordedLink] {
        if let parsed { return parsed }
        let encoded = self.encoded
        var links: [Path: RecordedLink] = [:]
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

    /// The file for `links`: a header with the digest of their paths, then one record per link.
    public static func encode(_ links: [RecordedLink], reserving extra: Int = 0) -> [UInt8] {
        // Enough for every record unless a field needs escaping: the kind, two numbers of at most
        // 20 digits, four tabs and a newline besides the paths. A buffer that doubled on the way
        // would briefly be three times the state.
        var w = Record.Writer(capacity: links.reduce(64 + extra) { $0 + $1.path.count + $1.stored.count + 53 })
        w.fields(["#", "mklnk state 1", .text(String(digest(of: links.lazy.map { $0.path }), radix: 16))])
        w.end()
        for link in links {
            w.field(link.kind.rawValue)
            w.field(link.path)
            w.field(link.stored)
            w.field(link.device)
            w.field(link.inode)
            w.end()
        }
        return w.bytes
    }

    /// XOR of the paths' hashes: equal sets give equal digests, whatever the order.
    public static func digest<S: Sequence>(of paths: S) -> UInt64 where S.Element == Path {
        var d: UInt64 = 0
        for p in paths { d ^= fnv1a64(p) }
        return d
    }
}

/// Reads and writes per-plan state files in the state directory.
public struct StateStore {
    public let fileSystem: FileSystem
    public let directory: Path

    public init(fileSystem: FileSystem, directory: Path) {
        self.fileSystem = fileSystem
        self.directory = directory
    }

    /// One file per (plan file, root): the same plan applied to two roots keeps two records.
    public func path(plan: Path, root: Path) -> Path {
        directory + "/plans/\(fnv1a(plan + "\n" + root)).state"
    }

    /// The state's header now, the rest when it is first needed (if the file went in between,
    /// as if nothing had been recorded).
    public func load(plan: Path, root: Path) throws(FileSystemError) -> AppliedState {
        let file = path(plan: plan, root: root)
        let limit = 4096
        guard let header = try fileSystem.readFile(file, upTo: limit) else { return AppliedState() }
        // A file that is not a state (damaged, truncated to nothing, replaced) is an error, never
        // read as "nothing recorded": pruning and destroy would quietly forget every link.
        guard Self.isStateHeader(header) else { throw FileSystemError(errno: EBADMSG, Self.damaged, file) }
        if header.count < limit { return AppliedState(encoded: header) }
        let fileSystem = self.fileSystem
        return AppliedState(header: header) { (try? fileSystem.readFile(file)) ?? [] }
    }

    /// The operation of the error `load` throws for a file that is not a state.
    public static let damaged = "read the state file (it is damaged: no mklnk state header)"

    /// What a failed `load` means, for messages that name the state directory themselves.
    public static func reason(_ error: FileSystemError) -> String {
        error.operation == damaged ? "\(error.path) is damaged (it has no mklnk state header)" : error.reason
    }

    /// Whether `bytes` begin with the header `AppliedState.encode` writes.
    static func isStateHeader(_ bytes: [UInt8]) -> Bool {
        guard let r = Record.parse(bytes.prefix { $0 != 10 }).first else { return false }
        return r.count == 3 && r[0] == "#" && r[1] == "mklnk state 1" && UInt64(r[2], radix: 16) != nil
    }

    /// Renames a damaged state file at `file` to `FILE.damaged-<stamp>` before a new state takes
    /// its place, so that its records can still be read by hand; returns that name.
    func setAsideIfDamaged(_ file: Path) -> Path? {
        guard let header = try? fileSystem.readFile(file, upTo: 4096), !Self.isStateHeader(header) else { return nil }
        let aside = file + ".damaged-\(Transaction.timestamp())"
        return (try? fileSystem.unconfined().rename(file, to: aside, mode: .noReplace)) != nil ? aside : nil
    }

    public func save(_ state: AppliedState, plan: Path, root: Path) throws(FileSystemError) {
        try save(state, to: path(plan: plan, root: root))
    }

    /// Writes `state` to `file` (the next state is staged before the commit), durably unless
    /// `sync` is false: then a `syncfs` that follows makes it so.
    public func save(_ state: AppliedState, to file: Path, sync: Bool = true) throws(FileSystemError) {
        try fileSystem.createDirectories(Paths.parent(file))
        try fileSystem.writeFileAtomically(file, state.encoded, sync: sync)
    }
}
