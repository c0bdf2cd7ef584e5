import MklnkFileSystem

/// The entries of a plan expanded into single candidate links: globs and lists matched,
/// `exclude` and `select` applied, targets as the kernel would resolve them.
extension GraphBuilder {
    /// Single links from the entries; targets as the kernel would resolve them (`..`).
    func expand(_ plan: Plan, _ physical: PhysicalPaths, _ unresolved: inout [Path], _ refused: inout [Refusal],
                _ diagnostics: inout Diagnostics) -> [Candidate] {
        var globber = GlobExpander(fileSystem: fileSystem)
        // `validate` looks at no link path, so it has none to skip.
        if inspectLinks, let skip = GlobSkip(plan, fileSystem, physical) { globber.isOwnDirectory = skip.skips }
        var out: [Candidate] = []
        out.reserveCapacity(plan.entries.count)
        for (index, entry) in plan.entries.enumerated() {
            guard let link = kernelLinkPath(entry, plan, physical, &unresolved, &refused, &diagnostics) else { continue }
            guard entry.isDirectory else {
                let t = entry.targets[0]
                out.append(Candidate(path: link, target: physical.kernelPath(t.value), entry: index,
                                     targetLocation: t.location))
                continue
            }
            let exclusion = Exclusion(patterns: entry.options.exclude, base: plan.base)
            for target in entry.targets {
                var matches: [GlobExpander.Match]
                let isPattern = Glob.isPattern(target.value)
                if isPattern && GlobExpander.climbsAfterWildcard(target.value) {
                    // Its matches would be named `x/..`: links at the directory itself, or above it.
                    diagnostics.error("'..' after a wildcard in \(target.value): a match's link would not lie in \(link)",
                                      at: target.location)
                    unresolved.append(link)
                    continue
                }
                do throws(GlobExpander.Failure) {
                    // A link is named after what its target names: `sub/..` names the directory above sub.
                    let named = physical.kernelPath(target.value)
                    matches = isPattern
                        ? Self.mirroringDirectories(try globber.expand(target.value))
                        : [.init(path: target.value, relative: Paths.name(PhysicalPaths.hasDotDot(named) ? Paths.normalize(named) : named))]
                    if !exclusion.isEmpty {
                        // A directory with something excluded beneath it is linked by its parts.
                        var kept: [GlobExpander.Match] = []
                        for match in matches where !exclusion.excludes(match) {
                            if let parts = try exclusion.mirror(match, in: fileSystem) { kept += parts } else { kept.append(match) }
                        }
                        matches = kept
                    }
                } catch {
                    diagnostics.error("cannot expand \(target.value): \(error.reason)", at: target.location,
                                      failure: .cannotApply)
                    unresolved.append(link)
                    continue
                }
                for match in matches {
                    let path = Paths.normalize(Paths.join(link, match.relative))
                    switch selected(match, entry, plan, &diagnostics, target.location) {
                    case true?:
                        out.append(Candidate(path: path, target: physical.kernelPath(match.path), entry: index,
                                             targetLocation: target.location))
                    case nil:
                        unresolved.append(path)
                    case false?:
                        break
                    }
                }
            }
        }
        return out
    }

    /// Drops the matches that other matches lie beneath (`**/*` matches `sub` and `sub/x`): the
    /// directory is mirrored, made by its links' parents, instead of linked around them.
    static func mirroringDirectories(_ matches: [GlobExpander.Match]) -> [GlobExpander.Match] {
        var ancestors: Set<Path> = []
        for match in matches where !match.relative.isEmpty {
            ancestors.insert("")
            var name = match.relative.bytes[...]
            while let slash = name.lastIndex(of: UInt8(ascii: "/")) {
                name = name[..<slash]
                ancestors.insert(Path(bytes: name))
            }
        }
        if ancestors.isEmpty { return matches }
        return matches.filter { !ancestors.contains($0.relative) }
    }

    /// Whether `select` keeps the match (`exclude` was applied); nil when it could not be read (an error).
    private func selected(_ match: GlobExpander.Match, _ entry: PlanEntry, _ plan: Plan,
                          _ diagnostics: inout Diagnostics, _ at: SourceLocation) -> Bool? {
        let name = Paths.name(match.path)
        guard let select = entry.options.select else { return true }
        do {
            guard let status = try fileSystem.status(match.path, follow: true) else { return false }
            return select.matches(name: name, status: status)
        } catch {
            diagnostics.error("cannot read \(match.path): \(error.reason)", at: at, failure: .cannotApply)
            return nil
        }
    }
}
