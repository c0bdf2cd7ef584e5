#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lexical path arithmetic on `/`-separated strings. Nothing here touches the disk.
public enum Paths {
    /// Joins `path` to `base` unless it is already absolute.
    public static func absolute(_ path: String, base: String) -> String {
        if path.utf8.first == slash { return normalize(path) }
        // Two normal paths join into a normal one: no second pass, one allocation.
        if isNormal(path) && isNormal(base) { return join(base, path) }
        return normalize(base == "/" ? "/" + path : base + "/" + path)
    }

    /// `absolute` for a base the caller knows to be normal: only `path` is checked.
    public static func absolute(_ path: String, normalBase base: String) -> String {
        if path.utf8.first != slash && isNormal(path) { return join(base, path) }
        return absolute(path, base: base)
    }

    /// `base/name`, built in place (`String +` grows its buffer twice).
    static func join(_ base: String, _ name: String) -> String {
        withBytes(base) { b in
            withBytes(name) { n in
                let separator = b.count == 1 && b[0] == slash ? 0 : 1
                return String(unsafeUninitializedCapacity: b.count + separator + n.count) { out in
                    let raw = UnsafeMutableRawBufferPointer(out)
                    raw.copyMemory(from: UnsafeRawBufferPointer(b))
                    if separator == 1 { raw[b.count] = slash }
                    UnsafeMutableRawBufferPointer(rebasing: raw[(b.count + separator)...])
                        .copyMemory(from: UnsafeRawBufferPointer(n))
                    return out.count
                }
            }
        }
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
    public static func normalize(_ path: String) -> String {
        if isNormal(path) { return path }
        // By bytes, as the kernel reads a path: split by Characters, a `/` followed by a
        // combining mark would not separate components.
        let bytes = Array(path.utf8)
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
        return out.isEmpty ? "." : String(decoding: out, as: UTF8.self)
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

    /// The UTF-8 bytes of `s`, without a copy for native strings. Inlinable, so that callers in
    /// other modules get it specialised (unspecialised, it instantiates generic metadata per call).
    @inlinable
    public static func withBytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
        return Array(s.utf8).withUnsafeBufferPointer(body)
    }

    /// Whether two paths are the same bytes. Paths are bytes to the kernel; `==` on String
    /// compares Unicode (`K` equals the Kelvin sign, a precomposed `é` its decomposed form).
    @inlinable
    public static func sameBytes(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        guard a.utf8.count == b.utf8.count else { return false }
        return withBytes(a) { x in
            withBytes(b) { y in
                x.count == y.count && (x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
            }
        }
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
        withBytes(path) { b in
            guard let i = lastSlash(b) else { return "." }
            return i == 0 ? "/" : String(decoding: UnsafeBufferPointer(rebasing: b[..<i]), as: UTF8.self)
        }
    }

    /// The last component.
    public static func name(_ path: String) -> String {
        withBytes(path) { b in
            guard let i = lastSlash(b) else { return path }
            return String(decoding: UnsafeBufferPointer(rebasing: b[(i + 1)...]), as: UTF8.self)
        }
    }

    /// True when `path` is `dir` or lies beneath it (both normalised, absolute).
    public static func isWithin(_ path: String, _ dir: String) -> Bool {
        withBytes(path) { p in withBytes(dir) { d in isWithin(p, d) } }
    }

    public static func isWithin(_ p: UnsafeBufferPointer<UInt8>, _ d: UnsafeBufferPointer<UInt8>) -> Bool {
        if d.count == 1 && d[0] == slash { return p.first == slash }
        guard p.count >= d.count, d.isEmpty || memcmp(p.baseAddress!, d.baseAddress!, d.count) == 0 else {
            return false
        }
        return p.count == d.count || p[d.count] == slash
    }

    /// `path` relative to `dir` (both absolute, normalised), using `..` where needed.
    public static func relative(_ path: String, from dir: String) -> String {
        // Components by bytes, compared by bytes: as Characters, a `/` before a combining mark
        // is no separator, and canonically equal names are not the same directory.
        let p = Array(path.utf8).split(separator: slash)
        let d = Array(dir.utf8).split(separator: slash)
        var common = 0
        while common < p.count && common < d.count && p[common].elementsEqual(d[common]) { common += 1 }
        var out: [UInt8] = []
        for _ in common..<d.count { out += out.isEmpty ? [dot, dot] : [slash, dot, dot] }
        for part in p[common...] {
            if !out.isEmpty { out.append(slash) }
            out += part
        }
        return out.isEmpty ? "." : String(decoding: out, as: UTF8.self)
    }

    /// Replaces a leading `home` with `~` for display.
    public static func abbreviate(_ path: String, home: String?) -> String {
        guard let home, home != "/", !home.isEmpty, isWithin(path, home) else { return path }
        return "~" + String(decoding: path.utf8.dropFirst(home.utf8.count), as: UTF8.self)
    }
}
