import MklnkFileSystem

/// A link whose parent directory is reached through a path that the same plan moves away
/// (backs up), replaces or deletes: `~/in -> realdir`, with `realdir` backed up and linked
/// elsewhere, leaves `~/in/x` meaning another directory once that step is done. Rather than
/// predict the tree at every step, such a path is a conflict, located at its entry: the plan
/// says so, and apply never writes into a backup or through a stale directory. A path beneath
/// a deleted link as written is not concerned: the planner makes real directories there.
extension Planner {
    func conflictsThroughMoved(_ actions: [Action]) -> [Action] {
        let movingOps: Set<Operation> = [.backup, .update, .delete]
        let physical = PhysicalPaths(fileSystem: fileSystem)
        var moved: [(path: Path, location: Path, op: Operation)] = []
        for action in actions where movingOps.contains(action.op) {
            moved.append((action.path, physical.location(of: action.path), action.op))
        }
        if moved.isEmpty { return actions }
        var byLocation: [Path: [Int]] = [:]
        for (i, m) in moved.enumerated() { byLocation[m.location, default: []].append(i) }
        // For each parent directory once: the moved paths (by index, in order) that a step of
        // its walk lies within. A step lies within exactly its own prefixes that end at a
        // component, so those are looked up rather than every moved path tried.
        var hitsByDirectory: [Path: [Int]] = [:]
        func hits(_ dir: Path) -> [Int] {
            if let known = hitsByDirectory[dir] { return known }
            var through: [Path] = []
            let end = physical.resolve(dir, followLast: true) { through.append($0) }.path
            through.append(end)
            var found: Set<Int> = []
            for step in through {
                step.withBytes { b in
                    if b.first == UInt8(ascii: "/"), let all = byLocation["/"] { found.formUnion(all) }
                    for k in 0...b.count where k == b.count || b[k] == UInt8(ascii: "/") {
                        if let all = byLocation[Path(bytes: UnsafeBufferPointer(rebasing: b[..<k]))] {
                            found.formUnion(all)
                        }
                    }
                }
            }
            let sorted = found.sorted()
            hitsByDirectory[dir] = sorted
            return sorted
        }
        var out: [Action] = []
        out.reserveCapacity(actions.count)
        var refused: Set<Path> = []
        for action in actions {
            if refused.contains(action.path) { continue }
            guard action.op != .conflict && action.op != .skip else {
                out.append(action)
                continue
            }
            let hit = hits(Paths.parent(action.path)).lazy.map { moved[$0] }.first { !Paths.isWithin(action.path, $0.path) }
            guard let hit else {
                out.append(action)
                continue
            }
            let what = hit.op == .backup ? "moves aside (backup)" : hit.op == .update ? "replaces" : "deletes"
            var conflict = action
            conflict.op = .conflict
            conflict.reason = "its parent directory is reached through \(hit.path), which this plan \(what) first; "
                + "list the link by a path that does not go through it"
            refused.insert(action.path)
            out.removeAll { $0.path == action.path }
            out.append(conflict)
        }
        return out
    }
}
