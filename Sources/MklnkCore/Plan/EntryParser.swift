import MklnkYAML
import MklnkFileSystem

/// Options given in `defaults:`, with where each was set.
struct DefaultOptions {
    var options = EntryOptions()
    var relativeAt: YAMLNode?
    var kindSet = false
    var when: Condition?
}

/// Parses `links:` entries and `defaults:` (SPEC §1, entry options).
struct EntryParser {
    let context: LoadContext

    static let optionKeys = ["target", "kind", "relative", "type", "missing", "relink", "conflict", "parents",
                             "exclude", "select", "when", "canonical"]
    static let selectKeys = ["size", "modified", "hidden", "readonly", "executable"]
    static let whenKeys = ["os", "arch", "host", "user", "env"]

    func parseDefaults(_ node: YAMLNode) -> DefaultOptions {
        var defaults = DefaultOptions()
        if node.isNullLike { return defaults }
        guard case .mapping(let pairs) = node.content else {
            context.error("'defaults' must be a mapping of entry options; found \(node.kindDescription)", node)
            return defaults
        }
        for pair in pairs {
            guard let key = optionKey(pair.key) else { continue }
            if key == "target" {
                context.error("'target' cannot have a default; each link names its own", pair.key)
                continue
            }
            if key == "relative" { defaults.relativeAt = pair.value }
            if key == "kind" { defaults.kindSet = true }
            apply(key, pair.value, to: &defaults.options, when: &defaults.when)
        }
        if let at = defaults.relativeAt, defaults.options.relative, defaults.options.kind != .symlink {
            context.error("'relative: true' applies to symlinks only; the default kind is \(defaults.options.kind.rawValue)", at)
        }
        return defaults
    }

    /// The entries of a `links:` mapping kept in the tree (when `LinkStream` could not take it).
    func parseLinks(_ node: YAMLNode, defaults: DefaultOptions) -> [PlanEntry] {
        if node.isNullLike { return [] }
        guard case .mapping(let pairs) = node.content else {
            context.error("'links' must be a mapping of link paths to targets; found \(node.kindDescription)", node)
            return []
        }
        var entries: [PlanEntry] = []
        entries.reserveCapacity(pairs.count)
        context.feed?.begin(root: context.root)
        for pair in pairs {
            if let entry = parseLink(pair, defaults: defaults) { entries.append(entry) }
        }
        context.feed?.finish()
        return entries
    }

    /// One `links:` pair; nil when its `when` does not hold. An entry with an error makes the
    /// plan invalid, whose entries are then only checked as a whole (PlanPipeline): it is still
    /// returned when its link path is known, so that a duplicate of it, a link nested in it or
    /// its removal is reported in the same run (SPEC §1). A link to one target is offered to the feed.
    func parseLink(_ pair: YAMLPair, defaults: DefaultOptions) -> PlanEntry? {
        let errorsBefore = context.diagnostics.errorCount
        var named: PlanEntry?
        let parsed = parseEntry(pair, defaults: defaults, named: &named)
        if context.diagnostics.errorCount != errorsBefore { return parsed ?? named }
        guard let entry = parsed else { return nil }
        if let feed = context.feed, !entry.isDirectory && entry.targets.count == 1 {
            feed.offer(link: entry.link, target: entry.targets[0].value)
        }
        return entry
    }

    /// The entry of `pair`; when it has an error that leaves no entry, `named` is the single link
    /// it names if its path is known (with its target when that parsed, else `/`, which lies
    /// outside every root and so goes through no planned link).
    private func parseEntry(_ pair: YAMLPair, defaults: DefaultOptions, named: inout PlanEntry?) -> PlanEntry? {
        guard pair.key.scalar != nil else {
            context.error("a link path must be a string; found \(pair.key.kindDescription)", pair.key)
            return nil
        }
        let link = context.linkPath(pair.key, what: "link path", allowRoot: true)
        var options = defaults.options
        var when = defaults.when
        var targetNodes: [YAMLNode] = []
        var isList = false
        var relativeSet: YAMLNode?
        var filtersSet = false
        func name(_ targets: [Located<Path>], directory: Bool) {
            guard let link, !directory && !link.trailingSlash else { return }
            named = PlanEntry(link: link.spelled ?? link.path, isDirectory: false,
                              targets: targets.count == 1 ? targets : [Located("/", at: context.location(pair.key))],
                              options: options, location: context.location(pair.key))
        }
        switch pair.value.content {
        case .scalar("", .plain) where pair.value.tag == nil:
            context.error("link '\(pair.key.scalar ?? "")' has no target", pair.value)
            name([], directory: false)
            return nil
        case .scalar:
            targetNodes = [pair.value]
        case .sequence(let items):
            targetNodes = items
            isList = true
        case .mapping(let optionPairs):
            var sawTarget = false
            for option in optionPairs {
                guard let key = optionKey(option.key) else { continue }
                if key == "target" {
                    sawTarget = true
                    (targetNodes, isList) = targetList(option.value)
                    continue
                }
                if key == "relative" { relativeSet = option.value }
                if key == "exclude" || key == "select" { filtersSet = true }
                apply(key, option.value, to: &options, when: &when)
            }
            if !sawTarget {
                context.error("link '\(pair.key.scalar ?? "")' has no 'target'", pair.key)
                name([], directory: false)
                return nil
            }
        }
        if options.relative && options.kind != .symlink {
            if let relativeSet {
                context.error("'relative: true' applies to symlinks only; this link is \(options.kind == .auto ? "an" : "a") \(options.kind.rawValue)",
                              relativeSet)
            } else {
                options.relative = false  // a default that does not apply to this kind
            }
        }
        var targets: [Located<Path>] = []
        targets.reserveCapacity(targetNodes.count)
        var hasGlob = false
        for node in targetNodes {
            guard let text = context.path(node, what: "target", normalize: false) else { continue }
            hasGlob = hasGlob || Glob.isPattern(text)
            let absolute = context.targetPath(text)
            targets.append(Located(absolute, at: context.location(node)))
        }
        // A link path ending in '/' is a directory of links too: there they do apply.
        if filtersSet && !hasGlob && !isList && link?.trailingSlash != true {
            context.diagnostics.warning("'exclude' and 'select' apply only to glob or list targets", at: context.location(pair.key))
        }
        guard let link, targets.count == targetNodes.count else {
            name([], directory: isList || hasGlob)
            return nil
        }
        let isDirectory = link.trailingSlash || hasGlob || isList
        if !isDirectory && link.path == context.root {
            // Only a directory of links may be the root: its links lie beneath it.
            context.error("link path '\(pair.key.scalar ?? "")' is the root itself (a directory of links may be: "
                          + "end it with '/' or give a glob or list target)", pair.key)
            return nil
        }
        if let when, !when.holds(on: context.options.facts) { return nil }
        return PlanEntry(link: link.spelled ?? link.path, isDirectory: isDirectory,
                         targets: targets, options: options, location: context.location(pair.key))
    }

    private func targetList(_ node: YAMLNode) -> ([YAMLNode], Bool) {
        switch node.content {
        case .sequence(let items):
            if items.isEmpty { context.error("'target' is an empty list", node) }
            return (items, true)
        default:
            return ([node], false)
        }
    }

    private func optionKey(_ node: YAMLNode) -> String? {
        guard let key = node.scalar else {
            context.error("an option name must be a string; found \(node.kindDescription)", node)
            return nil
        }
        guard Self.optionKeys.contains(key) else {
            context.error("unknown option '\(key)'\(Suggestion.hint(key, in: Self.optionKeys))", node)
            return nil
        }
        return key
    }

    private func apply(_ key: String, _ value: YAMLNode, to options: inout EntryOptions, when: inout Condition?) {
        switch key {
        case "kind": if let v: LinkKind = enumValue(value, key) { options.kind = v }
        case "type": if let v: TargetType = enumValue(value, key) { options.type = v }
        case "missing": if let v: MissingPolicy = enumValue(value, key) { options.missing = v }
        case "conflict": if let v: ConflictPolicy = enumValue(value, key) { options.conflict = v }
        case "relative": if let v = bool(value, key) { options.relative = v }
        case "relink": if let v = bool(value, key) { options.relink = v }
        case "parents": if let v = bool(value, key) { options.parents = v }
        case "canonical": if let v = bool(value, key) { options.canonical = v }
        case "exclude": if let v = strings(value, key) { options.exclude = v }
        case "select": if let v = selection(value) { options.select = v }
        case "when": if let v = condition(value) { when = v }
        default: break
        }
    }
}
