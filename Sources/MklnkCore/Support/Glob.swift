#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

/// Shell pattern matching: `*`, `?`, `[...]`; wildcards never match a leading dot.
enum Glob {
    /// True when `text` holds an unescaped wildcard.
    static func isPattern(_ text: String) -> Bool {
        Paths.withBytes(text) { bytes in
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
    static func matches(_ pattern: String, name: String) -> Bool {
        fnmatch(pattern, name, FNM_PERIOD) == 0
    }

    /// Matches a whole string in which `*` also crosses `/` (for `exclude` and `host`).
    static func matchesAnywhere(_ pattern: String, _ text: String) -> Bool {
        fnmatch(pattern, text, 0) == 0
    }

    /// Removes backslash escapes from a literal component.
    static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var out = ""
        var escaped = false
        for c in text {
            if !escaped && c == "\\" { escaped = true; continue }
            escaped = false
            out.append(c)
        }
        return out
    }
}
