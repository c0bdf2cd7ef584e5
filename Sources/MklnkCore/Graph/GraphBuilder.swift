import CMklnkSys
import MklnkFileSystem

/// Expands a plan into single links, resolves each target and kind, checks the graph as a
/// whole and orders it (SPEC §1: duplicates, nesting, cycles, missing and cross-device targets).
public struct GraphBuilder {
    public let fileSystem: FileSystem
    /// False for `validate`: link paths on disk are not looked at.
    public let inspectLinks: Bool
    /// When reads are split across cores.
    public var readAhead = ReadAhead.standard

    public init(fileSystem: FileSystem, inspectLinks: Bool) {
        self.fileSystem = fileSystem
        self.inspectLinks = inspectLinks
    }

    /// A link before its kind is decided.
    struct Candidate {
        var path: Path
        var target: Path
        /// The entry's index, in 32 bits: a candidate is then 32 bytes, not 40.
        private var entryIndex: UInt32
        var targetLocation: SourceLocation

        init(path: Path, target: Path, entry: Int, targetLocation: SourceLocation) {
            (self.path, self.target, entryIndex, self.targetLocation) = (path, target, UInt32(entry), targetLocation)
        }

        var entry: Int { Int(entryIndex) }
    }

    /// The whole-graph checks alone (two entries on one link, linked and removed, nesting,
    /// cycles), for the entries of a plan with errors elsewhere: every error in one run (SPEC §1).
    public func checkStructure(_ plan: Plan, _ diagnostics: inout Diagnostics) {
        var unresolved: [Path] = [], refused: [Refusal] = []
        var plan = plan
        let physical = PhysicalPaths(fileSystem: fileSystem)
        plan.removals = kernelRemovals(plan, physical, &diagnostics)
        _ = structure(plan, physical, &unresolved, &refused, &diagnostics)
    }

    /// The graph of `plan`, whose entries it drops once they are expanded (`graph.plan` has none):
    /// passed its last copy, the entries are not in memory beside the links.
    public func build(_ plan: consuming Plan, _ diagnostics: inout Diagnostics) -> LinkGraph {
        var plan = plan
        var unresolved: [Path] = [], unplaced: [Refusal] = []
        let physical = PhysicalPaths(fileSystem: fileSystem)
        plan.removals = kernelRemovals(plan, physical, &diagnostics)
        let (unique, dependencies, inCycle) = structure(plan, physical, &unresolved, &unplaced, &diagnostics)
        // From here on a link needs only its entry's options and place.
        let settings = EntrySettings(plan.entries)
        let entryCount = plan.entries.count
        plan.entries = []
        // Their pages go back: the links, one larger array, would not fit where they were.
        mklnk_release_free_memory()
        // Without a cycle (the rule), no index is hashed to learn it is in none.
        func cyclic(_ i: Int) -> Bool { !inCycle.isEmpty && inCycle.contains(i) }
        // Each link resolved on its own, on all cores, straight into its place in `links`; the
        // target's status is read there too (most were read while the plan loaded, and the file
        // system answers those at once). Each range's diagnostics are joined in order: the
        // outcome of a single pass, without a copy of any link. A candidate that makes no link
        // holds a placeholder until they are dropped (rare: the plan has errors).
        let count = unique.count
        var parts: [(failed: [Int], refused: [Refusal], diagnostics: Diagnostics)] = []
        var links = [Link](unsafeUninitializedCapacity: count) { buffer, initialized in
            let base = buffer.baseAddress!
            parts = ParallelReads.parts(count, on: fileSystem, threshold: readAhead.parallelThreshold) { fs, range in
                var diagnostics = Diagnostics()
                var failed: [Int] = [], refused: [Refusal] = []
                for i in range {
                    let link = cyclic(i) ? nil
                        : resolve(unique[i], settings.options(of: unique[i].entry), settings.location(of: unique[i].entry),
                                  physical: dependencies[i].physical,
                                  read: TargetRead(dependencies[i].physical, in: fs), fs, &diagnostics, &refused)
                    if let link {
                        (base + i).initialize(to: link)
                    } else {
                        (base + i).initialize(to: .placeholder)
                        failed.append(i)
                    }
                }
                return (failed, refused, diagnostics)
            }
            initialized = count
        }
        for part in parts { diagnostics.append(contentsOf: part.diagnostics) }
        let failed = parts.flatMap(\.failed), refused = unplaced + parts.flatMap(\.refused)
        if inspectLinks {
            PhysicalChecks(fileSystem: fileSystem, physical: physical)
                .setRelativeTargets(&links) { settings.options(of: unique[$0].entry).relative }
        }
        var deps: [[Int]]
        if failed.isEmpty {
            deps = dependencies.map(\.through)
        } else {
            let dropped = Set(failed)
            let kept = (0..<count).filter { !dropped.contains($0) }
            links = kept.map { links[$0] }
            unresolved += failed.map { unique[$0].path }
            // Re-number dependencies for the kept links.
            var newIndex = [Int](repeating: -1, count: unique.count)
            for (n, old) in kept.enumerated() { newIndex[old] = n }
            deps = kept.map { dependencies[$0].through.compactMap { newIndex[$0] >= 0 ? newIndex[$0] : nil } }
        }
        guard let order = Self.order(count: links.count, deps) else {
            return LinkGraph(plan: plan, links: links, removals: plan.removals, dependencies: deps,
                             unresolved: unresolved, refused: refused, entryCount: entryCount)
        }
        // Most plans are in order already: then the links are not copied into a second array.
        if order.elementsEqual(order.indices) {
            return LinkGraph(plan: plan, links: links, removals: plan.removals, dependencies: deps, unresolved: unresolved,
                             refused: refused, entryCount: entryCount)
        }
        var position = [Int](repeating: 0, count: order.count)
        for (n, i) in order.enumerated() { position[i] = n }
        return LinkGraph(plan: plan, links: order.map { links[$0] }, removals: plan.removals,
                         dependencies: order.map { i in deps[i].map { position[$0] } }, unresolved: unresolved,
                         refused: refused, entryCount: entryCount)
    }

    /// The single links of the plan, each once, checked as a whole; with each its physical
    /// target and the links it goes through, and the links in a cycle.
    private func structure(_ plan: Plan, _ physical: PhysicalPaths, _ unresolved: inout [Path],
                           _ refused: inout [Refusal], _ diagnostics: inout Diagnostics)
        -> ([Candidate], [(physical: Path, through: [Int])], Set<Int>) {
        var unique = expand(plan, physical, &unresolved, &refused, &diagnostics)
        var byPath = LinkPathIndex(unique)
        var duplicates: Set<Int> = []
        for i in unique.indices {
            if let first = byPath.insert(i) {
                let entry = plan.entries[unique[i].entry], other = plan.entries[unique[first].entry]
                diagnostics.error("two entries make the link \(unique[i].path)", at: entry.location,
                                  notes: [.note("the other entry is here", at: other.location)])
                duplicates.insert(i)
            }
        }
        duplicates.formUnion(physicalDuplicates(unique, byPath: byPath, skipping: duplicates, physical, plan, &diagnostics))
        if !duplicates.isEmpty {
            // Dropped, and the rest numbered again (rare: the plan is invalid).
            unique = unique.indices.filter { !duplicates.contains($0) }.map { unique[$0] }
            byPath = LinkPathIndex(unique)
            for i in unique.indices { _ = byPath.insert(i) }
        }
        for removal in plan.removals {
            if let i = byPath.value(for: removal.path) {
                diagnostics.error("\(removal.path) is both linked and removed", at: removal.location,
                                  notes: [.note("linked here", at: plan.entries[unique[i].entry].location)])
            }
        }
        var planned = PlannedPrefixes(byPath: byPath, root: plan.root)
        checkNesting(unique, &planned, plan, &diagnostics)
        let (dependencies, inCycle) = resolveThroughLinks(unique, &planned, plan, &diagnostics)
        return (unique, dependencies, inCycle)
    }

    // MARK: Whole-graph checks

    private func checkNesting(_ links: [Candidate], _ planned: inout PlannedPrefixes, _ plan: Plan,
                              _ diagnostics: inout Diagnostics) {
        for i in links.indices {
            if let outer = planned.inDirectory(of: links[i].path) {
                diagnostics.error("\(links[i].path) lies inside the planned link \(links[outer].path)",
                                  at: plan.entries[links[i].entry].location,
                                  notes: [.note("the enclosing link is planned here",
                                                at: plan.entries[links[outer].entry].location)])
            }
        }
    }

    /// Follows each target through planned links (`ThroughLinks`), giving the physical target
    /// once those links exist, the links it goes through directly, and cycles.
    private func resolveThroughLinks(_ links: [Candidate], _ planned: inout PlannedPrefixes, _ plan: Plan,
                                     _ diagnostics: inout Diagnostics)
        -> ([(physical: Path, through: [Int])], Set<Int>) {
        var cycles: [[Int]] = []
        let (resolutions, inCycle) = ThroughLinks.resolve(
            count: links.count, path: { links[$0].path }, target: { links[$0].target },
            planned: { planned.at($0) }, cycle: { cycles.append($0) })
        for members in cycles { report(cycle: members, links, plan, &diagnostics) }
        let result = links.indices.map { i in
            resolutions[i].map { (physical: $0.physical, through: $0.through) } ?? (links[i].target, [])
        }
        return (result, inCycle)
    }

    private func report(cycle members: [Int], _ links: [Candidate], _ plan: Plan, _ diagnostics: inout Diagnostics) {
        let chain = (members + [members[0]]).map { "\(links[$0].path)" }.joined(separator: " -> ")
        let first = links[members[0]]
        diagnostics.error("link cycle: \(chain)", at: plan.entries[first.entry].location,
                          notes: members.dropFirst().map { .note("part of the cycle", at: plan.entries[links[$0].entry].location) })
    }

    // MARK: Per-link resolution

    /// The link a candidate makes, or nil with a diagnostic and, when the plan is valid but the
    /// link cannot be made here, a refusal. `fs` reads for this thread.
    private func resolve(_ c: Candidate, _ options: EntryOptions, _ location: SourceLocation, physical: Path,
                         read: TargetRead, _ fs: FileSystem, _ diagnostics: inout Diagnostics,
                         _ refused: inout [Refusal]) -> Link? {
        func fail(_ message: String) -> Link? {
            diagnostics.error(message, at: c.targetLocation, failure: .cannotApply,
                              notes: [.note("for the link \(c.path)", at: location)], conflict: c.path)
            refused.append(Refusal(path: c.path, kind: ResolvedKind(rawValue: options.kind.rawValue), target: c.target,
                                   location: location, reason: message))
            return nil
        }
        if let error = read.error { return fail("cannot read the target \(c.target): \(error.reason)") }
        let status = read.status
        var kind: ResolvedKind
        var awaitsAdoption = false
        switch options.kind {
        case .symlink: kind = .symlink
        case .hardlink: kind = .hardlink
        case .junction: kind = .junction
        case .auto:
            guard let status else { return fail("target \(c.target) does not exist (kind: auto needs it to decide)") }
            switch status.kind {
            case .regular: kind = .hardlink
            case .directory: kind = .junction
            default: return fail("target \(c.target) is neither a file nor a directory (kind: auto)")
            }
        }
        switch kind {
        // conflict: adopt makes a missing target from the file in the way; the planner decides.
        case _ where status == nil && options.conflict == .adopt && kind != .junction
            && (kind == .hardlink || options.missing == .error):
            awaitsAdoption = true
        case .hardlink:
            guard let status else { return fail("hard link target \(c.target) does not exist") }
            guard status.kind == .regular else {
                return fail("hard link target \(c.target) is not a regular file (\(status.kind.described))")
            }
            if inspectLinks, let device = Self.deviceOfNearestDirectory(c.path, fs), device != status.device {
                return fail("a hard link cannot cross filesystems: \(c.target) and \(c.path) are on different devices")
            }
        case .junction, .symlink:
            if status == nil && options.missing == .error {
                return fail("target \(c.target) does not exist (missing: allow makes a dangling link)")
            }
            if kind == .junction, let status, status.kind != .directory {
                return fail("a junction's target must be a directory; \(c.target) is \(status.kind.described)")
            }
        }
        if let expected = options.type, let status {
            let actual: TargetType? = status.kind == .directory ? .dir : (status.kind == .regular ? .file : nil)
            if actual != expected {
                diagnostics.warning("target \(c.target) is not a \(expected == .dir ? "directory" : "file") (type: \(expected.rawValue))",
                                    at: c.targetLocation)
            }
        }
        let stored: Path
        let target = options.canonical && kind != .hardlink ? CanonicalTarget.resolve(physical) : c.target
        switch kind {
        // A relative target is computed from the link's physical directory later (`PhysicalChecks`),
        // when link paths are looked at; `validate` shows it from the directory as written.
        case .symlink: stored = options.relative ? Paths.relative(target, from: Paths.parent(c.path)) : target
        case .junction: stored = Paths.normalize(target)
        case .hardlink: stored = physical
        }
        // With canonical, the resolved target is the link's target (relative ones are computed from it).
        var link = Link(path: c.path, kind: kind, target: target, stored: stored, relink: options.relink,
                        conflict: options.conflict, parents: options.parents, location: location,
                        targetStatus: status, awaitsAdoption: awaitsAdoption)
        link.needsTarget = kind == .hardlink || options.kind == .auto || options.missing == .error
        return link
    }

    /// The device of the closest existing ancestor of `path`, where a new link would live.
    private static func deviceOfNearestDirectory(_ path: Path, _ fileSystem: FileSystem) -> UInt64? {
        var dir = Paths.parent(path)
        while true {
            if let status = try? fileSystem.status(dir, follow: true), status.kind == .directory { return status.device }
            if dir == "/" { return nil }
            dir = Paths.parent(dir)
        }
    }
}
