#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMklnkSys
import Dispatch
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
        defer { state.release() }
        var outcome = Outcome(begun: [])
        // The directories, in order, on this thread.
        var links: [Int] = []
        links.reserveCapacity(range.count)
        let runner = StepRunner(fileSystem: fileSystem)
        var serial = Worker(begun: [], undone: [], stop: nil)
        for index in range {
            if case .makeDirectory = steps[index] {
                if !perform(index, runner, state, &serial) { break }
                progress?(state.done())
            } else {
                links.append(index)
            }
        }
        // The links, in shares that do not split a directory.
        let shares = Self.shares(links, steps, count: Self.cores())
        var fileSystems = [fileSystem]
        while fileSystems.count < shares.count, let next = fileSystem.worker() { fileSystems.append(next) }
        let workers = [Worker](unsafeUninitializedCapacity: fileSystems.count) { buffer, initialized in
            let base = buffer.baseAddress!
            let work = Work { part in
                var worker = Worker(begun: [], undone: [], stop: nil)
                let runner = StepRunner(fileSystem: fileSystems[part])
                let mine = part == fileSystems.count - 1 ? Array(shares[part...].joined()) : Array(shares[part])
                for index in mine {
                    if !perform(index, runner, state, &worker) { break }
                    if part == 0 { progress?(state.done()) } else { _ = state.done() }
                }
                (base + part).initialize(to: worker)
            }
            // The first share on this thread, through this file system: what this thread does
            // does not depend on timing (the strace sweep counts calls per thread).
            let others = DispatchGroup()
            for part in 1..<fileSystems.count {
                DispatchQueue.global().async(group: others) { work.body(part) }
            }
            work.body(0)
            others.wait()
            initialized = fileSystems.count
        }
        // Together, in journal order.
        let stop = state.stop
        outcome.begun = [Bool](repeating: false, count: range.count)
        for worker in [serial] + workers {
            for index in worker.begun { outcome.begun[index - range.lowerBound] = true }
            outcome.undone += worker.undone.filter { $0.index < stop }
            if let failure = worker.stop, failure.index == stop { outcome.stop = failure }
        }
        outcome.undone.sort { $0.index < $1.index }
        return outcome
    }

    /// One step on one thread; false once this thread must stop.
    private func perform(_ index: Int, _ runner: StepRunner, _ state: Shared, _ worker: inout Worker) -> Bool {
        if index > state.stop { return false }
        do {
            try runner.perform(steps[index])
            worker.begun.append(index)
            return true
        } catch {
            if !error.changedNothing { worker.begun.append(index) }
            if keepGoing && (error.changedNothing || Transaction.undoTwice(steps[index], runner)) {
                worker.undone.append((index, error))
                return true
            }
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

    /// What one thread did.
    private struct Worker {
        var begun: [Int]
        var undone: [(index: Int, error: StepError)]
        var stop: (index: Int, error: StepError)?
    }

    /// The counters the threads share: the first step that stops the transaction, and steps done.
    private final class Shared: @unchecked Sendable {
        private let cells = UnsafeMutablePointer<Int>.allocate(capacity: 2)

        init() {
            cells[0] = Int.max
            cells[1] = 0
        }

        func release() { cells.deallocate() }

        var stop: Int { mklnk_load_acquire(cells) }

        func stop(at index: Int) {
            var seen = mklnk_load_acquire(cells)
            while index < seen && mklnk_compare_exchange(cells, seen, index) == 0 { seen = mklnk_load_acquire(cells) }
        }

        func done() -> Int { mklnk_fetch_add(cells + 1, 1) + 1 }
    }

    /// The body each worker runs. Each writes only its own slot and reads shared values that
    /// are not written meanwhile, which is why the unchecked `Sendable` holds.
    private final class Work: @unchecked Sendable {
        let body: (Int) -> Void
        init(_ body: @escaping (Int) -> Void) { self.body = body }
    }
}
