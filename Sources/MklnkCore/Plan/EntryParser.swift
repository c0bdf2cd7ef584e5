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

    /// One `links:` pair; nil when it has an error (the rest are still checked as a graph,
    /// PlanPipeline) or its `when` does not hold. A link to one target is offered to the feed.
    func parseLink(_ pair: YAMLPair, defaults: DefaultOptions) -> PlanEntry? {
        let errorsBefore = context.diagnostics.errorCount
        guard let entry = parseEntry(pair, defaults: defaults), context.diagnostics.errorCount == errorsBefore
        else { return nil }
        if let feed = context.feed, !entry.isDirectory && entry.targets.count == 1 {
            feed.offer(link: entry.link, target: entry.targets[0].value)
        }
        return entry
    }

    private func parseEntry(_ pair: YAMLPair, defaults: DefaultOptions) -> PlanEntry? {
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
        switch pair.value.content {
        case .scalar("", .plain) where pair.value.tag == nil:
            context.error("link '\(pair.key.scalar ?? "")' has no target", pair.value)
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
        if filtersSet && !hasGlob && !isList {
            context.diagnostics.warning("'exclude' and 'select' apply only to glob or list targets", at: context.location(pair.key))
        }
        guard let link, targets.count == targetNodes.count else { return nil }
        let isDirectory = link.trailingSlash || hasGlob || isList
        if !isDirectory && link.path == context.root {
            // Only a directory of links may be the root: its links lie beneath it.
            context.error("link path '\(pair.key.scalar ?? "")' is the root itself (a directory of links may be: "
                          + "end it with '/' or give a glob or list target)", pair.key)
            return nil
        }
        if let when, !when.holds(on: context.options.facts) { return nil }
        return PlanEntry(link: link.path, written: pair.key.scalar ?? "", isDirectory: isDirectory,
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

    // MARK: Values

    func bool(_ node: YAMLNode, _ key: String) -> Bool? {
        if case .scalar(let text, .plain) = node.content, node.tag == nil || node.tag == "tag:yaml.org,2002:bool" {
            if text == "true" { return true }
            if text == "false" { return false }
        }
        let found = node.scalar.map { "'\($0)'" } ?? node.kindDescription
        context.error("'\(key)' must be true or false; found \(found)", node)
        return nil
    }

    func enumValue<E: RawRepresentable & CaseIterable>(_ node: YAMLNode, _ key: String) -> E? where E.RawValue == String {
        let allowed = E.allCases.map(\.rawValue)
        guard let text = node.scalar, !node.isNullLike else {
            context.error("'\(key)' must be one of \(allowed.joined(separator: ", ")); found \(node.kindDescription)", node)
            return nil
        }
        if let v = E(rawValue: text) { return v }
        context.error("'\(text)' is not a valid \(key); expected one of \(allowed.joined(separator: ", "))"
                      + Suggestion.hint(text, in: allowed), node)
        return nil
    }

    func strings(_ node: YAMLNode, _ key: String) -> [String]? {
        switch node.content {
        case .scalar(let s, _): return [s]
        case .sequence(let items):
            var out: [String] = []
            for item in items {
                guard let s = item.scalar else {
                    context.error("'\(key)' must be a list of strings; found \(item.kindDescription)", item)
                    return nil
                }
                out.append(s)
            }
            return out
        case .mapping:
            context.error("'\(key)' must be a string or a list of strings; found a mapping", node)
            return nil
        }
    }

    private func selection(_ node: YAMLNode) -> Selection? {
        guard case .mapping(let pairs) = node.content else {
            context.error("'select' must be a mapping (size, modified, hidden, readonly, executable); found \(node.kindDescription)", node)
            return nil
        }
        var s = Selection()
        var ok = true
        for pair in pairs {
            guard let key = pair.key.scalar, Self.selectKeys.contains(key) else {
                let key = pair.key.scalar ?? ""
                context.error("unknown select filter '\(key)'\(Suggestion.hint(key, in: Self.selectKeys))", pair.key)
                ok = false
                continue
            }
            switch key {
            case "size", "modified":
                guard let text = pair.value.scalar else {
                    context.error("'\(key)' must be a range LOW..HIGH; found \(pair.value.kindDescription)", pair.value)
                    ok = false
                    continue
                }
                let range = key == "size" ? Selection.parseSizeRange(text) : Selection.parseDateRange(text)
                guard let range else {
                    let example = key == "size" ? "1K..10M, ..512, 1G.." : "2024-01-01.., ..2024-12-31T18:00"
                    context.error("bad \(key) range '\(text)'; expected LOW..HIGH with either end open (\(example))",
                                  pair.value)
                    ok = false
                    continue
                }
                if key == "size" { s.size = range } else { s.modified = range }
            case "hidden": s.hidden = bool(pair.value, key)
            case "readonly": s.readonly = bool(pair.value, key)
            default: s.executable = bool(pair.value, key)
            }
        }
        return ok ? s : nil
    }

    private func condition(_ node: YAMLNode) -> Condition? {
        guard case .mapping(let pairs) = node.content else {
            context.error("'when' must be a mapping (os, arch, host, user, env); found \(node.kindDescription)", node)
            return nil
        }
        var c = Condition()
        for pair in pairs {
            guard let key = pair.key.scalar, Self.whenKeys.contains(key) else {
                let key = pair.key.scalar ?? ""
                context.error("unknown condition '\(key)'\(Suggestion.hint(key, in: Self.whenKeys))", pair.key)
                continue
            }
            if key == "env" {
                switch pair.value.content {
                case .mapping(let envPairs):
                    for e in envPairs {
                        guard let name = e.key.scalar, let value = e.value.scalar else {
                            context.error("'env' values must be strings", e.value)
                            continue
                        }
                        c.envEquals.append((name, value))
                    }
                default:
                    c.envSet = strings(pair.value, key) ?? []
                }
                continue
            }
            guard let values = strings(pair.value, key) else { continue }
            switch key {
            case "os":
                for v in values where !Condition.knownOS.contains(v.lowercased()) {
                    context.error("unknown os '\(v)'; expected one of \(Condition.knownOS.joined(separator: ", "))"
                                  + Suggestion.hint(v, in: Condition.knownOS), pair.value)
                }
                c.os = values
            case "arch": c.arch = values
            case "host": c.host = values
            default: c.user = values
            }
        }
        return c
    }
}
