import MklnkCore

/// Prints diagnostics as `FILE:LINE:COLUMN: severity: message`, with the source line and a
/// caret under the column when stderr is a terminal.
struct DiagnosticPrinter {
    let console: Console
    /// File contents, split in lines, read once per file for the snippets.
    private var sources: [String: [Substring]] = [:]

    init(console: Console) { self.console = console }

    mutating func print(_ diagnostics: Diagnostics, downgrade: Failure? = nil) {
        for d in diagnostics.sorted {
            var d = d
            if let downgrade, d.severity == .error, d.failure == downgrade { d.severity = .warning }
            if console.quiet && d.severity != .error { continue }
            print(d)
        }
        console.err.flush()
    }

    mutating func print(_ d: Diagnostic) {
        let color: String
        switch d.severity {
        case .error: color = "1;31"
        case .warning: color = "1;35"
        case .note: color = "1;36"
        }
        let place = d.location.map { "\($0)" } ?? "mklnk"
        console.err.line(console.paint(place + ":", "1", stderr: true) + " "
                         + console.paint(d.severity.rawValue + ":", color, stderr: true) + " " + console.showPaths(in: d.message))
        if console.errColor, let location = d.location, let line = sourceLine(location) {
            console.err.line("  " + line)
            let pad = String(line.prefix(max(0, location.column - 1)).map { $0 == "\t" ? "\t" : " " })
            console.err.line("  " + pad + console.paint("^", "1;32", stderr: true))
        }
        for note in d.notes { print(note) }
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
            sources[location.file] = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        }
        guard let lines = sources[location.file], location.line >= 1, location.line <= lines.count else { return nil }
        return String(lines[location.line - 1])
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
