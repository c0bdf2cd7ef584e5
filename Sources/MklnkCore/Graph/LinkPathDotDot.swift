import MklnkFileSystem

/// A link path written with `..` means what the kernel makes of it (SPEC §1, kernel path
/// semantics): `deep/../y` with `deep` a symlink to `real/inner` is `real/y`, not the `y` that a
/// lexical rewrite gives. The loader keeps such a path with its `..` (`PlanEntry.link`); the
/// graph puts the link where the kernel would, or refuses it when that is outside the root.
/// `validate`, which looks at no link path on disk, takes it lexically.
extension GraphBuilder {
    /// The link path of `entry` as the kernel resolves it; nil (with an error, and the entry
    /// refused: a conflict, as a parent leading outside root is) when that lies outside root.
    /// Nearly every entry's path is normal and its own answer.
    func kernelLinkPath(_ entry: PlanEntry, _ plan: Plan, _ physical: PhysicalPaths, _ unresolved: inout [Path],
                        _ refused: inout [Refusal], _ diagnostics: inout Diagnostics) -> Path? {
        let spelled = entry.link
        if Paths.isNormal(spelled) { return spelled }
        let lexical = Paths.normalize(spelled)
        let parts = spelled.bytes.split(separator: UInt8(ascii: "/")).map { Path(bytes: $0) }
        guard inspectLinks, let last = parts.lastIndex(of: "..") else { return lexical }
        // Up to the last `..` as the kernel walks it (a missing directory is one mklnk makes, and
        // `..` steps out of it again); the rest lies below that, as written.
        let head = physical.resolve(parts[...last].reduce("/" as Path) { Paths.join($0, $1) }, followLast: true).path
        func below(_ dir: Path) -> Path { Paths.normalize(parts[(last + 1)...].reduce(dir) { Paths.join($0, $1) }) }
        let physicalRoot = physical.resolve(plan.root, followLast: true).path
        var link: Path?
        if Paths.isWithin(head, plan.root) {
            link = below(head)
        } else if head == physicalRoot {
            link = below(plan.root)
        } else if Paths.isWithin(head, physicalRoot) {
            // The root reached through a symlink of its own: named as the plan names the root.
            link = below(Paths.join(plan.root, Path(bytes: head.bytes.dropFirst(physicalRoot.count + 1))))
        }
        if let link, link != plan.root || entry.isDirectory { return link }
        let message = link == nil
            ? "the link path \(spelled) leads outside root \(plan.root) through a symlink before its '..' "
                + "(the kernel puts it at \(below(head)))"
            : "the link path \(spelled) is the root itself once its '..' is resolved as the kernel does"
        diagnostics.error(message, at: entry.location, failure: .cannotApply, conflict: lexical)
        refused.append(Refusal(path: lexical, kind: ResolvedKind(rawValue: entry.options.kind.rawValue),
                               target: entry.targets.first?.value ?? lexical, location: entry.location, reason: message))
        unresolved.append(lexical)
        return nil
    }
}
