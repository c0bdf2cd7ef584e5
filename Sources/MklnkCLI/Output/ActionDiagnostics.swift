import MklnkCore

extension Diagnostics {
    /// Each conflict as a located error and each skip as a located warning, so a refusal says
    /// why on stderr (and in CI annotations) even with `-q` or `--json`.
    static func problems(in actions: [Action]) -> Diagnostics {
        var out = Diagnostics()
        for i in actions.indices where actions[i].op == .conflict || actions[i].op == .skip {
            let a = actions[i]
            if a.op == .conflict {
                out.error("\(a.path): \(a.reason ?? "conflict")", at: a.source, failure: .cannotApply)
            } else {
                out.warning("\(a.path): \(a.reason ?? "skipped"); left as it is", at: a.source)
            }
        }
        return out
    }

    func merged(with other: Diagnostics) -> Diagnostics {
        var out = self
        out.append(contentsOf: other)
        return out
    }
}
