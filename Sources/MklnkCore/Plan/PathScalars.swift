import MklnkYAML
import MklnkFileSystem

/// Path-valued scalars: expanded, made absolute, checked; and where a `${` inside one stands.
extension LoadContext {
    /// A root-relative link path (for `links:` keys and `remove:`), absolute and checked to lie
    /// beneath root. Returns the path and whether it was written with a trailing slash. With
    /// `allowRoot`, the root itself is returned too (a directory of links may be the root).
    /// `spelled` is the path with its `..` kept, when it has one: where the link is depends on
    /// the symlinks before the `..` (SPEC §1, kernel path semantics), which the graph resolves.
    func linkPath(_ node: YAMLNode, what: String, allowRoot: Bool = false)
        -> (path: Path, trailingSlash: Bool, spelled: Path?)? {
        guard let expanded = path(node, what: what, normalize: false) else { return nil }
        let absolute = Paths.absolute(expanded, normalBase: root)
        if !Paths.isWithin(absolute, root) || (absolute == root && !allowRoot) {
            let detail = absolute == root ? "is the root itself" : "is outside root \(root)"
            error("link path '\(node.scalar ?? "")' \(detail)", node)
            return nil
        }
        let spelled = absolute != expanded && PhysicalPaths.hasDotDot(expanded)
            ? (expanded.isAbsolute ? expanded : Paths.join(root, expanded)) : nil
        return (absolute, expanded.last == UInt8(ascii: "/"), spelled)
    }

    /// A path-valued scalar with variables and `~` expanded; relative paths are made absolute
    /// against the plan's directory unless `normalize` is false.
    func path(_ node: YAMLNode, what: String, normalize: Bool = true) -> Path? {
        // `~`, `null` and friends are paths here: YAML 1.1 nulls never change a path.
        guard let text = node.scalar else {
            error("'\(what)' must be a path; found \(node.kindDescription)", node)
            return nil
        }
        if text.isEmpty {
            error("'\(what)' is an empty path", node)
            return nil
        }
        // Most paths name no variable and no home: they are their own expansion.
        let plain = text.utf8.first != UInt8(ascii: "~") && !Paths.contains(text, byte: UInt8(ascii: "$"))
        guard let expanded = plain ? text : variables.expandPath(text, at: offsetLocation(node), &diagnostics)
        else { return nil }
        // `${X:-}` and an empty variable: the same mistake as `""`, not the plan's directory.
        if expanded.isEmpty {
            error("'\(what)' is an empty path (\(text) expands to nothing)", node)
            return nil
        }
        if Paths.contains(expanded, byte: 0) {
            error("a path may not contain a NUL byte", node)
            return nil
        }
        return normalize ? Paths.absolute(Path(expanded), normalBase: planDirectory) : Path(expanded)
    }

    /// Where a scalar's bytes stand in the file, to point at a `${` inside it.
    func offsetLocation(_ node: YAMLNode) -> ScalarPlace {
        guard case .scalar(let text, let style) = node.content else {
            return ScalarPlace(start: location(node), mark: node.mark, end: node.end, text: nil, shift: 0, context: nil)
        }
        // The fast way: the source is exactly the text (plus quotes) on one line.
        let quotes = style == .singleQuoted || style == .doubleQuoted ? 2 : 0
        let exact = (style == .plain || quotes == 2) && node.end.line == node.mark.line
            && node.end.column - node.mark.column == text.unicodeScalars.count + quotes
        return ScalarPlace(start: location(node), mark: node.mark, end: node.end, text: text,
                           shift: exact ? quotes / 2 : -1, context: exact ? nil : self)
    }


    /// The location of the `occurrence`-th (0-based) `${` between two marks of the source.
    func locate(variable occurrence: Int, from mark: Mark, to end: Mark) -> SourceLocation? {
        if lineStarts == nil {
            var starts = [0]
            for (i, b) in source.enumerated() where b == 10 { starts.append(i + 1) }
            lineStarts = starts
        }
        guard let starts = lineStarts else { return nil }
        func offset(_ m: Mark) -> Int? {
            guard m.line >= 1, m.line - 1 < starts.count else { return nil }
            var i = starts[m.line - 1], column = 1
            while column < m.column && i < source.count {
                i += 1
                if i >= source.count || source[i] & 0xC0 != 0x80 { column += 1 }
            }
            return i
        }
        guard let from = offset(mark), let to = offset(end), from < to else { return nil }
        var seen = 0
        var i = from
        while i + 1 < to {
            if source[i] == UInt8(ascii: "$") && source[i + 1] == UInt8(ascii: "{") {
                if seen == occurrence {
                    let line = (starts.lastIndex { $0 <= i } ?? 0)
                    let column = source[starts[line]..<i].filter { $0 & 0xC0 != 0x80 }.count + 1
                    return SourceLocation(sourceFile, line: line + 1, column: column)
                }
                seen += 1
            }
            i += 1
        }
        return nil
    }
}

/// The place of a scalar, to map a byte offset within its text to a column (libyaml counts
/// characters). Where the source is not the text itself (escapes, folded lines), the `${` is
/// found in the source by its rank.
struct ScalarPlace {
    var start: SourceLocation
    var mark: Mark
    var end: Mark
    var text: String?
    /// Columns before the text (1 for a quote); -1 when the source differs from the text.
    var shift: Int
    /// Weak: the load keeps its variables' places, and a strong reference back leaked every load.
    weak var context: LoadContext?

    func at(_ offset: Int) -> SourceLocation {
        guard let text else { return start }
        let prefix = text.utf8.prefix(offset)
        if shift >= 0 {
            var l = start
            l.column += shift + prefix.filter { $0 & 0xC0 != 0x80 }.count
            return l
        }
        var occurrence = 0
        var previous: UInt8 = 0
        for b in prefix {
            if previous == UInt8(ascii: "$") && b == UInt8(ascii: "{") { occurrence += 1 }
            previous = b
        }
        return context?.locate(variable: occurrence, from: mark, to: end) ?? start
    }
}
