#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

/// A map from paths to integers, looked up by bytes, so that a path's directory is found as a
/// prefix of the path without making a String of it.
///
/// The graph's checks look up several paths per link; `Dictionary<String, Int>` spent most of
/// that in SipHash over 60-byte paths. This hashes eight bytes a step, with a per-process random
/// seed so that a plan cannot be written to collide.
struct PathIndex {
    private var keys: [String] = []
    private var hashes: [UInt64] = []
    private var values: [Int] = []
    /// Open addressing, linear probing: a key's position + 1, or 0 for an empty slot.
    private var slots: [Int32]

    private static let seed = UInt64.random(in: .min ... .max)

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = [Int32](repeating: 0, count: size)
    }

    var count: Int { keys.count }

    func value(for path: String) -> Int? {
        Paths.withBytes(path) { value(for: $0) }
    }

    func value(for bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let h = Self.hash(bytes)
        return slots.withUnsafeBufferPointer { slots in
            var slot = Int(truncatingIfNeeded: h) & (slots.count - 1)
            while true {
                let k = Int(slots[slot]) - 1
                if k < 0 { return nil }
                if hashes[k] == h && Self.equal(keys[k], bytes) { return values[k] }
                slot = (slot + 1) & (slots.count - 1)
            }
        }
    }

    /// Adds `path` unless it is there; returns the value already there, if any.
    @discardableResult
    mutating func insert(_ path: String, _ value: Int) -> Int? {
        let h = Paths.withBytes(path) { Self.hash($0) }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while slots[slot] != 0 {
            let k = Int(slots[slot]) - 1
            if hashes[k] == h && Paths.withBytes(path, { Self.equal(keys[k], $0) }) { return values[k] }
            slot = (slot + 1) & mask
        }
        keys.append(path)
        hashes.append(h)
        values.append(value)
        slots[slot] = Int32(keys.count)
        if keys.count * 2 > slots.count { grow() }
        return nil
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (k, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(k + 1)
        }
    }

    private static func equal(_ key: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        Paths.withBytes(key) { k in
            k.count == bytes.count && (k.isEmpty || memcmp(k.baseAddress!, bytes.baseAddress!, k.count) == 0)
        }
    }

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        let raw = UnsafeRawBufferPointer(bytes)
        var i = 0
        while i + 8 <= raw.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < raw.count {
            tail |= UInt64(raw[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 29)
    }
}
