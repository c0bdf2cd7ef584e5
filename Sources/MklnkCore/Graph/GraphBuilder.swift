import MklnkFileSystem

/// Expands a plan into single links, resolves each target and kind, checks the graph as a
/// whole and orders it (SPEC §1: duplicates, nesting, cycles, missing and cross-device targets).
public struct GraphBuilder {
    public let fileSystem: FileSystem
    /// False for `validate`: link paths on disk are not looked at.
    public let inspectLinks: Bool

    public init(fileSystem: FileSystem, inspectLinks: Bool) {
        self.fileSystem = fileSystem
        self.inspectLinks = inspectLinks
    }

    /// A link before its kind is decided.
    private struct Candidate {
        var path: String
        var target: String
        var entry: Int
        var targetLocation: SourceLocation
    }

    public func build(_ plan: Plan, _ diagnostics: inout Diagnostics) -> LinkGraph {
        var unresolved: [String] = []
        let candidates = expand(plan, &unresolved, &diagnostics)
        var byPath: [String: Int] = [:]
        byPath.reserveCapacity(candidates.count)
        var unique: [Candidate] = []
        unique.reserveCapacity(candidates.count)
        for candidate in candidates {
            if let first = byPath[candidate.path] {
                let entry = plan.entries[candidate.entry], other = plan.entries[unique[first].entry]
                diagnostics.error("two entries make the link \(candidate.path)", at: entry.location,
                                  notes: [.note("the other entry is here", at: other.location)])
                continue
            }
            byPath[candidate.path] = unique.count
            unique.append(candidate)
        }
        for removal in plan.removals {
            if let i = byPath[removal.path] {
                diagnostics.error("\(removal.path) is both linked and removed", at: removal.location,
                                  notes: [.note("linked here", at: plan.entries[unique[i].entry].location)])
            }
        }
        var planned = PlannedPrefixes(byPath: byPath, root: plan.root)
        checkNesting(unique, &planned, plan, &diagnostics)
        let (dependencies, inCycle) = resolveThroughLinks(unique, &planned, plan, &diagnostics)

        var links: [Link] = []
        links.reserveCapacity(unique.count)
        var kept: [Int] = []
        for (i, candidate) in unique.enumerated() {
            if !inCycle.contains(i),
               let link = resolve(candidate, physical: dependencies[i].physical, plan, &diagnostics) {
                links.append(link)
                kept.append(i)
            } else {
                unresolved.append(candidate.path)
            }
        }
        // Re-number dependencies for the kept links, then order.
        var newIndex = [Int](repeating: -1, count: unique.count)
        for (n, old) in kept.enumerated() { newIndex[old] = n }
        let deps = kept.map { dependencies[$0].through.compactMap { newIndex[$0] >= 0 ? newIndex[$0] : nil } }
        guard let order = Self.order(count: links.count, deps) else {
            return LinkGraph(plan: plan, links: links, removals: plan.removals, dependencies: deps,
                             unresolved: unresolved)
        }
        var position = [Int](repeating: 0, count: order.count)
        for (n, i) in order.enumerated() { position[i] = n }
        return LinkGraph(plan: plan, links: order.map { links[$0] }, removals: plan.removals,
                         dependencies: order.map { i in deps[i].map { position[$0] } }, unresolved: unresolved)
    }

    // MARK: Expansion

    private func expand(_ plan: Plan, _ unresolved: inout [String], _ diagnostics: inout Diagnostics) -> [Candidate] {
        let globber = GlobExpander(fileSystem: fileSystem)
        var out: [Candidate] = []
        out.reserveCapacity(plan.entries.count)
        for (index, entry) in plan.entries.enumerated() {
            guard entry.isDirectory else {
                let t = entry.targets[0]
                out.append(Candidate(path: entry.link, target: t.value, entry: index, targetLocation: t.location))
                continue
            }
            for target in entry.targets {
                var matches: [GlobExpander.Match]
                if Glob.isPattern(target.value) {
                    do {
                        matches = Self.mirroringDirectories(try globber.expand(target.value))
                    } catch {
                        diagnostics.error("cannot expand \(target.value): \(error.reason)", at: target.location,
                                          failure: .cannotApply)
                        unresolved.append(entry.link)
                        continue
                    }
                } else {
                    matches = [.init(path: target.value, relative: Paths.name(target.value))]
                }
                for match in matches {
                    let path = Paths.normalize(entry.link + "/" + match.relative)
                    switch selected(match, entry, plan, &diagnostics, target.location) {
                    case true?:
                        out.append(Candidate(path: path, target: match.path, entry: index,
                                             targetLocation: target.location))
                    case nil:
                        unresolved.append(path)
                    case false?:
                        break
                    }
                }
            }
        }
        return out
    }

    /// Drops the matches that other matches lie beneath (`**/*` matches `sub` and `sub/x`): the
    /// directory is mirrored, made by its links' parents, instead of linked around them.
    static func mirroringDirectories(_ matches: [GlobExpander.Match]) -> [GlobExpander.Match] {
        var ancestors: Set<Substring> = []
        for match in matches where !match.relative.isEmpty {
            ancestors.insert("")
            var name = match.relative[...]
            while let slash = name.lastIndex(of: "/") {
                name = name[..<slash]
                ancestors.insert(name)
            }
        }
        if ancestors.isEmpty { return matches }
        return matches.filter { !ancestors.contains($0.relative[...]) }
    }

    /// Whether `exclude` and `select` keep the match; nil when it could not be read (an error).
    private func selected(_ match: GlobExpander.Match, _ entry: PlanEntry, _ plan: Plan,
                          _ diagnostics: inout Diagnostics, _ at: SourceLocation) -> Bool? {
        let name = Paths.name(match.path)
        let relativeToBase = Paths.isWithin(match.path, plan.base)
            ? Paths.relative(match.path, from: plan.base) : match.path
        for pattern in entry.options.exclude
        where Glob.matchesAnywhere(pattern, relativeToBase) || Glob.matchesAnywhere(pattern, name) {
            return false
        }
        guard let select = entry.options.select else { return true }
        do {
            guard let status = try fileSystem.status(match.path, follow: true) else { return false }
            return select.matches(name: name, status: status)
        } catch {
            diagnostics.error("cannot read \(match.path): \(error.reason)", at: at, failure: .cannotApply)
            return nil
        }
    }

    // MARK: Whole-graph checks

    private func checkNesting(_ links: [Candidate], _ planned: inout PlannedPrefixes, _ plan: Plan,
                              _ diagnostics: inout Diagnostics) {
        for link in links {
            if let (dir, outer) = planned.inDirectory(Paths.parent(link.path)) {
                diagnostics.error("\(link.path) lies inside the planned link \(dir)",
                                  at: plan.entries[link.entry].location,
                                  notes: [.note("the enclosing link is planned here",
                                                at: plan.entries[links[outer].entry].location)])
            }
        }
    }

    /// Follows each target through planned links (longest planned prefix first), giving the
    /// physical target once those links exist, the links it goes through, and cycles.
    private func resolveThroughLinks(_ links: [Candidate], _ planned: inout PlannedPrefixes, _ plan: Plan,
                                     _ diagnostics: inout Diagnostics)
        -> ([(physical: String, through: [Int])], Set<Int>) {
        var result: [(physical: String, through: [Int])] = []
        result.reserveCapacity(links.count)
        var inCycle: Set<Int> = []
        var reported: Set<[Int]> = []
        for (i, link) in links.enumerated() {
            var current = link.target
            var through: [Int] = []
            var cycle = false
            while let hop = planned.at(current) {
                if hop.index == i || through.contains(hop.index) {
                    // A cycle; a link that only leads into one is dropped without a report of its own.
                    let members = hop.index == i ? [i] + through : Array(through[through.firstIndex(of: hop.index)!...])
                    if reported.insert(members.sorted()).inserted {
                        report(cycle: members, links, plan, &diagnostics)
                    }
                    inCycle.formUnion(members)
                    inCycle.insert(i)
                    cycle = true
                    break
                }
                through.append(hop.index)
                current = Paths.normalize(links[hop.index].target + current.dropFirst(hop.prefix.count))
            }
            result.append((cycle ? link.target : current, cycle ? [] : through))
        }
        return (result, inCycle)
    }

    /// The planned link at or nearest above a path, beneath root. Answers for directories are
    /// remembered: links and targets come in directories, so each directory is walked up once.
    struct PlannedPrefixes {
        let byPath: [String: Int]
        let root: String
        private var directories: [String: (prefix: String, index: Int)?] = [:]

        init(byPath: [String: Int], root: String) {
            self.byPath = byPath
            self.root = root
        }

        /// The planned link that is `path` or the nearest one above it.
        mutating func at(_ path: String) -> (prefix: String, index: Int)? {
            guard path != root, Paths.isWithin(path, root) else { return nil }
            if let i = byPath[path] { return (path, i) }
            return inDirectory(Paths.parent(path))
        }

        /// The planned link that is the directory `dir` or the nearest one above it.
        mutating func inDirectory(_ dir: String) -> (prefix: String, index: Int)? {
            if let known = directories[dir] { return known }
            let found = at(dir)
            directories[dir] = found
            return found
        }
    }

    private func report(cycle members: [Int], _ links: [Candidate], _ plan: Plan, _ diagnostics: inout Diagnostics) {
        let chain = (members + [members[0]]).map { links[$0].path }.joined(separator: " -> ")
        let first = links[members[0]]
        diagnostics.error("link cycle: \(chain)", at: plan.entries[first.entry].location,
                          notes: members.dropFirst().map { .note("part of the cycle", at: plan.entries[links[$0].entry].location) })
    }

    // MARK: Per-link resolution

    private func resolve(_ c: Candidate, physical: String, _ plan: Plan, _ diagnostics: inout Diagnostics) -> Link? {
        let entry = plan.entries[c.entry]
        let options = entry.options
        func fail(_ message: String) -> Link? {
            diagnostics.error(message, at: c.targetLocation, failure: .cannotApply,
                              notes: [.note("for the link \(c.path)", at: entry.location)])
            return nil
        }
        let status: FileStatus?
        do {
            status = try fileSystem.status(physical, follow: true)
        } catch {
            return fail("cannot read the target \(c.target): \(error.reason)")
        }
        var kind: ResolvedKind
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
        case .hardlink:
            guard let status else { return fail("hard link target \(c.target) does not exist") }
            guard status.kind == .regular else {
                return fail("hard link target \(c.target) is not a regular file (\(status.kind.described))")
            }
            if inspectLinks, let device = deviceOfNearestDirectory(c.path), device != status.device {
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
        let stored: String
        switch kind {
        case .symlink: stored = options.relative ? Paths.relative(c.target, from: Paths.parent(c.path)) : c.target
        case .junction: stored = Paths.normalize(c.target)
        case .hardlink: stored = physical
        }
        return Link(path: c.path, kind: kind, target: c.target, stored: stored, options: options,
                    location: entry.location, targetLocation: c.targetLocation, targetStatus: status)
    }

    /// The device of the closest existing ancestor of `path`, where a new link would live.
    private func deviceOfNearestDirectory(_ path: String) -> UInt64? {
        var dir = Paths.parent(path)
        while true {
            if let status = try? fileSystem.status(dir, follow: true), status.kind == .directory { return status.device }
            if dir == "/" { return nil }
            dir = Paths.parent(dir)
        }
    }

    // MARK: Order

    /// Indices in their original order, except that a link comes after the links it goes through;
    /// nil when that is the original order (no link goes through another).
    static func order(count: Int, _ deps: [[Int]]) -> [Int]? {
        if deps.allSatisfy(\.isEmpty) { return nil }
        var out: [Int] = []
        out.reserveCapacity(count)
        var state = [UInt8](repeating: 0, count: count)  // 0 new, 1 visiting, 2 done
        func visit(_ i: Int) {
            guard state[i] == 0 else { return }
            state[i] = 1
            for d in deps[i] { visit(d) }
            state[i] = 2
            out.append(i)
        }
        for i in 0..<count { visit(i) }
        return out
    }
}
