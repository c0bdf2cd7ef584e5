import MklnkYAML

/// A dotbot config read the way dotbot reads it: a list of tasks, each a mapping of directives,
/// scalars taken as PyYAML takes them (YAML 1.1: `yes`/`on` are true, `0700` is octal). Nodes
/// keep where they were written, so every warning can name its FILE:LINE:COL.
struct DotbotConfig {
    struct Directive {
        var name: String
        var key: YAMLNode
        var value: YAMLNode
    }

    var directives: [Directive] = []

    static func read(_ bytes: [UInt8], context: ImportContext) -> DotbotConfig? {
        let root: YAMLNode?
        do {
            let (node, problems) = try YAMLReader.parseDocument(bytes)
            for problem in problems { context.error(problem.message, at: problem.mark) }
            root = node
        } catch {
            context.error(error.message, at: error.mark)
            return nil
        }
        var config = DotbotConfig()
        guard let root, !root.isNullLike else { return config }
        guard case .sequence(let tasks) = root.content else {
            context.error("a dotbot config is a list of tasks; found \(root.kindDescription)", root)
            return nil
        }
        for task in tasks {
            guard case .mapping(let pairs) = task.content else {
                if !task.isNullLike { context.error("a dotbot task is a mapping of directives; found \(task.kindDescription)", task) }
                continue
            }
            for pair in pairs {
                guard let name = pair.key.scalar else {
                    context.error("a directive name must be a string; found \(pair.key.kindDescription)", pair.key)
                    continue
                }
                config.directives.append(Directive(name: name, key: pair.key, value: pair.value))
            }
        }
        return config
    }
}

/// Scalars as PyYAML (YAML 1.1) reads them.
enum DotbotScalar {
    /// A boolean, or nil when the node is not one.
    static func bool(_ node: YAMLNode) -> Bool? {
        guard case .scalar(let s, .plain) = node.content else { return nil }
        switch s {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N": return false
        default: return nil
        }
    }

    /// An integer: `0700` and `0o700` octal, `0x1C0` hex, else decimal (underscores allowed).
    static func integer(_ node: YAMLNode) -> Int? {
        guard var s = node.scalar, !node.isNullLike else { return nil }
        s = String(s.filter { $0 != "_" })
        if s.hasPrefix("0o") || s.hasPrefix("0O") { return Int(s.dropFirst(2), radix: 8) }
        if s.hasPrefix("0x") || s.hasPrefix("0X") { return Int(s.dropFirst(2), radix: 16) }
        if s.count > 1 && s.hasPrefix("0") { return Int(s.dropFirst(), radix: 8) }
        return Int(s)
    }

    /// A string (nil for null and collections).
    static func string(_ node: YAMLNode) -> String? {
        node.isNullLike ? nil : node.scalar
    }

    /// A string or a list of strings.
    static func strings(_ node: YAMLNode) -> [String]? {
        if let s = string(node) { return [s] }
        guard case .sequence(let items) = node.content else { return nil }
        let out = items.compactMap(string)
        return out.count == items.count ? out : nil
    }

    /// The pairs of a mapping; an empty list for null.
    static func pairs(_ node: YAMLNode) -> [YAMLPair]? {
        if node.isNullLike { return [] }
        if case .mapping(let pairs) = node.content { return pairs }
        return nil
    }
}
