#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Phase timings on stderr when `MKLNK_TIMING` is set: how the benchmarks attribute time.
struct PhaseClock {
    private let enabled = getenv("MKLNK_TIMING") != nil
    private var last = PhaseClock.now()

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    mutating func lap(_ name: String) {
        guard enabled else { return }
        let t = Self.now()
        let line = "mklnk timing: \(name) \(Int((t - last) * 1000)) ms\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
        last = t
    }
}
