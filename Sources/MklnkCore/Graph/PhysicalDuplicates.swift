import MklnkFileSystem

extension GraphBuilder {
    /// Candidates that make, through a symlinked parent, the same link as another one (SPEC §1:
    /// "two entries that resolve to the same link path"; `real/x` and `cfg/x` with `cfg -> real`).
    /// Reported as a duplicate at the later one, with a note at the earlier; returns the later
    /// ones. Only links whose physical place differs from their path are looked up, so a plan
    /// without symlinked parents costs one resolution per directory.
    func physicalDuplicates(_ unique: [Candidate], byPath: LinkPathIndex, skipping: Set<Int>, _ physical: PhysicalPaths,
                            _ plan: Plan, _ diagnostics: inout Diagnostics) -> Set<Int> {
        guard inspectLinks else { return [] }
        var aliased: [Path: Int] = [:]
        var found: Set<Int> = []
        for i in unique.indices where !skipping.contains(i) {
            let at = physical.location(of: unique[i].path)
            if at == unique[i].path { continue }
            var other = aliased[at]
            if other == nil, let j = byPath.value(for: at), !skipping.contains(j),
               physical.location(of: unique[j].path) == at {
                other = j
            }
            guard let other, !found.contains(other) else {
                aliased[at] = i
                continue
            }
            let (first, second) = (min(i, other), max(i, other))
            diagnostics.error("two entries make the link \(unique[second].path) (through a symlinked parent it is \(at), "
                              + "as \(unique[first].path) is)",
                              at: plan.entries[unique[second].entry].location,
                              notes: [.note("the other entry is here", at: plan.entries[unique[first].entry].location)])
            found.insert(second)
        }
        return found
    }
}
