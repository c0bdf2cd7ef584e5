import MklnkFileSystem

/// Tab-separated records, one per line, for the journal, the state and saved plans: cheap to
/// write and to read back at 100,000 lines. `\`, tab and newline are escaped.
enum Record {
    static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: "\t") + "\n"
    }

    /// The records of a file; lines that are empty are skipped.
    static func parse(_ bytes: [UInt8]) -> [[String]] {
        var records: [[String]] = []
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            records.append(line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
                .map { unescape($0) })
        }
        return records
    }

    private static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 92 || $0 == 9 || $0 == 10 }) else { return s }
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    private static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(92) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        var escaped = false
        for b in bytes {
            if escaped {
                out.append(b == UInt8(ascii: "t") ? 9 : b == UInt8(ascii: "n") ? 10 : b)
                escaped = false
            } else if b == 92 {
                escaped = true
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// FNV-1a as 16 hex digits, for naming per-plan state files.
func fnv1a(_ s: String) -> String {
    let hex = String(fnv1a64(s), radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}

func fnv1a64(_ s: String) -> UInt64 {
    // Over the contiguous bytes: the state's digest hashes every link path of the plan.
    Paths.withBytes(s) { bytes in
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}
