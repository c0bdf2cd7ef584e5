import Foundation
import MklnkTestSupport
import Testing

/// The built binary, black-box: options, exit codes and the simple commands.
@Suite("Command line")
struct CommandLineTests {
    @Test func versionAndHelp() throws {
        let version = try mklnk(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        for command in ["plan", "apply", "check", "validate", "link", "unlink", "show", "graph", "recover"] {
            let help = try mklnk([command, "--help"])
            #expect(help.status == 0, "\(command) --help")
            #expect(help.stdout.contains("USAGE"), "\(command) --help")
        }
    }

    @Test func usageErrorsExit64() throws {
        #expect(try mklnk(["plan"]).status == 64)
        #expect(try mklnk(["frobnicate"]).status == 64)
        #expect(try mklnk(["apply", "a.yaml", "--saved", "b"]).status == 64)
        #expect(try mklnk(["validate", "x.yaml", "--var", "novalue"]).status == 64)
        #expect(try mklnk(["link", "-H", "-J", "a", "b"]).status == 64)
    }

    @Test func completionScripts() throws {
        for shell in ["bash", "zsh", "fish"] {
            let r = try mklnk(["--generate-completion-script", shell])
            #expect(r.status == 0)
            #expect(r.stdout.contains("mklnk"))
        }
    }

    @Test func validateReportsEveryErrorWithItsPlace() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "version: 1\nlnks: {}\nlinks:\n  a: { taget: x }\n  b: { target: x, kind: hard }\n  a: y\n"
            .write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let r = try mklnk(["validate", "bad.yaml", "--color", "never"], cwd: dir)
        #expect(r.status == 65)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("bad.yaml:2:1: error: unknown key 'lnks'; did you mean 'links'?"))
        #expect(r.stderr.contains("bad.yaml:4:8: error: unknown option 'taget'; did you mean 'target'?"))
        #expect(r.stderr.contains("bad.yaml:5:25: error: 'hard' is not a valid kind"))
        #expect(r.stderr.contains("bad.yaml:6:3: error: duplicate key 'a'"))
        #expect(r.stderr.contains("bad.yaml:4:3: note: first defined here"))
    }

    @Test func validAndMissingTargetValidate() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "version: 1\nlinks:\n  a: nowhere\n".write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        // A missing target is this machine's problem, not the plan's: a warning, exit 0.
        let r = try mklnk(["validate", "p.yaml", "--color", "never"], cwd: dir, home: dir)
        #expect(r.status == 0)
        #expect(r.stderr.contains("p.yaml:3:6: warning: target"))
        #expect(r.stdout.contains("p.yaml: valid, 1 entry, 0 links"))
    }

    @Test func showTellsWhatAPathIs() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fm = FileManager.default
        try "x".write(toFile: dir + "/file", atomically: true, encoding: .utf8)
        try fm.createDirectory(atPath: dir + "/dir", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: dir + "/soft", withDestinationPath: "file")
        try fm.createSymbolicLink(atPath: dir + "/junction", withDestinationPath: dir + "/dir")
        try fm.linkItem(atPath: dir + "/file", toPath: dir + "/hard")
        let r = try mklnk(["show", "soft", "junction", "hard", "dir", "missing"], cwd: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("soft: symlink -> file"))
        #expect(r.stdout.contains("junction: junction -> \(dir)/dir"))
        #expect(r.stdout.contains("hard: hardlink (2 links)"))
        #expect(r.stdout.contains("dir: not a link"))
        #expect(r.stderr.contains("missing: no such file or directory"))
    }

    @Test func graphFormats() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "t".write(toFile: dir + "/t", atomically: true, encoding: .utf8)
        try "version: 1\nroot: \(dir)\nlinks:\n  a: t\n".write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let dot = try mklnk(["graph", "p.yaml"], cwd: dir)
        #expect(dot.status == 0)
        #expect(dot.stdout.hasPrefix("digraph mklnk {"))
        #expect(dot.stdout.contains("\"\(dir)/a\" -> \"\(dir)/t\" [label=\"symlink\"];"))
        let mermaid = try mklnk(["graph", "p.yaml", "--format", "mermaid"], cwd: dir)
        #expect(mermaid.stdout.hasPrefix("flowchart LR"))
        #expect(mermaid.stdout.contains("-->|symlink|"))
    }

    @Test func countersGoToStdoutOrAppendToAFile() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/home", withIntermediateDirectories: true)
        try "t".write(toFile: dir + "/t", atomically: true, encoding: .utf8)
        try "version: 1\nlinks:\n  a: ../t\n  b: ../t\n".write(toFile: dir + "/home/p.yaml", atomically: true, encoding: .utf8)
        try "earlier=1\n".write(toFile: dir + "/out", atomically: true, encoding: .utf8)
        let first = try mklnk(["apply", "p.yaml", "--counters", dir + "/out", "--state-dir", dir + "/state", "-q"],
                              cwd: dir + "/home", home: dir + "/home")
        #expect(first.status == 0)
        #expect(first.stdout.isEmpty)
        let file = try String(contentsOfFile: dir + "/out", encoding: .utf8)
        #expect(file == "earlier=1\n_mklnk_files=2\n_mklnk_errors=0\n_mklnk_deleted=0\n_mklnk_unchanged=0\n_mklnk_backups=0\n")
        let second = try mklnk(["apply", "p.yaml", "--counters", "-", "--state-dir", dir + "/state", "-q"],
                               cwd: dir + "/home", home: dir + "/home")
        #expect(second.stdout == "_mklnk_files=0\n_mklnk_errors=0\n_mklnk_deleted=0\n_mklnk_unchanged=2\n_mklnk_backups=0\n")
    }

    /// SPEC §3: a long apply shows a progress bar on a terminal. `script` gives the binary a pty.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func progressBarOnATerminal() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/home", withIntermediateDirectories: true)
        try "t".write(toFile: dir + "/t", atomically: true, encoding: .utf8)
        let links = (0..<600).map { "  l\($0): ../t\n" }.joined()
        try ("version: 1\nlinks:\n" + links).write(toFile: dir + "/home/p.yaml", atomically: true, encoding: .utf8)
        let command = "\(MklnkProcess.path) apply p.yaml --state-dir \(dir)/state"
        let r = try MklnkProcess.run(["-qec", command, "/dev/null"], in: dir + "/home",
                                     environment: ["HOME": dir + "/home", "TERM": "xterm"], executable: "/usr/bin/script")
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("] 100% 600/600"), "\(r)")
    }

    @Test func colourFollowsTheFlagAndNoColor() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "version: 1\nlnks: {}\n".write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        #expect(try mklnk(["validate", "p.yaml", "--color", "always"], cwd: dir).stderr.contains("\u{1B}["))
        #expect(!(try mklnk(["validate", "p.yaml"], cwd: dir).stderr.contains("\u{1B}[")))  // piped: none
        #expect(!(try mklnk(["validate", "p.yaml", "--color", "never"], cwd: dir).stderr.contains("\u{1B}[")))
    }
}

// MARK: Running the binary

/// The binary in `cwd`, with the test's environment but no NO_COLOR and, if given, HOME.
private func mklnk(_ arguments: [String], cwd: String? = nil, home: String? = nil) throws -> MklnkProcess.Result {
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = nil
    if let home { environment["HOME"] = home }
    return try MklnkProcess.run(arguments, in: cwd, environment: environment)
}

private func scratch() throws -> String {
    let dir = NSTemporaryDirectory() + "mklnk-cli-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return (dir as NSString).resolvingSymlinksInPath
}
