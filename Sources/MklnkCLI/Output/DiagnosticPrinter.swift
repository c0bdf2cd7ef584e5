import MklnkCore

/// Prints diagnostics as `FILE:LINE:COLUMN: severity: message`, with the source line and a
/// caret under the column when stderr is a terminal; under GitHub Actions each also as a
/// workflow command. A flood is capped: the first `perKind` of a kind, then one line that
/// counts the rest (`--json` keeps every one).
struct DiagnosticPrinter {
    let console: Console
    var annotations: GitHubAnnotations?
    /// File contents, split in lines, read once per file for the snippets.
    private var sources: [String: [String]] = [:]

    static let perKind = 20

    init(console: Console, annotations: GitHubAnnotations? = nil) {
        self.console = console
        self.annotations = annotations
    }

    mutating func print(_ diagnostics: Diagnostics, downgrade: Failure? = nil) {
        var shown: [String: Int] = [:]
        var capped: [(kind: String, severity: Severity, count: Int)] = []
        for d in diagnostics.sorted {
            var d = d
            if let downgrade, d.severity == .error, d.failure == downgrade { d.severity = .warning }
            if let annotations { console.err.line(annotations.command(d)) }
            if console.quiet && d.severity != .error { continue }
            let kind = d.severity.rawValue + ": " + Self.kind(of: d.message)
            let n = shown[kind, default: 0] + 1
            shown[kind] = n
            if n <= Self.perKind {
                print(d)
            } else if n == Self.perKind + 1 {
                capped.append((kind, d.severity, 1))
            } else if let i = capped.firstIndex(where: { $0.kind == kind }) {
                capped[i].count += 1
            }
        }
        for c in capped {
            let noun = c.severity == .error ? "error" : c.severity == .warning ? "warning" : "note"
            let like = String(c.kind.dropFirst(c.severity.rawValue.count + 2))
            console.err.line(console.paint("mklnk:", "1", stderr: true) + " " + paint(c.severity) + " and "
                             + TerminalText.grouped(c.count) + " more \(noun)\(c.count == 1 ? "" : "s") like '"
                             + TerminalText.escape(like) + "' (--json lists every one)")
        }
        console.err.flush()
    }

    mutating func print(_ d: Diagnostic) {
        let place = d.location.map { TerminalText.escape("\($0)") } ?? "mklnk"
        console.err.line(console.paint(place + ":", "1", stderr: true) + " " + paint(d.severity) + " "
                         + console.showPaths(in: d.message))
        if console.errColor, let location = d.location, let line = sourceLine(location) {
            let shown = TerminalText.escape(line)
            console.err.line("  " + shown)
            // The caret stays under the column only when the line needed no escapes.
            if shown == line {
                let pad = String(line.prefix(max(0, location.column - 1)).map { $0 == "\t" ? "\t" : " " })
                console.err.line("  " + pad + console.paint("^", "1;32", stderr: true))
            }
        }
        for note in d.notes { print(note) }
    }

    private func paint(_ severity: Severity) -> String {
        let color: String
        switch severity {
        case .error: color = "1;31"
        case .warning: color = "1;35"
        case .note: color = "1;36"
        }
        return console.paint(severity.rawValue + ":", color, stderr: true)
    }

    /// What diagnostics of one kind share: the message with its names and numbers left out, so
    /// 5,000 missing targets are one kind and a single different error is another.
    static func kind(of message: String) -> String {
        message.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            let named = word.contains { "/~$'\"`0123456789".contains($0) }
            guard named else { return String(word) }
            return word.last.map { ":,;)".contains($0) } == true ? "…" + String(word.last!) : "…"
        }.joined(separator: " ")
    }

    private mutating func sourceLine(_ location: SourceLocation) -> String? {
        if sources[location.file] == nil {
            guard let f = fopen(location.file, "r") else { return nil }
            defer { fclose(f) }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = fread(&chunk, 1, chunk.count, f)
                if n <= 0 { break }
                bytes += chunk[0..<n]
            }
            // By bytes: as a String, CR LF is one character and would not split.
            sources[location.file] = bytes.split(separator: 10, omittingEmptySubsequences: false).map {
                String(decoding: $0.last == 13 ? $0.dropLast() : $0[...], as: UTF8.self)
            }
        }
        guard let lines = sources[location.file], location.line >= 1, location.line <= lines.count else { return nil }
        return lines[location.line - 1]
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
