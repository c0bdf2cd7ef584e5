import MklnkFileSystem

/// What `conflict:` makes of a file, directory or special file at a link path (SPEC §1).
extension Planner {
    /// A file, directory or other non-link sits at the link path.
    func inTheWay(_ link: Link, _ was: Observation, into actions: inout [Action],
                  planned: inout Set<Path>, base: Path) {
        let what = was.kind == .directory ? "a directory" : was.kind == .regular ? "a regular file" : "a special file"
        switch link.conflict {
        case .fail:
            actions.append(Self.conflict(link, "\(what) is in the way (conflict: fail)", was))
        case .skip:
            actions.append(Action(.skip, link.path, kind: link.kind, target: link.stored, was: was,
                                  source: link.location, reason: "\(what) is in the way (conflict: skip)"))
        case .backup:
            if let refusal = BackupName.refusal(link.path) {
                actions.append(Self.conflict(link, "\(what) is in the way (conflict: backup), but \(refusal)", was))
                return
            }
            actions.append(Action(.backup, link.path, kind: link.kind, target: link.stored, was: was,
                                  source: link.location, reason: "\(what) is in the way (conflict: backup)"))
            actions.append(Action(.create, link.path, kind: link.kind, target: link.stored, was: was,
                                  source: link.location))
        case .adopt:
            actions += adoption(of: link, was, what: what, planned: &planned, base: base)
        }
    }

    static func conflict(_ link: Link, _ reason: String, _ was: Observation) -> Action {
        Action(.conflict, link.path, kind: link.kind, target: link.stored, was: was, source: link.location,
               reason: reason)
    }
}
