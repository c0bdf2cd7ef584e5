import MklnkFileSystem

/// A relative symlink target is computed from the physical directory the link is made in (SPEC
/// §1 `relative: true`). When a parent of the link has become a symlink since the plan was
/// saved, the saved text would resolve from somewhere else and name another file: the saved
/// plan records that directory and `apply --saved` refuses when it is not the same now.
enum SavedPlanDirectories {
    /// Whether the link `a` makes stores a target that resolves from its directory.
    static func isRelativeLink(_ a: Action) -> Bool {
        (a.op == .create || a.op == .update) && !a.directory && a.kind == .symlink
            && a.target.map { !$0.isEmpty && !$0.isAbsolute } ?? false
    }

    /// The physical directory of each relative link's parent, by action index.
    static func observe(_ actions: [Action], fileSystem: FileSystem) -> [Int: Path] {
        let physical = PhysicalPaths(fileSystem: fileSystem)
        var dirs: [Int: Path] = [:]
        for i in actions.indices where isRelativeLink(actions[i]) {
            dirs[i] = physical.directory(Paths.parent(actions[i].path))
        }
        return dirs
    }

    /// Why the relative link of action `i` would now resolve from another directory, or nil.
    static func moved(_ saved: SavedPlan, _ i: Int, physical: PhysicalPaths) -> String? {
        let a = saved.actions[i]
        guard isRelativeLink(a) else { return nil }
        guard let then = saved.linkDirectories[i] else {
            return "the saved plan does not record the directory its relative target was computed from"
        }
        let now = physical.directory(Paths.parent(a.path))
        if now == then { return nil }
        return "its directory is now \(now), not \(then) as when the plan was saved: its relative target "
            + "\(a.target ?? "") would name another file"
    }
}

extension SavedPlan {
    /// Records what `apply --saved` compares with the tree besides each path: the directories
    /// relative targets were computed from, and the digest of the plan's state.
    public mutating func observe(fileSystem: FileSystem, state: AppliedState) {
        linkDirectories = SavedPlanDirectories.observe(actions, fileSystem: fileSystem)
        stateDigest = SavedPlanSeal.digest(of: state)
    }
}
