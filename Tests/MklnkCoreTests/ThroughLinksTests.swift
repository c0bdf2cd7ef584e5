@testable import MklnkCore
import MklnkFileSystem
import Testing

/// `ThroughLinks` on its own: targets followed through planned links, each link once.
@Suite struct ThroughLinksTests {
    /// Links by path -> target; `planned` finds the link at or nearest above a path.
    static func resolve(_ links: [(Path, Path)]) -> (resolutions: [ThroughLinks.Resolution?], cycles: [[Int]]) {
        var cycles: [[Int]] = []
        let (resolutions, _) = ThroughLinks.resolve(
            count: links.count, path: { links[$0].0 }, target: { links[$0].1 },
            planned: { path in
                var p = path
                while p != "/" {
                    if let i = links.firstIndex(where: { $0.0 == p }) { return i }
                    p = Paths.parent(p)
                }
                return nil
            }, cycle: { cycles.append($0) })
        return (resolutions, cycles)
    }

    @Test func aTargetBeneathALinkLeadsWhereThatLinkLeads() {
        // .a -> ~/.b/x, .b -> ~/.c, .c -> /t: .a's target is /t/x, through .b only (which goes through .c).
        let (r, cycles) = Self.resolve([("/h/.a", "/h/.b/x"), ("/h/.b", "/h/.c"), ("/h/.c", "/t")])
        #expect(cycles.isEmpty)
        #expect(r.map { $0?.physical } == ["/t/x", "/t", "/t"])
        #expect(r.map { $0?.through } == [[1], [2], []])
    }

    @Test func aLinkReachedFromSeveralIsResolvedOnce() {
        // A diamond: .a and .b both go through .c; the order of the entries does not matter.
        let (r, _) = Self.resolve([("/h/.a", "/h/.c/a"), ("/h/.b", "/h/.c/b"), ("/h/.c", "/h/.d"), ("/h/.d", "/t")])
        #expect(r.map { $0?.physical } == ["/t/a", "/t/b", "/t", "/t"])
    }

    @Test func aCycleIsReportedOnceInOrderAndWhatLeadsIntoItIsDropped() {
        let (r, cycles) = Self.resolve([("/h/.x", "/h/.a"), ("/h/.a", "/h/.b"), ("/h/.b", "/h/.a/y")])
        #expect(cycles == [[1, 2]])
        #expect(r.allSatisfy { $0 == nil })
    }

    @Test func aLongChainNeitherRecursesNorWalksAgain() {
        let n = 100_000
        let links = (0..<n).map { (Path("/h/l\($0)"), Path($0 == n - 1 ? "/t" : "/h/l\($0 + 1)")) }
        var index: [Path: Int] = [:]
        for (i, l) in links.enumerated() { index[l.0] = i }
        var lookups = 0
        let (r, _) = ThroughLinks.resolve(count: n, path: { links[$0].0 }, target: { links[$0].1 },
                                          planned: { lookups += 1; return index[$0] }, cycle: { _ in })
        #expect(r.allSatisfy { $0?.physical == "/t" })
        // Each link's target looked up once, and once more after each hop: linear.
        #expect(lookups <= 2 * n)
    }
}
