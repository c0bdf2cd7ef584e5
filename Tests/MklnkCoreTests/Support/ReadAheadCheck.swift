@testable import MklnkCore
import MklnkFileSystem
import Testing

/// Every in-process plan of the test suites is made twice, with the read-ahead forced on
/// (`ReadAhead.always`: a worker from the first link, every read split across cores) and off, and
/// must come out the same: the read-ahead may change how fast an answer comes, never the answer.
enum ReadAheadCheck {
    /// Actions and diagnostics as comparable lines.
    static func fingerprint(_ run: PlannedRun) -> [String] {
        run.actions.map { a in
            "\(a.op) \(a.path) kind=\(a.kind.map { "\($0)" } ?? "-") target=\(a.target.map { "\($0)" } ?? "-") "
                + "was=\(a.was.summary) reason=\(a.reason ?? "-") parents=\(a.parents) at=\(a.source.map { "\($0)" } ?? "-")"
        } + fingerprint(run.graph, run.diagnostics) + ["plan: \(run.plan != nil)"]
    }

    /// The graph's links and the diagnostics as comparable lines.
    static func fingerprint(_ graph: LinkGraph?, _ diagnostics: Diagnostics) -> [String] {
        (graph?.links.map { "link \($0.path) \($0.kind) \($0.target) \($0.stored) deps" } ?? ["no graph"])
            + (graph.map { ["unresolved \($0.unresolved)", "dependencies \($0.dependencies)"] } ?? [])
            + diagnostics.sorted.map(\.description)
    }

    /// `plan(readAhead)` with the read-ahead forced on and off; records an issue when they differ
    /// and returns the run made with it on.
    static func both(_ plan: (ReadAhead) -> PlannedRun, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> PlannedRun {
        let off = plan(.off), on = plan(.always)
        let a = fingerprint(off), b = fingerprint(on)
        if a != b {
            Issue.record("the read-ahead changed the plan:\noff:\n\(a.joined(separator: "\n"))\non:\n\(b.joined(separator: "\n"))",
                         sourceLocation: sourceLocation)
        }
        return on
    }
}
