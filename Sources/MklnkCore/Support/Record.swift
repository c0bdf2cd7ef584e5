import MklnkFileSystem

/// Tab-separated records, one per line, for the journal, the state and saved plans: cheap to
/// write and to read back at 100,000 lines.
///
/// Fields are bytes, escaped byte by byte: `\` as `\\`, tab as `\t`, LF as `\n`, CR as `\r`.
/// Every other byte (a combining mark after a backslash, bytes that are not UTF-8) is written as
/// it is, so a path comes back exactly. (Escaping by Characters missed `\r\n`, one Character,
/// and a `\` joined to a combining mark: the journal then split a record in two.)
enum Record {
    /// Appends one record to `out`.
    static func append(_ fields: [RecordField], to out: inout [UInt8]) {
        var writer = Writer()
        swap(&writer.bytes, &out)
        writer.fields(fields)
        writer.end()
        swap(&writer.bytes, &out)
    }

    /// One record as bytes.
    static func line(_ fields: [RecordField]) -> [UInt8] {
        var out: [UInt8] = []
        append(fields, to: &out)
        return out
    }

    /// The records of a file; lines that are empty are skipped.
    static func parse<C: Collection>(_ bytes: C) -> [Fields] where C.Element == UInt8, C.SubSequence: Collection {
        var records: [Fields] = []
        for line in bytes.split(separator: 10, omittingEmptySubsequences: true) {
            records.append(fields(line))
        }
        return records
    }

    /// The fields of one line (without its newline).
    static func fields<C: Collection>(_ line: C) -> Fields where C.Element == UInt8 {
        Fields(line.split(separator: 9, omittingEmptySubsequences: false).map { unescape($0) })
    }

    private static func unescape<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        guard bytes.contains(92) else { return Array(bytes) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var escaped = false
        for b in bytes {
            if escaped {
                switch b {
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                default: out.append(b)
                }
                escaped = false
            } else if b == 92 {
                escaped = true
            } else {
                out.append(b)
            }
        }
        return out
    }

    /// A parsed record: its fields as bytes, read as text or as paths.
    struct Fields {
        var raw: [[UInt8]]

        init(_ raw: [[UInt8]]) { self.raw = raw }

        var count: Int { raw.count }

        /// Field `i` as text (field names, numbers, kinds).
        subscript(i: Int) -> String { String(decoding: raw[i], as: UTF8.self) }

        /// Field `i` exactly, as a path.
        func path(_ i: Int) -> Path { Path(bytes: raw[i]) }
    }
}

/// One field of a record: text or the bytes of a path.
enum RecordField: ExpressibleByStringLiteral {
    case text(String)
    case path(Path)

    init(stringLiteral value: String) { self = .text(value) }
}

/// FNV-1a as 16 hex digits, for naming per-plan state files.
func fnv1a(_ p: Path) -> String {
    let hex = String(fnv1a64(p), radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}

func fnv1a64(_ p: Path) -> UInt64 {
    p.withBytes { bytes in
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}
