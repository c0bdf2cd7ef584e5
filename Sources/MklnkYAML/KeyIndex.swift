/// The keys of one mapping so far, to find duplicates in one pass. A plan's `links:` has a key
/// per link, and `Dictionary<String, Int>` spent more time hashing them than libyaml did reading
/// them. While every key is ASCII they go in an open-addressing table by a hash of their bytes;
/// from the first other key on, all of them go in a Dictionary, whose Unicode-aware equality is
/// then needed (the Kelvin sign equals `K`, a decomposed `é` the precomposed one).
///
/// The ASCII keys' bytes are kept front-coded, as sorted-key stores keep theirs: each key as the
/// length it shares with the key before it and the rest, every 16th key whole. Keys of a plan
/// share long prefixes (`~/.config/...`), so they take a fraction of their size; a key is rebuilt
/// only when its hash matches, which is almost only for a true duplicate.
struct KeyIndex {
    private var slots: [Int32]
    /// The coded keys, one after another, in chunks that are never copied to grow.
    private var chunks: [[UInt8]] = []
    private var entries: [(hash: UInt64, chunk: UInt32, start: UInt32, value: UInt64)] = []
    /// The last key added, which the next one is coded against.
    private var last: [UInt8] = []
    private var unicode: [String: UInt64]?
    private static let chunkSize = 1 << 18
    private static let restart = 16

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        entries.reserveCapacity(capacity)
    }

    /// The value recorded for a key equal to `key`; when there is none, records `value` for it
    /// and returns nil.
    mutating func insert(_ key: String, _ value: UInt64) -> UInt64? {
        var key = key
        let ascii = unicode == nil ? key.withUTF8 { Self.asciiHash($0) } : nil
        guard let hash = ascii, entries.count < Int(Int32.max) else {
            if unicode == nil {
                var all = [String: UInt64](minimumCapacity: entries.count + 1)
                var bytes: [UInt8] = []
                for e in entries.indices {
                    decode(e, onto: &bytes)
                    all[String(decoding: bytes, as: UTF8.self)] = entries[e].value
                }
                unicode = all
                (chunks, entries, last) = ([], [], [])
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
            if entries[e].hash == hash && key.withUTF8({ self.key(e).elementsEqual($0) }) { return entries[e].value }
            i = (i + 1) & mask
        }
        key.withUTF8 { add($0, hash: hash, value: value) }
        slots[i] = Int32(entries.count)
        return nil
    }

    /// Codes `bytes` after the last key: shared length and rest length (LEB128), then the rest.
    private mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, value: UInt64) {
        var shared = 0
        if entries.count % Self.restart != 0 {
            let most = min(last.count, bytes.count)
            while shared < most && last[shared] == bytes[shared] { shared += 1 }
        }
        let size = Self.width(shared) + Self.width(bytes.count - shared) + bytes.count - shared
        if chunks.isEmpty || chunks[chunks.count - 1].count + size > chunks[chunks.count - 1].capacity {
            var chunk: [UInt8] = []
            chunk.reserveCapacity(max(Self.chunkSize, size))
            chunks.append(chunk)
        }
        let c = chunks.count - 1
        entries.append((hash, UInt32(c), UInt32(chunks[c].count), value))
        Self.append(shared, to: &chunks[c])
        Self.append(bytes.count - shared, to: &chunks[c])
        chunks[c].append(contentsOf: bytes[shared...])
        last.removeSubrange(shared...)
        last.append(contentsOf: bytes[shared...])
    }

    /// The bytes of key `e`, rebuilt from the last whole key before it.
    private func key(_ e: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for k in e - e % Self.restart ... e { decode(k, onto: &bytes) }
        return bytes
    }

    /// Turns `bytes`, the key before `e`, into key `e`.
    private func decode(_ e: Int, onto bytes: inout [UInt8]) {
        let chunk = chunks[Int(entries[e].chunk)]
        var at = Int(entries[e].start)
        let shared = Self.number(chunk, &at), rest = Self.number(chunk, &at)
        bytes.removeSubrange(shared...)
        bytes.append(contentsOf: chunk[at..<at + rest])
    }

    private static func width(_ n: Int) -> Int {
        var n = UInt(n), width = 1
        while n >= 0x80 { (n, width) = (n >> 7, width + 1) }
        return width
    }

    private static func append(_ n: Int, to bytes: inout [UInt8]) {
        var n = UInt(n)
        while n >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        bytes.append(UInt8(n))
    }

    private static func number(_ bytes: [UInt8], _ at: inout Int) -> Int {
        var n = 0, shift = 0
        while true {
            let b = bytes[at]
            at += 1
            n |= Int(b & 0x7F) << shift
            if b < 0x80 { return n }
            shift += 7
        }
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
