import MklnkFileSystem

extension SavedPlanCheck {
    /// `plan`'s rule for an adoption, checked again: a regular file in the way, moved to where
    /// the link will point, which (with the directories made for it) must still be free.
    func adoptionRule(_ a: Action, _ now: Observation) -> String? {
        guard now.kind == .regular else {
            return "\(now.kind.map { "a \($0.rawValue) file" } ?? "nothing") is there: adopt moves only a regular file"
        }
        guard let into = a.adoptedInto, into.isAbsolute, Paths.normalize(into) == into, let target = a.target else {
            return "it has no place to move the file to"
        }
        // The link must lead to the moved file: a hand-edited plan may not move it elsewhere.
        let leadsThere = target.isAbsolute ? Paths.normalize(target) == into
            : Paths.normalize(Paths.absolute(target, base: Paths.parent(a.path))) == into
        if !leadsThere { return "the link's target \(target) is not where the file would move (\(into))" }
        if let outside = a.parents.first(where: { !Paths.isWithin(into, $0) || $0 == into }) {
            return "\(outside) is not a directory on the way to \(into)"
        }
        let anywhere = fileSystem.unconfined()
        if let taken = (a.parents + [into]).first(where: { ((try? anywhere.status($0, follow: false)) ?? nil) != nil }) {
            return "\(taken) exists now: adopt never overwrites"
        }
        return nil
    }
}
