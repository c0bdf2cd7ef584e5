/// When mklnk reads on more than one thread: parameters, so tests can force either path.
///
/// Below `prefetchThreshold` links the loader starts no read-ahead worker (starting a thread
/// costs more than reading a few hundred links where they are needed). Below
/// `parallelThreshold` paths the graph and the planner read on one thread (the split costs more
/// than it saves). Answers never depend on these: `ReadAheadDifferentialTests` plans the same
/// trees with every path forced on and off and compares actions and diagnostics.
public struct ReadAhead: Sendable, Equatable {
    public var prefetchThreshold: Int
    public var parallelThreshold: Int

    public init(prefetchThreshold: Int, parallelThreshold: Int) {
        self.prefetchThreshold = prefetchThreshold
        self.parallelThreshold = max(parallelThreshold, 2)
    }

    /// Tuned on a two-core machine for plans of 1,000 to 100,000 links.
    public static let standard = ReadAhead(prefetchThreshold: 256, parallelThreshold: 2048)
    /// Every read on the loader's thread, in order.
    public static let off = ReadAhead(prefetchThreshold: .max, parallelThreshold: .max)
    /// A worker from the first link, and every batch of reads split across cores.
    public static let always = ReadAhead(prefetchThreshold: 0, parallelThreshold: 2)
}
