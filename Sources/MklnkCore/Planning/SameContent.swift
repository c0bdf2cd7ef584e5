#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

/// Whether two files hold the same bytes: sizes first, then both read side by side in
/// fixed-size chunks (1 MiB), stopping at the first difference. Memory stays at two chunks whatever
/// the files' size (read whole, two large files would both be in memory at once).
enum SameContent {
    static let chunkSize = 1 << 20

    static func compare(_ a: Path, _ b: Path, in fileSystem: FileSystem) -> Bool {
        guard let x = try? fileSystem.status(a, follow: true), let y = try? fileSystem.status(b, follow: true),
              x.kind == .regular, y.kind == .regular, x.size == y.size else { return false }
        guard fileSystem.underlying is LocalFileSystem else {
            // Another filesystem (the in-memory one of the tests) holds its files in memory anyway.
            guard let p = try? fileSystem.readFile(a), let q = try? fileSystem.readFile(b) else { return false }
            return p == q
        }
        let fa = a.withCString { open($0, O_RDONLY | O_CLOEXEC) }, fb = b.withCString { open($0, O_RDONLY | O_CLOEXEC) }
        defer {
            if fa >= 0 { close(fa) }
            if fb >= 0 { close(fb) }
        }
        guard fa >= 0, fb >= 0 else { return false }
        var p = [UInt8](repeating: 0, count: chunkSize), q = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let n = readFully(fa, &p), m = readFully(fb, &q)
            guard n >= 0, n == m else { return false }
            if n == 0 { return true }
            if memcmp(p, q, n) != 0 { return false }
        }
    }

    /// Reads up to a chunk, retrying short reads; 0 at the end, -1 on an error.
    private static func readFully(_ fd: Int32, _ buffer: inout [UInt8]) -> Int {
        var total = 0
        while total < buffer.count {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + total, $0.count - total) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return -1 }
            if n == 0 { break }
            total += n
        }
        return total
    }
}
