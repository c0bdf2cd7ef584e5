import MklnkFileSystem

/// A link path written with `..` means what the kernel makes of it (SPEC §1, kernel path
/// semantics): `deep/../y` with `deep` a symlink to `real/inner` is `real/y`, not the `y` that
/// the loader's lexical rewrite gives. The graph puts such a link where the kernel would, or
/// refuses it when that is outside the root; `validate`, which looks at no link path on disk,
/// keeps the lexical path.
extension GraphBuilder {
    /// The link path of `entry` as the kernel resolves it; nil (with an error, and the entry
    /// refused: a conflict, as a parent leading outside root is) when that cannot be used. Most
    /// entries have no `..` in their key and are their own answer.
    func kernelLinkPath(_ entry: PlanEntry, _ plan: Plan, _ physical: PhysicalPaths, _ unresolved: inout [Path],
                        _ refused: inout [Refusal], _ diagnostics: inout Diagnostics) -> Path? {
        guard inspectLinks, Self.mayHaveDotDot(entry.written), PhysicalPaths.hasDotDot(Path(entry.written)) else {
            return entry.link
        }
        func refuse(_ why: String) -> Path? {
            let message = "link path '\(entry.written)' \(why)"
            diagnostics.error(message, at: entry.location, failure: .cannotApply, conflict: entry.link)
            refused.append(Refusal(path: entry.link, kind: ResolvedKind(rawValue: entry.options.kind.rawValue),
                                   target: entry.targets.first?.value ?? entry.link, location: entry.location,
                                   reason: message))
            unresolved.append(entry.link)
            return nil
        }
        // The key is the link path as written when it names no variable (the loader expanded `~`
        // and collapsed `..` lexically): otherwise where `..` stands is not known here.
        guard let spelled = Self.spelled(entry.written, plan), Paths.normalize(spelled) == entry.link else {
            return refuse("has '..' and a variable: where the kernel would put it depends on the symlinks the "
                          + "variable names, which mklnk does not guess; write the path without '..'")
        }
        let parts = spelled.bytes.split(separator: UInt8(ascii: "/")).map { Path(bytes: $0) }
        guard let last = parts.lastIndex(of: "..") else { return entry.link }
        // Up to the last `..` as the kernel walks it (a missing directory is one mklnk makes, and
        // `..` steps out of it again); the rest is below that and as written.
        let head = physical.resolve(parts[...last].reduce("/" as Path) { Paths.join($0, $1) }, followLast: true).path
        let physicalRoot = physical.resolve(plan.root, followLast: true).path
        func below(_ dir: Path) -> Path { Paths.normalize(parts[(last + 1)...].reduce(dir) { Paths.join($0, $1) }) }
        let inRoot: Path
        if Paths.isWithin(head, plan.root) {
            inRoot = head
        } else if head == physicalRoot {
            inRoot = plan.root
        } else if Paths.isWithin(head, physicalRoot) {
            // The root reached through a symlink of its own: named as the plan names the root.
            inRoot = Paths.join(plan.root, Path(bytes: head.bytes.dropFirst(physicalRoot.count)))
        } else {
            return refuse("leads outside root \(plan.root) through a symlink before its '..' "
                          + "(the kernel puts it at \(below(head)))")
        }
        let link = below(inRoot)
        if link == plan.root && !entry.isDirectory {
            return refuse("is the root itself once its '..' is resolved as the kernel does")
        }
        return link
    }

    /// Cheap first look: two dots in a row somewhere in the key.
    private static func mayHaveDotDot(_ written: String) -> Bool {
        var previous: UInt8 = 0
        for byte in written.utf8 {
            if byte == UInt8(ascii: "."), previous == byte { return true }
            previous = byte
        }
        return false
    }

    /// The key with `~` expanded and made absolute against root, `..` kept; nil when it names a
    /// variable (its value is not kept in the plan).
    private static func spelled(_ written: String, _ plan: Plan) -> Path? {
        if written.utf8.contains(UInt8(ascii: "$")) { return nil }
        var path = Path(written)
        if written == "~" {
            path = plan.home
        } else if written.hasPrefix("~/") {
            path = Paths.join(plan.home, Path(String(written.dropFirst(2))))
        }
        return path.isAbsolute ? path : Paths.join(plan.root, path)
    }
}
