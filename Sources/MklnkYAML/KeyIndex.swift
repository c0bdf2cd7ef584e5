/// The keys of one mapping so far, to find duplicates in one pass. A plan's `links:` has a key
/// per link, and `Dictionary<String, Int>` spent more time hashing them than libyaml did reading
/// them. While every key is ASCII they go in an open-addressing table by a hash of their bytes;
/// from the first other key on, all of them go in a Dictionary, whose Unicode-aware equality is
/// then needed (the Kelvin sign equals `K`, a decomposed `é` the precomposed one).
struct KeyIndex {
    private var slots: [Int32]
    /// The ASCII keys' bytes, one after another, in chunks that are never copied to grow: a
    /// `String` each would be an allocation per key, one growing array a copy of them all.
    private var chunks: [[UInt8]] = []
    private var entries: [(hash: UInt64, chunk: UInt32, start: UInt32, count: UInt32, value: Int32)] = []
    private var unicode: [String: Int]?
    private static let chunkSize = 1 << 18

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        entries.reserveCapacity(capacity)
    }

    /// The value recorded for a key equal to `key`; when there is none, records `value` for it
    /// and returns nil.
    mutating func insert(_ key: String, _ value: Int) -> Int? {
        var key = key
        let ascii = unicode == nil ? key.withUTF8 { Self.asciiHash($0) } : nil
        guard let hash = ascii, value < Int(Int32.max) else {
            if unicode == nil {
                var all = [String: Int](minimumCapacity: entries.count + 1)
                for e in entries.indices { all[String(decoding: self.key(e), as: UTF8.self)] = Int(entries[e].value) }
                unicode = all
                (chunks, entries) = ([], [])
            }
            if let first = unicode![key] { return first }
            unicode![key] = value
            return nil
        }
        if (entries.count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i] != 0 {
            let e = Int(slots[i]) - 1
            if entries[e].hash == hash && key.withUTF8({ self.key(e).elementsEqual($0) }) { return Int(entries[e].value) }
            i = (i + 1) & mask
        }
        key.withUTF8 { bytes in
            if chunks.isEmpty || chunks[chunks.count - 1].count + bytes.count > chunks[chunks.count - 1].capacity {
                var chunk: [UInt8] = []
                chunk.reserveCapacity(max(Self.chunkSize, bytes.count))
                chunks.append(chunk)
            }
            let c = chunks.count - 1
            entries.append((hash, UInt32(c), UInt32(chunks[c].count), UInt32(bytes.count), Int32(value)))
            chunks[c].append(contentsOf: bytes)
        }
        slots[i] = Int32(entries.count)
        return nil
    }

    private func key(_ e: Int) -> ArraySlice<UInt8> {
        let start = Int(entries[e].start)
        return chunks[Int(entries[e].chunk)][start..<start + Int(entries[e].count)]
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for e in entries.indices {
            var i = Int(truncatingIfNeeded: entries[e].hash) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = Int32(e + 1)
        }
    }

    /// FNV-1a over the bytes, mixed so that the low bits spread; nil for a non-ASCII key.
    private static func asciiHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var high: UInt8 = 0
        for b in bytes {
            high |= b
            h = (h ^ UInt64(b)) &* 0x100_0000_01b3
        }
        return high < 0x80 ? h ^ (h >> 29) : nil
    }
}
