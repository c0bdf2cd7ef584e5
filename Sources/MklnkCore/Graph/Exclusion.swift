import MklnkFileSystem

/// An entry's `exclude` patterns (SPEC §1), honoured for every link made: a pattern matches a
/// path relative to `base` or a name, of a match or of a directory between it and the glob's
/// literal directory; and a directory is never linked whole when something beneath it is
/// excluded: its contents are linked instead, mirrored, down to the excluded parts.
struct Exclusion {
    let patterns: [String]
    let base: Path

    var isEmpty: Bool { patterns.isEmpty }

    /// Whether `match` or a directory it lies in below the glob's literal directory is excluded.
    func excludes(_ match: GlobExpander.Match) -> Bool {
        if patterns.isEmpty { return false }
        var path = match.path
        // The match, then one directory up per `/` in what it mirrors.
        for _ in 0...match.relative.bytes.count(where: { $0 == UInt8(ascii: "/") }) {
            if excludes(path: path) { return true }
            path = Paths.parent(path)
        }
        return false
    }

    private func excludes(path: Path) -> Bool {
        let name = Paths.name(path)
        let relativeToBase = Paths.isWithin(path, base) ? Paths.relative(path, from: base) : path
        return patterns.contains { Glob.matchesPath(Path($0), relativeToBase) || Glob.matchesPath(Path($0), name) }
    }

    /// For a directory match with something excluded beneath it, the links that mirror it
    /// instead; nil when nothing beneath it is excluded (it is linked whole) or it is no
    /// directory. Symlinks inside are not followed (they are linked, or excluded, as they are).
    func mirror(_ match: GlobExpander.Match, in fileSystem: FileSystem) throws(GlobExpander.Failure)
        -> [GlobExpander.Match]? {
        if patterns.isEmpty { return nil }
        let isDirectory: Bool
        do {
            isDirectory = try fileSystem.status(match.path, follow: true)?.kind == .directory
        } catch {
            throw .fileSystem(error)
        }
        guard isDirectory else { return nil }
        var visits = 0
        let (inside, excluded) = try contents(of: match, fileSystem, &visits)
        return excluded ? inside : nil
    }

    /// A directory's entries (hidden ones too: linked whole, it held them), each directory
    /// among them replaced by its own contents when something beneath it is excluded.
    private func contents(of dir: GlobExpander.Match, _ fileSystem: FileSystem, _ visits: inout Int)
        throws(GlobExpander.Failure) -> (matches: [GlobExpander.Match], excluded: Bool) {
        visits += 1
        if visits > GlobLimits.maxMatches { throw .tooMany }
        let entries: [DirectoryEntry]
        do {
            entries = try fileSystem.directoryEntries(dir.path)
        } catch {
            throw .fileSystem(error)
        }
        var out: [GlobExpander.Match] = []
        var excluded = false
        for entry in entries {
            let child = GlobExpander.Match(path: Paths.join(dir.path, entry.name),
                                           relative: dir.relative.isEmpty ? entry.name : Paths.join(dir.relative, entry.name))
            if excludes(path: child.path) {
                excluded = true
                continue
            }
            var kind = entry.kind
            if kind == nil {
                do {
                    kind = try fileSystem.status(child.path, follow: false)?.kind
                } catch {
                    throw .fileSystem(error)
                }
            }
            if kind == .directory {
                let (inside, below) = try contents(of: child, fileSystem, &visits)
                if below {
                    excluded = true
                    out += inside
                    continue
                }
            }
            out.append(child)
            if out.count > GlobLimits.maxMatches { throw .tooMany }
        }
        return (out, excluded)
    }
}
