import MklnkFileSystem

/// What a glob never matches (SPEC §4 "idempotent"): a path this plan links, and the directories
/// of links it makes (as the kernel finds them, also through a symlink), so that what an earlier
/// apply made is not matched, and linked again one level deeper, by the next.
struct GlobSkip {
    /// Every entry's link path, as planned.
    private let links: Set<Path>
    /// The directories of links that exist, where they physically are.
    private let directories: Set<Path>
    private let physical: PhysicalPaths

    /// nil when the plan has no directory of links (then no glob either).
    init?(_ plan: Plan, _ fileSystem: FileSystem, _ physical: PhysicalPaths) {
        guard plan.entries.contains(where: \.isDirectory) else { return nil }
        self.physical = physical
        links = Set(plan.entries.lazy.map(\.link))
        var directories: Set<Path> = []
        for entry in plan.entries where entry.isDirectory {
            if (try? fileSystem.status(entry.link, follow: true))??.kind == .directory {
                directories.insert(physical.directory(entry.link))
            }
        }
        self.directories = directories
    }

    /// Whether a directory or symlink that a glob met is the plan's own.
    func skips(_ path: Path) -> Bool {
        links.contains(path) || (!directories.isEmpty && directories.contains(physical.directory(path)))
    }
}
