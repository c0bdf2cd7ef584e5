import MklnkYAML
import MklnkFileSystem

/// Reads a plan file into a `Plan`, collecting every problem in one pass (SPEC §1).
public enum PlanLoader {
    static let topKeys = ["version", "root", "base", "vars", "defaults", "links", "remove", "dirs", "clean"]

    /// Loads the plan in `bytes`, read from `file`. The plan is nil when any error was found.
    public static func load(file: String, bytes: [UInt8], options: LoadOptions,
                            prefetch: Prefetch? = nil) -> (Plan?, Diagnostics) {
        let (plan, _, diagnostics) = loadWithPartial(file: file, bytes: bytes, options: options, prefetch: prefetch)
        return (plan, diagnostics)
    }

    /// As `load`, and for a plan with errors, the plan of the entries that parsed without one
    /// (`partial`; nil when the plan's root or base is in error): its graph is still checked, so
    /// that every error comes out in one run (SPEC §1).
    public static func loadWithPartial(file: String, bytes: [UInt8], options: LoadOptions,
                                       prefetch: Prefetch? = nil) -> (plan: Plan?, partial: Plan?, Diagnostics) {
        let context = LoadContext(file: file, options: options)
        context.prefetch = prefetch
        let plan = context.load(bytes)
        guard context.diagnostics.hasErrors else { return (plan, nil, context.diagnostics) }
        return (nil, context.settingsFailed ? nil : plan, context.diagnostics)
    }

    /// Reads and loads a plan file from disk.
    public static func load(file: String, options: LoadOptions, fileSystem: FileSystem,
                            prefetch: Prefetch? = nil) -> (Plan?, Diagnostics) {
        let (plan, _, diagnostics) = loadWithPartial(file: file, options: options, fileSystem: fileSystem, prefetch: prefetch)
        return (plan, diagnostics)
    }

    /// Reads and loads a plan file from disk; `partial` as in the other `loadWithPartial`.
    public static func loadWithPartial(file: String, options: LoadOptions, fileSystem: FileSystem,
                                       prefetch: Prefetch? = nil) -> (plan: Plan?, partial: Plan?, Diagnostics) {
        let source = PlanSource.read(file: file, options: options, fileSystem: fileSystem)
        guard let bytes = source.bytes else { return (nil, nil, source.diagnostics) }
        return loadWithPartial(file: source.name, bytes: bytes, options: options, prefetch: prefetch)
    }
}

/// The state of one load: the file, its variables and the diagnostics so far.
final class LoadContext {
    let file: String
    let sourceFile: SourceFile
    let options: LoadOptions
    let planDirectory: Path
    var diagnostics = Diagnostics()
    var variables: Variables
    var root: Path = "/"
    var base: Path = "/"
    /// The root or base could not be read: no path in the plan means what it says.
    var settingsFailed = false
    /// The plan's variables as written, for `settings`.
    private var variableTexts: [String: String] = [:]
    /// What paths are computed from, once `configure` has run.
    var settings: PathSettings { PathSettings(root: root, base: base, variables: variableTexts) }
    /// Reads the entries' paths on another core as they are parsed.
    var prefetch: Prefetch?

    init(file: String, options: LoadOptions) {
        self.file = file
        self.sourceFile = SourceFile(file)
        self.options = options
        self.planDirectory = Paths.parent(Paths.absolute(Path(file), base: options.workingDirectory))
        self.variables = Variables(overrides: options.variables, declared: [:],
                                   environment: options.facts.environment, home: options.facts.home)
    }

    func location(_ mark: Mark) -> SourceLocation {
        SourceLocation(sourceFile, line: mark.line, column: mark.column)
    }

    func location(_ node: YAMLNode) -> SourceLocation { location(node.mark) }

    func error(_ message: String, _ node: YAMLNode, notes: [Diagnostic] = []) {
        diagnostics.error(message, at: location(node), notes: notes)
    }

    private func report(_ error: YAMLError) {
        diagnostics.error(error.message, at: location(error.mark),
                          notes: error.note.map { [.note($0.message, at: location($0.mark))] } ?? [])
    }

    /// The plan's bytes, for locating problems inside escaped or folded scalars.
    private(set) var source: [UInt8] = []

    func load(_ bytes: [UInt8]) -> Plan? {
        source = bytes
        let document: YAMLNode?
        var clock = PhaseClock()
        defer { clock.lap("schema") }
        // Link paths and targets are worked out and read ahead as the YAML is read.
        let speculation = prefetch.map { PathSpeculation(file: file, options: options, prefetch: $0) }
        do {
            let (root, problems) = try YAMLReader.parseDocument(bytes, limits: options.limits, watch: speculation?.watch)
            document = root
            for problem in problems { report(problem) }
            clock.lap("yaml")
        } catch {
            report(error)
            return nil
        }
        guard let document, !document.isNullLike else {
            diagnostics.error("missing required key 'version' (a plan starts with 'version: 1')",
                              at: SourceLocation(sourceFile, line: 1, column: 1))
            return nil
        }
        guard case .mapping(let pairs) = document.content else {
            error("a plan is a mapping with 'version' and 'links'; found \(document.kindDescription)", document)
            return nil
        }
        var top: [String: YAMLPair] = [:]
        for pair in pairs {
            guard let key = pair.key.scalar else {
                error("a key must be a string; found \(pair.key.kindDescription)", pair.key)
                continue
            }
            guard PlanLoader.topKeys.contains(key) else {
                error("unknown key '\(key)'\(Suggestion.hint(key, in: PlanLoader.topKeys))", pair.key)
                continue
            }
            top[key] = pair
        }

        let version = loadVersion(top["version"], document: document)
        configure(top)
        var defaults = DefaultOptions()
        if let pair = top["defaults"] {
            defaults = EntryParser(context: self).parseDefaults(pair.value)
        }
        var entries: [PlanEntry] = []
        if let pair = top["links"] {
            entries = EntryParser(context: self).parseLinks(pair.value, defaults: defaults,
                                                            speculated: speculation?.holds(settings) ?? nil)
        }
        var removals: [Removal] = []
        if let pair = top["remove"] { removals = loadRemovals(pair.value) }
        let directories = top["dirs"].map { loadDirectories($0.value) } ?? []
        let cleans = top["clean"].map { loadCleans($0.value) } ?? []
        let values = variables.all(&diagnostics)
        var plan = Plan(file: file, version: version ?? 1, root: root, base: base, home: Path(options.facts.home),
                        variables: values, entries: entries, removals: removals)
        plan.directories = directories
        plan.cleans = cleans
        return plan
    }

    /// Root, base and variables from the top-level pairs.
    func configure(_ top: [String: YAMLPair]) {
        if let vars = top["vars"] { loadVariables(vars.value) }
        let errorsBefore = diagnostics.errorCount
        defer { settingsFailed = diagnostics.errorCount > errorsBefore }
        // The plan's own root is checked even when --root overrides it.
        let planRoot = top["root"].flatMap { path($0.value, what: "root") }
        // Normal, so that paths are joined to them without checking them again.
        root = Paths.normalize(options.root ?? planRoot ?? Path(options.facts.home))
        base = Paths.normalize(top["base"].flatMap { path($0.value, what: "base") } ?? planDirectory)
        if let rootPair = top["root"], options.root == nil, root == "/" {
            diagnostics.warning("root is '/': links may be written anywhere", at: location(rootPair.value))
        }
    }

    private func loadVersion(_ pair: YAMLPair?, document: YAMLNode) -> Int? {
        guard let pair else {
            diagnostics.error("missing required key 'version' (a plan starts with 'version: 1')",
                              at: location(document))
            return nil
        }
        guard let text = pair.value.scalar, !pair.value.isNullLike else {
            error("'version' must be 1; found \(pair.value.kindDescription)", pair.value)
            return nil
        }
        guard text == "1" else {
            error("unsupported version '\(text)'; this mklnk reads version 1", pair.value)
            return nil
        }
        return 1
    }

    private func loadVariables(_ node: YAMLNode) {
        if node.isNullLike { return }
        guard case .mapping(let pairs) = node.content else {
            error("'vars' must be a mapping of names to values; found \(node.kindDescription)", node)
            return
        }
        var declared: [String: (text: String, at: ScalarPlace)] = [:]
        for pair in pairs {
            guard let name = pair.key.scalar else {
                error("a variable name must be a string; found \(pair.key.kindDescription)", pair.key)
                continue
            }
            guard let value = pair.value.scalar else {
                error("variable '\(name)' must be a string; found \(pair.value.kindDescription)", pair.value)
                continue
            }
            declared[name] = (value, offsetLocation(pair.value))
        }
        variableTexts = declared.mapValues(\.text)
        variables = Variables(overrides: options.variables, declared: declared,
                              environment: options.facts.environment, home: options.facts.home)
    }

    private func loadRemovals(_ node: YAMLNode) -> [Removal] {
        if node.isNullLike { return [] }
        let items: [YAMLNode]
        switch node.content {
        case .sequence(let list): items = list
        case .scalar: items = [node]
        case .mapping:
            error("'remove' must be a list of link paths; found a mapping", node)
            return []
        }
        var removals: [Removal] = []
        var first: [Path: SourceLocation] = [:]
        for item in items {
            guard let p = linkPath(item, what: "remove") else { continue }
            // Two entries for one link path are an error (SPEC §1), whichever list they are in.
            if let earlier = first[p.path] {
                error("\(p.path) is listed twice in 'remove'", item, notes: [.note("first listed here", at: earlier)])
                continue
            }
            first[p.path] = location(item)
            removals.append(Removal(path: p.path, location: location(item)))
        }
        return removals
    }

    /// A root-relative link path (for `links:` keys and `remove:`), absolute and checked to lie
    /// beneath root. Returns the path and whether it was written with a trailing slash. With
    /// `allowRoot`, the root itself is returned too (a directory of links may be the root).
    func linkPath(_ node: YAMLNode, what: String, allowRoot: Bool = false) -> (path: Path, trailingSlash: Bool)? {
        guard let expanded = path(node, what: what, normalize: false) else { return nil }
        let absolute = Paths.absolute(expanded, normalBase: root)
        if !Paths.isWithin(absolute, root) || (absolute == root && !allowRoot) {
            let detail = absolute == root ? "is the root itself" : "is outside root \(root)"
            error("link path '\(node.scalar ?? "")' \(detail)", node)
            return nil
        }
        return (absolute, expanded.last == UInt8(ascii: "/"))
    }

    /// A path-valued scalar with variables and `~` expanded; relative paths are made absolute
    /// against the plan's directory unless `normalize` is false.
    func path(_ node: YAMLNode, what: String, normalize: Bool = true) -> Path? {
        // `~`, `null` and friends are paths here: YAML 1.1 nulls never change a path.
        guard let text = node.scalar else {
            error("'\(what)' must be a path; found \(node.kindDescription)", node)
            return nil
        }
        if text.isEmpty {
            error("'\(what)' is an empty path", node)
            return nil
        }
        // Most paths name no variable and no home: they are their own expansion.
        let plain = text.utf8.first != UInt8(ascii: "~") && !Paths.contains(text, byte: UInt8(ascii: "$"))
        guard let expanded = plain ? text : variables.expandPath(text, at: offsetLocation(node), &diagnostics)
        else { return nil }
        // `${X:-}` and an empty variable: the same mistake as `""`, not the plan's directory.
        if expanded.isEmpty {
            error("'\(what)' is an empty path (\(text) expands to nothing)", node)
            return nil
        }
        if Paths.contains(expanded, byte: 0) {
            error("a path may not contain a NUL byte", node)
            return nil
        }
        return normalize ? Paths.absolute(Path(expanded), normalBase: planDirectory) : Path(expanded)
    }

    /// Where a scalar's bytes stand in the file, to point at a `${` inside it.
    func offsetLocation(_ node: YAMLNode) -> ScalarPlace {
        guard case .scalar(let text, let style) = node.content else {
            return ScalarPlace(start: location(node), mark: node.mark, end: node.end, text: nil, shift: 0, context: nil)
        }
        // The fast way: the source is exactly the text (plus quotes) on one line.
        let quotes = style == .singleQuoted || style == .doubleQuoted ? 2 : 0
        let exact = (style == .plain || quotes == 2) && node.end.line == node.mark.line
            && node.end.column - node.mark.column == text.unicodeScalars.count + quotes
        return ScalarPlace(start: location(node), mark: node.mark, end: node.end, text: text,
                           shift: exact ? quotes / 2 : -1, context: exact ? nil : self)
    }

    /// Byte offsets of line starts in the plan, built on the first error that needs them.
    private var lineStarts: [Int]?

    /// The location of the `occurrence`-th (0-based) `${` between two marks of the source.
    func locate(variable occurrence: Int, from mark: Mark, to end: Mark) -> SourceLocation? {
        if lineStarts == nil {
            var starts = [0]
            for (i, b) in source.enumerated() where b == 10 { starts.append(i + 1) }
            lineStarts = starts
        }
        guard let starts = lineStarts else { return nil }
        func offset(_ m: Mark) -> Int? {
            guard m.line >= 1, m.line - 1 < starts.count else { return nil }
            var i = starts[m.line - 1], column = 1
            while column < m.column && i < source.count {
                i += 1
                if i >= source.count || source[i] & 0xC0 != 0x80 { column += 1 }
            }
            return i
        }
        guard let from = offset(mark), let to = offset(end), from < to else { return nil }
        var seen = 0
        var i = from
        while i + 1 < to {
            if source[i] == UInt8(ascii: "$") && source[i + 1] == UInt8(ascii: "{") {
                if seen == occurrence {
                    let line = (starts.lastIndex { $0 <= i } ?? 0)
                    let column = source[starts[line]..<i].filter { $0 & 0xC0 != 0x80 }.count + 1
                    return SourceLocation(sourceFile, line: line + 1, column: column)
                }
                seen += 1
            }
            i += 1
        }
        return nil
    }
}

/// The place of a scalar, to map a byte offset within its text to a column (libyaml counts
/// characters). Where the source is not the text itself (escapes, folded lines), the `${` is
/// found in the source by its rank.
struct ScalarPlace {
    var start: SourceLocation
    var mark: Mark
    var end: Mark
    var text: String?
    /// Columns before the text (1 for a quote); -1 when the source differs from the text.
    var shift: Int
    /// Weak: the load keeps its variables' places, and a strong reference back leaked every load.
    weak var context: LoadContext?

    func at(_ offset: Int) -> SourceLocation {
        guard let text else { return start }
        let prefix = text.utf8.prefix(offset)
        if shift >= 0 {
            var l = start
            l.column += shift + prefix.filter { $0 & 0xC0 != 0x80 }.count
            return l
        }
        var occurrence = 0
        var previous: UInt8 = 0
        for b in prefix {
            if previous == UInt8(ascii: "$") && b == UInt8(ascii: "{") { occurrence += 1 }
            previous = b
        }
        return context?.locate(variable: occurrence, from: mark, to: end) ?? start
    }
}
