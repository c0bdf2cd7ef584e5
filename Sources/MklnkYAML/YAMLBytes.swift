/// A document's bytes wherever they are (in memory, in an open file), read by position: the
/// reader takes them a window at a time, so a large file is never held whole, and reads them
/// again from the start only to place an error.
public protocol YAMLBytes: AnyObject {
    /// Copies the bytes at `offset` into `buffer`, as many as fit; returns how many (0 at the
    /// end), or nil when they cannot be read.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int?
    /// Why the last read failed, when known.
    var failure: String? { get }
    /// How many bytes there are, when known without reading them.
    var size: Int? { get }
}

/// Bytes held in memory (standard input, tests, small files).
public final class YAMLByteArray: YAMLBytes {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var size: Int? { bytes.count }

    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        Self.copy(bytes, at: offset, into: buffer)
    }

    /// Copies what of `bytes` from `offset` fits into `buffer`; returns how much.
    public static func copy(_ bytes: [UInt8], at offset: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let n = max(0, min(buffer.count, bytes.count - offset))
        if n > 0 { bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) } }
        return n
    }
}

/// Calls `body` with each window of bytes that `read` (offset, buffer) gives from the start,
/// until `body` returns false or the bytes end; false when they could not be read.
public func readWindows(size: Int = 1 << 20, read: (Int, UnsafeMutableRawBufferPointer) -> Int?,
                          _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
    let window = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
    defer { window.deallocate() }
    var offset = 0
    while true {
        guard let n = read(offset, window) else { return false }
        if n == 0 || !body(UnsafeRawBufferPointer(rebasing: window[..<n])) { return true }
        offset += n
    }
}

extension YAMLBytes {
    public var failure: String? { nil }
    public var size: Int? { nil }

    /// Calls `body` with each window of the bytes from the start, until it returns false or the
    /// bytes end; false when they could not be read.
    public func forEachWindow(_ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        readWindows(read: { read(at: $0, into: $1) }, body)
    }
}
