#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

/// The state file: a header with the digest of the links' paths, one record per link, then the
/// directory and backup records (`MadeRecords`). A state made by an apply is encoded a chunk at
/// a time as it is compared with the recorded one or written to its file.
extension AppliedState {
    /// The state's bytes, handed to `hand` in chunks of about `chunkSize` bytes, each ending a
    /// line (a state read from its file: its bytes as they are).
    func encode<E: Error>(chunkSize: Int = RecordChunks.size,
                          to hand: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) {
        guard let records, !hasBody else {
            let bytes = encoded
            if !bytes.isEmpty { try bytes.withUnsafeBytes { raw in Result { () throws(E) in try hand(raw) } }.get() }
            return
        }
        try Self.encode(records.links, made: records.made, digest: digest, chunkSize: chunkSize, to: hand)
    }

    /// Whether the state's bytes are `bytes`: compared chunk by chunk as they are encoded, up to
    /// the first difference (small chunks: a state that differs early is not encoded further).
    func encodes(_ bytes: [UInt8], chunkSize: Int = 4096) -> Bool {
        struct Differs: Error {}
        var at = 0
        let compared = bytes.withUnsafeBytes { recorded in
            Result { () throws(Differs) in
                try encode(chunkSize: chunkSize) { (chunk) throws(Differs) in
                    guard chunk.count <= recorded.count - at,
                          memcmp(recorded.baseAddress! + at, chunk.baseAddress!, chunk.count) == 0 else { throw Differs() }
                    at += chunk.count
                }
            }
        }
        return (try? compared.get()) != nil && at == bytes.count
    }

    /// The whole file for `links` then `made`, in one buffer of its size.
    public static func encode(_ links: [RecordedLink], made: MadeRecords = MadeRecords()) -> [UInt8] {
        // Enough for every record unless a field needs escaping: the kind, two numbers of at most
        // 20 digits, four tabs and a newline besides the paths. A buffer that doubled on the way
        // would briefly be three times the state.
        let size = links.reduce(64) { $0 + $1.path.count + $1.stored.count + 53 }
            + made.directories.reduce(0) { $0 + $1.count + 8 }
            + made.backups.reduce(0) { $0 + $1.path.count + $1.backup.count + 12 }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        encode(links, made: made, digest: digest(of: links.lazy.map { $0.path }), chunkSize: RecordChunks.size) {
            bytes.append(contentsOf: $0)
        }
        return bytes
    }

    /// `digest`: of the links' paths (`digest(of:)`).
    private static func encode<E: Error>(_ links: [RecordedLink], made: MadeRecords, digest: UInt64, chunkSize: Int,
                                         to hand: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) {
        var w = Record.Writer(capacity: min(chunkSize, RecordChunks.size) + 4096)
        w.fields(["#", "mklnk state 1", .text(String(digest, radix: 16))])
        w.end()
        for link in links {
            w.field(link.kind.rawValue)
            w.field(link.path)
            w.field(link.stored)
            w.field(link.device)
            w.field(link.inode)
            w.end()
            try w.handOn(atLeast: chunkSize, to: hand)
        }
        try made.write(to: &w, chunkSize: chunkSize, hand: hand)
        try w.handOn(atLeast: 1, to: hand)
    }
}
