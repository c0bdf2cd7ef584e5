import MklnkYAML
import MklnkFileSystem

/// `mklnk import dotbot CONFIG`: the mklnk plan that does what a dotbot config does. What has no
/// equivalent (shell commands, plugins, an `if` other than a `uname` test, clean's force) is a
/// comment in the plan and a located warning; nothing is dropped silently.
public enum DotbotImporter {
    public struct Result: Sendable {
        /// The plan's text; nil when the config could not be read.
        public var plan: String?
        public var diagnostics: Diagnostics
    }

    /// `file` names the config in diagnostics; `base` is dotbot's base directory (absolute).
    public static func run(file: String, bytes: [UInt8], base: String, home: String) -> Result {
        let context = ImportContext(file: file, base: DotbotPaths.normalize(base), home: home)
        guard let config = DotbotConfig.read(bytes, context: context), !context.diagnostics.hasErrors else {
            return Result(plan: nil, diagnostics: context.diagnostics)
        }
        var translator = DotbotTranslator(context: context)
        for directive in config.directives { translator.translate(directive) }
        return Result(plan: translator.planText(), diagnostics: context.diagnostics)
    }
}

/// Walks the directives in order, as dotbot runs them; `defaults` replaces the defaults for
/// what follows.
struct DotbotTranslator {
    let context: ImportContext
    var linkDefaults = DotbotLinkOptions()
    var createMode: (Int, YAMLNode)?
    var cleanForce = false
    var cleanRecursive = false
    /// The plan's `defaults:`: the mklnk options of the dotbot defaults at the first link.
    var planDefaults: [(String, PlanText.Value)]?
    var links: [String] = []
    /// Link paths already listed, compared as bytes (`é` and `e` + U+0301 are two names).
    var linkPlaces: [Path: YAMLNode] = [:]
    /// Where in `links` each listed link path's line is (a later relink comments it out).
    var linkLines: [Path: Int] = [:]
    var dirs: [PlanText.Value] = []
    var cleans: [PlanText.Value] = []
    /// Paths outside $HOME need `root: /`.
    var outsideHome = false
    /// Each `force` is explained once, not for every link it applies to.
    var forceWarned: Set<Mark> = []

    init(context: ImportContext) { self.context = context }

    mutating func translate(_ d: DotbotConfig.Directive) {
        switch d.name {
        case "defaults": readDefaults(d.value)
        case "link": translateLinks(d.value)
        case "create": translateCreate(d.value)
        case "clean": translateClean(d.value)
        case "shell":
            guard case .sequence(let items) = d.value.content else {
                context.unmappable("shell has no mklnk equivalent (run its commands yourself)", d.key)
                return
            }
            for item in items {
                context.unmappable("shell command has no mklnk equivalent (run it yourself): \(shellCommand(item))", item)
            }
        case "plugins":
            context.unmappable("dotbot plugins have no mklnk equivalent", d.key)
        default:
            context.unmappable("directive '\(d.name)' (a dotbot plugin) has no mklnk equivalent", d.key)
        }
    }

    private func shellCommand(_ item: YAMLNode) -> String {
        switch item.content {
        case .scalar(let s, _): return s
        case .sequence(let parts): return parts.first?.scalar ?? "?"
        case .mapping(let pairs): return pairs.first { $0.key.scalar == "command" }?.value.scalar ?? "?"
        }
    }

    private mutating func readDefaults(_ node: YAMLNode) {
        guard let pairs = DotbotScalar.pairs(node) else {
            context.warning("defaults takes a mapping of directive names to options; found \(node.kindDescription) (ignored)", node)
            return
        }
        // Replaced, not merged, as dotbot does.
        linkDefaults = DotbotLinkOptions()
        createMode = nil
        (cleanForce, cleanRecursive) = (false, false)
        for pair in pairs {
            let options = DotbotScalar.pairs(pair.value) ?? []
            switch pair.key.scalar {
            case "link": linkDefaults.read(options, context)
            case "create":
                for o in options where o.key.scalar == "mode" {
                    if let m = DotbotScalar.integer(o.value) { createMode = (m, o.value) }
                    else { context.warning("create mode must be an integer such as 0700 (ignored)", o.value) }
                }
            case "clean":
                for o in options {
                    if o.key.scalar == "force", let b = DotbotScalar.bool(o.value) { cleanForce = b; if b { forceWarning(o.key) } }
                    if o.key.scalar == "recursive", let b = DotbotScalar.bool(o.value) { cleanRecursive = b }
                }
            case "shell": continue  // shell itself is not imported; its defaults go with it
            default: context.unmappable("defaults for '\(pair.key.scalar ?? "?")' (a dotbot plugin) have no mklnk equivalent", pair.key)
            }
        }
    }

    private func forceWarning(_ node: YAMLNode) {
        context.unmappable("clean's force has no mklnk equivalent: mklnk deletes only dangling links that point into base", node)
    }

    private mutating func translateCreate(_ node: YAMLNode) {
        let items = Self.items(node)
        for (pathNode, options) in items {
            guard let raw = DotbotScalar.string(pathNode) else {
                context.warning("create takes paths; found \(pathNode.kindDescription) (ignored)", pathNode)
                continue
            }
            let path = DotbotPaths.normalizeLink(DotbotPaths.place(raw, base: context.base))
            note(path)
            var mode = createMode?.0
            for o in options.flatMap(DotbotScalar.pairs) ?? [] where o.key.scalar == "mode" {
                if let m = DotbotScalar.integer(o.value) { mode = m }
                else { context.warning("create mode must be an integer such as 0700 (ignored)", o.value) }
            }
            if let mode {
                dirs.append(.map([("path", .string(path)), ("mode", .string("0" + String(mode, radix: 8)))]))
            } else {
                dirs.append(.string(path))
            }
        }
    }

    private mutating func translateClean(_ node: YAMLNode) {
        let items = Self.items(node)
        for (pathNode, options) in items {
            guard let raw = DotbotScalar.string(pathNode) else {
                context.warning("clean takes directories; found \(pathNode.kindDescription) (ignored)", pathNode)
                continue
            }
            var recursive = cleanRecursive
            for o in options.flatMap(DotbotScalar.pairs) ?? [] {
                if o.key.scalar == "recursive", let b = DotbotScalar.bool(o.value) { recursive = b }
                if o.key.scalar == "force", DotbotScalar.bool(o.value) == true { forceWarning(o.key) }
            }
            let path = DotbotPaths.normalizeLink(DotbotPaths.place(raw, base: context.base))
            note(path)
            cleans.append(recursive ? .map([("path", .string(path)), ("recursive", .bool(true))]) : .string(path))
        }
    }

    /// The paths of `create` or `clean` with their options: a list of paths, a mapping of paths
    /// to options, or a list mixing both.
    static func items(_ node: YAMLNode) -> [(YAMLNode, YAMLNode?)] {
        switch node.content {
        case .sequence(let list):
            return list.flatMap { item -> [(YAMLNode, YAMLNode?)] in
                if case .mapping(let pairs) = item.content { return pairs.map { ($0.key, $0.value) } }
                return [(item, nil)]
            }
        case .mapping(let pairs): return pairs.map { ($0.key, $0.value) }
        case .scalar: return node.isNullLike ? [] : [(node, nil)]
        }
    }

    mutating func note(_ path: String) {
        if DotbotPaths.outside(path, home: context.home) { outsideHome = true }
    }
}
