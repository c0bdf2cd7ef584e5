import MklnkFileSystem

/// What only the physical layout can tell about a link (issue 9, defects 4 and 5): whether it
/// would be made at its own target, inside it, or around it (a symlinked parent can make
/// `~/.ssh/config` and `~/dotfiles/ssh/config` one file); and a relative target, computed from
/// the directory the link is physically made in, so that it resolves from there.
///
/// The graph computes relative targets from the tree as it is; the planner asks about own
/// targets, and recomputes a relative target, where it knows better: beneath a link that an
/// earlier action deletes, the directory will be a new, real one.
final class PhysicalChecks {
    let fileSystem: FileSystem
    let physical: PhysicalPaths

    init(fileSystem: FileSystem, physical: PhysicalPaths? = nil) {
        self.fileSystem = fileSystem
        self.physical = physical ?? PhysicalPaths(fileSystem: fileSystem)
    }

    /// Each relative symlink's target, from its physical directory (`relative(i)`: the entry's option).
    func setRelativeTargets(_ links: inout [Link], relative: (Int) -> Bool) {
        for i in links.indices where links[i].kind == .symlink && !links[i].path.isEmpty && relative(i) {
            links[i].stored = Paths.relative(links[i].target, from: physical.directory(Paths.parent(links[i].path)))
        }
    }

    /// A relative link's target once `deleted` (a link above it that an earlier action deletes)
    /// is gone and the directories down to the link are made anew: from the physical directory
    /// above `deleted`, the rest as written.
    func relativeTarget(_ link: Link, below deleted: Path) -> Path {
        let above = physical.directory(Paths.parent(deleted))
        let rest = Paths.parent(link.path).dropFirst(Paths.parent(deleted).count)
        return Paths.relative(link.target, from: Paths.normalize(above + "/" + rest))
    }

    /// Why the link cannot be made where it would physically be (at, inside or around its own
    /// target), or nil. `was` is what is at its path now.
    func ownTarget(_ link: Link, was: Observation) -> String? {
        guard mayBeOwnTarget(link, was) else { return nil }
        let at = physical.location(of: link.path)
        let to = physical.target(link.target)
        if at == to {
            return "it would be its own target: through a symlinked parent it is \(to)"
        }
        if Paths.isWithin(at, to) {
            return "it would be made inside its own target \(link.target) (it is physically \(at))"
        }
        if Paths.isWithin(to, at) {
            return "it would be made around its own target \(link.target) (which is physically \(to))"
        }
        return nil
    }

    /// Whether the link could be at, inside or around its target: cheap, from what is known,
    /// so that the common link (a file linked where nothing or a symlink is) costs no read.
    private func mayBeOwnTarget(_ link: Link, _ was: Observation) -> Bool {
        guard let target = link.targetStatus else { return true }  // missing: a dangling self-link
        if target.kind == .directory { return true }  // the link could lie inside it
        guard let kind = was.kind, kind != .symlink else { return false }
        // A file there that is the target's inode: the same name, or another hard link to it.
        return was.device == target.device && was.inode == target.inode
    }
}
