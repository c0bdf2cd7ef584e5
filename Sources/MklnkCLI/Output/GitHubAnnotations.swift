import MklnkCore
import MklnkFileSystem

/// Diagnostics as GitHub Actions workflow commands (`::error file=F,line=L,col=C::message`),
/// so they annotate the pull request. Printed on stderr, which the runner reads as it reads
/// stdout, so `--json` keeps stdout to its one document.
struct GitHubAnnotations {
    /// Locations are made relative to this directory (`$GITHUB_WORKSPACE`) when they lie in it,
    /// as GitHub expects of `file=`.
    let workspace: Path?
    let workingDirectory: Path
    let home: Path?

    /// Whether to annotate: `--annotations github`, or `GITHUB_ACTIONS=true` unless `--annotations none`.
    static func enabled(_ choice: AnnotationFormat?, environment: [String: String]) -> Bool {
        guard let choice else { return environment["GITHUB_ACTIONS"] == "true" }
        return choice == .github
    }

    func command(_ d: Diagnostic) -> String {
        let name: String
        switch d.severity {
        case .error: name = "error"
        case .warning: name = "warning"
        case .note: name = "notice"
        }
        var properties = ["title=" + Self.property("mklnk")]
        if let location = d.location {
            properties += ["file=" + Self.property(file(location.file)), "line=\(location.line)", "col=\(location.column)"]
        }
        // Notes belong to their diagnostic: one annotation, the notes on lines of their own.
        var message = show(d.message)
        for note in d.notes {
            message += "\n" + (note.location.map { "\(show(file($0.file))):\($0.line):\($0.column): " } ?? "")
                + "note: " + show(note.message)
        }
        return "::\(name) " + properties.joined(separator: ",") + "::" + Self.data(message)
    }

    /// A message with paths shown as people see them and names' control characters escaped.
    private func show(_ text: String) -> String {
        TerminalText.escape(TerminalText.abbreviateHome(in: text, home: home))
    }

    private func file(_ name: String) -> String {
        guard let workspace, !name.hasPrefix("<") else { return name }
        let absolute = Paths.absolute(Path(name), base: workingDirectory)
        let root = Paths.normalize(workspace)
        guard Paths.isWithin(absolute, root), absolute != root else { return name }
        return String(decoding: absolute.dropFirst(root == "/" ? 1 : root.bytes.count + 1).bytes, as: UTF8.self)
    }

    /// GitHub's escaping of a command's message: `%`, CR and LF.
    static func data(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// GitHub's escaping of a property value: the message's, plus `:` and `,`.
    static func property(_ s: String) -> String {
        data(s).replacingAll(":", "%3A").replacingAll(",", "%2C")
    }
}

enum AnnotationFormat: String, CaseIterable {
    case github, none
}
