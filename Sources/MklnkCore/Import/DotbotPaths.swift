/// dotbot's path handling (os.path on POSIX), rewritten into mklnk's spelling.
enum DotbotPaths {
    /// `$NAME` and `${NAME}` (os.path.expandvars) become mklnk's `${NAME}`; any other `$` stays.
    static func variables(_ text: String) -> String {
        let chars = Array(text)
        var out = ""
        var i = 0
        func isWord(_ c: Character) -> Bool { c == "_" || (c.isASCII && (c.isLetter || c.isNumber)) }
        while i < chars.count {
            if chars[i] == "$", i + 1 < chars.count, isWord(chars[i + 1]) {
                var j = i + 1
                while j < chars.count && isWord(chars[j]) { j += 1 }
                out += "${" + String(chars[(i + 1)..<j]) + "}"
                i = j
                continue
            }
            out.append(chars[i])
            i += 1
        }
        return out
    }

    /// posixpath.normpath: `.`, `..` after a name, and repeated slashes folded lexically, as
    /// dotbot does to every target.
    static func normalize(_ path: String) -> String {
        if path.isEmpty { return "." }
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            if part == "..", absolute { continue }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// A link or directory path as mklnk should read it: `~` and absolute paths as they are,
    /// anything else beneath dotbot's base directory (dotbot runs from there).
    static func place(_ path: String, base: String) -> String {
        let p = variables(path)
        if p == "~" || p.hasPrefix("~/") || p.hasPrefix("/") || p.hasPrefix("${") { return p }
        return normalize(base + "/" + p)
    }

    /// The last component without a leading dot: dotbot's target when a link names none.
    static func defaultTarget(_ link: String) -> String {
        let name = normalize(link).split(separator: "/").last.map(String.init) ?? link
        return name.hasPrefix(".") ? String(name.dropFirst()) : name
    }

    static func hasGlob(_ path: String) -> Bool { path.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

    /// Whether `path` (absolute, or `~`-relative) lies outside `home`.
    static func outside(_ path: String, home: String) -> Bool {
        if path == "~" || path.hasPrefix("~/") || path.hasPrefix("${HOME}") { return false }
        guard path.hasPrefix("/") else { return false }
        let h = normalize(home)
        return !(path == h || path.hasPrefix(h == "/" ? "/" : h + "/"))
    }
}

extension DotbotPaths {
    /// A link path normalized as dotbot does (no trailing slash: `~/.config/nvim/` is one link).
    static func normalizeLink(_ path: String) -> String {
        if path == "~" || path == "~/" { return "~" }
        if path.hasPrefix("~/") { return "~/" + normalize(String(path.dropFirst(2))) }
        return normalize(path)
    }
}
