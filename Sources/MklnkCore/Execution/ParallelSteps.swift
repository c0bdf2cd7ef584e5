#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization
import MklnkFileSystem

/// New links made on every core, directory by directory.
///
/// The kernel serialises the changes of one directory, not of the whole filesystem, so a run of
/// `makeDirectory` and `create` steps is split by the links' directories: the directories are
/// made first, in journal order, on the calling thread (a link's parents come before it in the
/// journal), then each worker makes the links of a contiguous share of the directories through
/// a file system of its own (`FileSystem.worker()`). Every step is in the journal before any of
/// this starts, and undo is per step and idempotent, so any subset of done steps rolls back.
///
/// Failures read as in the serial loop: a failure at step i stops every worker before its first
/// step after i, while steps before i still run, so the first failure in journal order is the
/// one that stops the transaction, whatever the timing; failures after it are not reported.
struct ParallelSteps {
    let steps: [Step]
    let range: Range<Int>
    let keepGoing: Bool

    /// What a batch did.
    struct Outcome {
        /// Failures of steps before `stop` that were undone alone (`--keep-going`), ascending.
        var undone: [(index: Int, error: StepError)] = []
        /// The step that stops the transaction, and why; nil when the batch went through.
        var stop: (index: Int, error: StepError)?
        /// Steps begun that may have changed something (rolled back when the batch stops).
        var begun: [Bool]
    }

    /// Steps the batch can hold: they only add names, each in one directory.
    static func isFresh(_ step: Step) -> Bool {
        switch step {
        case .create, .makeDirectory: return true
        default: return false
        }
    }

    /// The run of fresh steps from `start`, when it makes at least `threshold` links in more than
    /// one directory and the file system can make changes on other threads.
    static func batch(in steps: [Step], from start: Int, threshold: Int, fileSystem: FileSystem) -> Range<Int>? {
        guard start < steps.count, isFresh(steps[start]) else { return nil }
        var end = start
        var links = 0
        while end < steps.count, isFresh(steps[end]) {
            if case .create = steps[end] { links += 1 }
            end += 1
        }
        guard links >= max(threshold, 2), cores() > 1, fileSystem.worker() != nil else { return nil }
        return start..<end
    }

    /// 512 new links, or `MKLNK_PARALLEL_STEPS` (the strace sweep forces the parallel path with 0).
    static var standardThreshold: Int {
        getenv("MKLNK_PARALLEL_STEPS").flatMap { Int(String(cString: $0)) } ?? 512
    }

    static func cores() -> Int { min(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 4) }

    /// Runs the batch; `progress` is called with the number of steps done, from one thread at a time.
    func run(on fileSystem: FileSystem, progress: ((Int) -> Void)?) -> Outcome {
        let state = Shared()
        let isDirectory = { (index: Int) -> Bool in
            if case .makeDirectory = self.steps[index] { return true }
            return false
        }
        // The directories, in order, on this thread.
        let directories = range.filter(isDirectory)
        var serial = Worker()
        let runner = StepRunner(fileSystem: fileSystem)
        for index in directories {
            if !perform(index, runner, state, &serial) { break }
            progress?(state.done())
        }
        // The links, in shares that do not split a directory, each through its own file system.
        let shares = Self.shares(range.filter { !isDirectory($0) }, steps, count: Self.cores())
        var fileSystems = [fileSystem]
        while fileSystems.count < shares.count, let next = fileSystem.worker() { fileSystems.append(next) }
        let last = fileSystems.count - 1
        let work = { (part: Int) -> Worker in
            var worker = Worker()
            let runner = StepRunner(fileSystem: fileSystems[part])
            for index in part == last ? shares[part...].joined() : shares[part...part].joined() {
                if !perform(index, runner, state, &worker) { break }
                if part == 0 { progress?(state.done()) } else { _ = state.done() }
            }
            return worker
        }
        let workers = [Worker](unsafeUninitializedCapacity: fileSystems.count) { buffer, initialized in
            let slots = Slots(buffer.baseAddress!, work)
            // The first share on this thread, through this file system: what this thread does
            // does not depend on timing (the strace sweep counts calls per thread).
            let others = DispatchGroup()
            for part in 1..<fileSystems.count {
                DispatchQueue.global().async(group: others) { slots.run(part) }
            }
            slots.run(0)
            others.wait()
            initialized = fileSystems.count
        }
        // Together, in journal order.
        let stop = state.stop
        var outcome = Outcome(begun: [])
        for worker in [serial] + workers {
            outcome.undone += worker.undone.filter { $0.index < stop }
            if let failure = worker.stop, failure.index == stop { outcome.stop = failure }
        }
        outcome.undone.sort { $0.index < $1.index }
        guard outcome.stop != nil else { return outcome }
        outcome.begun = [Bool](repeating: false, count: range.count)
        let sequences = [directories[...]] + (0...last).map { part in
            Array((part == last ? shares[part...] : shares[part...part]).joined())[...]
        }
        for (worker, sequence) in zip([serial] + workers, sequences) {
            for index in sequence.prefix(worker.begun) { outcome.begun[index - range.lowerBound] = true }
        }
        return outcome
    }

    /// One step on one thread; false once this thread must stop.
    private func perform(_ index: Int, _ runner: StepRunner, _ state: Shared, _ worker: inout Worker) -> Bool {
        if index > state.stop { return false }
        do {
            try runner.perform(steps[index])
            worker.begun += 1
            return true
        } catch {
            if keepGoing && (error.changedNothing || Transaction.undoTwice(steps[index], runner)) {
                // As in the serial loop: undone with the rest if the transaction stops later.
                worker.begun += 1
                worker.undone.append((index, error))
                return true
            }
            if !error.changedNothing { worker.begun += 1 }
            worker.stop = (index, error)
            state.stop(at: index)
            return false
        }
    }

    /// `links` cut into `count` contiguous shares of about equal size, each cut between two
    /// directories (fewer shares when there are fewer directories).
    static func shares(_ links: [Int], _ steps: [Step], count: Int) -> [ArraySlice<Int>] {
        var shares: [ArraySlice<Int>] = []
        var start = 0
        for part in 1..<max(count, 1) {
            var cut = max(links.count * part / count, start)
            while cut > start && cut < links.count && sameDirectory(steps[links[cut - 1]].path, steps[links[cut]].path) {
                cut += 1
            }
            if cut > start && cut < links.count {
                shares.append(links[start..<cut])
                start = cut
            }
        }
        shares.append(links[start...])
        return shares
    }

    static func sameDirectory(_ a: Path, _ b: Path) -> Bool {
        a.withBytes { x in
            b.withBytes { y in
                guard let i = Paths.lastSlash(x), Paths.lastSlash(y) == i else { return false }
                return i == 0 || memcmp(x.baseAddress!, y.baseAddress!, i) == 0
            }
        }
    }

    /// What one thread did: how many of its steps it began (from the first, in order), the
    /// failures it undid alone, and the one that stopped it.
    private struct Worker {
        var begun = 0
        var undone: [(index: Int, error: StepError)] = []
        var stop: (index: Int, error: StepError)?
    }

    /// The counters the threads share: the first step that stops the transaction, and steps done.
    private final class Shared: Sendable {
        /// The first step that stops the transaction (Int.max: none yet).
        private let first = Atomic<Int>(Int.max)
        private let finished = Atomic<Int>(0)

        var stop: Int { first.load(ordering: .acquiring) }

        func stop(at index: Int) { first.min(index, ordering: .acquiringAndReleasing) }

        func done() -> Int { finished.wrappingAdd(1, ordering: .relaxed).newValue }
    }

    /// Where each thread puts what it did: its own slot of a buffer the caller reads after all
    /// are done, which is why the unchecked `Sendable` holds.
    private final class Slots: @unchecked Sendable {
        let base: UnsafeMutablePointer<Worker>
        let body: (Int) -> Worker

        init(_ base: UnsafeMutablePointer<Worker>, _ body: @escaping (Int) -> Worker) {
            self.base = base
            self.body = body
        }

        func run(_ part: Int) { (base + part).initialize(to: body(part)) }
    }
}
