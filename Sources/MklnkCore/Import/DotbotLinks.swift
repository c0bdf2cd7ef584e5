import MklnkYAML
import MklnkFileSystem

/// dotbot's `link` directive as mklnk `links:` entries.
extension DotbotTranslator {
    mutating func translateLinks(_ node: YAMLNode) {
        guard let pairs = DotbotScalar.pairs(node) else {
            context.warning("link takes a mapping of link paths to targets; found \(node.kindDescription) (ignored)", node)
            return
        }
        if planDefaults == nil { planDefaults = linkDefaults.mklnk() }
        for pair in pairs {
            guard let name = DotbotScalar.string(pair.key) else {
                context.warning("a link path must be a string; found \(pair.key.kindDescription) (ignored)", pair.key)
                continue
            }
            var options = linkDefaults
            var path: String?
            switch pair.value.content {
            case .scalar(let s, _): path = pair.value.isNullLike ? nil : s
            case .mapping(let entry):
                options.read(entry, context)
                if let p = entry.first(where: { $0.key.scalar == "path" }) { path = DotbotScalar.string(p.value) }
            case .sequence:
                context.warning("a link's target is a path or a mapping of options; found a sequence (ignored)", pair.value)
                continue
            }
            translateLink(name: name, path: path, options: options, node: pair.key)
        }
    }

    private mutating func translateLink(name: String, path: String?, options: DotbotLinkOptions, node: YAMLNode) {
        let link = DotbotPaths.normalizeLink(DotbotPaths.place(name, base: context.base))
        let target = DotbotPaths.normalize(DotbotPaths.variables(path ?? DotbotPaths.defaultTarget(name)))
        note(link)
        var problems: [String] = []
        var when: PlanText.Value?
        if options.type != "symlink" && options.type != "hardlink" {
            problems.append("link type '\(options.type)' is neither symlink nor hardlink; dotbot skips the link")
        }
        if let condition = options.condition {
            if let w = DotbotCondition.when(condition.command) { when = w } else {
                problems.append("if: '\(condition.command)' has no mklnk equivalent (only tests of uname map to when)")
            }
        }
        if let force = options.forceNode, options.force, !forceWarned.contains(force.mark) {
            forceWarned.insert(force.mark)
            context.warning("force: mklnk never deletes what is in the way of a link; it moves it aside (conflict: backup)", force)
        }
        var entries: [(key: String, options: [(String, PlanText.Value)])] = []
        if options.glob && DotbotPaths.hasGlob(target) {
            if !options.prefix.isEmpty {
                let found = DotbotGlob.expand(pattern: target, exclude: options.exclude, prefix: options.prefix,
                                              base: context.base, home: context.home)
                context.warning("prefix: mklnk names a link after its target, so this glob was expanded now "
                                + "(\(found.count) link\(found.count == 1 ? "" : "s")); import again when files are added",
                                options.prefixNode ?? node)
                for l in found { entries.append((join(link, l.name), [("target", .string(l.target))])) }
            } else {
                var o: [(String, PlanText.Value)] = [("target", .string(target))]
                if !options.exclude.isEmpty {
                    o.append(("exclude", .list(options.exclude.map { .string(relativeToBase($0)) })))
                }
                entries.append((link == "~" || link.hasSuffix("/") ? (link == "~" ? "~/" : link) : link + "/", o))
            }
        } else {
            entries.append((link, [("target", .string(target))]))
        }
        let common = options.mklnk()
        let defaults = planDefaults ?? common
        for (key, base) in entries {
            var o = base
            for (k, v) in common where !defaults.contains(where: { $0.0 == k && $0.1 == v }) { o.append((k, v)) }
            if let when { o.append(("when", when)) }
            let value: PlanText.Value = o.count == 1 ? o[0].1 : .map(o)
            var line = "  " + PlanText.quote(key) + ": " + value.text
            var why = problems
            if let earlier = linkPlaces[Path(key)] {
                if problems.isEmpty && (options.relink || options.force) {
                    // dotbot replaces the link it made a moment ago: the later one is what stays.
                    supersede(key, earlier: earlier, by: node)
                } else {
                    why.append("\(key) is already linked at \(context.place(earlier)); dotbot keeps the first")
                }
            }
            if !why.isEmpty {
                for p in why {
                    context.unmappable(p + "; the link is left out (commented)", node)
                    links.append(PlanText.comment("left out: " + p, indent: "  "))
                }
                line = PlanText.comment(String(line.dropFirst(2)), indent: "  ")
            } else {
                linkPlaces[Path(key)] = node
                linkLines[Path(key)] = links.count
            }
            links.append(line)
        }
    }

    /// With `relink` or `force` dotbot re-links a path it linked earlier in the run, so the later
    /// link is the one that stays: the earlier line becomes a comment, and a located warning says so.
    private mutating func supersede(_ key: String, earlier: YAMLNode, by node: YAMLNode) {
        let why = "\(key) is linked again at \(context.place(node)) with relink or force; dotbot ends with that link"
        context.unmappable(why + "; the earlier link is left out (commented)", earlier)
        if let line = linkLines[Path(key)] {
            links[line] = PlanText.comment("left out: " + why, indent: "  ") + "\n"
                + PlanText.comment(String(links[line].dropFirst(2)), indent: "  ")
        }
    }

    private func join(_ dir: String, _ name: String) -> String {
        dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }

    /// dotbot's exclude globs are read from base (its working directory); mklnk's are relative to base.
    private func relativeToBase(_ pattern: String) -> String {
        let p = DotbotPaths.variables(pattern)
        if p.hasPrefix(context.base + "/") { return String(p.dropFirst(context.base.count + 1)) }
        if p.hasPrefix("./") { return String(p.dropFirst(2)) }
        return p
    }
}
