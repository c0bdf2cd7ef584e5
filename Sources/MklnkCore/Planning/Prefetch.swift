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
/// Each link to one target is offered as soon as it is known: while the YAML is read, as the
/// paths written in the plan (`PathSpeculation`; the worker works them out with `resolve`), or
/// else as the entry is parsed, as absolute paths. A worker thread works out written paths first,
/// then stats each target and looks at each link path (one `readlinkat`). A no-op plan is mostly
/// those two syscalls per link, so they overlap the parsing instead of following it. Once
/// settled, the answers are found by path (`status(of:)`, `inspection(of:)`), which is how
/// `ReadAheadFileSystem` serves them: the graph and the planner only see a FileSystem.
///
/// Threads: the loader's thread writes slot `i`, then publishes `i + 1` (a release store). The
/// worker alone works out written paths, in order, into its own slots, and publishes how many
/// it has. A slot is written once and never replaced while both threads run: the compiler may
/// retain a value stored into a slot after the store that publishes it, so a thread that
/// replaced a published value could free it before that retain (a crash in `offer`). Reads
/// are claimed in batches below that mark, first by the worker alone, then, once loading is over,
/// by the loader's thread too (in `wait()`); whoever claims a slot writes its answer. Slots live
/// in chunks that never move, so more can be added while the worker reads. Answers are read only
/// after `wait()`, which returns once both have stopped.
public final class Prefetch: @unchecked Sendable {
    struct Key {
        var link: Path
        var target: Path
        var state: State
    }

    enum State: UInt8 {
        /// `link` and `target` as the plan wrote them, for `resolve`.
        case written
        /// Absolute paths.
        case ready
    }

    private struct Answer {
        /// The target's status: plain data apart, so that handing it over copies no error.
        var statusRead = false
        var status: FileStatus?
        var statusError: FileSystemError?
        /// What `inspect` said of the link path.
        var inspected: Result<(status: FileStatus?, target: Path?), FileSystemError>?
    }

    /// Below this many links the worker is not started: its reads are done where they are
    /// needed (`ReadAhead.prefetchThreshold`).
    private let threshold: Int

    private let makeReader: (Path) -> FileSystem?
    private let inspectLinks: Bool
    private let keys = Chunks<Key>()
    private let answers = Chunks<Answer>()
    /// Written by the worker alone: the absolute paths of slots offered `.written` (nil: not a
    /// link to read ahead, or offered `.ready`).
    private let resolved = Chunks<(link: Path, target: Path)?>()
    private var offered = 0
    /// After `settle()`: slots by the target path and by the link path they were read for.
    private var settled = false
    private var byTarget = PathIndex()
    private var byLink = PathIndex()
    /// Atomic: [0] slots published; [1] 1 once no more will come, 2 when cancelled; [2] the next
    /// slot to read; [3] slots whose paths are worked out.
    private let counters = UnsafeMutablePointer<CLong>.allocate(capacity: 4)
    private static let batch = 32
    private let stopped = DispatchSemaphore(value: 0)
    private var begun = false
    private var running = false
    private var cancelled = false
    /// The root the reads are confined to.
    private(set) var root: Path = "/"
    /// Works out absolute paths from written ones (nil: not a link to read ahead). Run on the
    /// worker only.
    private var resolve: ((_ writtenLink: String, _ writtenTarget: String) -> (link: Path, target: Path)?)?

    /// `makeReader` gives a file system over a root for the worker (nil: no prefetching).
    public init(inspectLinks: Bool, threshold: Int = ReadAhead.standard.prefetchThreshold,
                makeReader: @escaping (Path) -> FileSystem?) {
        self.inspectLinks = inspectLinks
        self.threshold = threshold
        self.makeReader = makeReader
        counters.initialize(repeating: 0, count: 4)
    }

    deinit {
        wait()
        keys.free(count: offered)
        answers.free(count: offered)
        resolved.free(count: Int(mklnk_load_acquire(counters + 3)))
        counters.deallocate()
    }

    /// Accepts offers of links beneath `root`; the worker starts once there are enough of them.
    /// `resolve` works out written paths on the worker.
    func begin(root: Path,
               resolve: ((_ writtenLink: String, _ writtenTarget: String) -> (link: Path, target: Path)?)? = nil) {
        guard !begun else { return }
        begun = true
        self.root = root
        self.resolve = resolve
    }

    var isOpen: Bool { begun && !cancelled }

    /// Offers the next link as absolute paths; returns its slot, nil when it is not taken.
    func offer(link: Path, target: Path) -> Int? {
        offer(Key(link: link, target: target, state: .ready))
    }

    /// Offers the next link as the plan wrote it, for `resolve`.
    func offer(writtenLink: String, writtenTarget: String) -> Int? {
        resolve == nil ? nil : offer(Key(link: Path(writtenLink), target: Path(writtenTarget), state: .written))
    }

    private func offer(_ key: consuming Key) -> Int? {
        guard isOpen, keys.reserve(offered), answers.reserve(offered) else { return nil }
        keys[offered].initialize(to: key)
        answers[offered].initialize(to: Answer())
        offered += 1
        mklnk_store_release(counters, CLong(offered))
        if !running && offered >= threshold, let reader = makeReader(root) {
            running = true
            let job = Job(self, reader)
            DispatchQueue.global().async {
                job.prefetch.work(job.reader, resolving: true)
                job.prefetch.stopped.signal()
            }
        }
        return offered - 1
    }

    /// The absolute paths of `slot`, once the worker has worked them out (nil: not yet, or none).
    func paths(_ slot: Int) -> (link: Path, target: Path)? {
        guard slot < mklnk_load_acquire(counters + 3) else { return nil }
        return absolute(slot)
    }

    /// The absolute paths of a slot below the worked-out mark: as offered, or as the worker
    /// worked them out.
    private func absolute(_ slot: Int) -> (link: Path, target: Path)? {
        let key = keys[slot]
        return key.pointee.state == .ready ? (key.pointee.link, key.pointee.target) : resolved[slot].pointee
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
        mklnk_store_release(counters + 1, 2)
    }

    /// Reads what is left alongside the worker, then waits for it; afterwards the answers may be
    /// read.
    func wait() {
        finish()
        guard running else { return }
        if !cancelled, let reader = makeReader(root) { work(reader, resolving: false) }
        stopped.wait()
        running = false
    }

    /// Waits for the reads, then indexes the answers by path; the first call only. Afterwards
    /// nothing changes, so any thread may look answers up. Called on the loader's thread.
    func settle() {
        guard !settled else { return }
        settled = true
        wait()
        guard !cancelled else { return }
        byTarget = PathIndex(capacity: offered)
        byLink = PathIndex(capacity: offered)
        // Only slots below the worked-out mark are read.
        for s in 0..<Int(mklnk_load_acquire(counters + 3)) {
            guard let paths = absolute(s) else { continue }
            if answers[s].pointee.statusRead { byTarget.insert(paths.target, s) }
            if answers[s].pointee.inspected != nil { byLink.insert(paths.link, s) }
        }
    }

    /// The status of `path` (followed) as read ahead, or why it could not be read; nil when it
    /// was not read. Only after `settle()`.
    func status(of path: Path) -> Result<FileStatus?, FileSystemError>? {
        guard let s = byTarget.value(for: path) else { return nil }
        if let error = answers[s].pointee.statusError { return .failure(error) }
        return .success(answers[s].pointee.status)
    }

    /// What `inspect(path)` answered when read ahead; nil when it was not read. Only after `settle()`.
    func inspection(of path: Path) -> Result<(status: FileStatus?, target: Path?), FileSystemError>? {
        guard let s = byLink.value(for: path) else { return nil }
        return answers[s].pointee.inspected
    }

    /// The worker (`resolving`) works out written paths as soon as they come, and reads in
    /// between; the loader's thread only reads. Both stop once every slot is read and no more
    /// come, or when cancelled.
    private func work(_ reader: FileSystem, resolving: Bool) {
        var idle = 0
        while mklnk_load_acquire(counters + 1) != 2 {
            let published = Int(mklnk_load_acquire(counters))
            var ready = Int(mklnk_load_acquire(counters + 3))
            if resolving && ready < published {
                let end = min(ready + Self.batch, published)
                while ready < end {
                    // The offered key is only read: the answer goes to the worker's own slot.
                    let key = keys[ready]
                    var paths: (link: Path, target: Path)?
                    if key.pointee.state == .written {
                        paths = resolve?(String(decoding: key.pointee.link.bytes, as: UTF8.self),
                                         String(decoding: key.pointee.target.bytes, as: UTF8.self))
                    }
                    guard resolved.reserve(ready) else { break }
                    resolved[ready].initialize(to: paths)
                    ready += 1
                }
                mklnk_store_release(counters + 3, CLong(ready))
                continue
            }
            let next = Int(mklnk_load_acquire(counters + 2))
            if next < ready {
                let end = min(next + Self.batch, ready)
                if mklnk_compare_exchange(counters + 2, CLong(next), CLong(end)) != 0 {
                    for i in next..<end { read(i, reader) }
                    idle = 0
                }
                continue
            }
            if mklnk_load_acquire(counters + 1) != 0 && ready >= published
                && Int(mklnk_load_acquire(counters)) == published { return }
            // Caught up with the loader: yield a little, then sleep rather than spin beside it
            // (a link is offered every few microseconds).
            idle += 1
            if idle < 16 { sched_yield() } else { usleep(50) }
        }
    }

    private func read(_ slot: Int, _ reader: FileSystem) {
        guard let (link, target) = absolute(slot) else { return }
        let answer = answers[slot]
        do {
            answer.pointee.status = try reader.status(target, follow: true)
        } catch {
            answer.pointee.statusError = error
        }
        answer.pointee.statusRead = true
        if inspectLinks {
            answer.pointee.inspected = Result { () throws(FileSystemError) in try reader.inspect(link, expecting: target) }
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
