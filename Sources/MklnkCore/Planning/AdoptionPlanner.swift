import MklnkFileSystem

/// `conflict: adopt` (SPEC §1): the file in the way becomes the managed copy. It moves, by one
/// rename on its own filesystem, to the target path in `base`, and the link takes its place.
extension Planner {
    /// What to do about `was`, a non-link at the link path: one adopt action; a backup and a
    /// create when the target already holds the same bytes; or a conflict.
    /// `planned` holds the directories known to exist or be made, and the destinations already
    /// taken by earlier adoptions of this plan.
    func adoption(of link: Link, _ was: Observation, what: String, planned: inout Set<Path>, base: Path) -> [Action] {
        func action(_ op: Operation, _ reason: String?) -> Action {
            Action(op, link.path, kind: link.kind, target: link.stored, was: was, source: link.location, reason: reason)
        }
        guard was.kind == .regular else {
            return [action(.conflict, "\(what) is in the way (conflict: adopt moves only a regular file)")]
        }
        // For a hard link, the file it names (physical); otherwise the target as written.
        let destination = link.kind == .hardlink ? link.stored : link.target
        let anywhere = fileSystem.underlying.unconfined()  // base lies outside root as often as not
        if adoptsOnlyIntoBase, let outside = Self.outsideBase(destination, base, anywhere) {
            return [action(.conflict, outside)]
        }
        let existing: FileStatus?
        do {
            existing = try anywhere.status(destination, follow: false)
        } catch {
            return [action(.conflict, "cannot adopt into \(destination): \(error.reason)")]
        }
        if planned.contains(destination) {
            return [action(.conflict, "another link of this plan adopts a file into \(destination) (conflict: adopt)")]
        }
        if existing != nil {
            guard !identical(link.path, destination, anywhere) else {
                if let refusal = BackupName.refusal(link.path) {
                    return [action(.conflict, "\(destination) already holds the same bytes (conflict: adopt), but the file in the way cannot be kept as a backup: \(refusal)")]
                }
                return [action(.backup, "\(destination) already holds the same bytes (conflict: adopt); the file in the way is kept as a backup"),
                        action(.create, nil)]
            }
            return [action(.conflict, "a regular file is in the way and its target \(destination) already exists with other bytes (conflict: adopt never overwrites)")]
        }
        // Missing directories up to the first that exists or an earlier action makes; the
        // filesystem is that of the nearest existing one.
        var parents: [Path] = []
        var dir = Paths.parent(destination)
        var device: UInt64?
        var collecting = true
        while true {
            if planned.contains(dir) { collecting = false }
            let status: FileStatus?
            do {
                status = try anywhere.status(dir, follow: true)
            } catch {
                return [action(.conflict, "cannot adopt into \(destination): \(dir): \(error.reason)")]
            }
            if let status {
                guard status.kind == .directory else {
                    return [action(.conflict, "cannot adopt into \(destination): \(dir) is \(status.kind.described), not a directory")]
                }
                device = status.device
                break
            }
            if collecting { parents.append(dir) }
            if dir == "/" { break }
            dir = Paths.parent(dir)
        }
        parents.reverse()
        if let device, device != was.device {
            return [action(.conflict, "cannot adopt across filesystems: \(link.path) and \(destination) are on different devices (adopt only renames, it never copies)")]
        }
        planned.insert(destination)
        planned.formUnion(parents)
        var adopt = action(.adopt, "moved into \(destination), then linked")
        adopt.adoptedInto = destination
        adopt.parents = parents
        return [adopt]
    }

    /// Whether two files (followed) hold the same bytes.
    private func identical(_ a: Path, _ b: Path, _ fileSystem: FileSystem) -> Bool {
        guard let x = try? fileSystem.readFile(a), let y = try? fileSystem.readFile(b) else { return false }
        return x == y
    }
}
