import MklnkFileSystem

/// A plan saved by `plan --out`: the actions and what was observed at each path they touch, so
/// `apply --saved` can refuse when the world changed in between.
public struct SavedPlan: Sendable {
    public var plan: String
    public var root: String
    public var actions: [Action]

    public init(plan: String, root: String, actions: [Action]) {
        self.plan = plan
        self.root = root
        self.actions = actions
    }

    static let magic = "mklnk-saved-plan"

    public func encoded() -> [UInt8] {
        var text = Record.line([Self.magic, "1", plan, root])
        for a in actions {
            let w = a.was
            text += Record.line([
                "action", a.op.rawValue, a.path, a.kind?.rawValue ?? "", a.target ?? "", a.reason ?? "",
                a.source.map { "\($0.file)\t\($0.line)\t\($0.column)" } ?? "",
                w.kind?.rawValue ?? "", w.target ?? "", String(w.device), String(w.inode), String(w.linkCount),
                String(w.size), String(w.modified),
            ])
            for parent in a.parents { text += Record.line(["parent", parent]) }
            // A `dirs:` create makes a directory, not a link.
            if a.directory { text += Record.line(["directory", a.mode.map { String($0, radix: 8) } ?? ""]) }
        }
        return Array(text.utf8)
    }

    public static func decode(_ bytes: [UInt8]) -> SavedPlan? {
        let records = Record.parse(bytes)
        guard let head = records.first, head.count == 4, head[0] == magic, head[1] == "1" else { return nil }
        var saved = SavedPlan(plan: head[2], root: head[3], actions: [])
        for r in records.dropFirst() {
            if r.count == 2 && r[0] == "parent" && !saved.actions.isEmpty {
                saved.actions[saved.actions.count - 1].parents.append(r[1])
                continue
            }
            if r.count == 2 && r[0] == "directory" && !saved.actions.isEmpty {
                guard r[1].isEmpty || UInt32(r[1], radix: 8) != nil else { return nil }
                saved.actions[saved.actions.count - 1].directory = true
                saved.actions[saved.actions.count - 1].mode = UInt32(r[1], radix: 8)
                continue
            }
            guard r.count == 14, r[0] == "action", let op = Operation(rawValue: r[1]),
                  let device = UInt64(r[9]), let inode = UInt64(r[10]), let links = UInt64(r[11]),
                  let size = Int64(r[12]), let modified = Int64(r[13])
            else { return nil }
            var was = Observation(kind: r[7].isEmpty ? nil : FileKind(rawValue: r[7]), target: r[8].isEmpty ? nil : r[8])
            if was.kind != nil {
                was.device = device
                was.inode = inode
                was.linkCount = links
                was.size = size
                was.modified = modified
            }
            let place = r[6].split(separator: "\t", omittingEmptySubsequences: false)
            let source = place.count == 3 ? Int(place[1]).flatMap { line in
                Int(place[2]).map { SourceLocation(file: String(place[0]), line: line, column: $0) }
            } : nil
            saved.actions.append(Action(op, r[2], kind: ResolvedKind(rawValue: r[3]), target: r[4].isEmpty ? nil : r[4],
                                        was: was, source: source, reason: r[5].isEmpty ? nil : r[5]))
        }
        return saved
    }

    /// Paths whose state differs from what was observed when the plan was saved.
    public func changedPaths(in fileSystem: FileSystem) -> [String] {
        var changed: [String] = []
        for a in actions where a.op != .conflict {
            guard let now = try? Observation.observe(a.path, in: fileSystem) else {
                changed.append(a.path)
                continue
            }
            if !Self.same(a.was, now) { changed.append(a.path) }
            for parent in a.parents where ((try? fileSystem.linkStatus(parent)) ?? nil) != nil {
                changed.append(parent)
            }
        }
        return changed
    }

    private static func same(_ a: Observation, _ b: Observation) -> Bool {
        guard a.kind == b.kind else { return false }
        switch a.kind {
        case nil: return true
        case .symlink?: return Paths.sameBytes(a.target, b.target)
        case .regular?: return a.device == b.device && a.inode == b.inode && a.size == b.size && a.modified == b.modified
        default: return a.device == b.device && a.inode == b.inode
        }
    }
}
