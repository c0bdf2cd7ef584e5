import MklnkYAML

/// The values of entry options: booleans, enumerations, string lists, `select` and `when`.
extension EntryParser {
    func bool(_ node: YAMLNode, _ key: String) -> Bool? {
        // Plain `true`/`false`, or any scalar explicitly tagged `!!bool` (`!!bool "true"`).
        if case .scalar(let text, let style) = node.content,
           (style == .plain && node.tag == nil) || node.tag == "tag:yaml.org,2002:bool" {
            if text == "true" { return true }
            if text == "false" { return false }
        }
        let found: String
        if case .scalar(let text, let style) = node.content, text == "true" || text == "false" {
            // Quotes or a tag make it a string: say so, or the message would show the very word it asks for.
            found = style != .plain ? "the quoted string \"\(text)\"; write \(text) without quotes"
                : "\(text) tagged \(node.tag ?? "?"), a string; write \(text) without a tag"
        } else {
            found = node.scalar.map { "'\($0)'" } ?? node.kindDescription
        }
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

    func selection(_ node: YAMLNode) -> Selection? {
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

    func condition(_ node: YAMLNode) -> Condition? {
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
