#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

/// Finds positions by the bytes of a path that is kept elsewhere, at that position: four bytes a
/// slot and nothing else, where `PathIndex` keeps its own keys, values and hash tags (a large
/// plan's links are indexed by the graph, and by the read-ahead twice). A probe compares the
/// bytes of the key it meets, which is what makes a lookup exact. Sized once: up to `capacity`
/// positions.
struct SlotIndex {
    /// Open addressing, linear probing: a position + 1, or 0 for an empty slot.
    private var slots: [UInt32] = []

    init() {}

    init(capacity: Int) {
        guard capacity > 0, capacity < Int(UInt32.max) else { return }
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = [UInt32](repeating: 0, count: size)
    }

    /// Indexes the positions in `0..<count` for which `key` gives a path; the first position of
    /// a path wins.
    init(count: Int, key: (Int) -> Path?) {
        self.init(capacity: count)
        for position in 0..<count { _ = insert(position, key: key) }
    }

    /// Indexes `position` by the path `key` gives it, unless a position with the same bytes is
    /// there: then that one is returned and nothing changes.
    @discardableResult
    mutating func insert(_ position: Int, key: (Int) -> Path?) -> Int? {
        guard !slots.isEmpty, let path = key(position) else { return nil }
        let (slot, found) = path.withBytes { probe($0, key: key) }
        if found == nil { slots[slot] = UInt32(position + 1) }
        return found
    }

    /// The position of the path with the bytes of `path`, where `key` gives each position's path.
    func position(of path: Path, key: (Int) -> Path?) -> Int? {
        path.withBytes { position(of: $0, key: key) }
    }

    func position(of bytes: UnsafeBufferPointer<UInt8>, key: (Int) -> Path?) -> Int? {
        slots.isEmpty ? nil : probe(bytes, key: key).found
    }

    /// The position holding `bytes`, or the empty slot where they would go.
    private func probe(_ bytes: UnsafeBufferPointer<UInt8>, key: (Int) -> Path?) -> (slot: Int, found: Int?) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: PathIndex.hash(bytes)) & mask
        while slots[slot] != 0 {
            let position = Int(slots[slot]) - 1
            if Self.equal(key(position), bytes) { return (slot, position) }
            slot = (slot + 1) & mask
        }
        return (slot, nil)
    }

    private static func equal(_ key: Path?, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let key else { return false }
        return key.withBytes { k in
            k.count == bytes.count && (k.isEmpty || memcmp(k.baseAddress!, bytes.baseAddress!, k.count) == 0)
        }
    }
}
