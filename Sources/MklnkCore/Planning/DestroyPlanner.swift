import MklnkFileSystem

/// What `destroy` does (SPEC §2): the links the state says this plan made that are still exactly
/// as mklnk left them are deleted, then the directories its applies made (for those links, and
/// those of `dirs:`) that are left empty.
/// What changed since is kept and reported; backups are listed, never touched.
public struct DestroyPlan: Sendable {
    /// Deletes (links, then empty directories, deepest first) and skips (what is kept, and why).
    public var actions: [Action]
    /// Backups mklnk took that still exist: the user's old files.
    public var backups: [RecordedBackup]
    /// The state once the actions are applied: what mklnk still made and left in place.
    public var remaining: AppliedState
}

/// Reads only, like `Planner`; `plan --destroy` shows exactly what `destroy` applies.
public enum DestroyPlanner {
    public static func plan(_ state: AppliedState, fileSystem: FileSystem) -> DestroyPlan {
        var actions: [Action] = []
        var kept: [RecordedLink] = []
        var gone = Set<Path>()
        var removedNames: [String: UInt64] = [:]  // names of one file removed so far, by device:inode
        var madeDirectories = MadeDirectories(state, fileSystem: fileSystem)
        for recorded in state.links.values.sorted(by: { $0.path < $1.path }) {
            let was: Observation
            do {
                was = try Observation.observe(recorded.path, in: fileSystem)
            } catch {
                actions.append(Action(.skip, recorded.path, kind: recorded.kind, target: recorded.stored,
                                      reason: "cannot inspect it (\(error.reason))"))
                continue
            }
            if was.kind == nil { continue }  // already gone
            var action = Action(.delete, recorded.path, kind: recorded.kind, target: recorded.stored, was: was,
                                reason: "made by this plan")
            if !untouched(recorded, was) {
                action.op = .skip
                action.reason = "changed since mklnk made it (now \(was.summary))"
            } else if let dir = madeDirectories.replaced(above: recorded.path) {
                action.op = .skip
                action.reason = "changed since mklnk made it (the directory \(dir) it made is no longer one)"
            } else if recorded.kind == .hardlink {
                // Never a file's last name, counted over the whole destroy.
                let key = "\(was.device):\(was.inode)"
                let removed = removedNames[key, default: 0] + 1
                if removed >= was.linkCount {
                    action.op = .skip
                    action.reason = "it is the last link to its file"
                    kept.append(recorded)
                } else {
                    removedNames[key] = removed
                }
            }
            if action.op == .delete { gone.insert(recorded.path) }
            actions.append(action)
        }
        let made = state.made
        var keptDirectories: [Path] = []
        // Deepest first, so a directory whose only entries are emptied directories goes too.
        for dir in made.directories.sorted(by: { depth($0) > depth($1) || (depth($0) == depth($1) && $0 < $1) }) {
            guard let status = try? fileSystem.linkStatus(dir), status.kind == .directory else { continue }
            // Unreadable: treated as not empty.
            let names = (try? fileSystem.directoryEntries(dir).map(\.name)) ?? [Path("?")]
            let left = names.filter { !gone.contains(Paths.join(dir, $0)) }
            if left.isEmpty {
                gone.insert(dir)
                var delete = Action(.delete, dir, was: Observation(status), reason: "a directory this plan made, now empty")
                delete.directory = true
                actions.append(delete)
            } else {
                keptDirectories.append(dir)
                var skip = Action(.skip, dir, was: Observation(status), reason: "a directory mklnk made, but other files are in it")
                skip.directory = true
                actions.append(skip)
            }
        }
        let backups = made.backups.filter { ((try? fileSystem.linkStatus($0.backup)) ?? nil) != nil }
        let remaining = AppliedState(ordered: kept, made: MadeRecords(
            directories: made.directories.filter { keptDirectories.contains($0) }, backups: backups))
        return DestroyPlan(actions: actions, backups: backups, remaining: remaining)
    }

    /// Exactly as mklnk left it: the same stored target, or the same inode (the prune rule).
    static func untouched(_ recorded: RecordedLink, _ was: Observation) -> Bool {
        switch recorded.kind {
        case .symlink, .junction: return was.kind == .symlink && was.target == recorded.stored
        case .hardlink: return was.kind == .regular && was.device == recorded.device && was.inode == recorded.inode
        }
    }

    private static func depth(_ path: Path) -> Int { path.bytes.count(where: { $0 == UInt8(ascii: "/") }) }
}
