import MklnkCore
import MklnkFileSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Markdown that `plan` and `apply` append to `$GITHUB_STEP_SUMMARY`: a table of the
/// changes and conflicts, the errors, and the counts.
struct StepSummary {
    /// GitHub shows at most 1 MiB of summary per step; a table this long is already too long to read.
    static let maxRows = 500

    let console: Console

    func markdown(command: String, report: Report, exit: Int32) -> String {
        let title = report.plan.map { console.show($0) } ?? "mklnk"
        var out = "### mklnk \(command): \(cell(title))\n\n"
        let rows = report.actions.indices.filter { report.actions[$0].op != .unchanged }
        if !rows.isEmpty {
            out += "| | Link | Target | Note |\n|---|---|---|---|\n"
            for i in rows.prefix(Self.maxRows) {
                let a = report.actions[i]
                let note = a.op == .conflict || a.op == .skip ? a.reason ?? "" : a.was.kind.map { _ in "was " + was(a.was) } ?? ""
                out += "| \(a.op.rawValue) | \(cell(console.show(a.path))) | \(cell(a.target.map(console.show) ?? "")) | "
                    + "\(cell(console.showPaths(in: note))) |\n"
            }
            if rows.count > Self.maxRows { out += "\n…and \(TerminalText.grouped(rows.count - Self.maxRows)) more.\n" }
            out += "\n"
        }
        let errors = report.diagnostics.sorted.filter { $0.severity == .error }
        for d in errors.prefix(50) {
            out += "- " + cell(d.location.map { "\($0): " } ?? "") + cell(console.showPaths(in: d.message)) + "\n"
        }
        if errors.count > 50 { out += "- …and \(TerminalText.grouped(errors.count - 50)) more errors\n" }
        if !errors.isEmpty { out += "\n" }
        let s = Summary(report.actions), c = report.effectiveCounters
        out += "**\(outcome(command: command, report: report, exit: exit))** — \(s.create) to create, \(s.update) to update, "
            + "\(s.delete) to delete, \(s.unchanged) unchanged, \(s.conflict) conflict\(s.conflict == 1 ? "" : "s"); "
            + "\(c.errors) error\(c.errors == 1 ? "" : "s"). Exit \(exit).\n\n"
        return out
    }

    /// Appends to the file `$GITHUB_STEP_SUMMARY` names; a summary is a courtesy, so a failure is a warning.
    static func append(_ text: String, to file: Path) -> Bool {
        let fd = file.withCString { open($0, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    private func outcome(command: String, report: Report, exit: Int32) -> String {
        switch exit {
        case 65: return "Invalid plan"
        case 75: return "Locked"
        case 64: return "Usage error"
        default: break
        }
        if let applied = report.applied { return applied ? "Applied" : "Not applied" }
        return exit == 1 ? "Cannot be applied" : "Plan"
    }

    private func was(_ o: Observation) -> String {
        o.kind == .symlink ? "-> " + console.show(o.target ?? "?") : o.summary
    }

    /// Text inside a table cell: Markdown and HTML taken literally, one line.
    private func cell(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "|", "\\", "`", "*", "_", "[", "]", "<", ">", "#", "!", "~": out += "\\" + String(c)
            case "\n", "\r": out += " "
            default: out.append(c)
            }
        }
        return out
    }
}
