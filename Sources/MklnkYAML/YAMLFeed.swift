/// Hands libyaml the input a window at a time (libyaml asks for 16 KiB; a window of 256 KiB
/// reads a large file in few calls), and stops it past the size limit or at a read error.
final class Feed {
    private let input: YAMLBytes
    private let limit: Int
    private let window = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)
    /// Where the window starts in the input, how much of it holds input, how much was handed.
    private var start = 0, count = 0, handed = 0
    /// Why the input stopped short, when it did.
    private(set) var problem: String?

    init(_ input: YAMLBytes, limit: Int) {
        self.input = input
        self.limit = limit
    }

    deinit { window.deallocate() }

    /// libyaml's read handler: 1 with up to `size` bytes in `buffer` (none at the end), 0 on failure.
    func fill(_ buffer: UnsafeMutablePointer<UInt8>, _ size: Int, _ read: UnsafeMutablePointer<Int>) -> Int32 {
        if handed == count {
            start += count
            (count, handed) = (0, 0)
            // One byte past the limit is enough to know it is passed.
            let want = min(window.count, limit + 1 - start)
            guard let n = input.read(at: start, into: UnsafeMutableRawBufferPointer(rebasing: window[..<want])) else {
                problem = "cannot read the file" + (input.failure.map { ": \($0)" } ?? "")
                return 0
            }
            if start + n > limit {
                problem = "the file is more than the limit of \(limit) bytes"
                return 0
            }
            count = n
        }
        let n = min(size, count - handed)
        UnsafeMutableRawPointer(buffer).copyMemory(from: window.baseAddress! + handed, byteCount: n)
        handed += n
        read.pointee = n
        return 1
    }
}

/// Marks of byte positions, found by reading the input again (only to place an error).
enum YAMLPlaces {
    /// The 1-based line and column (in characters) of byte `offset`.
    static func position(of offset: Int, in input: YAMLBytes) -> Mark {
        var line = 1, column = 1, at = 0
        _ = input.forEachWindow { window in
            for byte in window.prefix(offset - at) {
                if byte == 10 {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
            }
            at += window.count
            return at < offset
        }
        return Mark(line: line, column: column)
    }

    /// The mark just after the last byte, with lines broken where libyaml breaks them (LF,
    /// CR LF, CR).
    static func endMark(of input: YAMLBytes) -> Mark {
        var line = 1, column = 1
        var afterCR = false
        _ = input.forEachWindow { window in
            for byte in window {
                if afterCR && byte != 10 {
                    line += 1
                    column = 1
                }
                afterCR = byte == 13
                if byte == 10 {
                    line += 1
                    column = 1
                } else if byte != 13 && byte & 0xC0 != 0x80 {
                    column += 1
                }
            }
            return true
        }
        return afterCR ? Mark(line: line + 1, column: 1) : Mark(line: line, column: column)
    }
}
