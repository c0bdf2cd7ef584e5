#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lexical path arithmetic on `/`-separated strings. Nothing here touches the disk.
public enum Paths {
    /// Joins `path` to `base` unless it is already absolute.
    public static func absolute(_ path: String, base: String) -> String {
        path.utf8.first == slash ? normalize(path) : normalize(base == "/" ? "/" + path : base + "/" + path)
    }

    /// Removes `.`, empty components and resolves `..` lexically; `/..` stays `/`.
    /// Keeps a relative path relative (leading `..` survive).
    public static func normalize(_ path: String) -> String {
        if isNormal(path) { return path }
        let isAbsolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !isAbsolute {
                    parts.append(part)
                }
                continue
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if isAbsolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// True when `normalize` would return `path` unchanged: no empty, `.` or `..` component
    /// and no trailing slash. One pass over the bytes, so the common case costs no allocation.
    static func isNormal(_ path: String) -> Bool {
        withBytes(path) { bytes in
            if bytes.isEmpty { return false }
            return isNormal(bytes) || (bytes.count == 1 && bytes[0] == slash)
        }
    }

    private static func isNormal(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var length = 0  // bytes in the current component
        var dots = 0    // how many of them are dots
        var first = true
        for byte in bytes {
            if byte == slash {
                if length == 0 && !first { return false }
                if length > 0 && length == dots && dots <= 2 { return false }
                length = 0
                dots = 0
            } else {
                length += 1
                if byte == dot { dots += 1 }
            }
            first = false
        }
        if length == 0 { return false }
        return !(length == dots && dots <= 2)
    }

    /// The UTF-8 bytes of `s`, without a copy for native strings.
    @inline(__always)
    public static func withBytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
        return Array(s.utf8).withUnsafeBufferPointer(body)
    }

    /// Whether `a` starts with the bytes of `b` (`hasPrefix` compares Unicode, paths compare bytes).
    public static func hasBytePrefix(_ a: String, _ b: String) -> Bool {
        withBytes(a) { x in
            withBytes(b) { y in
                y.count <= x.count && (y.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, y.count) == 0)
            }
        }
    }

    private static let slash = UInt8(ascii: "/")
    private static let dot = UInt8(ascii: ".")

    /// The directory part: `/a/b` → `/a`, `/a` → `/`.
    public static func parent(_ path: String) -> String {
        guard let i = path.utf8.lastIndex(of: slash) else { return "." }
        if i == path.startIndex { return "/" }
        return String(path[..<i])
    }

    /// The last component.
    public static func name(_ path: String) -> String {
        guard let i = path.utf8.lastIndex(of: slash) else { return path }
        return String(path[path.utf8.index(after: i)...])
    }

    /// True when `path` is `dir` or lies beneath it (both normalised, absolute).
    public static func isWithin(_ path: String, _ dir: String) -> Bool {
        withBytes(path) { p in
            withBytes(dir) { d in
                if d.count == 1 && d[0] == slash { return p.first == slash }
                guard p.count >= d.count, d.isEmpty || memcmp(p.baseAddress!, d.baseAddress!, d.count) == 0 else {
                    return false
                }
                return p.count == d.count || p[d.count] == slash
            }
        }
    }

    /// `path` relative to `dir` (both absolute, normalised), using `..` where needed.
    public static func relative(_ path: String, from dir: String) -> String {
        let p = path.split(separator: "/")
        let d = dir.split(separator: "/")
        var common = 0
        while common < p.count && common < d.count && p[common] == d[common] { common += 1 }
        let ups = Array(repeating: "..", count: d.count - common)
        let rest = p[common...].map(String.init)
        let joined = (ups + rest).joined(separator: "/")
        return joined.isEmpty ? "." : joined
    }

    /// Replaces a leading `home` with `~` for display.
    public static func abbreviate(_ path: String, home: String?) -> String {
        guard let home, home != "/", !home.isEmpty, isWithin(path, home) else { return path }
        return "~" + path.dropFirst(home.count)
    }
}
