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
/// Each link to one target is offered as soon as its paths are known: while the YAML is read
/// (`PathSpeculation`), or else as the entry is parsed. A worker thread stats the target and
/// looks at the link path (one `readlinkat`). A no-op plan is mostly those two syscalls per link,
/// so they overlap the parsing instead of following it. The graph and the planner use an answer
/// only for the very path it was read for, and read anything else themselves.
///
/// Threads: the loader's thread writes slot `i`, then publishes `i + 1` (a release store). Slots
/// are claimed in batches from an atomic cursor, first by the worker alone, then, once loading
/// is over, by the loader's thread too (in `wait()`); whoever claims a slot writes its answer.
/// Slots live in chunks that never move, so more can be added while the worker reads. Answers
/// are read only after `wait()`, which returns once both have stopped.
public final class Prefetch: @unchecked Sendable {
    struct Key {
        let link: String
        let target: String
    }

    private struct Answer {
        var status: Result<FileStatus?, FileSystemError>?
        var observed: Result<Observation, FileSystemError>?
    }

    /// Below this many links the worker is not started: its reads are done where they are needed.
    static let threshold = ParallelReads.threshold

    private let makeReader: (String) -> FileSystem?
    private let inspectLinks: Bool
    private let keys = Chunks<Key>()
    private let answers = Chunks<Answer>()
    private var offered = 0
    /// Entry index → slot (-1: none).
    private var entrySlots: [Int32] = []
    /// Atomic: slots published; 1 once no more will come, 2 when cancelled; the next slot to claim.
    private let counters = UnsafeMutablePointer<CLong>.allocate(capacity: 3)
    private static let batch = 32
    private let stopped = DispatchSemaphore(value: 0)
    private var begun = false
    private var running = false
    private var cancelled = false
    /// The root the reads are confined to.
    private(set) var root = "/"

    /// `makeReader` gives a file system over a root for the worker (nil: no prefetching).
    public init(inspectLinks: Bool, makeReader: @escaping (String) -> FileSystem?) {
        self.inspectLinks = inspectLinks
        self.makeReader = makeReader
        counters.initialize(repeating: 0, count: 3)
    }

    deinit {
        wait()
        keys.free(count: offered)
        answers.free(count: offered)
        counters.deallocate()
    }

    /// Accepts offers of links beneath `root`; the worker starts once there are enough of them.
    func begin(root: String) {
        guard !begun else { return }
        begun = true
        self.root = root
    }

    var isOpen: Bool { begun && !cancelled }

    /// Offers the next link; returns its slot, nil when it is not taken.
    func offer(link: String, target: String) -> Int? {
        guard isOpen, keys.reserve(offered), answers.reserve(offered) else { return nil }
        keys[offered].initialize(to: Key(link: link, target: target))
        answers[offered].initialize(to: Answer())
        offered += 1
        mklnk_store_release(counters, CLong(offered))
        if !running && offered >= Self.threshold, let reader = makeReader(root) {
            running = true
            let job = Job(self, reader)
            DispatchQueue.global().async {
                job.prefetch.work(job.reader)
                job.prefetch.stopped.signal()
            }
        }
        return offered - 1
    }

    /// The paths offered in `slot`.
    func key(_ slot: Int) -> Key { keys[slot].pointee }

    /// Entry `entry` is the link offered in `slot` (entries are bound in order).
    func bind(entry: Int, slot: Int) {
        while entrySlots.count < entry { entrySlots.append(-1) }
        entrySlots.append(Int32(slot))
    }

    /// No more offers: the worker stops once it has read what it has.
    func finish() {
        mklnk_store_release(counters + 1, max(mklnk_load_acquire(counters + 1), 1))
    }

    /// The answers will not be wanted (the plan did not load, or was read ahead under another
    /// root): the worker stops after its batch, and no offer is taken.
    func cancel() {
        guard !cancelled else { return }
        cancelled = true
        entrySlots = []
        mklnk_store_release(counters + 1, 2)
    }

    /// Reads what is left alongside the worker, then waits for it; afterwards the answers may be
    /// read.
    func wait() {
        finish()
        guard running else { return }
        if !cancelled, let reader = makeReader(root) { work(reader) }
        stopped.wait()
        running = false
    }

    private func slot(_ entry: Int) -> Int? {
        guard entry < entrySlots.count, entrySlots[entry] >= 0 else { return nil }
        return Int(entrySlots[entry])
    }

    /// Whether `status(entry:path:)` has an answer (without copying it).
    func hasStatus(entry: Int, path: String) -> Bool {
        guard let s = slot(entry), keys[s].pointee.target == path else { return false }
        return answers[s].pointee.status != nil
    }

    /// The target's status read for entry `entry`, if it was read for `path`.
    func status(entry: Int, path: String) -> Result<FileStatus?, FileSystemError>? {
        guard let s = slot(entry), keys[s].pointee.target == path else { return nil }
        return answers[s].pointee.status
    }

    /// What was at entry `entry`'s link path, if it was looked at for `path`.
    func observation(entry: Int, path: String) -> Result<Observation, FileSystemError>? {
        guard let s = slot(entry), keys[s].pointee.link == path else { return nil }
        return answers[s].pointee.observed
    }

    /// Claims and reads batches of slots until every published slot is claimed and no more come,
    /// or until cancelled.
    private func work(_ reader: FileSystem) {
        var idle = 0
        while mklnk_load_acquire(counters + 1) != 2 {
            let first = mklnk_fetch_add(counters + 2, CLong(Self.batch))
            var i = Int(first)
            while i < Int(first) + Self.batch {
                if i < mklnk_load_acquire(counters) {
                    read(keys[i], into: answers[i], reader)
                    i += 1
                    idle = 0
                } else if mklnk_load_acquire(counters + 1) != 0 {
                    if i >= mklnk_load_acquire(counters) { return }
                } else {
                    // Caught up with the loader: yield a little, then sleep rather than spin
                    // beside it (a link is offered every few microseconds).
                    idle += 1
                    if idle < 16 { sched_yield() } else { usleep(50) }
                }
            }
        }
    }

    private func read(_ key: UnsafeMutablePointer<Key>, into answer: UnsafeMutablePointer<Answer>, _ reader: FileSystem) {
        let target = key.pointee.target, link = key.pointee.link
        answer.pointee.status = Result { () throws(FileSystemError) in try reader.status(target, follow: true) }
        if inspectLinks {
            answer.pointee.observed = Result { () throws(FileSystemError) in try Observation.observe(link, in: reader) }
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

/// Elements in fixed chunks that never move: one thread adds while another reads those already
/// published. Up to 4M elements.
private struct Chunks<Element> {
    private static var shift: Int { 12 }
    private static var limit: Int { 1024 }
    private let table: UnsafeMutablePointer<UnsafeMutablePointer<Element>?>

    init() {
        table = .allocate(capacity: Self.limit)
        table.initialize(repeating: nil, count: Self.limit)
    }

    /// Makes room for element `i` (the next one); false when full.
    func reserve(_ i: Int) -> Bool {
        let chunk = i >> Self.shift
        guard chunk < Self.limit else { return false }
        if table[chunk] == nil { table[chunk] = .allocate(capacity: 1 << Self.shift) }
        return true
    }

    subscript(i: Int) -> UnsafeMutablePointer<Element> {
        table[i >> Self.shift].unsafelyUnwrapped + (i & ((1 << Self.shift) - 1))
    }

    /// Destroys the first `count` elements and frees the storage.
    func free(count: Int) {
        var remaining = count
        for chunk in 0..<Self.limit {
            guard let p = table[chunk] else { break }
            let n = min(remaining, 1 << Self.shift)
            p.deinitialize(count: n)
            remaining -= n
            p.deallocate()
        }
        table.deallocate()
    }
}
