import MklnkFileSystem

/// A plan saved by `plan --out`: the actions and what was observed at each path they touch, so
/// `apply --saved` can refuse when the world changed in between.
public struct SavedPlan: Sendable {
    public var plan: Path
    public var root: Path
    public var actions: [Action]
    /// Each action's line in the saved file (from `decode`), for messages.
    public var lines: [Int] = []
    /// The digest of the plan's state when it was saved (`SavedPlanSeal.digest`): another apply
    /// of the plan since then makes the saved plan stale (its prunes and records are not the
    /// state's any more).
    public var stateDigest = "-"
    /// Planned with `--no-prune` (or from standard input): links an earlier apply made that the
    /// plan no longer lists stay recorded in the state, as `apply --no-prune` keeps them.
    public var keepUnlisted = false
    /// The digest of the `--var` values it was planned with (`SavedPlanSeal.digest(of:)`).
    public var variablesDigest = "-"
    /// For each symlink with a relative target (by action index), the physical directory it
    /// was computed from (`SavedPlanDirectories`).
    public var linkDirectories: [Int: Path] = [:]

    /// Why a file is not a saved plan `apply --saved` may read.
    public struct Damage: Error, Sendable {
        public var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    public init(plan: Path, root: Path, actions: [Action]) {
        self.plan = plan
        self.root = root
        self.actions = actions
    }

    static let magic = "mklnk-saved-plan"

    public func encoded() -> [UInt8] {
        var bytes = Record.line([.text(Self.magic), "2", .path(plan), .path(root), .text(stateDigest),
                                 .text(keepUnlisted ? "keep-unlisted" : "prune"), .text(variablesDigest)])
        for (i, a) in actions.enumerated() {
            let w = a.was
            Record.append([
                "action", .text(a.op.rawValue), .path(a.path), .text(a.kind?.rawValue ?? ""), .path(a.target ?? ""),
                .text(a.reason ?? ""), .text(a.source.map { "\($0.file)\t\($0.line)\t\($0.column)" } ?? ""),
                .text(w.kind?.rawValue ?? ""), .path(w.target ?? ""), .text(String(w.device)), .text(String(w.inode)),
                .text(String(w.linkCount)), .text(String(w.size)), .text(String(w.modified)),
            ], to: &bytes)
            for parent in a.parents { Record.append(["parent", .path(parent)], to: &bytes) }
            // A `dirs:` create makes a directory, not a link.
            if a.directory { Record.append(["directory", .text(a.mode.map { String($0, radix: 8) } ?? "")], to: &bytes) }
            if let into = a.adoptedInto { Record.append(["adopt-into", .path(into)], to: &bytes) }
            if let kind = a.targetWas { Record.append(["target-was", .text(kind.rawValue)], to: &bytes) }
            if let dir = linkDirectories[i] { Record.append(["link-dir", .path(dir)], to: &bytes) }
        }
        return SavedPlanSeal.seal(bytes, actions: actions.count)
    }

    /// Whether `bytes` start as a saved plan does (of any format).
    /// Without the prunes (`apply --saved --no-prune`): a prune is a delete, or a kept hard
    /// link, that no plan entry asked for. Their links stay recorded (`keepUnlisted`).
    public func withoutPrunes() -> SavedPlan {
        var kept = SavedPlan(plan: plan, root: root, actions: [])
        (kept.stateDigest, kept.variablesDigest, kept.keepUnlisted) = (stateDigest, variablesDigest, true)
        for (i, a) in actions.enumerated() where !(a.source == nil && (a.op == .delete || a.op == .skip)) {
            if let dir = linkDirectories[i] { kept.linkDirectories[kept.actions.count] = dir }
            if i < lines.count { kept.lines.append(lines[i]) }
            kept.actions.append(a)
        }
        return kept
    }

    public static func looksSaved(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: Array((magic + "\t").utf8))
    }

    /// The saved plan in `bytes`, or why it cannot be applied: not format 2, cut short or
    /// changed (`SavedPlanSeal`), or a line that does not read.
    public static func decode(_ bytes: [UInt8]) -> Result<SavedPlan, Damage> {
        let head = Record.fields(bytes.prefix { $0 != 10 })
        guard head.count >= 2, head[0] == magic else { return .failure(Damage("it is not a saved plan")) }
        guard head.count == 7, head[1] == "2", head[5] == "prune" || head[5] == "keep-unlisted" else {
            return .failure(Damage("it was saved by an earlier mklnk, without a checksum"))
        }
        let body: ArraySlice<UInt8>
        switch SavedPlanSeal.open(bytes) {
        case .success(let b): body = b
        case .failure(let damage): return .failure(damage)
        }
        // Line by line, to know each action's line number.
        var records: [(line: Int, fields: Record.Fields)] = []
        for (n, line) in body.split(separator: 10, omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            records.append((n + 1, Record.fields(line)))
        }
        var saved = SavedPlan(plan: head.path(2), root: head.path(3), actions: [])
        saved.stateDigest = head[4]
        saved.keepUnlisted = head[5] == "keep-unlisted"
        saved.variablesDigest = head[6]
        let unreadable = Damage("a line of it cannot be read")
        for (line, r) in records.dropFirst() {
            if r.count == 2 && r[0] == "link-dir" && !saved.actions.isEmpty {
                saved.linkDirectories[saved.actions.count - 1] = r.path(1)
                continue
            }
            if r.count == 2 && r[0] == "parent" && !saved.actions.isEmpty {
                saved.actions[saved.actions.count - 1].parents.append(r.path(1))
                continue
            }
            if r.count == 2 && r[0] == "target-was" && !saved.actions.isEmpty {
                guard let kind = FileKind(rawValue: r[1]) else { return .failure(unreadable) }
                saved.actions[saved.actions.count - 1].targetWas = kind
                continue
            }
            if r.count == 2 && r[0] == "directory" && !saved.actions.isEmpty {
                guard r[1].isEmpty || UInt32(r[1], radix: 8) != nil else { return .failure(unreadable) }
                saved.actions[saved.actions.count - 1].directory = true
                saved.actions[saved.actions.count - 1].mode = UInt32(r[1], radix: 8)
                continue
            }
            if r.count == 2 && r[0] == "adopt-into" && !saved.actions.isEmpty {
                saved.actions[saved.actions.count - 1].adoptedInto = r.path(1)
                continue
            }
            guard r.count == 14, r[0] == "action", let op = Operation(rawValue: r[1]),
                  let device = UInt64(r[9]), let inode = UInt64(r[10]), let links = UInt64(r[11]),
                  let size = Int64(r[12]), let modified = Int64(r[13])
            else { return .failure(unreadable) }
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
        return .success(saved)
    }
}
