#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkCore
import MklnkFileSystem
import Testing

/// A scratch directory for apply tests: `home/` is the root, `dots/` holds the plan and its
/// targets, `state/` is the state directory. Each tree is a fresh `mkdtemp` directory, so inode
/// numbers are never compared across a delete and re-create of the same path.
final class ApplyTree {
    let dir: String
    var home: String { dir + "/home" }
    var dots: String { dir + "/dots" }
    var state: String { dir + "/state" }
    var planFile: String { dots + "/plan.yaml" }

    init(_ label: String = "tree") {
        let scratch = "/tmp/mklnk-apply-tests"
        mkdir(scratch, 0o755)
        var template = Array((scratch + "/" + label + "-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed: \(errno)")
        dir = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        mkdir(home, 0o755)
        mkdir(dots, 0o755)
    }

    /// Deletes the whole tree.
    func remove() { Self.removeTree(dir) }

    // MARK: Building

    /// Absolute path for `p`: `~/x` is under home, `@/x` under dots, anything else relative to dir.
    func path(_ p: String) -> String {
        if p.hasPrefix("/") { return p }
        if p == "~" { return home }
        if p.hasPrefix("~/") { return home + p.dropFirst(1) }
        if p.hasPrefix("@/") { return dots + p.dropFirst(1) }
        return dir + "/" + p
    }

    func file(_ p: String, _ contents: String = "") {
        let full = path(p)
        mkdirs(Paths.parent(Path(full)).description)
        let fd = open(full, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0, "open \(full): \(errno)")
        _ = contents.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }

    func directory(_ p: String) { mkdirs(path(p)) }

    func symlink(_ p: String, _ target: String) {
        let full = path(p)
        mkdirs(Paths.parent(Path(full)).description)
        precondition(systemSymlink(target, full) == 0, "symlink \(full): \(errno)")
    }

    func hardLink(_ p: String, to existing: String) {
        let full = path(p)
        mkdirs(Paths.parent(Path(full)).description)
        precondition(link(path(existing), full) == 0, "link \(full): \(errno)")
    }

    /// Replaces `p` by a new file through a rename, as `git checkout` does (new inode).
    func replaceByRename(_ p: String, _ contents: String) {
        let full = path(p)
        file(full + ".new", contents)
        precondition(rename(full + ".new", full) == 0)
    }

    private func mkdirs(_ full: String) {
        if full == "/" || exists(full) { return }
        mkdirs(Paths.parent(Path(full)).description)
        mkdir(full, 0o755)
    }

    // MARK: Looking

    func exists(_ p: String) -> Bool {
        var st = stat()
        return lstat(path(p), &st) == 0
    }

    func linkTarget(_ p: String) -> String? { (try? LocalFileSystem(root: "/").readLink(Path(path(p))))?.description }

    func contents(_ p: String) -> String? {
        (try? LocalFileSystem(root: "/").readFile(Path(path(p))))?.map { String(decoding: $0, as: UTF8.self) }
    }

    func inode(_ p: String) -> UInt64? {
        var st = stat()
        return lstat(path(p), &st) == 0 ? UInt64(st.st_ino) : nil
    }

    /// Names in a directory (sorted).
    func names(_ p: String) -> [String] {
        ((try? LocalFileSystem(root: "/").directoryEntries(Path(path(p)))) ?? []).map { "\($0.name)" }.sorted()
    }

    /// A journal whose commit mark names its transaction: recovery will finish it, not undo it.
    var journalCommitted: Bool {
        guard let journal = contents(state + "/journal"), let mark = contents(state + "/journal.commit") else {
            return false
        }
        let header = journal.prefix { $0 != "\n" }.split(separator: "\t", omittingEmptySubsequences: false)
        return header.count > 2 && header[2] == mark
    }

    var journalExists: Bool { exists(state + "/journal") || exists(state + "/journal.commit") }

    /// Bytes of every file in the state directory's `plans/`, by name.
    func stateFiles() -> [String: String] {
        var out: [String: String] = [:]
        for name in names(state + "/plans") { out[name] = contents(state + "/plans/" + name) }
        return out
    }

    /// Everything under `home` and `dots` but the plan file (the state directory is not part of the tree).
    func snapshot() -> TreeSnapshot { TreeSnapshot(of: dir, excluding: ["state", "dots/plan.yaml"]) }

    // MARK: The real pipeline

    var facts: HostFacts {
        HostFacts(os: "linux", arch: "x86_64", hostname: "ci-runner-1", user: "tess", home: home,
                  environment: ["HOME": home, "CI": "true"])
    }

    var loadOptions: LoadOptions { LoadOptions(facts: facts, workingDirectory: Path(dots)) }

    /// Writes `yaml` as `dots/plan.yaml` and plans it against this tree (pruning against `state`).
    func plan(_ yaml: String, prune: Bool = true) -> PlannedRun {
        file(planFile, yaml)
        return ReadAheadCheck.both { readAhead in
            PlanPipeline.run(file: planFile, options: loadOptions, stateDirectory: Path(state), prune: prune,
                             fileSystem: { LocalFileSystem(root: $0) }, readAhead: readAhead).0
        }
    }

    /// The state key of `run`'s plan.
    func key(_ run: PlannedRun) -> Path { PlanPipeline.planKey(run.plan!, loadOptions) }

    /// A transaction for `run` on `fileSystem`.
    func transaction(_ run: PlannedRun, on fileSystem: FileSystem, prune: Bool = true,
                     keepGoing: Bool = false) -> Transaction {
        let store = StateStore(fileSystem: fileSystem, directory: Path(state))
        let previous = (try? store.load(plan: key(run), root: run.plan!.root)) ?? AppliedState()
        return Transaction(fileSystem: fileSystem, stateStore: store, plan: key(run), previous: previous,
                           keepUnlisted: !prune, keepGoing: keepGoing)
    }

    /// Plans and applies `yaml` without faults; returns the run and the outcome.
    @discardableResult
    func apply(_ yaml: String, prune: Bool = true, keepGoing: Bool = false) -> (PlannedRun, ApplyOutcome) {
        let run = plan(yaml, prune: prune)
        precondition(run.plan != nil, "plan did not load: \(run.diagnostics.items.map(\.description))")
        let fs = FaultyFileSystem(root: run.plan!.root)
        return (run, transaction(run, on: fs, prune: prune, keepGoing: keepGoing).apply(run.actions))
    }

    /// Settles an interrupted transaction with the real filesystem, as `mklnk recover` does.
    func recover() throws(FileSystemError) -> RecoveryOutcome {
        try Recovery.run(stateDirectory: Path(state), fileSystem: { LocalFileSystem(root: $0) })
    }

    static func removeTree(_ path: String) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            for entry in (try? LocalFileSystem(root: "/").directoryEntries(Path(path))) ?? [] {
                removeTree(path + "/" + entry.name.description)
            }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}

// The C call the class's own `symlink` method shadows.
private func systemSymlink(_ target: String, _ path: String) -> Int32 { symlink(target, path) }
