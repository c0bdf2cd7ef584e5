import MklnkYAML
import MklnkFileSystem

/// Reads a plan file into a `Plan`, collecting every problem in one pass (SPEC §1).
public enum PlanLoader {
    static let topKeys = ["version", "root", "base", "vars", "defaults", "links", "remove", "dirs", "clean"]

    /// Loads the plan in `bytes`, read from `file`. The plan is nil when any error was found.
    public static func load(file: String, bytes: [UInt8], options: LoadOptions,
                            feed: LinkFeed? = nil) -> (Plan?, Diagnostics) {
        let (plan, _, diagnostics) = loadWithPartial(file: file, bytes: bytes, options: options, feed: feed)
        return (plan, diagnostics)
    }

    /// As `load`, and for a plan with errors, the plan of the entries that parsed without one
    /// (`partial`; nil when the plan's root or base is in error): its graph is still checked, so
    /// that every error comes out in one run (SPEC §1).
    public static func loadWithPartial(file: String, bytes: [UInt8], options: LoadOptions,
                                       feed: LinkFeed? = nil) -> (plan: Plan?, partial: Plan?, Diagnostics) {
        loadWithPartial(file: file, input: PlanInput(bytes), options: options, feed: feed)
    }

    /// As `loadWithPartial` with bytes, reading them from `input` as they are parsed.
    public static func loadWithPartial(file: String, input: PlanInput, options: LoadOptions,
                                       feed: LinkFeed? = nil) -> (plan: Plan?, partial: Plan?, Diagnostics) {
        var context = LoadContext(file: file, options: options, feed: feed, streamsLinks: true)
        var plan = context.load(input)
        if context.loadAgain {
            // A setting written after `links:`: loaded again with the links kept in the tree.
            context = LoadContext(file: file, options: options, feed: nil, streamsLinks: false)
            plan = context.load(input)
        }
        guard context.diagnostics.hasErrors else { return (plan, nil, context.diagnostics) }
        return (nil, context.settingsFailed ? nil : plan, context.diagnostics)
    }

    /// Reads and loads a plan file from disk.
    public static func load(file: String, options: LoadOptions, fileSystem: FileSystem,
                            feed: LinkFeed? = nil) -> (Plan?, Diagnostics) {
        let (plan, _, diagnostics) = loadWithPartial(file: file, options: options, fileSystem: fileSystem, feed: feed)
        return (plan, diagnostics)
    }

    /// Reads and loads a plan file from disk; `partial` as in the other `loadWithPartial`.
    public static func loadWithPartial(file: String, options: LoadOptions, fileSystem: FileSystem,
                                       feed: LinkFeed? = nil) -> (plan: Plan?, partial: Plan?, Diagnostics) {
        let source = PlanSource.read(file: file, options: options, fileSystem: fileSystem)
        guard let input = source.input else { return (nil, nil, source.diagnostics) }
        return loadWithPartial(file: source.name, input: input, options: source.options(options), feed: feed)
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
    /// Told each link's paths as they are worked out (a read-ahead).
    let feed: LinkFeed?
    /// Entries are parsed as the YAML is read (`LinkStream`).
    private let streamsLinks: Bool
    /// The entries were parsed with settings that are not the final ones: load again without
    /// streaming them.
    private(set) var loadAgain = false

    init(file: String, options: LoadOptions, feed: LinkFeed? = nil, streamsLinks: Bool = false) {
        self.feed = feed
        self.streamsLinks = streamsLinks
        self.file = file
        self.sourceFile = SourceFile(file)
        self.options = options
        self.planDirectory = options.planDirectory
            ?? Paths.parent(Paths.absolute(PlanFileName.path(file), base: options.workingDirectory))
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

    /// The plan's bytes, read again to locate problems inside escaped or folded scalars.
    private(set) var input = PlanInput([])
    /// All of them, once the first such problem is located.
    lazy var source: [UInt8] = input.allBytes()

    func load(_ input: PlanInput) -> Plan? {
        self.input = input
        let document: YAMLNode?
        var clock = PhaseClock()
        defer { clock.lap("schema") }
        let stream = streamsLinks ? LinkStream(context: self) : nil
        // What the stream reports is put after the reader's problems and the version, where a
        // load from the tree reports it.
        var streamed = Diagnostics()
        do {
            let (root, problems) = try YAMLReader.parseDocument(input, limits: options.limits, watch: stream?.watch)
            document = root
            swap(&streamed, &diagnostics)
            for problem in problems { report(problem) }
            clock.lap("yaml")
        } catch {
            diagnostics = Diagnostics()
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
        var entries: [PlanEntry] = []
        if let stream, stream.began {
            guard let parsed = stream.entries(final: top) else {
                loadAgain = true
                return nil
            }
            entries = parsed
            diagnostics.append(contentsOf: streamed)
        } else {
            configure(top)
            var defaults = DefaultOptions()
            if let pair = top["defaults"] {
                defaults = EntryParser(context: self).parseDefaults(pair.value)
            }
            if let pair = top["links"] {
                entries = EntryParser(context: self).parseLinks(pair.value, defaults: defaults)
            }
        }
        var removals: [Removal] = []
        if let pair = top["remove"] { removals = loadRemovals(pair.value) }
        let directories = top["dirs"].map { loadDirectories($0.value) } ?? []
        let cleans = top["clean"].map { loadCleans($0.value) } ?? []
        let values = variables.all(&diagnostics)
        var plan = Plan(file: file, version: version ?? 1, root: root, base: base, home: options.facts.homePath,
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
        let planRoot = top["root"].flatMap { settingPath($0.value, what: "root") }
        // Normal, so that paths are joined to them without checking them again.
        root = Paths.normalize(options.root ?? planRoot ?? options.facts.homePath)
        base = Paths.normalize(top["base"].flatMap { settingPath($0.value, what: "base") } ?? planDirectory)
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
            if let written = item.scalar, written.utf8.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }) {
                diagnostics.warning("remove takes paths, not globs: the * ? [ of '\(written)' are taken literally", at: location(item))
            }
            // With its `..` kept, for the graph to resolve as the kernel does (`kernelRemovals`).
            removals.append(Removal(path: p.spelled ?? p.path, location: location(item)))
        }
        return removals
    }

    /// Byte offsets of line starts in the plan, built on the first error that needs them.
    var lineStarts: [Int]?
}
