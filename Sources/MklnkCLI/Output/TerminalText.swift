import MklnkFileSystem

/// Text for a terminal (and a CI log): names are data, so nothing in them may act on the
/// terminal, and `~` stands for the home directory only where a path starts with it.
///
/// Every path and message the CLI prints for people passes through here (`Console.show`,
/// `Console.showPaths`), so this is the one place that decides how a name is escaped.
enum TerminalText {
    /// `s` with control characters written as `Path.description` writes them in a name (`\r`,
    /// `\n`, `\t`, `\x1b`, C1 controls as their UTF-8 bytes `\xc2\x9b`), and marks that reorder
    /// the line as `\u{202e}`. Everything else is as it is.
    static func escape(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: needsEscape) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 8)
        for scalar in s.unicodeScalars {
            if !needsEscape(scalar) {
                out.unicodeScalars.append(scalar)
            } else if reorders(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out += Path(String(scalar)).description
            }
        }
        return out
    }

    static func needsEscape(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 || (0x7F...0x9F).contains(u.value) || reorders(u)
    }

    /// Marks and overrides that reorder or hide what follows them on screen.
    private static func reorders(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// `message` with each path that starts with `home` (as a whole component) shown from `~`:
    /// `/home/u/x` becomes `~/x`; `/x/home/u/sub` and `/home/user2` stay as they are.
    static func abbreviateHome(in message: String, home: Path?) -> String {
        guard var home = home?.description, home.utf8.count > 1 else { return message }
        while home.utf8.count > 1 && home.hasSuffix("/") { home.removeLast() }
        guard home.utf8.count > 1, message.contains(home) else { return message }
        let m = Array(message.utf8), h = Array(home.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(m.count)
        var i = 0
        while i < m.count {
            if m[i] == h[0], i + h.count <= m.count, m[i ..< i + h.count].elementsEqual(h),
               i == 0 || startsPath(after: m[i - 1]),
               i + h.count == m.count || endsComponent(m[i + h.count]) {
                out.append(UInt8(ascii: "~"))
                i += h.count
                continue
            }
            out.append(m[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Bytes after which a path may begin in a message: a space, an opening bracket or quote, `=`.
    private static func startsPath(after byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"),
             UInt8(ascii: "<"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"), UInt8(ascii: "="):
            return true
        default: return false
        }
    }

    /// Bytes that end the home directory's name: a slash, or what ends a path in a message.
    private static func endsComponent(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "/"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: ")"), UInt8(ascii: "]"),
             UInt8(ascii: "}"), UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"),
             UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: ";"):
            return true
        default: return false
        }
    }

    /// `4980` as `4,980`: counts people read.
    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(d)
        }
        return out
    }
}
