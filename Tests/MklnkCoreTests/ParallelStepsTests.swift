#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import MklnkCore
import MklnkFileSystem
import MklnkTestSupport
import Testing

/// New links made on several threads (`ParallelSteps`): the same tree, state, counters and
/// failures as the serial loop, and all or nothing at every failure point, whatever subset of
/// steps either thread got through.
@Suite struct ParallelStepsTests {
    /// Links in six directories (four of them new, two nested), hard links, and an update in
    /// the middle that splits the fresh steps into two batches.
    static let plan = """
        version: 1
        root: ~
        links:
          a/l0: f0
          a/l1: f1
          a/l2: f2
          n/b/l0: f0
          n/b/l1: f1
          n/c/l0: f2
          n/c/l1: f0
          old: f1
          h/x0: { target: f0, kind: hardlink }
          h/x1: { target: f1, kind: hardlink }
          m/p/q/l0: f2
          m/p/q/l1: f0
          m/r/l0: f1

        """

    /// A fresh disk with the targets, `~/a` and the symlink `~/old` the plan updates.
    static func disk() -> MemoryDisk {
        let disk = MemoryDisk()
        let fs = MemoryFileSystem(root: "/", disk: disk)
        try! fs.createDirectories("/case/dots")
        try! fs.createDirectories("/case/home/a")
        for i in 0..<3 { try! fs.writeFileAtomically(Path("/case/dots/f\(i)"), Array("file \(i)\n".utf8), sync: false) }
        try! fs.createSymlink(at: "/case/home/old", target: "/nowhere")
        try! fs.writeFileAtomically(Path(MemoryModelRun.plan), Array(plan.utf8), sync: false)
        return disk
    }

    static func planned(_ disk: MemoryDisk) -> PlannedRun {
        PlanPipeline.run(file: MemoryModelRun.plan, options: MemoryModelRun.options, stateDirectory: MemoryModelRun.state,
                         prune: true) { MemoryFileSystem(root: $0, disk: disk) }.0
    }

    /// Applies the plan through `wrap(faulty)` with the given threshold.
    static func apply(_ disk: MemoryDisk, mode: FaultyFileSystem.Mode, threshold: Int, keepGoing: Bool = false)
        -> (ApplyOutcome, FaultyFileSystem) {
        let run = planned(disk)
        let faulty = FaultyFileSystem(base: MemoryFileSystem(root: run.plan!.root, disk: disk), mode: mode)
        let fs = SerializedFileSystem(base: faulty)
        var transaction = Transaction(fileSystem: fs, stateStore: StateStore(fileSystem: fs, directory: MemoryModelRun.state),
                                      plan: PlanPipeline.planKey(run.plan!, MemoryModelRun.options), previous: run.previous,
                                      keepUnlisted: false, keepGoing: keepGoing)
        transaction.parallelThreshold = threshold
        return (transaction.apply(run.actions), faulty)
    }

    static func state(_ disk: MemoryDisk) -> [Path: [UInt8]] {
        let fs = MemoryFileSystem(root: "/", disk: disk)
        var files: [Path: [UInt8]] = [:]
        for entry in (try? fs.directoryEntries(MemoryModelRun.state + "/plans")) ?? [] {
            files[entry.name] = try? fs.readFile(MemoryModelRun.state + "/plans/" + entry.name)
        }
        for name: Path in ["journal", "journal.commit"] {
            files[name] = try? fs.readFile(MemoryModelRun.state + "/" + name)
        }
        return files
    }

    @Test("a parallel apply makes the tree, state and counters of a serial one (in memory)")
    func sameAsSerial() {
        let serial = Self.disk(), parallel = Self.disk()
        let (a, _) = Self.apply(serial, mode: .none, threshold: .max)
        let (b, _) = Self.apply(parallel, mode: .none, threshold: 0)
        #expect(a.failures.isEmpty && b.failures.isEmpty && !b.rolledBack)
        #expect(a.counters == b.counters && b.counters.files == 13)
        #expect(MemoryModelRun.shape(MemoryModelRun.image(serial)) == MemoryModelRun.shape(MemoryModelRun.image(parallel)))
        #expect(Self.state(serial) == Self.state(parallel))
        #expect(Self.state(parallel)["journal"] == nil)
        // The parallel path was taken: two batches, split by the update.
        let run = Self.planned(Self.disk())
        let steps = Transaction.steps(for: run.actions, transaction: "t", fileSystem: MemoryFileSystem(root: "/")).0
        let fs = SerializedFileSystem(base: MemoryFileSystem(root: "/"))
        let first = ParallelSteps.batch(in: steps, from: 0, threshold: 0, fileSystem: fs)
        #expect(ParallelSteps.cores() < 2 || (first != nil && first!.upperBound < steps.count))
        #expect(ParallelSteps.batch(in: steps, from: 0, threshold: 8, fileSystem: fs) == nil)
    }

    @Test("on disk, with a file system per thread: the tree and state of a serial apply")
    func onDisk() {
        var yaml = "version: 1\nroot: ~\nlinks:\n"
        for d in 0..<24 {
            for i in 0..<25 { yaml += "  d\(d % 3)/e\(d)/l\(i): \(i % 2 == 0 ? "f" : "{ target: f, kind: hardlink }")\n" }
        }
        var results: [(TreeSnapshot, ApplyOutcome, [String])] = []
        for threshold in [Int.max, 0] {
            let tree = TempTree(dotfiles: "parallel")
            tree.file("@/f", "bytes\n")
            let run = tree.planRun(yaml)
            var transaction = tree.transaction(run, on: LocalFileSystem(root: run.plan!.root))
            transaction.parallelThreshold = threshold
            let outcome = transaction.apply(run.actions)
            // The state with each hard link's inode checked against the link's, then left out.
            let state = tree.stateFiles().values.map { file in
                file.split(separator: "\n").map { line in
                    var fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                    if fields.count == 5 && fields[0] == "hardlink" {
                        var st = stat()
                        #expect(lstat(fields[1], &st) == 0 && String(st.st_ino) == fields[4], "\(line)")
                        fields[3] = "*"
                        fields[4] = "*"
                    }
                    return fields.map { $0.hasPrefix(tree.dir) ? "$T" + $0.dropFirst(tree.dir.count) : $0 }
                        .joined(separator: "\t")
                }.dropFirst().joined(separator: "\n")  // the header holds a digest of the paths
            }
            results.append((tree.snapshot().normalized(dir: tree.dir), outcome, state))
            #expect(!tree.journalExists)
        }
        #expect(results[0].1.failures.isEmpty && results[1].1.failures.isEmpty)
        #expect(results[0].1.counters == results[1].1.counters && results[1].1.counters.files == 600)
        #expect(results[0].0 == results[1].0, "\(results[1].0.difference(from: results[0].0))")
        #expect(results[0].2.count == 1 && results[0].2 == results[1].2)
    }

    @Test("a failed call N, before or after its effect, leaves the before-state; every N, twice (in memory)")
    func failures() {
        let before = MemoryModelRun.image(Self.disk())
        let (_, reference) = Self.apply(Self.disk(), mode: .none, threshold: 0)
        let after = MemoryModelRun.shape(MemoryModelRun.image({ let d = Self.disk(); _ = Self.apply(d, mode: .none, threshold: 0); return d }()))
        for n in 1...reference.calls {
            for mode in [FaultyFileSystem.Mode.failOnce(at: n, errno: EIO), .failAfterEffect(at: n, errno: EIO)] {
                for _ in 0..<2 {
                    let disk = Self.disk()
                    let (outcome, fs) = Self.apply(disk, mode: mode, threshold: 0)
                    #expect(fs.fired, "\(mode)")
                    let image = MemoryModelRun.image(disk)
                    if outcome.rolledBack {
                        #expect(outcome.failures.count == 1, "\(mode): \(outcome.failures.map(\.message))")
                        #expect(image == before, "\(mode) (\(fs.log[n - 1])): \(image.difference(from: before))")
                        #expect(Self.state(disk).isEmpty, "\(mode): journal or state left")
                    } else {
                        // Failed during cleanup after the commit: retried, so the run still finished.
                        #expect(outcome.failures.isEmpty, "\(mode): \(outcome.failures.map(\.message))")
                        #expect(MemoryModelRun.shape(image) == after, "\(mode)")
                    }
                }
            }
        }
    }

    @Test("a crash at call N, then recovery, gives the before- or the after-state (in memory)")
    func crashes() throws {
        let before = MemoryModelRun.image(Self.disk())
        let (_, reference) = Self.apply(Self.disk(), mode: .none, threshold: 0)
        let after = MemoryModelRun.shape(MemoryModelRun.image({ let d = Self.disk(); _ = Self.apply(d, mode: .none, threshold: 0); return d }()))
        for n in 1...reference.calls {
            for _ in 0..<2 {
                let disk = Self.disk()
                _ = Self.apply(disk, mode: .crash(at: n), threshold: 0)
                let recover = { try Recovery.run(stateDirectory: MemoryModelRun.state) { MemoryFileSystem(root: $0, disk: disk) } }
                _ = try recover()
                let image = MemoryModelRun.image(disk)
                #expect(image == before || MemoryModelRun.shape(image) == after, "crash at \(n): \(image.difference(from: before))")
                #expect(try recover() == .nothing)
                #expect(MemoryModelRun.image(disk) == image)
            }
        }
    }

    @Test("with --keep-going a failed link is undone alone and counted; the rest is made (in memory)")
    func keepGoing() {
        let (_, reference) = Self.apply(Self.disk(), mode: .none, threshold: 0)
        let links = reference.log.indices.filter { reference.log[$0].hasPrefix("symlink ") || reference.log[$0].hasPrefix("link ") }
        for call in links {
            let disk = Self.disk()
            let (outcome, fs) = Self.apply(disk, mode: .failOnce(at: call + 1, errno: EIO), threshold: 0, keepGoing: true)
            #expect(fs.fired && !outcome.rolledBack)
            #expect(outcome.failures.count == 1 && outcome.counters.errors == 1 && outcome.counters.files == 12,
                    "\(outcome.failures.map(\.message)) \(outcome.counters)")
        }
    }

    @Test("the links are shared out between directories, never within one")
    func shares() {
        let paths: [Path] = ["/r/a/1", "/r/a/2", "/r/a/3", "/r/b/1", "/r/b/2", "/r/c/1", "/r/c/2", "/r/c/3"]
        let steps = paths.map { Step.create(path: $0, link: NewLink(kind: .symlink, target: "/t")) }
        let two = ParallelSteps.shares(Array(steps.indices), steps, count: 2)
        #expect(two.map(Array.init) == [[0, 1, 2, 3, 4], [5, 6, 7]])
        let one = ParallelSteps.shares([0, 1, 2], steps, count: 2)
        #expect(one.map(Array.init) == [[0, 1, 2]])
        #expect(ParallelSteps.shares(Array(steps.indices), steps, count: 4).joined().map { $0 } == Array(steps.indices))
        #expect(!ParallelSteps.sameDirectory("/r/a/1", "/r/ab/1") && ParallelSteps.sameDirectory("/x", "/y"))
    }
}
