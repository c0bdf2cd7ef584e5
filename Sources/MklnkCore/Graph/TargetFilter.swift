import MklnkFileSystem

/// What `exclude` and `select` keep of the paths a one-shot command is given (MKLNK's file
/// selection): a plan's `Exclusion` and `Selection`, for one path at a time.
public struct TargetFilter: Sendable {
    public var exclude: [String]
    public var select: Selection?

    public init(exclude: [String] = [], select: Selection? = nil) {
        self.exclude = exclude
        self.select = select
    }

    public var isEmpty: Bool { exclude.isEmpty && select == nil }

    /// Whether `path` passes: `exclude` (relative to `base`, or its name) does not match it, and
    /// what it leads to passes `select`. A path that does not exist fails `select`.
    public func keeps(_ path: Path, base: Path, fileSystem: FileSystem) throws(FileSystemError) -> Bool {
        let match = GlobExpander.Match(path: path, relative: Paths.name(path))
        if Exclusion(patterns: exclude, base: base).excludes(match) { return false }
        guard let select else { return true }
        guard let status = try fileSystem.status(path, follow: true) else { return false }
        return select.matches(name: Paths.name(path), status: status)
    }
}

/// Shell patterns as targets are written, for the commands outside `MklnkCore`.
public enum PathPattern {
    /// True when `text` holds an unescaped wildcard (`*`, `?`, `[`).
    public static func isPattern(_ text: Path) -> Bool { Glob.isPattern(text) }

    /// Why a pattern could not be expanded (an unreadable directory, too many matches).
    public struct Unexpandable: Error {
        public var reason: String
    }

    /// The paths an absolute pattern matches, sorted (none when its directory is missing).
    public static func expand(_ pattern: Path, fileSystem: FileSystem) throws(Unexpandable) -> [Path] {
        do throws(GlobExpander.Failure) {
            return try GlobExpander(fileSystem: fileSystem).expand(pattern).map(\.path)
        } catch {
            throw Unexpandable(reason: error.reason)
        }
    }

    /// A target that names exactly the absolute `path`, whatever bytes its name holds: a name
    /// from an include list is a name, never a pattern. A path without wildcard characters is
    /// itself. Otherwise the directories are escaped with backslashes and the last component is
    /// written as a pattern that only the name matches (`a[1]` → `a[[]1]`), so the glob
    /// expansion finds it and mirrors it by its name alone.
    public static func literal(_ path: Path) -> Path {
        guard isPattern(path) else { return path }
        let slash = UInt8(ascii: "/"), backslash = UInt8(ascii: "\\")
        let wildcards: [UInt8] = Array("*?[".utf8)
        var components = path.bytes.split(separator: slash, omittingEmptySubsequences: false).map(Array.init)
        guard let last = components.popLast(), !last.isEmpty else { return path }
        let directories = components.map { component in
            component.flatMap { wildcards.contains($0) || $0 == backslash ? [backslash, $0] : [$0] }
        }
        var name: [[UInt8]] = last.map { c in
            wildcards.contains(c) ? [UInt8(ascii: "["), c, UInt8(ascii: "]")] : c == backslash ? [backslash, backslash] : [c]
        }
        // A name without a wildcard of its own (the wildcard was in a directory) still becomes a
        // pattern, through one ASCII character that means itself in brackets (a leading dot must
        // stay literal for fnmatch). A name with none (only `!`, `^`, `\` or non-ASCII) stays as written.
        if !Glob.isPattern(Path(bytes: name.joined())) {
            let plain = name.indices.last { i in
                name[i].count == 1 && name[i][0] < 0x80 && !"!^".utf8.contains(name[i][0])
                    && (i > 0 || name[i][0] != UInt8(ascii: "."))
            }
            guard let i = plain else { return path }
            name[i] = [UInt8(ascii: "[")] + name[i] + [UInt8(ascii: "]")]
        }
        return Path(bytes: Array((directories + [Array(name.joined())]).joined(separator: [slash])))
    }
}
