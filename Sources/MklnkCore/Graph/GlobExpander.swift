import MklnkFileSystem

/// Expands absolute shell patterns (`*`, `?`, `[...]`, `**`) against the filesystem.
///
/// Bounded on hostile trees: a symlink to a directory is followed at most once per real
/// directory (so self-links and loops cannot multiply the walk), `**` never follows one, and a
/// glob stops with an error once it passes `GlobLimits.maxMatches` matches or visits.
struct GlobExpander {
    let fileSystem: FileSystem
    /// Whether a directory or symlink met on the walk is the plan's own (`GlobSkip`): the walk
    /// never enters or matches it. nil: nothing to skip.
    var isOwnDirectory: ((Path) -> Bool)?

    /// A match and the path it mirrors below the link directory.
    struct Match {
        var path: Path
        var relative: Path
    }

    /// What stopped an expansion.
    enum Failure: Error {
        case fileSystem(FileSystemError)
        case tooMany

        var reason: String {
            switch self {
            case .fileSystem(let error): return error.reason
            case .tooMany:
                return "it matches or walks through more than \(GlobLimits.maxMatches) paths (the limit of one glob)"
            }
        }
    }

    /// Matches of `pattern`, sorted by path. The relative name is the path below the
    /// pattern's last literal directory (`fonts/*.ttf` → `a.ttf`; `cfg/**/*.conf` → `x/y.conf`).
    /// A trailing `**` matches every file beneath, never a directory (`cfg/**` → `x/y.conf`).
    func expand(_ pattern: Path) throws(Failure) -> [Match] {
        let components = pattern.bytes.split(separator: UInt8(ascii: "/")).map { Path(bytes: $0) }
        var literal = 0
        while literal < components.count && !Glob.isPattern(components[literal]) { literal += 1 }
        let prefix = components[..<literal].map(Glob.unescape).reduce("/" as Path) { Paths.join($0, $1) }
        var walk = Walk(fileSystem: fileSystem, isOwn: isOwnDirectory)
        try walk.walk(prefix, "", components[literal...])
        return walk.results.sorted { $0.path < $1.path }
    }

    /// Whether a `..` comes after the first wildcard (`d/*/..`).
    static func climbsAfterWildcard(_ pattern: Path) -> Bool {
        let components = pattern.bytes.split(separator: UInt8(ascii: "/")).map { Path(bytes: $0) }
        guard let first = components.firstIndex(where: Glob.isPattern) else { return false }
        return components[first...].contains("..")
    }

    /// One expansion: its results, and what bounds it.
    private struct Walk {
        let fileSystem: FileSystem
        let isOwn: ((Path) -> Bool)?
        var results: [Match] = []
        /// Real directories (device, inode) already entered through a symlink.
        var followed: Set<[UInt64]> = []
        var visits = 0

        init(fileSystem: FileSystem, isOwn: ((Path) -> Bool)?) {
            self.fileSystem = fileSystem
            self.isOwn = isOwn
        }

        mutating func walk(_ dir: Path, _ relative: Path, _ rest: ArraySlice<Path>) throws(Failure) {
            guard let component = rest.first else { return try add(Match(path: dir, relative: relative)) }
            let remaining = rest.dropFirst()
            if component == "**" && remaining.isEmpty { return try everyFile(dir, relative) }
            if component == "**" {
                // Zero directories, then every non-hidden subdirectory, never through symlinks.
                try walk(dir, relative, remaining)
                for entry in try entries(dir) where entry.name.first != UInt8(ascii: ".") {
                    let path = join(dir, entry.name)
                    guard try kind(of: entry, at: path) == .directory, !own(path) else { continue }
                    try walk(path, join(relative, entry.name), rest)
                }
                return
            }
            if !Glob.isPattern(component) {
                let name = Glob.unescape(component)
                let path = join(dir, name)
                if remaining.isEmpty {
                    if try status(path, follow: false) != nil { try add(Match(path: path, relative: join(relative, name))) }
                } else {
                    try walk(path, join(relative, name), remaining)
                }
                return
            }
            for entry in try entries(dir) where Glob.matches(component, name: entry.name) {
                let path = join(dir, entry.name)
                if !remaining.isEmpty {
                    guard try entersDirectory(entry, at: path) else { continue }
                }
                if isOwn != nil, try kind(of: entry, at: path) != .regular, own(path) { continue }
                try walk(path, join(relative, entry.name), remaining)
            }
        }

        /// A trailing `**`: every non-hidden file beneath `dir`, mirrored; symlinks are files here.
        private mutating func everyFile(_ dir: Path, _ relative: Path) throws(Failure) {
            for entry in try entries(dir) where entry.name.first != UInt8(ascii: ".") {
                let path = join(dir, entry.name)
                let kind = try kind(of: entry, at: path)
                if kind != .regular && own(path) { continue }
                if kind == .directory {
                    try everyFile(path, join(relative, entry.name))
                } else {
                    try add(Match(path: path, relative: join(relative, entry.name)))
                }
            }
        }

        /// Whether the walk goes on into `path`: a directory, or a symlink to a real directory
        /// that no symlink led into before.
        private mutating func entersDirectory(_ entry: DirectoryEntry, at path: Path) throws(Failure) -> Bool {
            let kind = try kind(of: entry, at: path)
            if kind == .directory { return true }
            guard kind == .symlink, let real = try status(path, follow: true), real.kind == .directory else {
                return false
            }
            return followed.insert([real.device, real.inode]).inserted
        }

        private func own(_ path: Path) -> Bool { isOwn?(path) ?? false }

        private mutating func add(_ match: Match) throws(Failure) {
            results.append(match)
            if results.count > GlobLimits.maxMatches { throw .tooMany }
        }

        private mutating func entries(_ dir: Path) throws(Failure) -> [DirectoryEntry] {
            visits += 1
            if visits > GlobLimits.maxMatches { throw .tooMany }
            do {
                let listed = try fileSystem.directoryEntries(dir)
                // Where symlinks may be, in name order: which symlink into a directory is followed
                // must not depend on the order the directory happens to list them in.
                guard listed.contains(where: { $0.kind == .symlink || $0.kind == nil }) else { return listed }
                return listed.sorted { $0.name < $1.name }
            } catch {
                // A missing or non-directory prefix simply matches nothing, as in the shell.
                if error.isNotFound { return [] }
                throw .fileSystem(error)
            }
        }

        private func kind(of entry: DirectoryEntry, at path: Path) throws(Failure) -> FileKind? {
            if let kind = entry.kind { return kind }
            return try status(path, follow: false)?.kind
        }

        private func status(_ path: Path, follow: Bool) throws(Failure) -> FileStatus? {
            do {
                return try fileSystem.status(path, follow: follow)
            } catch {
                throw .fileSystem(error)
            }
        }

        private func join(_ a: Path, _ b: Path) -> Path {
            a.isEmpty ? b : (a.last == UInt8(ascii: "/") ? a + b : a + "/" + b)
        }
    }
}

/// The documented bounds of one glob (README, "Hostile input is bounded").
enum GlobLimits {
    /// Matches, and directories listed, per glob.
    static let maxMatches = 100_000
}
