#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import MklnkFileSystem

/// Read-only syscalls over many paths, spread over the machine's cores.
///
/// A no-op plan is mostly `stat` and `readlinkat`, and the kernel's path lookups scale with
/// cores, so splitting them halves the wall time on two. Each worker reads through its own
/// `FileSystem` (`reader()`), so no descriptor cache is shared; a file system without one (a
/// test double counting its calls) is read in order on the calling thread.
enum ParallelReads {
    /// `threshold`: below this many paths, one thread is as fast (`ReadAhead.parallelThreshold`).
    static func map<T>(_ count: Int, on fileSystem: FileSystem, threshold: Int,
                       _ body: @escaping (FileSystem, Int) -> T) -> [T] {
        let parts = parts(count, on: fileSystem, threshold: threshold) { fs, range in range.map { body(fs, $0) } }
        return parts.count == 1 ? parts[0] : parts.flatMap { $0 }
    }

    /// `body` over `0..<count` cut into one contiguous range per core, each with its own reader;
    /// the results in the order of the ranges (one range when the work is small or the file
    /// system has no readers).
    static func parts<T>(_ count: Int, on fileSystem: FileSystem, threshold: Int,
                         _ body: @escaping (FileSystem, Range<Int>) -> T) -> [T] {
        let workers = min(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 4, count / max(threshold / 2, 1))
        guard workers > 1, let first = fileSystem.reader() else { return [body(fileSystem, 0..<count)] }
        var readers = [fileSystem, first]
        while readers.count < workers, let next = fileSystem.reader() { readers.append(next) }
        return [T](unsafeUninitializedCapacity: readers.count) { buffer, initialized in
            let work = Work(buffer.baseAddress!, count, readers, body)
            DispatchQueue.concurrentPerform(iterations: readers.count) { work.run(part: $0) }
            initialized = readers.count
        }
    }

    /// One call's shared state. Each worker owns its reader and its slot of the buffer and
    /// touches no other's, which is why the unchecked `Sendable` holds.
    private final class Work<T>: @unchecked Sendable {
        let base: UnsafeMutablePointer<T>
        let count: Int
        let readers: [FileSystem]
        let body: (FileSystem, Range<Int>) -> T

        init(_ base: UnsafeMutablePointer<T>, _ count: Int, _ readers: [FileSystem],
             _ body: @escaping (FileSystem, Range<Int>) -> T) {
            self.base = base
            self.count = count
            self.readers = readers
            self.body = body
        }

        func run(part: Int) {
            let parts = readers.count
            (base + part).initialize(to: body(readers[part], (count * part / parts)..<(count * (part + 1) / parts)))
        }
    }
}
