import MklnkFileSystem

/// Compares a link graph with the filesystem and decides an action for every path (SPEC §1–§3).
/// Reads only; never changes anything.
public struct Planner {
    public let fileSystem: FileSystem
    /// What earlier applies of this plan made (for pruning and stale hard links).
    public let previous: AppliedState
    public let prune: Bool
    /// When reads are split across cores.
    public var readAhead = ReadAhead.standard
    /// `conflict: adopt` in a plan moves a file into `base` only (SPEC §1); `link --adopt` names
    /// its destination itself.
    public var adoptsOnlyIntoBase = true

    public init(fileSystem: FileSystem, previous: AppliedState = AppliedState(), prune: Bool = true) {
        self.fileSystem = fileSystem
        self.previous = previous
        self.prune = prune
    }

    public func plan(_ graph: LinkGraph) -> [Action] {
        if let conflict = rootConflict(graph.plan) { return [conflict] }
        let threshold = readAhead.parallelThreshold
        var context = Context()
        context.base = graph.plan.base
        var actions: [Action] = []
        for removal in graph.removals {
            if let action = planRemoval(removal, graph, &context) {
                if action.op == .delete { context.deleted.insert(action.path) }
                actions.append(action)
            }
        }
        // `clean:` deletes after the removals, `dirs:` creates before the links (DirsAndCleanPlanner).
        let linkPaths = graph.plan.cleans.isEmpty && graph.plan.directories.isEmpty ? [] : Set(graph.links.map(\.path))
        for action in planCleans(graph.plan, linkPaths: linkPaths, deleted: context.deleted) {
            if action.op == .delete { context.deleted.insert(action.path) }
            actions.append(action)
        }
        // Equal digests mean every recorded link is still planned: nothing to prune, nothing to parse.
        if prune && !previous.isEmpty
            && previous.digest != digest(of: graph.links) {
            let planned = Set(graph.links.map { $0.path }).union(graph.removals.map { $0.path })
            // A link the plan lists but could not resolve here is still the plan's.
            let unresolved = UnresolvedPaths(graph.unresolved)
            func listed(_ path: Path) -> Bool { planned.contains(path) || unresolved.covers(path) }
            // Sorted for a stable order; only the few the plan no longer lists.
            var madeDirectories = MadeDirectories(previous, fileSystem: fileSystem)
            for recorded in previous.links.values.filter({ !listed($0.path) }).sorted(by: { $0.path < $1.path }) {
                // Reached through a directory mklnk made that is now something else: not its link.
                if madeDirectories.replaced(above: recorded.path) != nil { continue }
                if let action = planPrune(recorded, &context) {
                    if action.op == .delete { context.deleted.insert(action.path) }
                    actions.append(action)
                }
            }
        }
        actions += planDirectories(graph.plan, linkPaths: linkPaths, deleted: context.deleted,
                                   known: &context.directories)
        // What is at every link path, read on all cores straight into its place (most were read
        // while the plan loaded, and the file system answers those at once). Each range also says
        // whether its links are all in place already: a link in place, with nothing deleted above
        // it, is decided without context, so when that is every link (a no-op plan) their
        // actions are made on all cores too; otherwise all are decided in order below.
        let count = graph.links.count
        let shortcut = actions.isEmpty && context.deleted.isEmpty && graph.refused.isEmpty && count >= threshold
        var allInPlace = shortcut
        let seen = [Result<Observation, FileSystemError>](unsafeUninitializedCapacity: count) { buffer, initialized in
            let base = buffer.baseAddress!
            let parts = ParallelReads.parts(count, on: fileSystem, threshold: threshold) { fs, range in
                var inPlace = shortcut
                for i in range {
                    let link = graph.links[i]
                    let read = Result { () throws(FileSystemError) in
                        try Observation.observe(link.path, expecting: link.stored, in: fs)
                    }
                    if inPlace, case .success(let was) = read { inPlace = Self.isInPlace(link, was: was) } else { inPlace = false }
                    (base + i).initialize(to: read)
                }
                return inPlace
            }
            allInPlace = allInPlace && parts.allSatisfy { $0 }
            initialized = count
        }
        // Every link path has been looked at: what the file system kept of earlier reads is not
        // asked for again, and need not stay beside the actions.
        fileSystem.forgetKeptAnswers()
        if allInPlace {
            return [Action](unsafeUninitializedCapacity: count) { buffer, initialized in
                let base = buffer.baseAddress!
                _ = ParallelReads.parts(count, on: fileSystem, threshold: threshold) { _, range in
                    for i in range {
                        guard case .success(let was) = seen[i] else { preconditionFailure("in place, yet unread") }
                        (base + i).initialize(to: Self.unchanged(graph.links[i], was: was))
                    }
                }
                initialized = count
            }
        }
        // Reserved only here: the in-place shortcut above builds its own array, and a reserve
        // beside it would double the peak.
        actions.reserveCapacity(actions.count + count)
        let physical = PhysicalChecks(fileSystem: fileSystem)
        let refused = targetsRemoved(graph, deleted: context.deleted)
        for i in graph.links.indices {
            let first = actions.count
            if let reason = refused[i] {
                actions.append(Self.conflict(graph.links[i], reason, (try? seen[i].get()) ?? .absent))
                continue
            }
            decide(graph.links[i], observed: seen[i], &context, physical, into: &actions)
            if let target = graph.links[i].targetStatus {
                for j in first..<actions.count where actions[j].op == .create || actions[j].op == .update {
                    actions[j].targetWas = target.kind
                    if graph.links[i].kind == .hardlink {
                        (actions[j].targetDevice, actions[j].targetInode) = (target.device, target.inode)
                    }
                }
            }
        }
        actions = conflictsThroughMoved(actions)
        // The links refused for their target close the list: conflicts, they are never applied.
        if !graph.refused.isEmpty { actions += conflicts(refused: graph.refused) }
        return actions
    }

    /// The state's digest of the links' paths, hashed on all cores (XOR minds no order).
    private func digest(of links: [Link]) -> UInt64 {
        ParallelReads.parts(links.count, on: fileSystem, threshold: readAhead.parallelThreshold) { _, range in
            AppliedState.digest(of: range.lazy.map { links[$0].path })
        }.reduce(0, ^)
    }

    // MARK: Links

    /// Appends what to do about one link: usually one action, two for a backup and its create.
    private func decide(_ link: Link, observed: Result<Observation, FileSystemError>, _ context: inout Context,
                        _ physical: PhysicalChecks, into actions: inout [Action]) {
        func conflict(_ reason: String, _ was: Observation = .absent) {
            actions.append(Self.conflict(link, reason, was))
        }
        // Beneath a link that an earlier action deletes, nothing will be there: what is seen
        // now lies in that link's target, not at this path.
        let shadowed = context.deletedAncestor(of: link.path, root: fileSystem.root)
        let was: Observation
        switch observed {
        case _ where shadowed != nil: was = .absent
        case .success(let seen): was = seen
        case .failure(let error): return conflict(pathError(error, link.path))
        }
        if link.awaitsAdoption && (was.kind == nil || was.kind == .symlink || shadowed != nil) {
            return conflict("target \(link.target) does not exist and no regular file is in the way to adopt (conflict: adopt)", was)
        }
        if shadowed == nil && Self.isInPlace(link, was: was) { return actions.append(Self.unchanged(link, was: was)) }
        // Where it would physically be made: never at, inside or around its own target.
        if shadowed == nil, let problem = physical.ownTarget(link, was: was) { return conflict(problem, was) }
        // A relative target beneath a deleted link: from the directory that will be made there.
        let stored = shadowed.map { deleted in
            link.kind == .symlink && !link.stored.isAbsolute
                ? physical.relativeTarget(link, below: deleted) : link.stored
        } ?? link.stored
        // Made where it is appended, so that the common case moves it instead of copying it.
        func action(_ op: Operation, reason: String? = nil) -> Action {
            Action(op, link.path, kind: link.kind, target: stored, was: was, source: link.location, reason: reason)
        }
        switch was.kind {
        case nil:
            let parents: [Path]
            do {
                parents = try missingParents(of: link.path, context, shadowed: shadowed)
            } catch let problem {
                return conflict(problem.reason)
            }
            if !parents.isEmpty && !link.parents {
                return conflict("the parent directory \(parents[0]) does not exist (parents: false)")
            }
            // Only a link that will be made makes its directories, for the links after it.
            context.directories.insert(Paths.parent(link.path))
            context.directories.formUnion(parents)
            var create = action(.create)
            create.parents = parents
            actions.append(create)
        case .symlink?:
            if !link.relink {
                conflict("a symlink to \(was.target.map { "\($0)" } ?? "?") is in the way (relink: false)", was)
            } else {
                actions.append(action(.update))
            }
        case .regular? where link.kind == .hardlink:
            var target = link.targetStatus
            if target == nil {
                do {
                    target = try fileSystem.status(link.stored, follow: true)
                } catch {
                    return conflict(pathError(error, link.stored), was)
                }
            }
            if let target, target.device == was.device && target.inode == was.inode {
                actions.append(action(.unchanged))
            } else if let recorded = previous.links[link.path], recorded.kind == .hardlink,
                      recorded.device == was.device, recorded.inode == was.inode {
                // A hard link mklnk made whose target was replaced (git checkout): re-link it,
                // keeping the old bytes as a backup when they differ.
                let reason = "stale hard link: \(link.stored) was replaced"
                if SameContent.compare(link.path, link.stored, in: fileSystem) {
                    actions.append(action(.update, reason: reason))
                } else if let refusal = BackupName.refusal(link.path) {
                    actions.append(Self.conflict(link, "\(reason), and its bytes differ, but \(refusal)", was))
                } else {
                    var backup = Action(.backup, link.path, kind: .hardlink, was: was, source: link.location,
                                        reason: "its bytes differ from the new \(link.stored)")
                    backup.target = link.stored
                    actions.append(backup)
                    actions.append(action(.create, reason: reason))
                }
            } else {
                inTheWay(link, was, into: &actions, planned: &context.directories, base: context.base)
            }
        default:
            inTheWay(link, was, into: &actions, planned: &context.directories, base: context.base)
        }
    }

    /// Whether a link already is what it must be, decided from the link and what is there
    /// alone (false: `decide` must see, with its context).
    private static func isInPlace(_ link: Link, was: Observation) -> Bool {
        if link.awaitsAdoption { return false }  // its target is missing: decide says why
        switch was.kind {
        case .symlink?: return link.kind.storesTarget && was.target == link.stored
        case .regular? where link.kind == .hardlink:
            guard let target = link.targetStatus else { return false }
            return target.device == was.device && target.inode == was.inode
        default: return false
        }
    }

    private static func unchanged(_ link: Link, was: Observation) -> Action {
        Action(.unchanged, link.path, kind: link.kind, target: link.stored, was: was, source: link.location)
    }

    /// Directories between the nearest existing ancestor and `path`, outermost first. Those at or
    /// beneath `shadowed` (deleted earlier in the plan) are missing whatever is there now.
    private func missingParents(of path: Path, _ context: Context, shadowed: Path?) throws(PlanProblem)
        -> [Path] {
        var missing: [Path] = []
        var dir = Paths.parent(path)
        while !context.directories.contains(dir) && dir != fileSystem.root {
            if let shadowed, Paths.isWithin(dir, shadowed) {
                missing.append(dir)
                dir = Paths.parent(dir)
                continue
            }
            let isDirectory: Bool
            do {
                isDirectory = try fileSystem.isDirectory(dir)
            } catch {
                throw PlanProblem(reason: pathError(error, dir))
            }
            if isDirectory { break }
            let status = try? fileSystem.linkStatus(dir)
            if let status {
                let what = status.kind == .symlink ? "a symlink that does not lead to a directory" : status.kind.described
                throw PlanProblem(reason: "the parent \(dir) is \(what)")
            }
            missing.append(dir)
            dir = Paths.parent(dir)
        }
        return missing.reversed()
    }

    private struct PlanProblem: Error {
        var reason: String
    }

    func pathError(_ error: FileSystemError, _ path: Path) -> String {
        if case .escapesRoot(let via) = error.code {
            return "the parent \(via) is a symlink that leads outside the root"
        }
        return "cannot inspect \(path): \(error.reason)"
    }
}
