import MklnkFileSystem

/// Re-checks a saved plan before `apply --saved` carries it out (SPEC §2, §4): the tree may have
/// changed since it was saved, and the file is data anyone can edit. Every rule `plan` applies
/// is checked again against what is there now: only links are deleted or replaced, never a
/// file's last name (counted over the whole plan), prunes only of links as mklnk left them,
/// stale hard links re-linked only over equal bytes, every path beneath the root.
public struct SavedPlanCheck {
    public struct Problem: Sendable, Equatable {
        public var path: Path
        /// The plan entry the action came from, if any.
        public var source: SourceLocation?
        /// The action's line in the saved plan.
        public var line: Int
        public var reason: String
    }

    public let fileSystem: FileSystem
    /// The state of the saved plan's plan, now.
    public let previous: AppliedState

    public init(fileSystem: FileSystem, previous: AppliedState) {
        self.fileSystem = fileSystem
        self.previous = previous
    }

    /// Every rule that no longer holds, in the order of the actions; empty when it may be applied.
    public func problems(in saved: SavedPlan, keepGoing: Bool) -> [Problem] {
        var problems: [Problem] = []
        let root = saved.root
        guard root.isAbsolute, Paths.normalize(root) == root, root == fileSystem.root else {
            return [Problem(path: root, source: nil, line: 1, reason: "the saved root is not an absolute, normal path")]
        }
        // Its prunes and the state it will write were worked out from the state as it was.
        if saved.stateDigest != SavedPlanSeal.digest(of: previous) {
            problems.append(Problem(path: saved.plan, source: nil, line: 1,
                                    reason: "the state of this plan changed since the plan was saved (another apply or destroy of it ran)"))
        }
        let physical = PhysicalPaths(fileSystem: fileSystem)
        var removed: [Inode: UInt64] = [:]
        var reported: Set<Path> = []  // each path once: a backup and its create are one change
        for (i, a) in saved.actions.enumerated() {
            func problem(_ reason: String, _ path: Path? = nil) {
                guard reported.insert(path ?? a.path).inserted else { return }
                problems.append(Problem(path: path ?? a.path, source: a.source,
                                        line: i < saved.lines.count ? saved.lines[i] : 0, reason: reason))
            }
            guard Paths.normalize(a.path) == a.path, Paths.isWithin(a.path, root), a.path != root else {
                problem("it is not beneath the root \(root)")
                continue
            }
            // An adoption's parents are those of where the file goes (checked by adoptionRule).
            if a.op != .adopt, let outside = a.parents.first(where: { !Paths.isWithin(a.path, $0) || !Paths.isWithin($0, root) || $0 == root }) {
                problem("its parent \(outside) is not between it and the root", outside)
                continue
            }
            if a.op == .unchanged || a.op == .skip { continue }
            if a.op == .conflict {
                if !keepGoing { problem("it is a conflict: \(a.reason ?? "it cannot be carried out")") }
                continue
            }
            if let moved = SavedPlanDirectories.moved(saved, i, physical: physical) {
                problem(moved)
                continue
            }
            let now: Observation
            do {
                now = try Observation.observe(a.path, in: fileSystem)
            } catch {
                if case .escapesRoot(let via) = error.code {
                    problem("the parent \(via) is a symlink that leads outside the root")
                } else {
                    problem("cannot inspect it: \(error.reason)")
                }
                continue
            }
            let previousAction = i > 0 ? saved.actions[i - 1] : nil
            let afterBackup = a.op == .create && previousAction?.op == .backup && previousAction?.path == a.path
            let broken = rule(a, now, next: i + 1 < saved.actions.count ? saved.actions[i + 1] : nil,
                              afterBackup: afterBackup, &removed)
            if !Self.same(a.was, now) {
                problem("it changed since the plan was saved" + (broken.map { ": " + $0 } ?? ""))
            } else if let broken {
                problem(broken)
            } else if let parent = a.parents.first(where: { ((try? fileSystem.linkStatus($0)) ?? nil) != nil }) {
                problem("it changed since the plan was saved", parent)
            }
        }
        return problems
    }

    private struct Inode: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    /// The rule `plan` applies to this action, checked against what is at its path `now`.
    private func rule(_ a: Action, _ now: Observation, next: Action?, afterBackup: Bool,
                      _ removed: inout [Inode: UInt64]) -> String? {
        let what = now.kind.map { "a " + Self.noun($0) } ?? "nothing"
        switch a.op {
        case .create:
            if now.kind != nil && !afterBackup { return "\(what) is there now, and a create never replaces anything" }
            guard let target = a.target, !target.isEmpty else { return "it has no target" }
            if let gone = targetChanged(a) { return gone }
            if a.kind == .hardlink {
                let file = try? fileSystem.status(target, follow: true)
                if file?.kind != .regular { return "its hard-link target \(target) is not an existing regular file" }
            }
            return nil
        case .update:
            if now.kind == .symlink { return targetChanged(a) }
            guard now.kind == .regular, a.kind == .hardlink, let target = a.target else {
                return "\(what) is there, not a link: an update replaces only links"
            }
            // A stale hard link: one mklnk made (state), over bytes equal to the new target's.
            guard let recorded = previous.links[a.path], recorded.kind == .hardlink,
                  recorded.device == now.device, recorded.inode == now.inode else {
                return "it is a regular file that mklnk did not link, not a stale hard link"
            }
            if !sameContents(a.path, target) { return "its bytes differ from \(target): re-linking would lose them" }
            return nil
        case .backup:
            guard now.kind != nil, now.kind != .symlink else { return "\(what) is there: a backup moves only a file or directory aside" }
            guard let next, next.op == .create, next.path == a.path else { return "a backup must be followed by the link it makes room for" }
            if let refusal = BackupName.refusal(a.path) { return refusal }
            return nil
        case .delete:
            let prune = a.source == nil
            switch now.kind {
            case .symlink?:
                if prune, previous.links[a.path].map({ $0.kind == .hardlink || $0.stored != now.target }) ?? true {
                    return "it is not the link an earlier apply made (prunes delete only those)"
                }
                if a.reason == Planner.cleanReason, case .some(.some) = try? fileSystem.status(a.path, follow: true) {
                    return "it no longer dangles (clean deletes only dangling symlinks)"
                }
                return nil
            case .regular? where a.kind == .hardlink:
                if prune, previous.links[a.path].map({ $0.kind != .hardlink || $0.device != now.device || $0.inode != now.inode }) ?? true {
                    return "it is not the hard link an earlier apply made (prunes delete only those)"
                }
                let key = Inode(device: now.device, inode: now.inode)
                let count = removed[key, default: 0] + 1
                if count >= now.linkCount { return "it is the last link to its file (remove never deletes a file's last name)" }
                removed[key] = count
                return nil
            default:
                return "it is \(what)\(now.kind == .regular && now.linkCount <= 1 ? " with one name" : ""), not a link (remove deletes only links)"
            }
        case .adopt:
            return adoptionRule(a, now)
        case .unchanged, .skip, .conflict:
            return nil
        }
    }

    /// `plan` refuses a link to a missing target (`missing: error`) and a junction to anything but
    /// a directory: a target that was there when the plan was saved must still be, as the same kind.
    /// (Hard links are checked by their own rule.)
    private func targetChanged(_ a: Action) -> String? {
        guard let was = a.targetWas, a.kind != .hardlink, let target = a.target, !target.isEmpty else { return nil }
        // A relative symlink target resolves from the link's directory, as the kernel does; a
        // directory the apply will make is not there yet, so its `..` are taken as written.
        let joined = target.isAbsolute ? target : Paths.join(Paths.parent(a.path), target)
        let resolved = a.parents.isEmpty ? joined : Paths.normalize(joined)
        guard let now = try? fileSystem.status(resolved, follow: true) else {
            return "its target \(target) no longer exists"
        }
        if now.kind != was { return "its target \(target) is now a \(Self.noun(now.kind)), not a \(Self.noun(was))" }
        return nil
    }

    private func sameContents(_ a: Path, _ b: Path) -> Bool {
        guard let x = try? fileSystem.readFile(a), let y = try? fileSystem.readFile(b) else { return false }
        return x == y
    }

    private static func noun(_ kind: FileKind) -> String {
        switch kind {
        case .regular: return "regular file"
        case .directory: return "directory"
        case .symlink: return "symlink"
        case .other: return "special file"
        }
    }

    /// Whether what is at a path is still what was observed: the kind, a symlink's target, a
    /// file's inode, size, modification time and number of names.
    static func same(_ a: Observation, _ b: Observation) -> Bool {
        guard a.kind == b.kind else { return false }
        switch a.kind {
        case nil: return true
        case .symlink?: return a.target == b.target
        case .regular?:
            return a.device == b.device && a.inode == b.inode && a.size == b.size && a.modified == b.modified
                && a.linkCount == b.linkCount
        default: return a.device == b.device && a.inode == b.inode
        }
    }
}
