import MklnkFileSystem

/// The journal and the state are written as they are encoded, a chunk at a time: a file of
/// 100,000 records is never held whole, only one chunk and the record that ends it.
enum RecordChunks {
    /// How many bytes are gathered before they are handed on.
    static let size = 1 << 20
}

extension Record.Writer {
    /// Hands the bytes written so far to `hand`, and starts over, once there are at least
    /// `atLeast` of them (1: whatever is left). Called between records, so a chunk ends a line.
    mutating func handOn<E: Error>(atLeast: Int, to hand: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) {
        guard bytes.count >= max(atLeast, 1) else { return }
        try bytes.withUnsafeBytes { raw in Result { () throws(E) in try hand(raw) } }.get()
        bytes.removeAll(keepingCapacity: true)
    }
}
