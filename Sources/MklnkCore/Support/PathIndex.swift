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
    private var keys: [Path] = []
    private var values: [Int] = []
    /// Open addressing, linear probing: a key's position + 1 in the low 32 bits (0: empty), the
    /// high half of its hash above, so that a probe compares bytes only on a likely match.
    private var slots: [UInt64]

    private static let seed = UInt64.random(in: .min ... .max)

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = [UInt64](repeating: 0, count: size)
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    var count: Int { keys.count }

    func value(for path: Path) -> Int? {
        path.withBytes { value(for: $0) }
    }

    func value(for bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        find(bytes, Self.hash(bytes)).map { values[$0] }
    }

    /// Adds `path` unless it is there; returns the value already there, if any.
    @discardableResult
    mutating func insert(_ path: Path, _ value: Int) -> Int? {
        let (h, found) = path.withBytes { bytes in
            let h = Self.hash(bytes)
            return (h, find(bytes, h))
        }
        if let found { return values[found] }
        keys.append(path)
        values.append(value)
        place(keys.count - 1, h)
        if keys.count * 2 > slots.count { grow() }
        return nil
    }

    /// The position of the key with these bytes.
    private func find(_ bytes: UnsafeBufferPointer<UInt8>, _ h: UInt64) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            let tag = h & 0xFFFF_FFFF_0000_0000
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] != 0 {
                let k = Int(truncatingIfNeeded: slots[slot] & 0xFFFF_FFFF) - 1
                if slots[slot] & 0xFFFF_FFFF_0000_0000 == tag && Self.equal(keys[k], bytes) { return k }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    private mutating func place(_ k: Int, _ h: UInt64) {
        slots.withUnsafeMutableBufferPointer { slots in
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(k + 1)
        }
    }

    private mutating func grow() {
        slots = [UInt64](repeating: 0, count: slots.count * 2)
        for k in keys.indices { place(k, keys[k].withBytes { Self.hash($0) }) }
    }

    private static func equal(_ key: Path, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        key.withBytes { k in
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
