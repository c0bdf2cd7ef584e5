import MklnkCore
import MklnkFileSystem

/// The human diff of SPEC §3: one line per change, in the order they will be applied.
struct DiffRenderer {
    let console: Console

    func render(_ actions: [Action], title: String = "Plan", summary: Bool = true, backups: [Path: Path] = [:],
                errors: Int = 0) {
        if console.quiet { return }
        var rows: [(marker: String, main: String, detail: String?)] = []
        for i in actions.indices {
            if actions[i].op == .unchanged && !console.verbose { continue }
            let a = actions[i]
            let path = console.show(a.path)
            switch a.op {
            case .create where a.directory:
                rows.append(("+", path + "/", "directory" + (a.mode.map { ", mode 0" + String($0, radix: 8) } ?? "")))
            case .create:
                rows.append(("+", "\(path) -> \(target(a))", nil))
            case .update:
                rows.append(("~", "\(path) -> \(target(a))", "was \(was(a))" + (a.reason.map { "; \($0)" } ?? "")))
            case .delete:
                rows.append(("-", path, "was \(was(a))" + (a.reason.map { "; \($0)" } ?? "")))
            case .backup:
                let name = backups[a.path].map { "\(Paths.name($0))" } ?? "\(Paths.name(a.path)).mklnk-backup-<timestamp>"
                rows.append((">", path, "\(a.was.summary), moved aside to \(TerminalText.escape(name))"))
            case .adopt:
                rows.append(("<", path, "moved into \(console.show(a.adoptedInto ?? "?")), then linked"))
            case .unchanged:
                if console.verbose && a.kind != nil { rows.append(("=", "\(path) -> \(target(a))", nil)) }
            case .skip:
                break
            case .conflict:
                let place = a.source.map { "   [\(TerminalText.escape($0.description))]" } ?? ""
                rows.append(("!", "\(path): \(console.showPaths(in: a.reason ?? "conflict"))\(place)", nil))
            }
        }
        let width = min(60, rows.filter { $0.detail != nil }.map { $0.main.count }.max() ?? 0)
        for row in rows {
            var line = console.paint(row.marker, color(row.marker)) + " " + row.main
            if let detail = row.detail {
                line += String(repeating: " ", count: max(0, width - row.main.count) + 3) + "(\(detail))"
            }
            console.out.line(line)
        }
        if summary { console.out.line(summaryLine(Summary(actions), title: title, errors: errors)) }
    }

    /// After an apply: the changes made and a closing line.
    func renderApplied(_ actions: [Action], backups: [Path: Path], errors: Int = 0) {
        if console.quiet { return }
        // The conflicts `--keep-going` skipped are shown and counted as `plan` shows them (SPEC §3).
        render(actions.filter { $0.op != .skip }, title: "Applied", summary: false, backups: backups)
        let s = Summary(actions)
        console.out.line("Applied: \(s.create) created, \(s.update) updated, \(s.delete) deleted, "
                         + (s.backup > 0 ? "\(s.backup) backed up, " : "") + (s.adopt > 0 ? "\(s.adopt) adopted, " : "")
                         + "\(s.unchanged) unchanged"
                         + (s.conflict > 0 ? ", \(s.conflict) conflict\(s.conflict == 1 ? "" : "s")" : "")
                         + (errors > 0 ? ", \(errors) error\(errors == 1 ? "" : "s")." : "."))
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
