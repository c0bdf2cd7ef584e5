import MklnkFileSystem

/// dotbot's glob as dotbot expands it (plugins/link.py), for the one case mklnk cannot say
/// itself: a `prefix` put before each link's name. The matches are read now, so the plan lists
/// them one by one.
enum DotbotGlob {
    struct Link {
        /// Below the link directory: prefix + the match's path below the pattern's literal part.
        var name: String
        /// The match, relative to base when it lies there.
        var target: String
    }

    static func expand(pattern: String, exclude: [String], prefix: String, base: String, home: String) -> [Link] {
        let absolute = absolutePattern(pattern, base: base, home: home)
        let fileSystem = LocalFileSystem(root: "/")
        let expander = GlobExpander(fileSystem: fileSystem)
        var found = (try? expander.expand(Path(absolute))) ?? []
        // A recursive glob links files only, unless the pattern ends with a slash.
        if absolute.contains("**") && !pattern.hasSuffix("/") {
            found = found.filter { (try? fileSystem.status($0.path, follow: true))??.kind == .regular }
        }
        // The plan is text: a name that is not UTF-8 cannot be written in it (YAML is Unicode).
        let matches = found.compactMap(\.path.string)
        var excluded: Set<Path> = []
        for e in exclude {
            for m in (try? expander.expand(Path(absolutePattern(e, base: base, home: home)))) ?? [] { excluded.insert(m.path) }
        }
        return matches.filter { !excluded.contains(Path($0)) }.map { match in
            // dotbot names the link after what follows the common directory of pattern and match.
            let common = commonPrefix(absolute, match)
            let dir = common.lastIndex(of: "/").map { String(common[..<$0]) } ?? ""
            let item = dir.isEmpty ? match : String(match.dropFirst(dir.count + 1))
            let target = match.hasPrefix(base + "/") ? String(match.dropFirst(base.count + 1)) : match
            return Link(name: prefix + item, target: target)
        }
    }

    private static func absolutePattern(_ p: String, base: String, home: String) -> String {
        if p == "~" || p.hasPrefix("~/") { return DotbotPaths.normalize(home + p.dropFirst()) }
        return DotbotPaths.normalize(p.hasPrefix("/") ? p : base + "/" + p)
    }

    private static func commonPrefix(_ a: String, _ b: String) -> String {
        String(zip(a, b).prefix { $0 == $1 }.map(\.0))
    }
}
