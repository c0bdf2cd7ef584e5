import MklnkYAML
import MklnkFileSystem

/// One `dirs:` item: a directory that must exist (dotbot's `create`).
public struct PlanDirectory: Sendable {
    public var path: Path
    /// Permission bits set on the directory when mklnk creates it (an existing one keeps its own).
    public var mode: UInt32?
    public var location: SourceLocation
}

/// One `clean:` item: a directory in which dangling symlinks that point into `base` are deleted.
public struct PlanClean: Sendable {
    public var path: Path
    public var recursive: Bool
    public var location: SourceLocation
}

/// `dirs:` and `clean:` (SPEC §1): lists of paths, or of `{path, mode}` / `{path, recursive}`.
extension LoadContext {
    func loadDirectories(_ node: YAMLNode) -> [PlanDirectory] {
        var first: [Path: SourceLocation] = [:]
        return items(node, key: "dirs", options: ["path", "mode"]).compactMap { item, options in
            guard let path = scopedPath(item, what: "dirs") else { return nil }
            // One directory twice is an error, as in `remove:`: a second entry's mode would be dropped.
            if let earlier = first[path] {
                error("\(path) is listed twice in 'dirs'", item, notes: [.note("first listed here", at: earlier)])
                return nil
            }
            first[path] = location(item)
            var mode: UInt32?
            if let m = options["mode"] {
                guard let text = m.scalar, !m.isNullLike, text.count >= 3, text.count <= 5,
                      let value = UInt32(text.hasPrefix("0o") ? String(text.dropFirst(2)) : text, radix: 8), value <= 0o7777
                else {
                    error("'mode' must be an octal string such as \"0700\"; found \(m.scalar.map { "'\($0)'" } ?? m.kindDescription)", m)
                    return nil
                }
                mode = value
            }
            return PlanDirectory(path: path, mode: mode, location: location(item))
        }
    }

    func loadCleans(_ node: YAMLNode) -> [PlanClean] {
        items(node, key: "clean", options: ["path", "recursive"]).compactMap { item, options in
            guard let path = scopedPath(item, what: "clean") else { return nil }
            var recursive = false
            if let r = options["recursive"] {
                guard let value = EntryParser(context: self).bool(r, "recursive") else { return nil }
                recursive = value
            }
            return PlanClean(path: path, recursive: recursive, location: location(item))
        }
    }

    /// The items of a list: each a path scalar, or a mapping with `path` and the given options
    /// (returned by name, the path node first).
    private func items(_ node: YAMLNode, key: String, options known: [String]) -> [(YAMLNode, [String: YAMLNode])] {
        if node.isNullLike { return [] }
        guard case .sequence(let list) = node.content else {
            error("'\(key)' must be a list of paths or {\(known.joined(separator: ", "))} mappings; found \(node.kindDescription)", node)
            return []
        }
        var out: [(YAMLNode, [String: YAMLNode])] = []
        for item in list {
            guard case .mapping(let pairs) = item.content else {
                out.append((item, [:]))
                continue
            }
            var found: [String: YAMLNode] = [:]
            for pair in pairs {
                guard let name = pair.key.scalar, known.contains(name) else {
                    let name = pair.key.scalar ?? ""
                    error("unknown key '\(name)' in '\(key)'\(Suggestion.hint(name, in: known))", pair.key)
                    continue
                }
                found[name] = pair.value
            }
            guard let path = found["path"] else {
                error("a '\(key)' item needs a 'path'", item)
                continue
            }
            out.append((path, found))
        }
        return out
    }

    /// A root-relative path that must lie beneath root (or be root itself).
    private func scopedPath(_ node: YAMLNode, what: String) -> Path? {
        guard let expanded = path(node, what: what, normalize: false) else { return nil }
        let absolute = Paths.absolute(expanded, normalBase: root)
        if !Paths.isWithin(absolute, root) && absolute != root {
            error("'\(what)' path '\(node.scalar ?? "")' is outside root \(root)", node)
            return nil
        }
        return absolute
    }
}
