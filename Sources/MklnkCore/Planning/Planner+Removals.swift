import MklnkFileSystem

/// `remove:` items, and links an earlier apply made that the plan no longer lists: deleted only
/// when they are links still exactly as recorded, and never a file's last name (counted with the
/// links' own removals in `Context.removeName`).
extension Planner {
    /// nil when there is nothing to remove.
    func planRemoval(_ removal: Removal, _ graph: LinkGraph, _ context: inout Context) -> Action? {
        var action = Action(.delete, removal.path, source: removal.location)
        let was: Observation
        do {
            was = try Observation.observe(removal.path, in: fileSystem)
        } catch {
            action.op = .conflict
            action.reason = pathError(error, removal.path)
            return action
        }
        action.was = was
        switch was.kind {
        case nil:
            return nil
        case .symlink?:
            action.kind = was.target?.hasPrefix("/") == true && (try? fileSystem.status(removal.path, follow: true))??.kind == .directory
                ? .junction : .symlink
            action.target = was.target
        case .regular? where was.linkCount > 1:
            if context.removeName(of: was) {
                action.kind = .hardlink
            } else {
                action.op = .conflict
                action.reason = "it is the last link to its file (remove never deletes a file's last name)"
            }
        case .regular?:
            action.op = .conflict
            action.reason = "it is a regular file with one name, not a link (remove deletes only links)"
        case .directory? where graph.links.contains(where: { Paths.isWithin($0.path, removal.path) }):
            // The link was removed and replaced by the directory that planned links need (a
            // directory link turned into links per file): done already, nothing to remove.
            return nil
        case .directory?:
            action.op = .conflict
            action.reason = "it is a directory, not a link (remove deletes only links)"
        case .other?:
            action.op = .conflict
            action.reason = "it is a special file, not a link"
        }
        return action
    }

    /// A link an earlier apply made and the plan no longer lists: delete it if it is still exactly
    /// as mklnk left it.
    func planPrune(_ recorded: RecordedLink, _ context: inout Context) -> Action? {
        guard let was = try? Observation.observe(recorded.path, in: fileSystem) else { return nil }
        let untouched: Bool
        switch recorded.kind {
        case .symlink, .junction: untouched = was.kind == .symlink && was.target == recorded.stored
        case .hardlink:
            untouched = was.kind == .regular && was.device == recorded.device && was.inode == recorded.inode
        }
        guard untouched else { return nil }
        var action = Action(.delete, recorded.path, kind: recorded.kind, target: recorded.stored, was: was,
                            reason: "no longer in the plan")
        if recorded.kind == .hardlink {
            // Counted with the removals: when the file's other names are gone (its target was
            // deleted, or another prune or removal takes them), this one is kept.
            if !context.removeName(of: was) {
                action.op = .skip
                action.reason = "it is the last link to its file; kept though no longer in the plan"
            }
        }
        return action
    }
}
