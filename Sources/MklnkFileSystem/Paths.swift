#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lexical path arithmetic on the bytes of `/`-separated paths. Nothing here touches the disk.
/// By bytes, as the kernel reads a path: split by Characters, a `/` followed by a combining mark
/// would not separate components.
public enum Paths {
    /// Joins `path` to `base` unless it is already absolute.
    public static func absolute(_ path: Path, base: Path) -> Path {
        if path.isAbsolute { return normalize(path) }
        // Two normal paths join into a normal one: no second pass, one allocation.
        if isNormal(path) && isNormal(base) { return join(base, path) }
        return normalize(base == "/" ? "/" + path : base + "/" + path)
    }

    /// `absolute` for a base the caller knows to be normal: only `path` is checked.
    public static func absolute(_ path: Path, normalBase base: Path) -> Path {
        if !path.isAbsolute && isNormal(path) { return join(base, path) }
        return absolute(path, base: base)
    }

    /// `base/name`, built in one allocation.
    public static func join(_ base: Path, _ name: Path) -> Path {
        let separator = base.count == 1 && base.first == slash ? 0 : 1
        var out: [UInt8] = []
        out.reserveCapacity(base.count + separator + name.count)
        out += base.bytes
        if separator == 1 { out.append(slash) }
        out += name.bytes
        return Path(bytes: out)
    }

    /// Whether the bytes of `s` include `byte` (memchr, where `utf8.contains` goes byte by byte).
    public static func contains(_ s: String, byte: UInt8) -> Bool {
        withBytes(s) { b in b.count > 0 && memchr(b.baseAddress!, Int32(byte), b.count) != nil }
    }

    /// The offset of the last `/` in `bytes`.
    @inlinable
    public static func lastSlash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = bytes.count
        while i > 0 {
            i -= 1
            if bytes[i] == UInt8(ascii: "/") { return i }
        }
        return nil
    }

    /// Removes `.`, empty components and resolves `..` lexically; `/..` stays `/`.
    /// Keeps a relative path relative (leading `..` survive).
    public static func normalize(_ path: Path) -> Path {
        if isNormal(path) { return path }
        let bytes = path.bytes
        let isAbsolute = bytes.first == slash
        func isDotDot(_ part: ArraySlice<UInt8>) -> Bool { part.count == 2 && part.allSatisfy { $0 == dot } }
        var parts: [ArraySlice<UInt8>] = []
        for part in bytes.split(separator: slash) {
            if part.count == 1 && part.first == dot { continue }
            if isDotDot(part) {
                if let last = parts.last, !isDotDot(last) {
                    parts.removeLast()
                } else if !isAbsolute {
                    parts.append(part)
                }
                continue
            }
            parts.append(part)
        }
        var out: [UInt8] = isAbsolute ? [slash] : []
        for (i, part) in parts.enumerated() {
            if i > 0 { out.append(slash) }
            out += part
        }
        return out.isEmpty ? "." : Path(bytes: out)
    }

    /// True when `normalize` would return `path` unchanged: no empty, `.` or `..` component
    /// and no trailing slash. One pass over the bytes, so the common case costs no allocation.
    public static func isNormal(_ path: Path) -> Bool {
        path.withBytes { bytes in
            if bytes.isEmpty { return false }
            return isNormal(bytes) || (bytes.count == 1 && bytes[0] == slash)
        }
    }

    private static func isNormal(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        if count == 0 || bytes[count - 1] == slash { return false }
        /// Whether the component starting at `i` is empty, `.` or `..`.
        func isSpecial(_ i: Int) -> Bool {
            if i == count || bytes[i] == slash { return true }
            guard bytes[i] == dot else { return false }
            if i + 1 == count || bytes[i + 1] == slash { return true }
            return bytes[i + 1] == dot && (i + 2 == count || bytes[i + 2] == slash)
        }
        if bytes[0] != slash && isSpecial(0) { return false }
        // From slash to slash with memchr: paths are long, their odd components few.
        var i = 0
        let base = bytes.baseAddress!
        while i < count, let found = memchr(base + i, Int32(slash), count - i) {
            let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if isSpecial(at + 1) { return false }
            i = at + 1
        }
        return true
    }

    /// The UTF-8 bytes of `s`, without a copy for native strings.
    @inlinable
    public static func withBytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
        return Array(s.utf8).withUnsafeBufferPointer(body)
    }

    private static let slash = UInt8(ascii: "/")
    private static let dot = UInt8(ascii: ".")

    /// The directory part: `/a/b` → `/a`, `/a` → `/`, `a` → `.`.
    public static func parent(_ path: Path) -> Path {
        path.withBytes { b in
            guard let i = lastSlash(b) else { return "." }
            return i == 0 ? "/" : Path(bytes: UnsafeBufferPointer(rebasing: b[..<i]))
        }
    }

    /// The last component.
    public static func name(_ path: Path) -> Path {
        path.withBytes { b in
            guard let i = lastSlash(b) else { return path }
            return Path(bytes: UnsafeBufferPointer(rebasing: b[(i + 1)...]))
        }
    }

    /// True when `path` is `dir` or lies beneath it (both normalised, absolute).
    public static func isWithin(_ path: Path, _ dir: Path) -> Bool {
        path.withBytes { p in dir.withBytes { d in isWithin(p, d) } }
    }

    public static func isWithin(_ p: UnsafeBufferPointer<UInt8>, _ d: UnsafeBufferPointer<UInt8>) -> Bool {
        if d.count == 1 && d[0] == slash { return p.first == slash }
        guard p.count >= d.count, d.isEmpty || memcmp(p.baseAddress!, d.baseAddress!, d.count) == 0 else {
            return false
        }
        return p.count == d.count || p[d.count] == slash
    }

    /// `path` relative to `dir` (both absolute, normalised), using `..` where needed.
    public static func relative(_ path: Path, from dir: Path) -> Path {
        let p = path.bytes.split(separator: slash)
        let d = dir.bytes.split(separator: slash)
        var common = 0
        while common < p.count && common < d.count && p[common].elementsEqual(d[common]) { common += 1 }
        var out: [UInt8] = []
        for _ in common..<d.count { out += out.isEmpty ? [dot, dot] : [slash, dot, dot] }
        for part in p[common...] {
            if !out.isEmpty { out.append(slash) }
            out += part
        }
        return out.isEmpty ? "." : Path(bytes: out)
    }

    /// Replaces a leading `home` with `~` for display.
    public static func abbreviate(_ path: Path, home: Path?) -> Path {
        guard let home, home != "/", !home.isEmpty, isWithin(path, home) else { return path }
        return "~" + path.dropFirst(home.count)
    }
}
