#if canImport(Glibc)
import Glibc
#endif

/// The one fixture format of the tests: a tree to make, written as text, one instruction a
/// line, read by the Swift tests (`TreeFixture`) and by the crash sweeps (Tests/crash/fixture.py).
///
///     # a comment; blank lines are skipped
///     dir home/.config
///     file dots/vim/vimrc set nocompatible    the rest of the line, plus a newline, is the content
///     file dots/empty                          an empty file
///     data dots/fonts/a.ttf a                  the rest of the line, without a newline
///     exec dots/tools/tool #!/bin/sh           the same, mode 0755
///     file dots/plan.yaml <<YAML               the lines up to `YAML`, verbatim, each with a newline
///     mode home/.zshrc 600                     chmod (octal)
///     symlink home/.gitconfig /etc/gitconfig   the target is stored verbatim; `$TMP` is the tree's top
///     hardlink home/bin/tool dots/tools/tool   another name for an existing file
///     replace dots/bin/tool v2                 a new file renamed over the old one (a new inode), as git does
///     remove home/.config/kept/conf            rm -rf
///     apply                                    `mklnk apply dots/plan.yaml` (HOME=home, --state-dir state)
///     run destroy                              the command the test runs on the tree (default: apply)
///     args -v                                  extra arguments for that run
///     pruned home/gone                         after the run nothing is at this path
///
/// Paths are relative to the tree's top. In paths, targets and one-line contents, `\\` is a
/// backslash, `\s` a space, `\t` `\r` `\n` the control characters and `\xHH` any byte (names
/// need not be UTF-8); a path or target holds no plain space.
public struct TreeFixture: Sendable {
    public enum Step: Equatable, Sendable {
        case directory(BytePath)
        case file(BytePath, [UInt8], mode: UInt32)
        case mode(BytePath, UInt32)
        case symlink(BytePath, target: BytePath)
        case hardLink(BytePath, existing: BytePath)
        case replace(BytePath, [UInt8])
        case remove(BytePath)
        case apply
    }

    public var steps: [Step] = []
    /// The command the test runs on the finished tree, and its extra arguments.
    public var command = "apply"
    public var arguments: [String] = []
    /// Paths that must be gone after the run.
    public var pruned: [BytePath] = []

    public init(text: String) throws(TreeFixtureError) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        var number = 0
        while let line = lines.popFirst() {
            number += 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fail = { (why: String) in TreeFixtureError(description: "line \(number): \(why): \(line)") }
            let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            func path(_ i: Int) throws(TreeFixtureError) -> BytePath {
                guard words.count > i, !words[i].isEmpty else { throw fail("a path is missing") }
                return try Self.decode(words[i], line: number)
            }
            let rest = words.count > 2 ? words[2] : nil
            switch words[0] {
            case "dir": steps.append(.directory(try path(1)))
            case "file", "exec":
                let mode: UInt32 = words[0] == "exec" ? 0o755 : 0o644
                var bytes: [UInt8] = []
                if let rest, rest.hasPrefix("<<") {
                    let end = rest.dropFirst(2)
                    while true {
                        guard let body = lines.popFirst() else { throw fail("no closing \(end)") }
                        number += 1
                        if body == end { break }
                        bytes += Array(body.utf8) + [10]
                    }
                } else if let rest {
                    bytes = try Self.decode(rest, line: number) + [10]
                }
                steps.append(.file(try path(1), bytes, mode: mode))
            case "data": steps.append(.file(try path(1), try Self.decode(rest ?? "", line: number), mode: 0o644))
            case "mode":
                guard let rest, let mode = UInt32(rest, radix: 8) else { throw fail("an octal mode is missing") }
                steps.append(.mode(try path(1), mode))
            case "symlink": steps.append(.symlink(try path(1), target: try path(2)))
            case "hardlink": steps.append(.hardLink(try path(1), existing: try path(2)))
            case "replace": steps.append(.replace(try path(1), try Self.decode(rest ?? "", line: number) + [10]))
            case "remove": steps.append(.remove(try path(1)))
            case "apply" where words.count == 1: steps.append(.apply)
            case "run" where words.count == 2: command = words[1]
            case "args": arguments += line.split(separator: " ").dropFirst().map(String.init)
            case "pruned": pruned.append(try path(1))
            default: throw fail("not an instruction")
            }
        }
    }

    /// Tests/crash/scenarios: the crash sweeps' trees, which the Swift tests make too.
    public static let sweepScenarios: String = {
        var tests = #filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast(2)
        tests.append("crash/scenarios")
        return tests.joined(separator: "/")
    }()

    /// Reads `file`.
    public init(contentsOf file: String) throws(TreeFixtureError) {
        let bytes = Disk.read(Array(file.utf8))
        guard !bytes.isEmpty else { throw TreeFixtureError(description: "\(file): empty or unreadable") }
        try self.init(text: String(decoding: bytes, as: UTF8.self))
    }

    /// Makes the tree in `top`; `apply` steps call `apply`.
    public func make(in top: String, apply: () throws -> Void) throws {
        let topBytes = Array(top.utf8)
        func at(_ p: BytePath) -> BytePath { topBytes + [47] + p }
        /// `mkdir -p` of `p`, or of its parent only.
        func directories(_ p: BytePath, parentOnly: Bool = true) {
            var prefix: BytePath = []
            for part in p.split(separator: 47).dropLast(parentOnly ? 1 : 0) {
                prefix += prefix.isEmpty ? Array(part) : [47] + part
                Disk.mkdir(at(prefix))
            }
        }
        func check(_ ok: Bool, _ what: String, _ p: BytePath) throws {
            if !ok { throw TreeFixtureError(description: "\(what) \(Disk.show(p)): \(String(cString: strerror(errno)))") }
        }
        for step in steps {
            switch step {
            case .directory(let p):
                directories(p, parentOnly: false)
            case .file(let p, let bytes, let mode):
                directories(p)
                try check(Disk.write(at(p), bytes, mode: mode), "write", p)
            case .mode(let p, let mode):
                try check(Disk.withPath(at(p)) { chmod($0, mode_t(mode)) } == 0, "chmod", p)
            case .symlink(let p, let target):
                directories(p)
                let expanded = Disk.replacing(Array("$TMP".utf8), with: topBytes, in: target)
                try check(Disk.withPath(expanded) { t in Disk.withPath(at(p)) { Glibc.symlink(t, $0) } } == 0, "symlink", p)
            case .hardLink(let p, let existing):
                directories(p)
                try check(Disk.withPath(at(existing)) { e in Disk.withPath(at(p)) { link(e, $0) } } == 0, "link", p)
            case .replace(let p, let bytes):
                try check(Disk.write(at(p) + Array(".new".utf8), bytes, mode: 0o644), "write", p)
                try check(Disk.withPath(at(p) + Array(".new".utf8)) { n in Disk.withPath(at(p)) { rename(n, $0) } } == 0,
                          "rename", p)
            case .remove(let p):
                Disk.remove(at(p))
            case .apply:
                try apply()
            }
        }
    }

    /// `\\`, `\s`, `\t`, `\r`, `\n` and `\xHH` decoded.
    static func decode(_ text: String, line: Int) throws(TreeFixtureError) -> [UInt8] {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let b = bytes.popFirst() {
            guard b == UInt8(ascii: "\\") else { out.append(b); continue }
            switch bytes.popFirst().map({ Character(Unicode.Scalar($0)) }) {
            case "\\": out.append(92)
            case "s": out.append(32)
            case "t": out.append(9)
            case "r": out.append(13)
            case "n": out.append(10)
            case "x":
                guard bytes.count >= 2, let v = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) else {
                    throw TreeFixtureError(description: "line \(line): \\x wants two hex digits: \(text)")
                }
                out.append(v)
                bytes = bytes.dropFirst(2)
            default:
                throw TreeFixtureError(description: "line \(line): unknown escape: \(text)")
            }
        }
        return out
    }
}

public struct TreeFixtureError: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) { self.description = description }
}
