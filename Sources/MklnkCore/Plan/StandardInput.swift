#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `plan -` and `apply -`: the plan is read from standard input (SPEC §2), so that
/// `mklnk import dotbot install.conf.yaml | mklnk apply -` works.
public enum StandardInput {
    /// The plan argument that names standard input.
    public static let argument = "-"
    /// What diagnostics call it; its directory (the base) is the current directory.
    public static let name = "<stdin>"

    /// Whether a run of `plan` prunes: a plan on standard input has no identity (two different
    /// ones read in one directory would each prune the other's links, as two dotbot configs
    /// imported in turn do), so it never does.
    public static func prunes(_ plan: String, _ prune: Bool) -> Bool {
        prune && plan != argument
    }

    /// Reads standard input to its end; nil when it is longer than `limit` bytes.
    public static func readAll(limit: Int) throws(ReadError) -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n == 0 { return bytes }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(reason: String(cString: strerror(errno)))
            }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit { return nil }
        }
    }

    public struct ReadError: Error {
        public var reason: String
    }
}
