import MklnkFileSystem

/// The actions of `clean:` and `dirs:` (SPEC §1). Reads only.
extension Planner {
    /// The reason of a `clean:` delete; `apply --saved` re-checks that such a link still dangles.
    static let cleanReason = "a dangling symlink into base (clean)"

    /// A delete for every dangling symlink in the `clean:` directories that points into base.
    /// Planned link paths and paths already deleted are left to their own actions; nothing that
    /// is not a dangling symlink is ever touched.
    func planCleans(_ plan: Plan, linkPaths: Set<Path>, deleted: Set<Path>) -> [Action] {
        var actions: [Action] = []
        var seen = deleted.union(linkPaths)
        let bases = [plan.base, CanonicalTarget.resolve(plan.base)]
        func scan(_ dir: Path, _ clean: PlanClean, depth: Int) {
            let entries: [DirectoryEntry]
            do throws(FileSystemError) {
                entries = try fileSystem.directoryEntries(dir)
            } catch {
                // A directory that is not there has nothing to clean (as in dotbot).
                if error.isNotFound { return }
                var problem = Action(.conflict, dir, source: clean.location)
                problem.reason = Self.cleanError(error, dir)
                actions.append(problem)
                return
            }
            for entry in entries.sorted(by: { $0.name < $1.name }) {
                let path = Paths.join(dir, entry.name)
                guard let was = try? Observation.observe(path, in: fileSystem) else { continue }
                if was.kind == .directory {
                    // Never through a symlink: that is what was.kind == .directory means here.
                    if clean.recursive && depth < 64 { scan(path, clean, depth: depth + 1) }
                    continue
                }
                guard was.kind == .symlink, let target = was.target, !seen.contains(path) else { continue }
                // Dangling: following it finds nothing (an unreadable one is left alone).
                guard case .some(.none) = try? fileSystem.status(path, follow: true) else { continue }
                let pointsAt = CanonicalTarget.resolve(Paths.absolute(target, base: dir))
                guard bases.contains(where: { Paths.isWithin(pointsAt, $0) || pointsAt == $0 }) else { continue }
                seen.insert(path)
                actions.append(Action(.delete, path, kind: .symlink, target: target, was: was, source: clean.location,
                                      reason: Self.cleanReason))
            }
        }
        for clean in plan.cleans { scan(clean.path, clean, depth: 0) }
        return actions
    }

    /// A create for every `dirs:` directory that does not exist yet, with its missing parents.
    /// `known` holds directories that exist or will, and receives the new ones.
    func planDirectories(_ plan: Plan, linkPaths: Set<Path>, deleted: Set<Path>, known: inout Set<Path>) -> [Action] {
        var actions: [Action] = []
        for item in plan.directories where !known.contains(item.path) {
            func conflict(_ reason: String) {
                var a = Action(.conflict, item.path, source: item.location, reason: reason)
                a.directory = true
                actions.append(a)
            }
            // Made through a planned link, it would land in that link's target.
            var p = item.path
            var through: Path?
            while p != "/" && p != fileSystem.root {
                if linkPaths.contains(p) { through = p }
                p = Paths.parent(p)
            }
            if let through { conflict("it lies in the planned link \(through)"); continue }
            var missing: [Path] = []
            var dir = item.path
            var problem: String?
            while dir != fileSystem.root && !known.contains(dir) {
                // A dangling link that `clean:` or `remove:` deletes first leaves room for it.
                if deleted.contains(dir) {
                    missing.append(dir)
                    dir = Paths.parent(dir)
                    continue
                }
                do throws(FileSystemError) {
                    if try fileSystem.isDirectory(dir) { break }
                    if let status = try fileSystem.linkStatus(dir) {
                        let what = status.kind == .symlink ? "a symlink that does not lead to a directory" : status.kind.described
                        problem = dir == item.path ? "\(what) is in the way of the directory" : "the parent \(dir) is \(what)"
                        break
                    }
                } catch {
                    problem = Self.cleanError(error, dir)
                    break
                }
                missing.append(dir)
                dir = Paths.parent(dir)
            }
            if let problem { conflict(problem); continue }
            known.insert(item.path)
            guard !missing.isEmpty else { continue }  // there already
            missing.reverse()
            known.formUnion(missing)
            var create = Action(.create, item.path, source: item.location)
            create.directory = true
            create.mode = item.mode
            create.parents = Array(missing.dropLast())
            actions.append(create)
        }
        return actions
    }

    private static func cleanError(_ error: FileSystemError, _ path: Path) -> String {
        if case .escapesRoot(let via) = error.code { return "the parent \(via) is a symlink that leads outside the root" }
        return "cannot inspect \(path): \(error.reason)"
    }
}
