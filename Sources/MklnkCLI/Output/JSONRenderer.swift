import MklnkCore
import MklnkFileSystem

/// The `--json` document of SPEC §3: one stable document with absolute paths. Its keys are
/// listed in the README's Output section; add keys, never rename them.
enum JSONRenderer {
    static func document(_ report: Report, exit: Int32, workingDirectory: Path) -> String {
        // Places name the plan by its absolute path, like every other path in the document.
        func place(_ location: SourceLocation?) -> JSON {
            guard var location else { return .null }
            if !location.file.hasPrefix("/") && !location.file.hasPrefix("<") {
                location.file = String(decoding: Paths.absolute(Path(location.file), base: workingDirectory).bytes, as: UTF8.self)
            }
            return .string(location.description)
        }
        func diagnostic(_ d: Diagnostic) -> JSON {
            .object([
                ("severity", .string(d.severity.rawValue)),
                ("message", .string(d.message)),
                ("location", place(d.location)),
                ("notes", .array(d.notes.map(diagnostic))),
            ])
        }
        let s = Summary(report.actions)
        var pairs: [(String, JSON)] = [
            ("version", .int(1)),
            ("plan", .optional(report.plan)),
            ("root", .optional(report.root)),
            ("actions", .array(report.actions.map { action($0, source: place($0.source)) })),
            ("summary", .object([
                ("create", .int(s.create)), ("update", .int(s.update)), ("delete", .int(s.delete)),
                ("backup", .int(s.backup)), ("unchanged", .int(s.unchanged)), ("skip", .int(s.skip)),
                ("conflict", .int(s.conflict)),
            ] + (s.adopt > 0 ? [("adopt", .int(s.adopt))] : []))),
            ("counters", .object(report.effectiveCounters.pairs.map { ($0.0, .int($0.1)) })),
            ("diagnostics", .array(report.diagnostics.sorted.map(diagnostic))),
        ]
        if let applied = report.applied {
            pairs.append(("applied", .bool(applied)))
            pairs.append(("failures", .array(report.failures.map {
                .object([("path", .path($0.path)), ("message", .string($0.message))])
            })))
        }
        if let backups = report.backups {
            pairs.append(("backups", .array(backups.map { .object([("path", .path($0.path)), ("backup", .path($0.backup))]) })))
        }
        pairs.append(("exit", .int(Int(exit))))
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

    /// What was at the path, as a value: `{"kind":"symlink","target":"/x"}`,
    /// `{"kind":"regular","links":2}`, `{"kind":"directory"}`, `{"kind":"other"}`; null for nothing.
    static func was(_ o: Observation) -> JSON {
        guard let kind = o.kind else { return .null }
        switch kind {
        case .symlink: return .object([("kind", .string("symlink")), ("target", .optional(o.target))])
        case .regular: return .object([("kind", .string("regular")), ("links", .int(Int(o.linkCount)))])
        case .directory, .other: return .object([("kind", .string(kind.rawValue))])
        }
    }
}
