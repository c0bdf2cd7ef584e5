import Foundation
import Testing

struct FixtureError: Error, CustomStringConvertible {
    var description: String
}

/// A fixture of `Fixtures/NAME/`: `plan.yaml` and `tree`, a list of what to make in a fresh
/// temporary directory before running mklnk. One instruction per line, paths relative to the
/// temporary directory, `$TMP` standing for it:
///
///     dir home/.config
///     file dots/vim/vimrc set nocompatible      (the rest of the line, plus a newline, is the content)
///     exec dots/tools/tool #!/bin/sh            (the same, mode 0755)
///     symlink home/.gitconfig /etc/gitconfig    (the target is stored verbatim)
///     hardlink home/bin/tool dots/tools/tool    (another name for an existing file)
///     args -v                                   (extra arguments for the human run)
///
/// The plan is copied to `home/dots/plan.yaml` (the dotfiles live in the home directory, so
/// paths print with `~` and the temporary directory's length never moves a column); `$HOME` and
/// the root are `home/`; state lives in `state/`.
struct Fixture: CustomTestStringConvertible, Sendable {
    let name: String

    var testDescription: String { name }

    /// The package's `Tests/MklnkCLITests` directory, found from this file.
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let fixturesDirectory = testsDirectory.appendingPathComponent("Fixtures")
    static let goldenDirectory = testsDirectory.appendingPathComponent("Golden")

    /// Every fixture, by name.
    static var all: [Fixture] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fixturesDirectory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map(Fixture.init)
    }

    var directory: URL { Self.fixturesDirectory.appendingPathComponent(name) }

    /// Extra arguments from `args` lines.
    var arguments: [String] {
        get throws { try instructions().filter { $0.first == "args" }.flatMap { $0.dropFirst() } }
    }

    private func instructions() throws -> [[String]] {
        let text = try String(contentsOf: directory.appendingPathComponent("tree"), encoding: .utf8)
        return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            .map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
    }

    /// Makes the fixture's tree in `root`.
    func make(in root: String) throws {
        let fm = FileManager.default
        func at(_ relative: String) -> String { root + "/" + relative }
        func parents(_ relative: String) throws {
            try fm.createDirectory(atPath: (at(relative) as NSString).deletingLastPathComponent,
                                   withIntermediateDirectories: true)
        }
        try fm.createDirectory(atPath: at("home"), withIntermediateDirectories: true)
        try fm.createDirectory(atPath: at("home/dots"), withIntermediateDirectories: true)
        try fm.copyItem(atPath: directory.appendingPathComponent("plan.yaml").path, toPath: at("home/dots/plan.yaml"))
        for words in try instructions() {
            let expand = { (s: String) in s.replacingOccurrences(of: "$TMP", with: root) }
            switch (words[0], words.count) {
            case ("args", _):
                continue
            case ("dir", 2):
                try fm.createDirectory(atPath: at(words[1]), withIntermediateDirectories: true)
            case ("file", 2...), ("exec", 2...):
                try parents(words[1])
                let content = words.count > 2 ? words[2...].joined(separator: " ") + "\n" : ""
                let mode = words[0] == "exec" ? 0o755 : 0o644
                guard fm.createFile(atPath: at(words[1]), contents: Data(content.utf8),
                                    attributes: [.posixPermissions: mode]) else {
                    throw FixtureError(description: "\(name): cannot make \(words[1])")
                }
            case ("symlink", 3):
                try parents(words[1])
                try fm.createSymbolicLink(atPath: at(words[1]), withDestinationPath: expand(words[2]))
            case ("hardlink", 3):
                try parents(words[1])
                try fm.linkItem(atPath: at(words[2]), toPath: at(words[1]))
            default:
                throw FixtureError(description: "\(name)/tree: cannot read '\(words.joined(separator: " "))'")
            }
        }
    }
}

/// A fresh temporary directory (symlinks resolved), removed at the end.
final class Scratch {
    let root: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("mklnk-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        root = base.resolvingSymlinksInPath().path
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}
