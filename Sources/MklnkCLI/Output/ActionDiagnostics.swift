import MklnkCore
import MklnkFileSystem

extension Diagnostics {
    /// Each conflict as a located error and each skip as a located warning, so a refusal says
    /// why on stderr (and in CI annotations) even with `-q` or `--json`. A conflict whose cause
    /// is among `reported` already (a link refused for its target) is not said twice.
    static func problems(in actions: [Action], besides reported: Diagnostics = Diagnostics()) -> Diagnostics {
        let said = Set(reported.items.lazy.compactMap(\.conflict))
        var out = Diagnostics()
        for i in actions.indices where actions[i].op == .conflict || actions[i].op == .skip {
            let a = actions[i]
            if a.op == .conflict {
                if said.contains(a.path) { continue }
                out.error("\(a.path): \(a.reason ?? "conflict")", at: a.source, failure: .cannotApply)
            } else {
                out.warning("\(a.path): \(a.reason ?? "skipped"); left as it is", at: a.source)
            }
        }
        return out
    }

    /// These diagnostics and the problems of `actions` not among them.
    func merged(withProblemsIn actions: [Action]) -> Diagnostics {
        merged(with: .problems(in: actions, besides: self))
    }

    func merged(with other: Diagnostics) -> Diagnostics {
        var out = self
        out.append(contentsOf: other)
        return out
    }
}
