#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

/// Shell pattern matching: `*`, `?`, `[...]`; wildcards never match a leading dot. Names are
/// matched as bytes (`fnmatch` in the C locale), so a name that is not UTF-8 matches as it is.
enum Glob {
    /// True when `text` holds an unescaped wildcard.
    static func isPattern(_ text: Path) -> Bool {
        text.withBytes { bytes in
            var escaped = false
            for c in bytes {
                if escaped { escaped = false; continue }
                if c == UInt8(ascii: "\\") { escaped = true; continue }
                if c == UInt8(ascii: "*") || c == UInt8(ascii: "?") || c == UInt8(ascii: "[") { return true }
            }
            return false
        }
    }

    /// Matches one path component (the shell's rule: no leading-dot match by a wildcard).
    static func matches(_ pattern: Path, name: Path) -> Bool {
        pattern.withCString { p in name.withCString { n in fnmatch(p, n, FNM_PERIOD) == 0 } }
    }

    /// Matches a whole string in which `*` also crosses `/` (for `exclude`).
    static func matchesAnywhere(_ pattern: String, _ text: Path) -> Bool {
        text.withCString { fnmatch(pattern, $0, 0) == 0 }
    }

    /// Matches a whole string in which `*` also crosses `/` (for `host`).
    static func matchesAnywhere(_ pattern: String, _ text: String) -> Bool {
        fnmatch(pattern, text, 0) == 0
    }

    /// Removes backslash escapes from a literal component.
    static func unescape(_ text: Path) -> Path {
        guard text.contains(byte: UInt8(ascii: "\\")) else { return text }
        var out: [UInt8] = []
        var escaped = false
        for c in text.bytes {
            if !escaped && c == UInt8(ascii: "\\") { escaped = true; continue }
            escaped = false
            out.append(c)
        }
        return Path(bytes: out)
    }
}
