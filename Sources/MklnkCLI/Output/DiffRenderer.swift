import MklnkCore
import MklnkFileSystem

/// The human diff of SPEC §3: one line per change, in the order they will be applied.
struct DiffRenderer {
    let console: Console

    func render(_ actions: [Action], title: String = "Plan", summary: Bool = true, backups: [Path: Path] = [:],
                errors: Int = 0) {
        if console.quiet { return }
        renderLines(actions, backups: backups) { _ in true }
        if summary { console.out.line(summaryLine(Summary(actions), title: title, errors: errors)) }
    }

    /// After an apply: the changes made (all but those of `failed`) and a closing line.
    func renderApplied(_ actions: [Action], backups: [Path: Path], errors: Int = 0, failed: Set<Path> = []) {
        if console.quiet { return }
        // The conflicts `--keep-going` skipped are shown and counted as `plan` shows them (SPEC §3).
        renderLines(actions, backups: backups) { $0.op != .skip && (failed.isEmpty || !failed.contains($0.path)) }
        var s = Summary()
        for i in actions.indices where failed.isEmpty || !failed.contains(actions[i].path) { s.count(actions[i].op) }
        console.out.line("Applied: \(s.create) created, \(s.update) updated, \(s.delete) deleted, "
                         + (s.backup > 0 ? "\(s.backup) backed up, " : "") + (s.adopt > 0 ? "\(s.adopt) adopted, " : "")
                         + "\(s.unchanged) unchanged"
                         + (s.conflict > 0 ? ", \(s.conflict) conflict\(s.conflict == 1 ? "" : "s")" : "")
                         + (errors > 0 ? ", \(errors) error\(errors == 1 ? "" : "s")." : "."))
    }

    /// One line per shown action, written as it is made: a large plan's diff is never held whole.
    /// Details line up after the longest path among the lines that have one (at most 60 columns).
    private func renderLines(_ actions: [Action], backups: [Path: Path], including: (Action) -> Bool) {
        var width = 0
        for i in actions.indices where Self.hasDetail(actions[i]) && including(actions[i]) {
            if let row = row(actions[i], backups) { width = max(width, row.main.count) }
        }
        width = min(60, width)
        for i in actions.indices where including(actions[i]) {
            guard let row = row(actions[i], backups) else { continue }
            var line = console.paint(row.marker, color(row.marker)) + " " + row.main
            if let detail = row.detail {
                line += String(repeating: " ", count: max(0, width - row.main.count) + 3) + "(\(detail))"
            }
            console.out.line(line)
        }
    }

    private static func hasDetail(_ a: Action) -> Bool {
        switch a.op {
        case .create: return a.directory
        case .update, .delete, .backup, .adopt: return true
        case .unchanged, .skip, .conflict: return false
        }
    }

    private func row(_ a: Action, _ backups: [Path: Path]) -> (marker: String, main: String, detail: String?)? {
        if a.op == .unchanged && !console.verbose { return nil }
        let path = console.show(a.path)
        switch a.op {
        case .create where a.directory:
            return ("+", path + "/", "directory" + (a.mode.map { ", mode 0" + String($0, radix: 8) } ?? ""))
        case .create:
            return ("+", "\(path) -> \(target(a))", nil)
        case .update:
            return ("~", "\(path) -> \(target(a))", "was \(was(a))" + (a.reason.map { "; \($0)" } ?? ""))
        case .delete:
            return ("-", path, "was \(was(a))" + (a.reason.map { "; \($0)" } ?? ""))
        case .backup:
            let name = backups[a.path].map { "\(Paths.name($0))" } ?? "\(Paths.name(a.path)).mklnk-backup-<timestamp>"
            return (">", path, "\(a.was.summary), moved aside to \(TerminalText.escape(name))")
        case .adopt:
            return ("<", path, "moved into \(console.show(a.adoptedInto ?? "?")), then linked")
        case .unchanged:
            return console.verbose && a.kind != nil ? ("=", "\(path) -> \(target(a))", nil) : nil
        case .skip:
            return nil
        case .conflict:
            let place = a.source.map { "   [\(TerminalText.escape($0.description))]" } ?? ""
            return ("!", "\(path): \(console.showPaths(in: a.reason ?? "conflict"))\(place)", nil)
        }
    }

    func summaryLine(_ s: Summary, title: String, errors: Int = 0) -> String {
        var parts = ["\(s.create) to create", "\(s.update) to update", "\(s.delete) to delete"]
        if s.backup > 0 { parts.append("\(s.backup) to back up") }
        if s.adopt > 0 { parts.append("\(s.adopt) to adopt") }
        parts.append("\(s.unchanged) unchanged")
        if s.skip > 0 { parts.append("\(s.skip) skipped") }
        parts.append("\(s.conflict) conflict\(s.conflict == 1 ? "" : "s")")
        if errors > 0 { parts.append("\(errors) error\(errors == 1 ? "" : "s")") }
        return "\(title): " + parts.joined(separator: ", ") + "."
    }

    private func target(_ a: Action) -> String {
        let t = console.show(a.target ?? "?")
        switch a.kind {
        case .hardlink?: return t + " (hard link)"
        case .junction?: return t + " (junction)"
        default: return t
        }
    }

    private func was(_ a: Action) -> String {
        if a.was.kind == .symlink { return "-> " + console.show(a.was.target ?? "?") }
        return a.was.summary
    }

    private func color(_ marker: String) -> String {
        switch marker {
        case "+": return "32"
        case "~": return "33"
        case "-": return "31"
        case ">", "<": return "36"
        case "!": return "1;31"
        default: return "2"
        }
    }
}
