import MklnkFileSystem

/// The directories an applied state records as made by mklnk, as seen now: a recorded link
/// below one that is no longer a directory (the user moved it away and put a symlink to
/// another directory in its place) is not the link mklnk made, even when an identical link is
/// reached through the new parent (AUDIT3 F13). Prune and destroy keep such a link.
struct MadeDirectories {
    private let made: Set<Path>
    private let fileSystem: FileSystem
    private var seen: [Path: Bool] = [:]

    init(_ state: AppliedState, fileSystem: FileSystem) {
        made = state.isEmpty ? [] : Set(state.made.directories)
        self.fileSystem = fileSystem
    }

    /// The nearest directory mklnk made above `path` that is something else now; nil if none.
    mutating func replaced(above path: Path) -> Path? {
        guard !made.isEmpty else { return nil }
        var dir = Paths.parent(path)
        while dir != "/" && !dir.isEmpty && dir != fileSystem.root {
            if made.contains(dir) {
                let still: Bool
                if let known = seen[dir] {
                    still = known
                } else {
                    still = (try? fileSystem.linkStatus(dir))??.kind == .directory
                    seen[dir] = still
                }
                if !still { return dir }
            }
            dir = Paths.parent(dir)
        }
        return nil
    }
}
