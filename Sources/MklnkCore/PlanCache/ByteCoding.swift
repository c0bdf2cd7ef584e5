#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

/// Appends fields as bytes: numbers as LEB128 varints, byte strings with their length first.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func number(_ n: UInt64) {
        var n = n
        while n >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        bytes.append(UInt8(n))
    }

    mutating func flag(_ b: Bool) { bytes.append(b ? 1 : 0) }

    mutating func raw(_ data: UnsafeBufferPointer<UInt8>) {
        number(UInt64(data.count))
        bytes.append(contentsOf: data)
    }

    mutating func raw(_ data: [UInt8]) { data.withUnsafeBufferPointer { raw($0) } }

    /// The length that `raw` writes before its bytes, for bytes written elsewhere after these.
    mutating func rawLength(_ count: Int) { number(UInt64(count)) }

    mutating func path(_ p: Path) { p.withBytes { raw($0) } }

    /// A path as the length it shares with `previous` and the rest: a plan's paths mostly
    /// share long prefixes with the one before.
    mutating func path(_ p: Path, after previous: inout Path) {
        p.withBytes { a in
            let shared = previous.withBytes { b in
                var n = 0
                while n < a.count && n < b.count && a[n] == b[n] { n += 1 }
                return n
            }
            number(UInt64(shared))
            raw(UnsafeBufferPointer(rebasing: a[shared...]))
        }
        previous = p
    }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { raw($0) }
    }

    mutating func optionalInteger(_ n: Int64?) {
        flag(n != nil)
        number(UInt64(bitPattern: n ?? 0))
    }

    mutating func choice<E: CaseIterable & Equatable>(_ e: E) {
        number(UInt64(E.allCases.firstIndex(of: e).map { E.allCases.distance(from: E.allCases.startIndex, to: $0) } ?? 0))
    }
}

/// Reads what `ByteWriter` wrote; every read gives nil past the end or on a malformed field,
/// and the reader stays failed from then on.
struct ByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var at: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, at: Int = 0) {
        self.bytes = bytes
        self.at = at
    }

    var remaining: Int { bytes.count - at }

    mutating func number() -> UInt64? {
        var n: UInt64 = 0
        var shift: UInt64 = 0
        while at < bytes.count, shift < 64 {
            let b = bytes[at]
            at += 1
            n |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return shift == 63 && b > 1 ? fail() : n }
            shift += 7
        }
        return fail()
    }

    /// A non-negative number that fits an `Int`.
    mutating func int() -> Int? {
        guard let n = number(), n <= UInt64(Int.max) else { return fail() }
        return Int(n)
    }

    /// A count of items each at least one byte long: never more than the bytes left.
    mutating func count() -> Int? {
        guard let n = int(), n <= remaining else { return fail() }
        return n
    }

    mutating func flag() -> Bool? {
        guard at < bytes.count, bytes[at] <= 1 else { return fail() }
        at += 1
        return bytes[at - 1] == 1
    }

    mutating func raw() -> UnsafeBufferPointer<UInt8>? {
        guard let n = count() else { return nil }
        defer { at += n }
        return UnsafeBufferPointer(rebasing: bytes[at..<at + n])
    }

    /// A path: never empty, never holding a NUL.
    mutating func path() -> Path? {
        guard let b = raw(), let base = b.baseAddress, !b.isEmpty, memchr(base, 0, b.count) == nil else { return fail() }
        return Path(bytes: b)
    }

    /// A path written with `path(_:after:)`.
    mutating func path(after previous: inout Path) -> Path? {
        guard let shared = int(), shared <= previous.count, let rest = raw() else { return fail() }
        guard shared + rest.count > 0, rest.isEmpty || memchr(rest.baseAddress!, 0, rest.count) == nil else { return fail() }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(shared + rest.count)
        bytes.append(contentsOf: previous.bytes[..<shared])
        bytes.append(contentsOf: rest)
        let p = Path(bytes: bytes)
        previous = p
        return p
    }

    /// A string: exactly valid UTF-8, as it was written.
    mutating func string() -> String? {
        guard let b = raw() else { return nil }
        guard let s = String(validating: b, as: UTF8.self) else { return fail() }
        return s
    }

    mutating func optionalInteger() -> Int64?? {
        guard let has = flag(), let n = number() else { return nil }
        guard has || n == 0 else { return fail() }
        return .some(has ? Int64(bitPattern: n) : nil)
    }

    mutating func choice<E: CaseIterable>() -> E? {
        guard let n = int(), n < E.allCases.count else { return fail() }
        return E.allCases[E.allCases.index(E.allCases.startIndex, offsetBy: n)]
    }

    private mutating func fail<T>() -> T? {
        at = bytes.count + 1
        return nil
    }
}

/// A 64-bit checksum, eight bytes at a time: each step is a bijection of the running value for a
/// given word, so any one changed word changes the sum. Bytes may come in parts of any length;
/// the last partial word is mixed in with a mark of its length.
struct Checksum {
    private var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    private var words = WordStream()

    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        words.add(UnsafeRawBufferPointer(bytes)) { Self.mix(&state, $0) }
    }

    var value: UInt64 {
        var s = state
        if words.tailCount > 0 { Self.mix(&s, words.tail | 1 << (8 * UInt64(words.tailCount))) }
        return s
    }

    private static func mix(_ state: inout UInt64, _ w: UInt64) {
        state = (state ^ w) &* 0xFF51_AFD7_ED55_8CCD
        state ^= state >> 32
    }
}
