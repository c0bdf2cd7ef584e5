#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

/// The steps of a transaction: what each action becomes, with its scratch and backup names.
extension Transaction {
    /// The steps for `actions`, and for each step the index of the action it serves (a backup
    /// step serves that action and the next). Flat arrays: at 100,000 links an array per step
    /// cost megabytes.
    static func steps(for actions: [Action], transaction: String, fileSystem: FileSystem) -> ([Step], [Int]) {
        var steps: [Step] = []
        var owners: [Int] = []
        // Exactly: one step per action and one per parent directory (grown by doubling, the
        // steps of 100,000 new links in 1,000 new directories took twice their room).
        let count = actions.reduce(0) { $0 + $1.parents.count + 1 }
        steps.reserveCapacity(count)
        owners.reserveCapacity(count)
        var reservedBackups = Set<Path>()
        let stamp = timestamp()
        func scratch(_ path: Path) -> Path {
            Paths.parent(path) + "/.mklnk-\(transaction)-\(steps.count)"
        }
        var i = 0
        while i < actions.count {
            let a = actions[i]
            switch a.op {
            case .backup where i + 1 < actions.count && actions[i + 1].path == a.path:
                let next = actions[i + 1]
                var name = a.path + ".mklnk-backup-\(stamp)"
                var n = 1
                while reservedBackups.contains(name) || ((try? fileSystem.linkStatus(name)) ?? nil) != nil {
                    n += 1
                    name = a.path + ".mklnk-backup-\(stamp)-\(n)"
                }
                reservedBackups.insert(name)
                steps.append(.backup(path: a.path, link: NewLink(kind: next.kind ?? .symlink, target: next.target ?? ""),
                                     temporary: scratch(a.path), backup: name, original: Original(a.was)))
                owners.append(i)
                i += 2
                continue
            case .create:
                for parent in a.parents {
                    steps.append(.makeDirectory(path: parent))
                    owners.append(i)
                }
                if a.directory {
                    // Made no more open than its mode (the umask may narrow it; setMode sets it exactly).
                    steps.append(.makeDirectory(path: a.path, mode: a.mode.map { $0 & 0o777 } ?? 0o755))
                    owners.append(i)
                    if let mode = a.mode {
                        steps.append(.setMode(path: a.path, mode: mode))
                        owners.append(i)
                    }
                } else {
                    steps.append(.create(path: a.path, link: NewLink(kind: a.kind ?? .symlink, target: a.target ?? "")))
                    owners.append(i)
                }
            case .update:
                steps.append(.replace(path: a.path, link: NewLink(kind: a.kind ?? .symlink, target: a.target ?? ""),
                                      temporary: scratch(a.path), original: Original(a.was)))
                owners.append(i)
            case .delete where a.kind == nil && a.was.kind == .directory:
                steps.append(.removeDirectory(path: a.path))  // destroy: a directory mklnk made
                owners.append(i)
            case .delete:
                steps.append(.delete(path: a.path, trash: scratch(a.path), original: Original(a.was),
                                     dangling: a.reason == Planner.cleanReason))
                owners.append(i)
            case .adopt:
                steps.append(.adopt(path: a.path, link: NewLink(kind: a.kind ?? .symlink, target: a.target ?? ""),
                                    temporary: scratch(a.path), destination: a.adoptedInto ?? "", parents: a.parents,
                                    original: Original(a.was)))
                owners.append(i)
            default:
                break
            }
            i += 1
        }
        return (steps, owners)
    }

    /// `YYYYmmddTHHMMSS` in local time, for backup names.
    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let n = strftime(&buffer, buffer.count, "%Y%m%dT%H%M%S", &parts)
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
