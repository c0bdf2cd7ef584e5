#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import MklnkFileSystem
import Synchronization

/// Reads what planning will ask about, on another core, while the plan is still being loaded.
///
/// The loader feeds it each link to one target as soon as the schema has its paths
/// (`LinkFeed`). A worker thread stats each target and looks at each link path (one
/// `readlinkat`): a no-op plan is mostly those two syscalls per link, so they overlap the
/// parsing instead of following it. Once settled, the answers are found by path (`status(of:)`,
/// `inspection(of:)`), which is how `ReadAheadFileSystem` serves them: the loader, the graph and
/// the planner never see this type.
///
/// Threads: the loader's thread writes slot `i`, then publishes `i + 1` (`published`, a release
/// store). A slot is written once and never replaced while both threads run: the compiler may
/// retain a value stored into a slot after the store that publishes it, so a thread that
/// replaced a published value could free it before that retain. Reads are claimed in batches
/// below `published` (`claimed`, compare-and-exchange), first by the worker alone, then, once
/// loading is over, by the loader's thread too (in `wait()`); whoever claims a slot writes its
/// answer. Slots live in chunks that never move, so more can be added while the worker reads.
/// Answers are read only after `wait()`, which returns once both have stopped.
public final class Prefetch: LinkFeed, @unchecked Sendable {
    /// What was read for one slot; written by the thread that claimed it. A large plan keeps one
    /// per link: what `inspect` said of the link path is kept in a byte when it is nothing or a
    /// bare symlink (the common answers), and anything else beside the errors, in a box.
    struct Answer {
        /// The target's status, followed.
        var status: FileStatus?
        /// What `inspect` said the link path stores.
        var linkTarget: Path?
        var rare: Rare?
        var link = LinkStatus.unread
        var statusRead = false

        /// What `inspect` said the link path is.
        var linkStatus: FileStatus? {
            switch link {
            case .unread, .missing: nil
            case .bareSymlink: Self.bareSymlink
            case .boxed: rare?.linkStatus
            }
        }

        mutating func setLinkStatus(_ status: FileStatus?) {
            if status == nil {
                link = .missing
            } else if status == Self.bareSymlink {
                link = .bareSymlink
            } else {
                link = .boxed
                box().linkStatus = status
            }
        }

        mutating func box() -> Rare {
            if let rare { return rare }
            let made = Rare()
            rare = made
            return made
        }

        static let bareSymlink = FileStatus(kind: .symlink)
    }

    enum LinkStatus: UInt8 {
        case unread, missing, bareSymlink, boxed
    }

    /// Why a read failed, and a link status that is neither nothing nor a bare symlink: rare, so
    /// boxed rather than beside every answer.
    final class Rare {
        var status: FileSystemError?
        var inspect: FileSystemError?
        var linkStatus: FileStatus?
    }

    private enum Phase: Int {
        case open = 0, finished = 1, cancelled = 2
    }

    /// Below this many links the worker is not started: its reads are done where they are
    /// needed (`ReadAhead.prefetchThreshold`).
    private let threshold: Int
    private let makeReader: (Path) -> FileSystem?
    private let inspectLinks: Bool
    private let keys = Chunks<(link: Path, target: Path)>()
    private let answers = Chunks<Answer>()
    /// Slots written by the loader's thread so far (written only there).
    private(set) var count = 0
    /// After `settle()`: slots by the target path and by the link path they were read for.
    private var settled = false
    private var byTarget = SlotIndex()
    private var byLink = SlotIndex()
    /// Slots the other thread may read: `count` as of the last release store.
    private let published = Atomic<Int>(0)
    /// The next slot no thread has claimed to read.
    private let claimed = Atomic<Int>(0)
    /// `Phase`: more offers may come, no more will, or the answers are not wanted.
    private let phase = Atomic<Int>(Phase.open.rawValue)
    private static let batch = 32
    private let stopped = DispatchSemaphore(value: 0)
    private var begun = false
    private var running = false
    private var cancelled = false
    /// The root the reads are confined to.
    private(set) var root: Path = "/"

    /// `makeReader` gives a file system over a root for the worker (nil: no prefetching).
    public init(inspectLinks: Bool, threshold: Int = ReadAhead.standard.prefetchThreshold,
                makeReader: @escaping (Path) -> FileSystem?) {
        self.inspectLinks = inspectLinks
        self.threshold = threshold
        self.makeReader = makeReader
    }

    deinit {
        wait()
        keys.free(count: count)
        answers.free(count: count)
    }

    /// Accepts offers of links beneath `root` (the first call decides the root); the worker
    /// starts once there are enough of them.
    public func begin(root: Path) {
        guard !begun else { return }
        begun = true
        self.root = root
    }

    private var isOpen: Bool { begun && !cancelled && phase.load(ordering: .acquiring) == Phase.open.rawValue }

    /// Offers the next link as absolute paths; ignored once finished, or when full.
    public func offer(link: Path, target: Path) {
        guard isOpen, keys.reserve(count), answers.reserve(count) else { return }
        keys[count].initialize(to: (link, target))
        answers[count].initialize(to: Answer())
        count += 1
        published.store(count, ordering: .releasing)
        if !running && count >= threshold, let reader = makeReader(root) {
            running = true
            let job = Job(self, reader)
            DispatchQueue.global().async {
                job.prefetch.work(job.reader)
                job.prefetch.stopped.signal()
            }
        }
    }

    /// No more offers: the worker stops once it has read what it has.
    public func finish() {
        if phase.load(ordering: .acquiring) == Phase.open.rawValue {
            phase.store(Phase.finished.rawValue, ordering: .releasing)
        }
    }

    /// The answers will not be wanted (the plan did not load, or was read under another root):
    /// the worker stops after its batch, and no offer is taken.
    func cancel() {
        guard !cancelled else { return }
        cancelled = true
        phase.store(Phase.cancelled.rawValue, ordering: .releasing)
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

    /// Waits for the reads, then indexes the answers by path; the first call only. Afterwards
    /// nothing changes, so any thread may look answers up. Called on the loader's thread.
    func settle() {
        guard !settled else { return }
        settled = true
        wait()
        guard !cancelled else { return }
        // Unread slots (no worker, or cancelled) are misses.
        let read = min(count, claimed.load(ordering: .acquiring))
        byTarget = SlotIndex(count: read) { targetKey($0) }
        byLink = SlotIndex(count: read) { linkKey($0) }
    }

    /// The status of `path` (followed) as read ahead, or why it could not be read; nil when it
    /// was not read. Only after `settle()`.
    func status(of path: Path) -> Result<FileStatus?, FileSystemError>? {
        guard let s = byTarget.position(of: path, key: targetKey) else { return nil }
        if let error = answers[s].pointee.rare?.status { return .failure(error) }
        return .success(answers[s].pointee.status)
    }

    /// What `inspect(path)` answered when read ahead; nil when it was not read. Only after `settle()`.
    func inspection(of path: Path) -> Result<(status: FileStatus?, target: Path?), FileSystemError>? {
        guard let s = byLink.position(of: path, key: linkKey) else { return nil }
        let answer = answers[s]
        if let error = answer.pointee.rare?.inspect { return .failure(error) }
        return .success((answer.pointee.linkStatus, answer.pointee.linkTarget))
    }

    /// The target of a slot whose status was read, the link of one that was inspected.
    private func targetKey(_ s: Int) -> Path? { answers[s].pointee.statusRead ? keys[s].pointee.target : nil }
    private func linkKey(_ s: Int) -> Path? { answers[s].pointee.link != .unread ? keys[s].pointee.link : nil }

    /// Claims and reads batches of published slots; stops once every slot is read and no more
    /// come, or when cancelled.
    private func work(_ reader: FileSystem) {
        var idle = 0
        while phase.load(ordering: .acquiring) != Phase.cancelled.rawValue {
            let ready = published.load(ordering: .acquiring)
            let next = claimed.load(ordering: .acquiring)
            if next < ready {
                let end = min(next + Self.batch, ready)
                if claimed.compareExchange(expected: next, desired: end, ordering: .acquiringAndReleasing).exchanged {
                    for i in next..<end { read(i, reader) }
                    idle = 0
                }
                continue
            }
            if phase.load(ordering: .acquiring) != Phase.open.rawValue
                && published.load(ordering: .acquiring) == ready { return }
            // Caught up with the loader: yield a little, then sleep rather than spin beside it
            // (a link is offered every few microseconds).
            idle += 1
            if idle < 16 { sched_yield() } else { usleep(50) }
        }
    }

    private func read(_ slot: Int, _ reader: FileSystem) {
        let (link, target) = keys[slot].pointee
        let answer = answers[slot]
        do {
            answer.pointee.status = try reader.status(target, follow: true)
        } catch {
            answer.pointee.box().status = error
        }
        answer.pointee.statusRead = true
        guard inspectLinks else { return }
        do {
            let (status, target) = try reader.inspect(link, expecting: target)
            answer.pointee.setLinkStatus(status)
            answer.pointee.linkTarget = target
        } catch {
            answer.pointee.box().inspect = error
            answer.pointee.link = .boxed
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
