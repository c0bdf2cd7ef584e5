#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A filesystem path as the kernel sees it: bytes, not text.
///
/// Equality, hashing and ordering are byte-wise, so two names that differ in bytes are two files
/// even when they are canonically equal Unicode (`K` and the Kelvin sign, a precomposed `é` and
/// its decomposed form), and a name that is not UTF-8 (`caf\xe9`) is kept exactly. `String`
/// compares Unicode and repairs invalid UTF-8, which is why no path is a `String` in mklnk.
///
/// Two renderings: `description` for people (control characters and bytes that are not UTF-8
/// escaped as `\r`, `\x1b`, `\xff`, so a name cannot move the cursor or corrupt a terminal), and
/// `JSON.path` for machines (lossless, see the README).
public struct Path: Sendable {
    /// The bytes, without a terminating NUL. A path never contains NUL.
    public var bytes: [UInt8]

    @inlinable public init(bytes: [UInt8]) { self.bytes = bytes }

    public init<C: Collection>(bytes: C) where C.Element == UInt8 { self.bytes = Array(bytes) }

    public init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = Array(bytes) }

    /// The UTF-8 bytes of `text`.
    public init(_ text: String) { bytes = Array(text.utf8) }

    /// The bytes of a C string.
    public init(cString: UnsafePointer<CChar>) {
        bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(cString).assumingMemoryBound(to: UInt8.self),
                                          count: strlen(cString)))
    }

    @inlinable public var count: Int { bytes.count }
    @inlinable public var isEmpty: Bool { bytes.isEmpty }
    public var first: UInt8? { bytes.first }
    public var last: UInt8? { bytes.last }
    public var isAbsolute: Bool { bytes.first == UInt8(ascii: "/") }

    /// The bytes, for reading without a copy.
    @inlinable
    public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer(body)
    }

    /// A NUL-terminated copy for a syscall, on the stack for ordinary lengths.
    @inlinable
    public func withCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { b in
            try withUnsafeTemporaryAllocation(of: CChar.self, capacity: b.count + 1) { buffer in
                let out = buffer.baseAddress!
                if b.count > 0 { UnsafeMutableRawPointer(out).copyMemory(from: b.baseAddress!, byteCount: b.count) }
                out[b.count] = 0
                return try body(out)
            }
        }
    }

    /// Whether the bytes include `byte`.
    public func contains(byte: UInt8) -> Bool {
        withBytes { b in b.count > 0 && memchr(b.baseAddress!, Int32(byte), b.count) != nil }
    }

    /// Whether the path starts with the bytes of `prefix` (not a component test: see `Paths.isWithin`).
    public func hasPrefix(_ prefix: Path) -> Bool {
        withBytes { x in
            prefix.withBytes { y in
                y.count <= x.count && (y.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, y.count) == 0)
            }
        }
    }

    /// Whether the path ends with the bytes of `suffix`.
    public func hasSuffix(_ suffix: Path) -> Bool {
        bytes.count >= suffix.bytes.count && bytes[(bytes.count - suffix.bytes.count)...].elementsEqual(suffix.bytes)
    }

    /// The bytes from `offset` on.
    public func dropFirst(_ offset: Int) -> Path { Path(bytes: bytes[min(offset, bytes.count)...]) }

    /// Whether the bytes are valid UTF-8 (then `String(validating:)` would keep them exactly).
    public var isValidUTF8: Bool { String(validatingUTF8Bytes: bytes) != nil }

    /// The text, when the bytes are valid UTF-8; nil when a `String` would lose bytes.
    public var string: String? { String(validatingUTF8Bytes: bytes) }

    public static func + (lhs: Path, rhs: Path) -> Path {
        var out = lhs
        out.bytes.append(contentsOf: rhs.bytes)
        return out
    }

    public static func += (lhs: inout Path, rhs: Path) { lhs.bytes.append(contentsOf: rhs.bytes) }
}

extension Path: Hashable {
    @inlinable
    public static func == (a: Path, b: Path) -> Bool {
        a.bytes.count == b.bytes.count && a.bytes.withUnsafeBufferPointer { x in
            b.bytes.withUnsafeBufferPointer { y in x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 }
        }
    }

    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        hasher.combine(bytes.count)
    }
}

extension Path: Comparable {
    /// Byte-wise, shorter first on a common prefix (`strcmp`'s order).
    public static func < (a: Path, b: Path) -> Bool {
        a.withBytes { x in
            b.withBytes { y in
                let n = min(x.count, y.count)
                let c = n == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, n)
                return c < 0 || (c == 0 && x.count < y.count)
            }
        }
    }
}

extension Path: ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) { self.init(value) }

    public init(stringInterpolation: Interpolation) { bytes = stringInterpolation.bytes }

    /// `"\(dir)/name"`: a `Path` interpolated keeps its bytes; anything else is its text.
    public struct Interpolation: StringInterpolationProtocol {
        var bytes: [UInt8] = []

        public init(literalCapacity: Int, interpolationCount: Int) { bytes.reserveCapacity(literalCapacity + 16 * interpolationCount) }

        public mutating func appendLiteral(_ literal: String) { bytes.append(contentsOf: literal.utf8) }

        public mutating func appendInterpolation(_ path: Path) { bytes.append(contentsOf: path.bytes) }

        public mutating func appendInterpolation<T>(_ value: T) { bytes.append(contentsOf: "\(value)".utf8) }
    }
}

extension Path: CustomStringConvertible, CustomDebugStringConvertible {
    /// For people: valid UTF-8 as it is, except control characters (`\r`, `\n`, `\t`, `\xHH`);
    /// every byte that is not part of valid UTF-8 as `\xHH`; a backslash as `\\`, so that no
    /// name prints like another's escapes (a file named `caf\xe9` is not `caf` + byte 0xE9).
    public var description: String {
        if !bytes.contains(where: { $0 < 0x20 || $0 >= 0x7F || $0 == 0x5C }) { return String(decoding: bytes, as: UTF8.self) }
        var out = ""
        out.reserveCapacity(bytes.count + 8)
        PathText.forEach(bytes) { piece in
            switch piece {
            case .scalar(let s):
                switch s.value {
                case 0x0D: out += "\\r"
                case 0x0A: out += "\\n"
                case 0x09: out += "\\t"
                case 0x5C: out += "\\\\"
                case 0..<0x20, 0x7F: out += PathText.hex(UInt8(truncatingIfNeeded: s.value))
                case 0x80..<0xA0: out += PathText.hex(0xC2) + PathText.hex(UInt8(truncatingIfNeeded: s.value))
                default: out.unicodeScalars.append(s)
                }
            case .invalid(let b): out += PathText.hex(b)
            }
        }
        return out
    }

    public var debugDescription: String { "Path(\"\(description)\")" }
}

/// Walks bytes as UTF-8: scalars where they are valid, single bytes where they are not.
public enum PathText {
    public enum Piece {
        case scalar(Unicode.Scalar)
        case invalid(UInt8)
    }

    /// Valid sequences as scalars; each byte of an invalid one (its maximal subpart, as the
    /// standard decoder finds it) on its own.
    public static func forEach(_ bytes: [UInt8], _ body: (Piece) -> Void) {
        var parser = Unicode.UTF8.ForwardParser()
        var input = bytes.makeIterator()
        var index = 0
        while true {
            switch parser.parseScalar(from: &input) {
            case .valid(let encoded):
                body(.scalar(Unicode.UTF8.decode(encoded)))
                index += encoded.count
            case .error(let length):
                for k in index..<(index + length) { body(.invalid(bytes[k])) }
                index += length
            case .emptyInput:
                return
            }
        }
    }

    static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: [UInt8(ascii: "\\"), UInt8(ascii: "x"), digits[Int(b >> 4)], digits[Int(b & 15)]],
                      as: UTF8.self)
    }
}

extension String {
    /// The text of `bytes` when they are valid UTF-8, else nil (never a repaired copy).
    init?<C: Collection>(validatingUTF8Bytes bytes: C) where C.Element == UInt8 {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        self = text
    }
}
