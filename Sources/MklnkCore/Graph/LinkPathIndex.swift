import MklnkFileSystem

extension GraphBuilder {
    /// The candidates by their link paths: the graph's checks look paths up by their bytes (a
    /// directory as a prefix of a path); the index holds positions only, the paths stay in the
    /// candidates.
    struct LinkPathIndex {
        private let candidates: [Candidate]
        private var slots: SlotIndex

        init(_ candidates: [Candidate]) {
            self.candidates = candidates
            slots = SlotIndex(capacity: candidates.count)
        }

        /// Indexes candidate `i`, unless one with its path is there: then that one's index.
        mutating func insert(_ i: Int) -> Int? {
            let candidates = self.candidates
            return slots.insert(i) { candidates[$0].path }
        }

        func value(for path: Path) -> Int? { slots.position(of: path) { candidates[$0].path } }

        func value(for bytes: UnsafeBufferPointer<UInt8>) -> Int? { slots.position(of: bytes) { candidates[$0].path } }
    }
}
