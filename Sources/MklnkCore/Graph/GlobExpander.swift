import MklnkFileSystem

/// Expands absolute shell patterns (`*`, `?`, `[...]`, `**`) against the filesystem.
struct GlobExpander {
    let fileSystem: FileSystem

    /// A match and the path it mirrors below the link directory.
    struct Match {
        var path: Path
        var relative: Path
    }

    /// Matches of `pattern`, sorted by path. The relative name is the path below the
    /// pattern's last literal directory (`fonts/*.ttf` → `a.ttf`; `cfg/**/*.conf` → `x/y.conf`).
    func expand(_ pattern: Path) throws(FileSystemError) -> [Match] {
        let components = pattern.bytes.split(separator: UInt8(ascii: "/")).map { Path(bytes: $0) }
        var literal = 0
        while literal < components.count && !Glob.isPattern(components[literal]) { literal += 1 }
        let prefix = components[..<literal].map(Glob.unescape).reduce("/" as Path) { Paths.join($0, $1) }
        var results: [Match] = []
        try walk(prefix, "", components[literal...], &results)
        return results.sorted { $0.path < $1.path }
    }

    private func walk(_ dir: Path, _ relative: Path, _ rest: ArraySlice<Path>,
                      _ results: inout [Match]) throws(FileSystemError) {
        guard let component = rest.first else {
            results.append(Match(path: dir, relative: relative))
            return
        }
        let remaining = rest.dropFirst()
        if component == "**" {
            // Zero directories, then every non-hidden subdirectory, never through symlinks.
            try walk(dir, relative, remaining, &results)
            for entry in try entries(dir) where entry.name.first != UInt8(ascii: ".") {
                let path = join(dir, entry.name)
                guard try kind(of: entry, at: path) == .directory else { continue }
                try walk(path, join(relative, entry.name), rest, &results)
            }
            return
        }
        if !Glob.isPattern(component) {
            let name = Glob.unescape(component)
            let path = join(dir, name)
            if remaining.isEmpty {
                if try fileSystem.status(path, follow: false) != nil {
                    results.append(Match(path: path, relative: join(relative, name)))
                }
            } else {
                try walk(path, join(relative, name), remaining, &results)
            }
            return
        }
        for entry in try entries(dir) where Glob.matches(component, name: entry.name) {
            let path = join(dir, entry.name)
            if !remaining.isEmpty {
                guard try fileSystem.status(path, follow: true)?.kind == .directory else { continue }
            }
            try walk(path, join(relative, entry.name), remaining, &results)
        }
    }

    private func entries(_ dir: Path) throws(FileSystemError) -> [DirectoryEntry] {
        do {
            return try fileSystem.directoryEntries(dir)
        } catch {
            // A missing or non-directory prefix simply matches nothing, as in the shell.
            if error.isNotFound { return [] }
            throw error
        }
    }

    private func kind(of entry: DirectoryEntry, at path: Path) throws(FileSystemError) -> FileKind? {
        if let kind = entry.kind { return kind }
        return try fileSystem.status(path, follow: false)?.kind
    }

    private func join(_ a: Path, _ b: Path) -> Path {
        a.isEmpty ? b : (a.last == UInt8(ascii: "/") ? a + b : a + "/" + b)
    }
}
