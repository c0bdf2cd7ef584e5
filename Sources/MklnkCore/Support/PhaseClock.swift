import CMklnkSys
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let RUSAGE_SELF_WHO = __rusage_who_t(RUSAGE_SELF.rawValue)
#else
private let RUSAGE_SELF_WHO = RUSAGE_SELF
#endif

/// Phase timings (and the peak memory so far) on stderr when `MKLNK_TIMING` is set: how the
/// benchmarks attribute time and memory.
struct PhaseClock {
    private let enabled = getenv("MKLNK_TIMING") != nil
    private var last = PhaseClock.now()

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Resident and allocated memory at this moment (Linux): what the peak is made of.
    private static var memoryNow: String {
        #if os(Linux)
        return ", now \(mklnk_resident_bytes() >> 20) MiB, heap \(mklnk_heap_in_use() >> 20) MiB"
        #else
        return ""
        #endif
    }

    mutating func lap(_ name: String) {
        guard enabled else { return }
        let t = Self.now()
        var usage = rusage()
        getrusage(RUSAGE_SELF_WHO, &usage)
        let line = "mklnk timing: \(name) \(Int((t - last) * 1000)) ms (peak \(usage.ru_maxrss / 1024) MiB\(Self.memoryNow))\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
        last = t
    }
}
