import MklnkCore
import MklnkFileSystem

/// The `--json` document of SPEC §3: one stable document with absolute paths.
enum JSONRenderer {
    static func document(plan: Path?, root: Path?, actions: [Action], counters: Counters,
                         diagnostics: Diagnostics, extra: [(String, JSON)] = []) -> String {
        // Sources name the plan by its absolute path, like every other path in the document.
        let planDirectory = plan.map(Paths.parent)
        func source(_ location: SourceLocation?) -> JSON {
            guard var location else { return .null }
            if let plan, !location.file.hasPrefix("/"), !location.file.hasPrefix("<") {
                let file = Path(location.file)
                let absolute = Paths.name(file) == Paths.name(plan) ? plan : Paths.absolute(file, base: planDirectory ?? "/")
                location.file = String(decoding: absolute.bytes, as: UTF8.self)
            }
            return .string(location.description)
        }
        let s = Summary(actions)
        var pairs: [(String, JSON)] = [
            ("version", .int(1)),
            ("plan", .optional(plan)),
            ("root", .optional(root)),
            ("actions", .array(actions.map { action($0, source: source($0.source)) })),
            ("summary", .object([
                ("create", .int(s.create)), ("update", .int(s.update)), ("delete", .int(s.delete)),
                ("backup", .int(s.backup)), ("unchanged", .int(s.unchanged)), ("skip", .int(s.skip)),
                ("conflict", .int(s.conflict)),
            ])),
            ("counters", .object(counters.pairs.map { ($0.0, .int($0.1)) })),
            ("diagnostics", .array(diagnostics.sorted.map(diagnostic))),
        ]
        pairs += extra
        var out = ""
        JSON.object(pairs).render(into: &out)
        return out
    }

    static func action(_ a: Action, source: JSON) -> JSON {
        .object([
            ("op", .string(a.op.rawValue)),
            ("path", .path(a.path)),
            ("kind", .optional(a.directory ? "directory" : a.kind?.rawValue)),
            ("target", .optional(a.target)),
            ("was", was(a.was)),
            ("source", source),
            ("reason", .optional(a.reason)),
        ])
    }

    private static func was(_ o: Observation) -> JSON {
        switch o.kind {
        case nil: return .null
        case .symlink?: return .path("-> " + (o.target ?? ""))
        default: return .string(o.summary)
        }
    }

    static func diagnostic(_ d: Diagnostic) -> JSON {
        .object([
            ("severity", .string(d.severity.rawValue)),
            ("message", .string(d.message)),
            ("location", .optional(d.location?.description)),
        ])
    }
}
