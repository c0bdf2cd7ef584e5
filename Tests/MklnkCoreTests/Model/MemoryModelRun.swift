#if canImport(Glibc)
import Glibc
#endif
@testable import MklnkCore
import MklnkFileSystem
import MklnkTestSupport

/// A `ModelCase` run in process on a `MemoryFileSystem`, with the binary tests' checks (the tree
/// changes exactly as the actions say, a second plan has nothing to do, no bytes lost, nothing
/// outside root changes) and two faults: EIO at a random call (rolled back) and a crash at a
/// random call followed by `Recovery.run` (before-state or after-state).
struct MemoryModelRun {
    let scenario: ModelCase
    private(set) var problems: [String] = []
    private(set) var outcome = ""

    static let top = "/case"
    static let plan = top + "/dots/plan.yaml"
    static let state: Path = "/case/state"
    static let options = LoadOptions(
        facts: HostFacts(os: "linux", arch: "x86_64", hostname: "model", user: "u", home: top + "/home",
                         environment: ["HOME": top + "/home"]),
        workingDirectory: Path(top))

    init(_ scenario: ModelCase) { self.scenario = scenario }

    mutating func run() {
        var (disk, before) = prepare()
        let (planned, _) = plan(disk)
        guard planned.failure == nil else {
            outcome = "refused: \(planned.diagnostics.errors.first?.message ?? planned.actions.first { $0.op == .conflict }?.reason ?? "")"
            return
        }
        let (result, calls) = apply(planned, on: disk, mode: .none)
        let after = Self.image(disk)
        let ops = planned.actions.map(\.op.rawValue)
        outcome = "\(calls) calls " + Set(ops).sorted().map { op in "\(op):\(ops.filter { $0 == op }.count)" }.joined(separator: ",")
        guard result.failures.isEmpty, !result.rolledBack else {
            return problems.append("apply failed: \(result.failures.map(\.message))")
        }
        var model = ModelEffects(before: before, dir: Array(Self.top.utf8)) { target in
            let fs = MemoryFileSystem(root: "/", disk: disk)
            guard let st = try? fs.status(Path(bytes: target), follow: true),
                  let bytes = try? fs.readFile(Path(bytes: target)) else { return nil }
            return (st.inode, bytes)
        }
        for a in planned.actions {
            model.apply(ModelAction(op: a.op.rawValue, path: Self.text(a.path), kind: a.kind?.rawValue,
                                    target: a.target.map(Self.text), reason: a.reason),
                        after: after)
        }
        problems += model.problems + model.compare(with: after)
        let lost = before.contents.subtracting(after.contents)
        if !lost.isEmpty { problems.append("bytes of \(lost.count) file(s) lost") }
        let again = plan(disk).0.actions.filter { $0.op != .unchanged && $0.op != .skip }
        if !again.isEmpty { problems.append("a second plan is not empty: \(again.map { "\($0.op) \($0.path)" })") }
        guard problems.isEmpty, calls > 0 else { return }

        var random = SeededRandom(seed: scenario.seed ^ 0xfa17)
        let failAt = random.int(calls) + 1
        (disk, before) = prepare()
        let failed = apply(plan(disk).0, on: disk, mode: .failOnce(at: failAt, errno: EIO)).0
        if failed.rolledBack || !failed.failures.isEmpty {
            recover(disk)
            let image = Self.image(disk)
            if image != before {
                problems.append("EIO at call \(failAt) of \(calls) did not leave the before-state:\n\(image.difference(from: before))")
            }
        }
        let crashAt = random.int(calls) + 1
        (disk, before) = prepare()
        _ = apply(plan(disk).0, on: disk, mode: .crash(at: crashAt))
        recover(disk)
        let image = Self.image(disk)
        if image != before && Self.shape(image) != Self.shape(after) {
            let a = Self.shape(after), b = Self.shape(image)
            let differences = a.filter { !b.contains($0) }.map { "  after only: \($0)" } + b.filter { !a.contains($0) }.map { "  recovered only: \($0)" }
            problems.append("a crash at call \(crashAt) of \(calls), then recovery, left neither state:\n\(image.difference(from: before))\nnot the after-state either:\n\(differences.joined(separator: "\n"))")
        }
        outcome += " | EIO at \(failAt): \(failed.rolledBack ? "rolled back" : "applied") | crash at \(crashAt)"
    }

    /// A path as `ModelAction` carries it: bytes that are not UTF-8 as U+E0XX (see
    /// `ModelAction.bytes`), not `description`, which escapes them for display.
    static func text(_ path: Path) -> String {
        var out = String.UnicodeScalarView()
        PathText.forEach(path.bytes) { piece in
            switch piece {
            case .scalar(let u): out.append(u)
            case .invalid(let b): out.append(Unicode.Scalar(0xE000 + UInt32(b))!)
            }
        }
        return String(out)
    }

    /// A fresh disk with the scenario (the earlier plan applied), and its image.
    private func prepare() -> (MemoryDisk, TreeSnapshot) {
        let disk = MemoryDisk()
        let writer = MemoryWriter(fileSystem: MemoryFileSystem(root: "/", disk: disk))
        writer.mkdir(Array(Self.top.utf8))
        ModelCase.build(scenario.tree, in: Array(Self.top.utf8), with: writer)
        if let earlier = scenario.earlierPlan {
            writer.write(Array(Self.plan.utf8), Array(earlier.utf8))
            let planned = plan(disk).0
            if planned.failure == nil { _ = apply(planned, on: disk, mode: .none) }
            ModelCase.build(scenario.between, in: Array(Self.top.utf8), with: writer)
        }
        writer.write(Array(Self.plan.utf8), Array(scenario.plan.utf8))
        return (disk, Self.image(disk))
    }

    private func plan(_ disk: MemoryDisk) -> (PlannedRun, FileSystem?) {
        PlanPipeline.run(file: Self.plan, options: Self.options, stateDirectory: Self.state, prune: true) {
            MemoryFileSystem(root: $0, disk: disk)
        }
    }

    private func apply(_ planned: PlannedRun, on disk: MemoryDisk, mode: FaultyFileSystem.Mode) -> (ApplyOutcome, Int) {
        guard let plan = planned.plan else { return (ApplyOutcome(), 0) }
        let fs = FaultyFileSystem(base: MemoryFileSystem(root: plan.root, disk: disk), mode: mode)
        let transaction = Transaction(fileSystem: fs, stateStore: StateStore(fileSystem: fs, directory: Self.state),
                                      plan: PlanPipeline.planKey(plan, Self.options), previous: planned.previous,
                                      keepUnlisted: false, keepGoing: false)
        return (transaction.apply(planned.actions), fs.calls)
    }

    private func recover(_ disk: MemoryDisk) {
        _ = try? Recovery.run(stateDirectory: Self.state) { MemoryFileSystem(root: $0, disk: disk) }
    }

    /// The tree under `top` (the state directory left out), as the disk tests see theirs.
    static func image(_ disk: MemoryDisk) -> TreeSnapshot {
        let fs = MemoryFileSystem(root: "/", disk: disk)
        var entries: [BytePath: TreeSnapshot.Entry] = [:]
        func walk(_ relative: BytePath) {
            let dir = Path(bytes: Array(top.utf8) + (relative.isEmpty ? [] : [47] + relative))
            for entry in (try? fs.directoryEntries(dir)) ?? [] where !(relative.isEmpty && entry.name == "state") {
                let rel = relative.isEmpty ? entry.name.bytes : relative + [47] + entry.name.bytes
                let path = Path(bytes: Array(top.utf8) + [47] + rel)
                guard let st = try? fs.status(path, follow: false) else { continue }
                switch st.kind {
                case .regular: entries[rel] = .init(kind: .file, inode: st.inode, bytes: try? fs.readFile(path))
                case .directory:
                    entries[rel] = .init(kind: .directory, inode: st.inode)
                    walk(rel)
                case .symlink: entries[rel] = .init(kind: .symlink, inode: st.inode, target: (try? fs.readLink(path))?.bytes)
                case .other: entries[rel] = .init(kind: .other, inode: st.inode)
                }
            }
        }
        walk([])
        return TreeSnapshot(entries: entries)
    }

    /// An image without inodes, backup stamps blanked: comparable across two runs (two backups
    /// of one name may then look alike, so it is a sorted list, not a dictionary).
    static func shape(_ image: TreeSnapshot) -> [String] {
        image.entries.map { path, e in
            var name = String(decoding: path, as: UTF8.self)
            while let r = name.firstRange(of: ".mklnk-backup-") {
                let rest = name[r.upperBound...].drop { $0.isNumber || $0 == "T" || $0 == "-" }
                name = String(name[..<r.lowerBound]) + ".BACKUP-*" + rest
            }
            return "\(name): \(e.kind) \(e.target ?? []) \(e.bytes ?? [])"
        }.sorted()
    }
}

/// Builds a scenario's tree on a `MemoryFileSystem` rooted at `/`.
struct MemoryWriter: ModelTreeWriter {
    let fileSystem: MemoryFileSystem

    private func s(_ path: BytePath) -> Path { Path(bytes: path) }

    func write(_ path: BytePath, _ bytes: [UInt8]) { try? fileSystem.writeFileAtomically(s(path), bytes, sync: false) }
    func mkdir(_ path: BytePath) { try? fileSystem.createDirectories(s(path)) }
    func symlink(_ target: BytePath, at path: BytePath) { try? fileSystem.createSymlink(at: s(path), target: s(target)) }
    func link(_ existing: BytePath, at path: BytePath) { try? fileSystem.createHardLink(at: s(path), to: s(existing)) }
    func rename(_ from: BytePath, _ to: BytePath) { try? fileSystem.rename(s(from), to: s(to), mode: .replace) }
}
