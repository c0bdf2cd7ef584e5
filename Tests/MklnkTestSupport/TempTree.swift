#if canImport(Glibc)
import Glibc
#endif

/// A directory tree in a fresh `mkdtemp` directory (never reused, so inode numbers are never
/// compared across a delete and re-create of the same path), removed without following any
/// link when the value goes away (at the end of its variable's scope: the release of a local
/// is not moved above the calls after its last use) or at `remove()`.
///
/// Paths given to its methods: `~` and `~/x` are under `home/` (the root and `$HOME` of the link
/// tests), `@/x` under `dots/` (plans and their targets), `/x` as is, anything else relative to
/// the tree's top; `state/` is the state directory.
public final class TempTree {
    /// Absolute, with no symlink in it (so lexical and physical paths agree).
    public let root: String
    public var dir: String { root }
    public var home: String { root + "/home" }
    public var dots: String { root + "/dots" }
    public var state: String { root + "/state" }
    public var planFile: String { dots + "/plan.yaml" }

    /// An empty tree in `parent`.
    public init(in parent: String = "/tmp", prefix: String = "mklnk-test") throws(TempTreeError) {
        var template = Array("\(parent)/\(prefix).XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil,
              let real = realpath(template, nil) else {
            throw TempTreeError(description: "mkdtemp in \(parent): \(String(cString: strerror(errno)))")
        }
        root = String(cString: real)
        free(real)
    }

    /// A tree with `home/` and `dots/` made, for a plan and the links it makes.
    public convenience init(dotfiles label: String) {
        do { try self.init(prefix: "mklnk-\(label)") } catch { fatalError("\(error)") }
        directory("~")
        directory("@")
    }

    /// An empty tree in /tmp with what `fixture` says.
    public convenience init(fixture: String) throws {
        try self.init()
        make(fixture)
    }

    deinit { remove() }

    /// Deletes the whole tree.
    public func remove() { remove(root) }

    /// `rm -rf p`, never following a symlink.
    public func remove(_ p: String) { Disk.remove(Array(path(p).utf8)) }

    public func path(_ p: String) -> String {
        if p.hasPrefix("/") { return p }
        if p.isEmpty { return root }
        if p == "~" { return home }
        if p.hasPrefix("~/") { return home + p.dropFirst(1) }
        if p == "@" { return dots }
        if p.hasPrefix("@/") { return dots + p.dropFirst(1) }
        return root + "/" + p
    }

    /// `path` below the top, as relative (or the path itself when it is elsewhere).
    public func relative(_ absolute: String) -> String {
        absolute.hasPrefix(root + "/") ? String(absolute.dropFirst(root.count + 1)) : absolute
    }

    // MARK: Building (a failure stops the test run: the tree is the test's premise)

    /// `mkdir -p`.
    @discardableResult
    public func directory(_ p: String) -> String {
        let full = path(p)
        Self.mkdirs(Array(full.utf8))
        return full
    }

    /// A regular file with `contents` (parents made as needed).
    @discardableResult
    public func file(_ p: String, _ contents: String = "", mode: UInt32 = 0o644) -> String {
        file(p, bytes: Array(contents.utf8), mode: mode)
    }

    @discardableResult
    public func file(_ p: String, bytes: [UInt8], mode: UInt32 = 0o644) -> String {
        let full = parents(p)
        let fd = Disk.withPath(Array(full.utf8)) { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode)) }
        check(fd >= 0, "open", full)
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        check(written == bytes.count, "write", full)
        check(fchmod(fd, mode_t(mode)) == 0, "chmod", full)
        return full
    }

    /// A symlink storing `target` verbatim.
    @discardableResult
    public func symlink(_ p: String, _ target: String) -> String {
        let full = parents(p)
        check(Glibc.symlink(target, full) == 0, "symlink", full)
        return full
    }

    /// Another name for the existing file `existing`.
    @discardableResult
    public func hardLink(_ p: String, to existing: String) -> String {
        let full = parents(p)
        check(link(path(existing), full) == 0, "link", full)
        return full
    }

    /// What `fixture` (the `TreeFixture` format, paths relative to the top, no `apply`) says.
    public func make(_ fixture: String) {
        do {
            try TreeFixture(text: fixture).make(in: root) {
                throw TreeFixtureError(description: "this fixture is made without mklnk: no apply")
            }
        } catch {
            preconditionFailure("\(error)")
        }
    }

    /// Replaces `p` by a new file through a rename, as `git checkout` does (new inode).
    public func replaceByRename(_ p: String, _ contents: String) {
        let full = path(p)
        file(full + ".new", contents)
        check(rename(full + ".new", full) == 0, "rename", full)
    }

    /// Sets the modification time, seconds since the epoch.
    public func touch(_ p: String, modified seconds: Int) {
        var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
        check(utimensat(AT_FDCWD, path(p), &times, AT_SYMLINK_NOFOLLOW) == 0, "utimensat", path(p))
    }

    private func parents(_ p: String) -> String {
        let full = path(p)
        if let slash = full.utf8.lastIndex(of: 47), slash != full.utf8.startIndex {
            Self.mkdirs(Array(full.utf8[..<slash]))
        }
        return full
    }

    private static func mkdirs(_ full: BytePath) {
        if full.isEmpty || Disk.status(full) != nil { return }
        if let slash = full.lastIndex(of: 47) { mkdirs(Array(full[..<slash])) }
        Disk.mkdir(full)
    }

    private func check(_ ok: Bool, _ operation: String, _ path: String) {
        precondition(ok, "\(operation) \(path): \(String(cString: strerror(errno)))")
    }

    // MARK: Looking

    /// `lstat`; nil when nothing is there.
    public func status(_ p: String) -> stat? { Disk.status(Array(path(p).utf8)) }

    public func exists(_ p: String) -> Bool { status(p) != nil }

    public func isSymlink(_ p: String) -> Bool { status(p).map { $0.st_mode & S_IFMT == S_IFLNK } ?? false }

    /// The stored target of a symlink.
    public func linkTarget(_ p: String) -> String? {
        Disk.readlink(Array(path(p).utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A regular file's bytes as text; nil when nothing is there or it is a symlink.
    public func contents(_ p: String) -> String? {
        guard let st = status(p), st.st_mode & S_IFMT != S_IFLNK else { return nil }
        return String(decoding: Disk.read(Array(path(p).utf8)), as: UTF8.self)
    }

    public func inode(_ p: String) -> UInt64? { status(p).map { UInt64($0.st_ino) } }

    public func linkCount(_ p: String) -> Int? { status(p).map { Int($0.st_nlink) } }

    /// The device number of `p` (followed), to tell filesystems apart.
    public func device(_ p: String) -> UInt64? { Disk.status(Array(path(p).utf8), follow: true).map { UInt64($0.st_dev) } }

    /// Names in a directory, sorted.
    public func names(_ p: String) -> [String] {
        Disk.names(Array(path(p).utf8)).map { String(decoding: $0, as: UTF8.self) }.sorted()
    }

    /// Everything under the tree but `excluding` (paths relative to the top).
    public func snapshot(excluding: Set<String>) -> TreeSnapshot { TreeSnapshot(of: root, excluding: excluding) }
}

public struct TempTreeError: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) { self.description = description }
}

/// A backup name's time stamp for `time` (local time), as in `NAME.mklnk-backup-YYYYmmddTHHMMSS`.
public func backupStamp(_ time: time_t) -> String {
    var time = time
    var parts = tm()
    localtime_r(&time, &parts)
    var buffer = [CChar](repeating: 0, count: 32)
    let n = strftime(&buffer, buffer.count, "%Y%m%dT%H%M%S", &parts)
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
