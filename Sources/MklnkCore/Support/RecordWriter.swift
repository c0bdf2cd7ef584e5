import MklnkFileSystem

extension Record {
    /// Appends records field by field, in `Record`'s format and with its escaping, without an
    /// array of fields (and a `String` per number) for each record: the journal and the state of
    /// 100,000 links are written at a few hundred instructions a line.
    struct Writer: RecordSink {
        var bytes: [UInt8] = []
        private var opened = false

        init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

        mutating func field(_ text: String) {
            separate()
            var text = text
            text.withUTF8 { escape($0) }
        }

        mutating func field(_ path: Path) {
            separate()
            path.withBytes { escape($0) }
        }

        /// A number in decimal.
        mutating func field(_ number: UInt64) {
            separate()
            var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes, enough for 20 digits
            withUnsafeMutableBytes(of: &digits) { buffer in
                var n = number, i = buffer.count
                repeat {
                    i -= 1
                    buffer[i] = UInt8(ascii: "0") + UInt8(n % 10)
                    n /= 10
                } while n > 0
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[i...]))
            }
        }

        /// Ends the record.
        mutating func end() {
            bytes.append(10)
            opened = false
        }

        private mutating func separate() {
            if opened { bytes.append(9) }
            opened = true
        }

        /// Whether no byte needs escaping, eight at a time: a word with a byte below 14 (tab, LF,
        /// CR, and a few that need not, which the byte-wise path then copies as they are) or a
        /// backslash is not plain.
        static func isPlain(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let base = field.baseAddress else { return true }
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            var i = 0
            while i + 8 <= field.count {
                let x = UnsafeRawPointer(base).loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let y = x ^ (ones &* 92)
                if ((x &- ones &* 14) & ~x | (y &- ones) & ~y) & highs != 0 { return false }
                i += 8
            }
            while i < field.count {
                if field[i] < 14 || field[i] == 92 { return false }
                i += 1
            }
            return true
        }

        private mutating func escape(_ field: UnsafeBufferPointer<UInt8>) {
            // Almost every field has nothing to escape: one scan, then one copy.
            if Self.isPlain(field) {
                bytes.append(contentsOf: field)
                return
            }
            for b in field {
                switch b {
                case 92: bytes.append(92); bytes.append(92)
                case 9: bytes.append(92); bytes.append(UInt8(ascii: "t"))
                case 10: bytes.append(92); bytes.append(UInt8(ascii: "n"))
                case 13: bytes.append(92); bytes.append(UInt8(ascii: "r"))
                default: bytes.append(b)
                }
            }
        }
    }

    /// Counts the bytes a `Writer` would write if no field needed escaping (fewer than it writes
    /// otherwise), without looking at them: for a checksum that starts from the length of what it
    /// covers (the journal's), before the bytes are made.
    struct Counter: RecordSink {
        private(set) var count = 0
        private var opened = false

        mutating func field(_ text: String) {
            separate()
            count += text.utf8.count
        }

        mutating func field(_ path: Path) {
            separate()
            count += path.count
        }

        mutating func field(_ number: UInt64) {
            separate()
            var n = number
            count += 1
            while n >= 10 {
                n /= 10
                count += 1
            }
        }

        mutating func end() {
            count += 1
            opened = false
        }

        private mutating func separate() {
            if opened { count += 1 }
            opened = true
        }
    }
}

/// Where records go, field by field: their bytes (`Record.Writer`) or only their length
/// (`Record.Counter`).
protocol RecordSink {
    mutating func field(_ text: String)
    mutating func field(_ path: Path)
    /// A number in decimal.
    mutating func field(_ number: UInt64)
    /// Ends the record.
    mutating func end()
}

extension RecordSink {
    mutating func fields(_ fields: [RecordField]) {
        for field in fields {
            switch field {
            case .text(let s): self.field(s)
            case .path(let p): self.field(p)
            }
        }
    }
}
