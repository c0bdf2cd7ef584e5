/// Elements in fixed chunks that never move: one thread adds while another reads those already
/// published. Up to 4M elements.
struct Chunks<Element> {
    private static var shift: Int { 12 }
    private static var limit: Int { 1024 }
    private let table: UnsafeMutablePointer<UnsafeMutablePointer<Element>?>

    init() {
        table = .allocate(capacity: Self.limit)
        table.initialize(repeating: nil, count: Self.limit)
    }

    /// Makes room for element `i` (the next one); false when full.
    func reserve(_ i: Int) -> Bool {
        let chunk = i >> Self.shift
        guard chunk < Self.limit else { return false }
        if table[chunk] == nil { table[chunk] = .allocate(capacity: 1 << Self.shift) }
        return true
    }

    subscript(i: Int) -> UnsafeMutablePointer<Element> {
        table[i >> Self.shift].unsafelyUnwrapped + (i & ((1 << Self.shift) - 1))
    }

    /// Destroys the first `count` elements and frees the storage.
    func free(count: Int) {
        var remaining = count
        for chunk in 0..<Self.limit {
            guard let p = table[chunk] else { break }
            let n = min(remaining, 1 << Self.shift)
            p.deinitialize(count: n)
            remaining -= n
            p.deallocate()
        }
        table.deallocate()
    }
}
