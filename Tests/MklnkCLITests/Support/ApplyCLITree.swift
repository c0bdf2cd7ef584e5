import MklnkTestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scratch tree for the binary: `home/` is `$HOME` and the root, `dots/` holds plans and
/// targets, `state/` is passed as `--state-dir`. A fresh `mkdtemp` directory each time.
final class ApplyCLITree {
    let dir: String
    var home: String { dir + "/home" }
    var dots: String { dir + "/dots" }
    var state: String { dir + "/state" }

    init(_ label: String) {
        let scratch = "/tmp/mklnk-apply-cli-tests"
        mkdir(scratch, 0o755)
        var template = Array((scratch + "/" + label + "-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed: \(errno)")
        dir = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        mkdir(home, 0o755)
        mkdir(dots, 0o755)
    }

    func remove() { Self.removeTree(dir) }

    /// `~/x` under home, `@/x` under dots, `/abs` as is, anything else relative to the tree.
    func path(_ p: String) -> String {
        if p.hasPrefix("/") { return p }
        if p == "~" { return home }
        if p.hasPrefix("~/") { return home + p.dropFirst(1) }
        if p.hasPrefix("@/") { return dots + p.dropFirst(1) }
        return dir + "/" + p
    }

    // MARK: Running

    /// `mklnk ARGS --state-dir STATE` with HOME set to the tree's home.
    @discardableResult
    func mklnk(_ args: String..., environment: [String: String] = [:]) -> ApplyCLIResult {
        mklnk(args, environment: environment)
    }

    @discardableResult
    func mklnk(_ args: [String], environment: [String: String] = [:]) -> ApplyCLIResult {
        var env = ["HOME": home, "NO_COLOR": "1", "LANG": "C.UTF-8"]
        for (k, v) in environment { env[k] = v }
        return ApplyCLI.run(args + ["--state-dir", state], environment: env, scratch: dir)
    }

    /// Writes `dots/NAME` with the plan header and `body`; returns its path.
    @discardableResult
    func plan(_ body: String, name: String = "plan.yaml") -> String {
        let p = dots + "/" + name
        file(p, "version: 1\nroot: ~\n" + body)
        return p
    }

    // MARK: Building

    func file(_ p: String, _ contents: String = "") {
        let full = path(p)
        mkdirs(parent(full))
        let fd = open(full, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0, "open \(full): \(errno)")
        _ = contents.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }

    func directory(_ p: String) { mkdirs(path(p)) }

    func symlink(_ p: String, _ target: String) {
        let full = path(p)
        mkdirs(parent(full))
        precondition(systemSymlink(target, full) == 0, "symlink \(full): \(errno)")
    }

    func hardLink(_ p: String, to existing: String) {
        let full = path(p)
        mkdirs(parent(full))
        precondition(link(path(existing), full) == 0, "link \(full): \(errno)")
    }

    /// Replaces `p` by a new file through a rename, as `git checkout` does.
    func replaceByRename(_ p: String, _ contents: String) {
        let full = path(p)
        file(full + ".new", contents)
        precondition(rename(full + ".new", full) == 0)
    }

    private func mkdirs(_ full: String) {
        if full == "/" || exists(full) { return }
        mkdirs(parent(full))
        mkdir(full, 0o755)
    }

    private func parent(_ p: String) -> String {
        guard let slash = p.lastIndex(of: "/") else { return "." }
        return slash == p.startIndex ? "/" : String(p[..<slash])
    }

    // MARK: Looking

    func exists(_ p: String) -> Bool {
        var st = stat()
        return lstat(path(p), &st) == 0
    }

    func isSymlink(_ p: String) -> Bool {
        var st = stat()
        return lstat(path(p), &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
    }

    func linkTarget(_ p: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(path(p), &buffer, buffer.count)
        return n < 0 ? nil : String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func contents(_ p: String) -> String? {
        exists(p) && !isSymlink(p) ? ApplyCLI.read(path(p)) : nil
    }

    func inode(_ p: String) -> UInt64? {
        var st = stat()
        return lstat(path(p), &st) == 0 ? UInt64(st.st_ino) : nil
    }

    func linkCount(_ p: String) -> Int? {
        var st = stat()
        return lstat(path(p), &st) == 0 ? Int(st.st_nlink) : nil
    }

    func names(_ p: String) -> [String] {
        directoryNames(path(p)).sorted()
    }

    /// One line per path under the tree (state excepted): kind, inode, link target or bytes.
    func fingerprint() -> [String] {
        var lines: [String] = []
        func walk(_ rel: String) {
            for name in names(rel.isEmpty ? dir : dir + "/" + rel) {
                let r = rel.isEmpty ? name : rel + "/" + name
                if r == "state" || name.hasPrefix(".cli-") { continue }
                var st = stat()
                guard lstat(dir + "/" + r, &st) == 0 else { continue }
                switch st.st_mode & S_IFMT {
                case S_IFLNK: lines.append("\(r) symlink #\(st.st_ino) -> \(linkTarget(dir + "/" + r) ?? "?")")
                case S_IFDIR:
                    lines.append("\(r) dir #\(st.st_ino)")
                    walk(r)
                default: lines.append("\(r) file #\(st.st_ino) n=\(st.st_nlink) \(ApplyCLI.read(dir + "/" + r).debugDescription)")
                }
            }
        }
        walk("")
        return lines
    }

    static func removeTree(_ path: String) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            for c in directoryNames(path) { removeTree(path + "/" + c) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}

private func systemSymlink(_ target: String, _ path: String) -> Int32 { symlink(target, path) }
