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

    /// Matches a path as target globs are matched (for `exclude`): component by component with
    /// `matches`, so no wildcard crosses a `/` or matches a leading dot; a `**` component stands
    /// for any number of non-hidden directories (one at least when it ends the pattern: the
    /// things beneath). Dynamic programming, so many `**` cannot make it exponential.
    static func matchesPath(_ pattern: Path, _ path: Path) -> Bool {
        if pattern.isAbsolute != path.isAbsolute { return false }
        let p = components(pattern).filter { $0 != "." }
        let t = components(path)
        // reach[j]: the first i pattern components match the first j path components.
        var reach = [Bool](repeating: false, count: t.count + 1)
        reach[0] = true
        for (i, component) in p.enumerated() {
            var next = [Bool](repeating: false, count: t.count + 1)
            if component == "**" {
                let last = i == p.count - 1
                for j in 0...t.count {
                    let zero = !last && reach[j]
                    let more = j > 0 && t[j - 1].first != UInt8(ascii: ".") && (reach[j - 1] || next[j - 1])
                    next[j] = zero || more
                }
            } else {
                for j in t.indices where reach[j] && matches(component, name: t[j]) { next[j + 1] = true }
            }
            reach = next
        }
        return reach[t.count]
    }

    private static func components(_ path: Path) -> [Path] {
        path.bytes.split(separator: UInt8(ascii: "/")).map { Path(bytes: $0) }
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
