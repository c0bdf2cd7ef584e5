import ArgumentParser
import MklnkCore
import MklnkFileSystem

/// MKLNK's command dialog, on a terminal: asks for the target(s), the link name and the kind
/// (the [default] in brackets, which Enter accepts; what the command line gave is the default),
/// prints the plan line and applies it on `y`. Answers are words as a shell splits them
/// (quotes and backslashes), with `~` for the home directory.
struct LinkDialog {
    let command: LinkCommand
    let session: Session

    func run() throws {
        let out = session.console.out
        out.line("mklnk link: Enter accepts the [default]; Ctrl-D cancels.")
        var targets: [Path] = []
        while targets.isEmpty {
            let given = command.targets.map(Self.quote).joined(separator: " ")
            targets = Self.words(try ask("Target(s)", default: given.isEmpty ? nil : given)).map(expandTilde)
        }
        let link = expandTilde(try ask("Link name", default: command.link ?? defaultLink(for: targets).description))
        var kind: LinkKind?
        while kind == nil {
            let answer = try ask("Kind (symlink, hardlink, junction, auto)", default: command.effectiveKind.rawValue)
            kind = LinkKind(rawValue: Self.trimmed(answer).lowercased())
            if kind == nil { out.line("  '\(answer)' is not a kind") }
        }
        guard let kind else { return }
        if command.relative && kind != .symlink {
            session.error("--relative applies to symlinks only")
            throw Exit.usage
        }

        let filter = try command.selection.filter()
        let run = AdHocRun(session: session)
        let (first, firstDiagnostics) = plan(link, targets, kind, filter)
        let shown = try run.plan(first, firstDiagnostics, previews: true)
        if !session.json { DiffRenderer(console: session.console).render(shown.actions, title: "Plan") }
        let answer = try ask("Apply? [y/N]", default: nil)
        guard ["y", "yes"].contains(Self.trimmed(answer).lowercased()) else {
            out.line("Nothing was changed.")
            return
        }
        try session.beginMutation()
        // Planned again under the lock: what is applied is what was shown, or nothing.
        let (again, diagnostics) = plan(link, targets, kind, filter)
        let now = try run.plan(again, diagnostics)
        guard now.actions.map(Self.key) == shown.actions.map(Self.key) else {
            session.error("what the plan line shows changed on disk while you answered; nothing was changed")
            throw Exit.cannotApply
        }
        try run.apply(now.actions, now.fileSystem)
    }

    private func plan(_ link: Path, _ targets: [Path], _ kind: LinkKind, _ filter: TargetFilter) -> (Plan, Diagnostics) {
        let cwd = command.common.workingDirectory
        let located = targets.enumerated().map { i, t in
            Located((try? KernelPath.absolute(t, base: cwd)) ?? Paths.absolute(t, base: cwd), at: SourceLocation(file: AdHocRun.source, line: 1, column: i + 1))
        }
        var diagnostics = Diagnostics()
        let plan = command.linkPlan(link: link, targets: located, directory: false, kind: kind, filter: filter,
                                    &diagnostics, session)
        return (plan, diagnostics)
    }

    /// Like `ln -s TARGET`: the target's name in the current directory; for several, the directory.
    private func defaultLink(for targets: [Path]) -> Path {
        guard targets.count == 1, !PathPattern.isPattern(targets[0]) else { return "./" }
        return Paths.name(Paths.normalize(Paths.absolute(targets[0], base: "/")))
    }

    /// One answer; the default when it is empty. End of input cancels (exit 1).
    private func ask(_ question: String, default value: String?) throws -> String {
        let out = session.console.out
        out.write(value.map { "\(question) [\($0)]: " } ?? "\(question): ")
        session.console.flush()
        guard let line = readLine(strippingNewline: true) else {
            out.line("")
            session.error("cancelled; nothing was changed")
            throw Exit.cannotApply
        }
        return Self.trimmed(line).isEmpty ? (value ?? "") : line
    }

    private func expandTilde(_ word: String) -> Path {
        if word == "~" { return session.facts.homePath }
        if word.hasPrefix("~/") { return session.facts.homePath + Path(String(word.dropFirst(1))) }
        return Path(word)
    }

    private static func key(_ a: Action) -> String { "\(a.op.rawValue)\0\(a.path)\0\(a.target ?? "")\0\(a.kind.map { "\($0)" } ?? "")" }

    private static func trimmed(_ s: String) -> String {
        String(s.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }

    /// A word as `words` reads it back.
    static func quote(_ word: String) -> String {
        let plain = word.allSatisfy { !" \t'\"\\".contains($0) }
        return plain && !word.isEmpty ? word : "'" + word.replacingAll("'", "'\\''") + "'"
    }

    /// Splits an answer into words as a shell does: blanks separate, '…' and "…" quote, `\` escapes.
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for c in line {
            if escaped {
                current.append(c)
                escaped = false
            } else if let q = quote {
                if c == q { quote = nil } else if c == "\\" && q == "\"" { escaped = true } else { current.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c
                inWord = true
            } else if c == "\\" {
                escaped = true
                inWord = true
            } else if c == " " || c == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(c)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
