#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkYAML

/// A plan's bytes for the loader: held (standard input, tests) or in the open plan file, read by
/// position, so that a large plan is never held whole beside what is made of it.
///
/// The reader's passes go through `read(at:into:)`; the last pass from the start to the end is
/// remembered (its length and checksum), so that a copy made afterwards, the plan cache's, is
/// known to be the very bytes that pass parsed (`copy(_:)`), even if the file changed since.
public final class PlanInput: YAMLBytes {
    /// The bytes, when held.
    public let held: [UInt8]?
    private let descriptor: Int32
    public private(set) var failure: String?
    /// The pass being read: how far it got, the checksum so far, and whether it reached the end.
    private(set) var passed = 0
    private var sum = Checksum()
    private(set) var passedWhole = false

    public init(_ bytes: [UInt8]) {
        held = bytes
        descriptor = -1
    }

    /// The open file `descriptor`, which the text now owns.
    init(descriptor: Int32) {
        held = nil
        self.descriptor = descriptor
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    public var size: Int? { held?.count }

    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        guard let n = bytes(at: offset, into: buffer) else { return nil }
        if offset == 0 { (passed, sum, passedWhole) = (0, Checksum(), false) }
        if offset == passed {
            if n == 0 { passedWhole = true }
            sum.add(UnsafeRawBufferPointer(rebasing: buffer[..<n]).assumingMemoryBound(to: UInt8.self))
            passed += n
        }
        return n
    }

    /// Reads without taking part in the pass.
    private func bytes(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        if let held { return YAMLByteArray.copy(held, at: offset, into: buffer) }
        while true {
            let n = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            if n >= 0 { return n }
            if errno == EINTR { continue }
            failure = String(cString: strerror(errno))
            return nil
        }
    }

    /// Calls `body` with the bytes a window at a time, outside the pass; false when they could
    /// not all be read.
    private func windows(_ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        readWindows(read: { bytes(at: $0, into: $1) }, body)
    }

    /// The number of lines (line feeds plus one).
    func lineCount() -> Int {
        var n = 1
        _ = windows { window in
            guard var at = window.baseAddress else { return true }
            let end = at + window.count
            while at < end, let newline = memchr(at, 10, end - at) {
                n += 1
                at = UnsafeRawPointer(newline) + 1
            }
            return true
        }
        return n
    }

    /// All the bytes, outside the pass (to place an error: never on the way of a plan that loads).
    func allBytes() -> [UInt8] {
        if let held { return held }
        var all: [UInt8] = []
        _ = windows { all.append(contentsOf: $0); return true }
        return all
    }

    /// The length of the last whole pass, for a copy that `copy` then makes.
    var passedLength: Int? { passedWhole ? passed : nil }

    /// Hands `put` the bytes again, a window at a time; true only when they are exactly those of
    /// the last whole pass (same length, same checksum), so a copy stored by `put` is the plan
    /// that was parsed.
    func copy(_ put: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        guard passedWhole else { return false }
        var copied = 0
        var check = Checksum()
        let read = windows { window in
            let bytes = window.assumingMemoryBound(to: UInt8.self)
            copied += bytes.count
            guard copied <= passed else { return false }
            check.add(bytes)
            put(bytes)
            return true
        }
        return read && copied == passed && check.value == sum.value
    }
}
