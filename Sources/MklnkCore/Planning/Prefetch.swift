#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMklnkSys
import Dispatch
import MklnkFileSystem

/// Reads what planning will ask about, on another core, while the plan is still being loaded.
///
/// The loader offers each entry as it parses it; a worker thread at once stats the target and
/// looks at the link path (one `readlinkat`). A no-op plan is mostly those two syscalls per link,
/// so they overlap the parsing instead of following it. The graph and the planner use an answer
/// only for the very path it was read for, and read anything else themselves.
///
/// Threads: the loader's thread writes slot `i`, then publishes `i + 1` (a release store). Slots
/// are claimed in batches from an atomic cursor, first by the worker alone, then, once loading
/// is over, by the loader's thread too (in `wait()`); whoever claims a slot writes its answers.
/// Answers are read only after `wait()`, which returns once both have stopped.
public final class Prefetch: @unchecked Sendable {
    private struct Slot {
        let link: String
        let target: String
        var status: Result<FileStatus?, FileSystemError>?
        var observed: Result<Observation, FileSystemError>?
    }

    /// Plans with fewer entries are read where they are needed, as before.
    static let threshold = ParallelReads.threshold

    private let makeReader: (String) -> FileSystem?
    private let inspectLinks: Bool
    private var slots: UnsafeMutablePointer<Slot>?
    private var capacity = 0
    private var offered = 0
    /// Atomic: slots published; 1 once no more will come, 2 when cancelled; the next slot to claim.
    private let counters = UnsafeMutablePointer<CLong>.allocate(capacity: 3)
    private static let batch = 32
    private let stopped = DispatchSemaphore(value: 0)
    private var running = false
    private var cancelled = false
    private var root = "/"

    /// `makeReader` gives a file system over a root for the worker (nil: no prefetching).
    public init(inspectLinks: Bool, makeReader: @escaping (String) -> FileSystem?) {
        self.inspectLinks = inspectLinks
        self.makeReader = makeReader
        counters.initialize(repeating: 0, count: 3)
    }

    deinit {
        wait()
        if let slots {
            slots.deinitialize(count: offered)
            slots.deallocate()
        }
        counters.deallocate()
    }

    /// Starts the worker for up to `capacity` entries of a plan rooted at `root`.
    func begin(root: String, capacity: Int) {
        guard !running, capacity >= Self.threshold, let reader = makeReader(root) else { return }
        slots = .allocate(capacity: capacity)
        self.capacity = capacity
        self.root = root
        running = true
        let job = Job(self, reader)
        DispatchQueue.global().async {
            job.prefetch.work(job.reader)
            job.prefetch.stopped.signal()
        }
    }

    /// Offers the next entry (in entry order); nil for an entry that is not one link to one target.
    func offer(link: String?, target: String?) {
        guard running, offered < capacity, let slots else { return }
        (slots + offered).initialize(to: Slot(link: link ?? "", target: target ?? ""))
        offered += 1
        mklnk_store_release(counters, CLong(offered))
    }

    /// No more offers: the worker stops once it has read what it has.
    func finish() {
        guard running else { return }
        mklnk_store_release(counters + 1, 1)
    }

    /// The answers will not be wanted (the plan did not load): the worker stops after its batch.
    func cancel() {
        guard running, !cancelled else { return }
        cancelled = true
        mklnk_store_release(counters + 1, 2)
    }

    /// Reads what is left alongside the worker, then waits for it; afterwards the answers may be
    /// read.
    func wait() {
        guard running else { return }
        if !cancelled {
            finish()
            if let reader = makeReader(root) { work(reader) }
        }
        stopped.wait()
        running = false
    }

    /// The target's status read for entry `entry`, if it was read for `path`.
    func status(entry: Int, path: String) -> Result<FileStatus?, FileSystemError>? {
        guard entry < offered, let slots, slots[entry].target == path else { return nil }
        return slots[entry].status
    }

    /// What was at entry `entry`'s link path, if it was looked at for `path`.
    func observation(entry: Int, path: String) -> Result<Observation, FileSystemError>? {
        guard entry < offered, let slots, slots[entry].link == path else { return nil }
        return slots[entry].observed
    }

    /// Claims and reads batches of slots until every published slot is claimed and no more come,
    /// or until cancelled.
    private func work(_ reader: FileSystem) {
        guard let slots else { return }
        while mklnk_load_acquire(counters + 1) != 2 {
            let first = mklnk_fetch_add(counters + 2, CLong(Self.batch))
            var i = Int(first)
            while i < Int(first) + Self.batch {
                if i < mklnk_load_acquire(counters) {
                    read(&slots[i], reader)
                    i += 1
                } else if mklnk_load_acquire(counters + 1) != 0 {
                    if i >= mklnk_load_acquire(counters) { return }
                } else {
                    sched_yield()
                }
            }
        }
    }

    private func read(_ slot: inout Slot, _ reader: FileSystem) {
        if slot.target.isEmpty { return }
        slot.status = Result { () throws(FileSystemError) in try reader.status(slot.target, follow: true) }
        if inspectLinks {
            slot.observed = Result { () throws(FileSystemError) in try Observation.observe(slot.link, in: reader) }
        }
    }

    private struct Job: @unchecked Sendable {
        let prefetch: Prefetch
        let reader: FileSystem
        init(_ prefetch: Prefetch, _ reader: FileSystem) {
            self.prefetch = prefetch
            self.reader = reader
        }
    }
}
