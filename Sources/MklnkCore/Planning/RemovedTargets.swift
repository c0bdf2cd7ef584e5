import MklnkFileSystem

/// SPEC §1 `missing`: a target is judged as the plan leaves the tree. A path the plan itself
/// deletes (`remove:`, a prune, `clean:`) does not exist once it has run, so a target that is
/// that path, or lies beneath it, or leads through it by symlinks, is missing, whatever is there
/// now. Reads only; each directory is resolved once.
final class RemovedTargets {
    /// Each deleted path, by where it physically is and as planned → as planned (for messages).
    private var deleted: [Path: Path] = [:]
    private let fileSystem: FileSystem
    private let physical: PhysicalPaths
    /// A directory → where it physically is, and the deleted path its resolution met.
    private var directories: [Path: (physical: Path, removed: Path?)] = [:]

    /// nil when the plan deletes nothing: then every target is as it is now.
    init?(deleted paths: Set<Path>, fileSystem: FileSystem) {
        guard !paths.isEmpty else { return nil }
        self.fileSystem = fileSystem
        physical = PhysicalPaths(fileSystem: fileSystem)
        for path in paths {
            deleted[path] = path
            deleted[physical.location(of: path)] = path
        }
    }

    /// The deleted path that `target` is, lies beneath or leads through; nil when none.
    func removal(taking target: Path) -> Path? {
        if let hit = deleted[target] { return hit }
        if target == "/" || !target.isAbsolute || PhysicalPaths.hasDotDot(target) { return followed(target) }
        let parent = directory(Paths.parent(target))
        if let hit = parent.removed { return hit }
        let next = Paths.join(parent.physical, Paths.name(target))
        if let hit = deleted[next] { return hit }
        guard (try? fileSystem.status(next, follow: false))?.kind == .symlink else { return nil }
        return followed(next)
    }

    private func directory(_ dir: Path) -> (physical: Path, removed: Path?) {
        if let known = directories[dir] { return known }
        let answer: (physical: Path, removed: Path?)
        if dir == "/" || Paths.parent(dir) == dir {
            answer = (dir, nil)
        } else {
            let parent = directory(Paths.parent(dir))
            let next = Paths.join(parent.physical, Paths.name(dir))
            if let hit = parent.removed ?? deleted[next] {
                answer = (next, hit)
            } else if (try? fileSystem.status(next, follow: false))?.kind == .symlink {
                var hit: Path?
                let end = physical.resolve(next, followLast: true) { hop in
                    if hit == nil { hit = self.deleted[hop] }
                }.path
                answer = (end, hit ?? deleted[end])
            } else {
                answer = (next, nil)
            }
        }
        directories[dir] = answer
        return answer
    }

    /// Resolves `path` a component at a time, telling the first deleted path on the way.
    private func followed(_ path: Path) -> Path? {
        var hit: Path?
        let end = physical.resolve(path, followLast: true) { hop in
            if hit == nil { hit = self.deleted[hop] }
        }.path
        return hit ?? deleted[end]
    }
}
