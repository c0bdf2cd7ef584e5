import MklnkFileSystem

/// A `remove:` path written with `..` names what the kernel makes of it (SPEC §1, kernel path
/// semantics), as a link path does (`kernelLinkPath`): `sub/../x` with `sub` a symlink to
/// `real/inner` removes `real/x`, never the `x` a lexical rewrite names. The loader keeps such a
/// path with its `..`; the graph resolves it against the disk as it is now (the plan cache
/// holds the path as written, so a retargeted `sub` is seen).
extension GraphBuilder {
    /// `plan.removals` with each `..` resolved as the kernel does. Dropped: a path the kernel
    /// cannot resolve (a missing directory before its `..`: it names nothing to remove), and,
    /// with a located error, one that leads outside root or to the root itself.
    func kernelRemovals(_ plan: Plan, _ physical: PhysicalPaths, _ diagnostics: inout Diagnostics) -> [Removal] {
        guard plan.removals.contains(where: { !Paths.isNormal($0.path) }) else { return plan.removals }
        return plan.removals.compactMap { removal in
            let spelled = removal.path
            if Paths.isNormal(spelled) { return removal }
            let lexical = Paths.normalize(spelled)
            let parts = spelled.bytes.split(separator: UInt8(ascii: "/")).map { Path(bytes: $0) }
            guard inspectLinks, let last = parts.lastIndex(of: "..") else { return Removal(path: lexical, location: removal.location) }
            let (head, complete) = physical.resolve(parts[...last].reduce("/" as Path) { Paths.join($0, $1) }, followLast: true)
            guard complete else { return nil }
            func below(_ dir: Path) -> Path { Paths.normalize(parts[(last + 1)...].reduce(dir) { Paths.join($0, $1) }) }
            let physicalRoot = physical.resolve(plan.root, followLast: true).path
            var path: Path?
            if Paths.isWithin(head, plan.root) || head == plan.root {
                path = below(head)
            } else if head == physicalRoot {
                path = below(plan.root)
            } else if Paths.isWithin(head, physicalRoot) {
                // The root reached through a symlink of its own: named as the plan names the root.
                path = below(Paths.join(plan.root, Path(bytes: head.bytes.dropFirst(physicalRoot.count + 1))))
            }
            guard let path, path != plan.root, Paths.isWithin(path, plan.root) else {
                diagnostics.error("the path \(spelled) to remove leads outside root \(plan.root) through a symlink "
                                  + "before its '..' (the kernel names \(below(head)))", at: removal.location, failure: .cannotApply)
                return nil
            }
            return Removal(path: path, location: removal.location)
        }
    }
}
