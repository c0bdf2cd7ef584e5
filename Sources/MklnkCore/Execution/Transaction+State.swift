import MklnkFileSystem

/// What a transaction records and counts once its steps are done.
extension Transaction {
    /// The links of this plan after the apply, in plan order (so an unchanged plan encodes to
    /// the same bytes and the state is not rewritten).
    func nextState(_ actions: [Action], failed: Set<Int>, steps: [Step], owners: [Int]) -> AppliedState {
        var next: [RecordedLink] = []
        next.reserveCapacity(actions.count)
        // The plan's link paths, by the positions of their actions (a path listed twice is
        // recorded once).
        var listed = SlotIndex(capacity: actions.count)
        let path = { (i: Int) -> Path? in actions[i].path }
        var deleted = Set<Path>()
        let keep = UnresolvedPaths(unresolved)
        for (i, a) in actions.enumerated() where !failed.contains(i) {
            switch a.op {
            case .delete:
                deleted.insert(a.path)
            case .create, .update, .unchanged, .adopt:
                guard let kind = a.kind, let target = a.target, listed.insert(i, key: path) == nil else { continue }
                let (device, inode) = recordedFile(of: a)
                next.append(RecordedLink(path: a.path, kind: kind, stored: target, device: device, inode: inode))
            case .skip, .conflict:
                // Still the plan's link, though not made now: not re-added from the old state;
                // unless it could not be resolved here (its target is missing): what is on disk
                // may still be what mklnk made, and keeps its record, to be pruned later.
                if a.kind != nil && !keep.covers(a.path) { listed.insert(i, key: path) }
            case .backup:
                break  // the create that follows records the link
            }
        }
        if keepUnlisted || !unresolved.isEmpty {
            for old in previous.links.values.sorted(by: { $0.path < $1.path })
            where listed.position(of: old.path, key: path) == nil && !deleted.contains(old.path)
                && (keepUnlisted || keep.covers(old.path)) {
                next.append(old)
            }
        }
        return AppliedState(ordered: next, made: made(actions, steps, owners: owners, failed: failed))
    }

    func counters(_ actions: [Action], failed: Set<Int>) -> Counters {
        var c = Counters()
        for (i, a) in actions.enumerated() {
            if failed.contains(i) {
                if a.op != .backup { c.errors += 1 }
                continue
            }
            switch a.op {
            case .create where a.directory: break  // a `dirs:` directory, not a link
            case .create, .update: c.files += 1
            case .adopt:
                c.files += 1
                c.adopted += 1
            case .delete: c.deleted += 1
            case .unchanged where a.kind != nil: c.unchanged += 1
            case .backup: c.backups += 1
            case .conflict: c.errors += 1
            default: break
            }
        }
        return c
    }

    /// The file a hard link's record names (0, 0 for other kinds), the same for the state written
    /// and for `stateMatches`: the planner's stat of the target for a create or update; the link
    /// itself when unchanged (in place means it is the target's inode); otherwise a stat now.
    func recordedFile(of a: Action) -> (device: UInt64, inode: UInt64) {
        guard a.kind == .hardlink, let target = a.target else { return (0, 0) }
        if a.targetInode != 0 { return (a.targetDevice, a.targetInode) }
        if a.op == .unchanged && a.was.kind == .regular { return (a.was.device, a.was.inode) }
        guard let file = try? fileSystem.status(target, follow: true) else { return (0, 0) }
        return (file.device, file.inode)
    }
}
