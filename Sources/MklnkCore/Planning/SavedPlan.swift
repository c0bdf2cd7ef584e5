import MklnkFileSystem

/// A plan saved by `plan --out`: the actions and what was observed at each path they touch, so
/// `apply --saved` can refuse when the world changed in between.
public struct SavedPlan: Sendable {
    public var plan: Path
    public var root: Path
    public var actions: [Action]
    /// Each action's line in the saved file (from `decode`), for messages.
    public var lines: [Int] = []

    public init(plan: Path, root: Path, actions: [Action]) {
        self.plan = plan
        self.root = root
        self.actions = actions
    }

    static let magic = "mklnk-saved-plan"

    public func encoded() -> [UInt8] {
        var bytes = Record.line([.text(Self.magic), "1", .path(plan), .path(root)])
        for a in actions {
            let w = a.was
            Record.append([
                "action", .text(a.op.rawValue), .path(a.path), .text(a.kind?.rawValue ?? ""), .path(a.target ?? ""),
                .text(a.reason ?? ""), .text(a.source.map { "\($0.file)\t\($0.line)\t\($0.column)" } ?? ""),
                .text(w.kind?.rawValue ?? ""), .path(w.target ?? ""), .text(String(w.device)), .text(String(w.inode)),
                .text(String(w.linkCount)), .text(String(w.size)), .text(String(w.modified)),
            ], to: &bytes)
            for parent in a.parents { Record.append(["parent", .path(parent)], to: &bytes) }
            if let into = a.adoptedInto { Record.append(["adopt-into", .path(into)], to: &bytes) }
            if let kind = a.targetWas { Record.append(["target-was", .text(kind.rawValue)], to: &bytes) }
        }
        return bytes
    }

    public static func decode(_ bytes: [UInt8]) -> SavedPlan? {
        // Line by line, to know each action's line number.
        var records: [(line: Int, fields: Record.Fields)] = []
        for (n, line) in bytes.split(separator: 10, omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            records.append((n + 1, Record.fields(line)))
        }
        guard let head = records.first?.fields, head.count == 4, head[0] == magic, head[1] == "1" else { return nil }
        var saved = SavedPlan(plan: head.path(2), root: head.path(3), actions: [])
        for (line, r) in records.dropFirst() {
            if r.count == 2 && r[0] == "parent" && !saved.actions.isEmpty {
                saved.actions[saved.actions.count - 1].parents.append(r.path(1))
                continue
            }
            if r.count == 2 && r[0] == "target-was" && !saved.actions.isEmpty {
                guard let kind = FileKind(rawValue: r[1]) else { return nil }
                saved.actions[saved.actions.count - 1].targetWas = kind
                continue
            }
            if r.count == 2 && r[0] == "adopt-into" && !saved.actions.isEmpty {
                saved.actions[saved.actions.count - 1].adoptedInto = r.path(1)
                continue
            }
            guard r.count == 14, r[0] == "action", let op = Operation(rawValue: r[1]),
                  let device = UInt64(r[9]), let inode = UInt64(r[10]), let links = UInt64(r[11]),
                  let size = Int64(r[12]), let modified = Int64(r[13])
            else { return nil }
            var was = Observation(kind: r[7].isEmpty ? nil : FileKind(rawValue: r[7]), target: r[8].isEmpty ? nil : r.path(8))
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
            saved.lines.append(line)
            saved.actions.append(Action(op, r.path(2), kind: ResolvedKind(rawValue: r[3]), target: r[4].isEmpty ? nil : r.path(4),
                                        was: was, source: source, reason: r[5].isEmpty ? nil : r[5]))
        }
        return saved
    }
}
