/// Bytes that come in parts of any length, regrouped into little-endian 64-bit words for a
/// checksum that mixes a word at a time: each complete word goes to `mix`, and the bytes of an
/// unfinished last word wait in `tail` for the next part (or for the checksum's end).
struct WordStream {
    private(set) var tail: UInt64 = 0
    private(set) var tailCount = 0

    mutating func add(_ raw: UnsafeRawBufferPointer, _ mix: (UInt64) -> Void) {
        var i = 0
        while tailCount > 0 && i < raw.count {
            take(raw[i], mix)
            i += 1
        }
        while i + 8 <= raw.count {
            mix(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            i += 8
        }
        while i < raw.count {
            take(raw[i], mix)
            i += 1
        }
    }

    private mutating func take(_ byte: UInt8, _ mix: (UInt64) -> Void) {
        tail |= UInt64(byte) << (8 * UInt64(tailCount))
        tailCount += 1
        if tailCount == 8 {
            mix(tail)
            (tail, tailCount) = (0, 0)
        }
    }
}
