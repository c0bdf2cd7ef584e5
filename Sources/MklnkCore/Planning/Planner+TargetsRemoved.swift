import MklnkFileSystem

/// Links whose target this very plan deletes (SPEC §1 `missing`, §4 "dry run tells the truth"):
/// refused as a conflict, in `plan`, `check` and `apply` alike, instead of a dangling link
/// (`missing: error`) or a hard link that cannot be made.
extension Planner {
    /// Why each link that needs its target cannot have it once the plan's deletes have run, by
    /// index in `graph.links`; empty when the plan deletes nothing.
    func targetsRemoved(_ graph: LinkGraph, deleted: Set<Path>) -> [Int: String] {
        guard let removed = RemovedTargets(deleted: deleted, fileSystem: fileSystem) else { return [:] }
        // Kept only for the links others go through.
        let hops = Set(graph.dependencies.joined())
        var physical: [Int: Path] = [:]
        var refused: [Int: String] = [:]
        for i in graph.links.indices {
            let link = graph.links[i]
            // Where the target lies once the planned links it goes through exist (links come
            // after those they go through, so theirs are known).
            var target = link.kind == .hardlink ? link.stored : link.target
            if link.kind != .hardlink {
                for hop in graph.dependencies[i] {
                    let via = graph.links[hop].path
                    guard let leads = physical[hop], target == via || Paths.isWithin(target, via) else { continue }
                    target = Paths.normalize(leads + target.dropFirst(via.count))
                }
            }
            if hops.contains(i) { physical[i] = target }
            guard link.needsTarget || link.awaitsAdoption, let gone = removed.removal(taking: target) else { continue }
            let what = link.kind == .hardlink ? "hard link target" : "target"
            let through = gone == target ? "this plan deletes it" : "this plan deletes \(gone)"
            refused[i] = link.awaitsAdoption
                ? "cannot adopt into \(link.target): \(through)"
                : "\(what) \(link.target) does not exist once the plan has run: \(through)"
        }
        return refused
    }
}
