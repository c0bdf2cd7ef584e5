import MklnkFileSystem

extension Planner {
    /// What one planning pass remembers across paths.
    struct Context {
        /// Directories known to exist or to be created by an earlier action.
        var directories: Set<Path> = []
        /// The plan's `base`: `conflict: adopt` moves files into it, nowhere else.
        var base: Path = "/"
        /// Names of one file removed so far, by (device, inode), to protect its last name.
        var removedNames: [Inode: UInt64] = [:]

        /// Counts one more name of the file `was` as removed, unless it would be its last one
        /// (then false, and nothing is counted).
        mutating func removeName(of was: Observation) -> Bool {
            let key = Inode(device: was.device, inode: was.inode)
            let removed = removedNames[key, default: 0] + 1
            if removed >= was.linkCount { return false }
            removedNames[key] = removed
            return true
        }
        /// Paths that an earlier action deletes: nothing is beneath them when links are made.
        var deleted: Set<Path> = []

        /// The outermost path deleted earlier that `path` lies beneath.
        func deletedAncestor(of path: Path, root: Path) -> Path? {
            if deleted.isEmpty { return nil }
            var found: Path?
            var dir = Paths.parent(path)
            while dir != root && Paths.isWithin(dir, root) {
                if deleted.contains(dir) { found = dir }
                dir = Paths.parent(dir)
            }
            return found
        }
    }

    struct Inode: Hashable {
        var device: UInt64
        var inode: UInt64
    }
}
