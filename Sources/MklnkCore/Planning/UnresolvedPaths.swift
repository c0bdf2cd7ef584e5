import MklnkFileSystem

/// Link paths the plan lists but could not resolve here (a missing target, a directory of links
/// that could not be expanded): a link recorded at one of them, or beneath one, is still the
/// plan's. The planner does not prune it and the next state keeps its record: one rule for both.
struct UnresolvedPaths {
    private let paths: Set<Path>

    init(_ paths: [Path]) { self.paths = Set(paths) }

    /// Whether `path` is one of the paths or lies beneath one.
    func covers(_ path: Path) -> Bool {
        if paths.isEmpty { return false }
        var p = path
        while p != "/" {
            if paths.contains(p) { return true }
            p = Paths.parent(p)
        }
        return false
    }
}
