import MklnkFileSystem

/// What kind of link an entry makes (SPEC §1).
public enum LinkKind: String, Sendable, CaseIterable {
    case symlink, hardlink, junction, auto
}

public enum TargetType: String, Sendable, CaseIterable {
    case file, dir
}

public enum MissingPolicy: String, Sendable, CaseIterable {
    case error, allow
}

public enum ConflictPolicy: String, Sendable, CaseIterable {
    case fail, backup, skip, adopt
}

/// A value and where the plan wrote it.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

/// The options of one `links:` entry after `defaults` were applied.
public struct EntryOptions: Sendable {
    public var kind: LinkKind = .symlink
    public var relative = false
    public var type: TargetType?
    public var missing: MissingPolicy = .error
    public var relink = true
    public var conflict: ConflictPolicy = .fail
    public var parents = true
    /// Store the target with every symlink in it resolved (CanonicalTarget.swift).
    public var canonical = false
    public var exclude: [String] = []
    public var select: Selection? {
        get { selection?.value }
        set { selection = newValue.map(SelectionBox.init) }
    }
    /// Boxed: most entries select nothing, and inline it would double the size of every entry.
    private var selection: SelectionBox?

    public init() {}
}

private final class SelectionBox: Sendable {
    let value: Selection
    init(_ value: Selection) { self.value = value }
}

/// One `links:` entry: a link path and what it points to.
public struct PlanEntry: Sendable {
    /// The link path, absolute and normalised; for a directory of links, the directory. One
    /// written with `..` keeps it (absolute, beneath root as written): the graph puts the link
    /// where the kernel would (`GraphBuilder.kernelLinkPath`).
    public var link: Path
    /// One link per matching target inside `link` (trailing slash, glob or list target).
    public var isDirectory: Bool
    /// Targets after variable expansion, absolute (resolved against `base`); may be globs.
    public var targets: EntryTargets
    public var options: EntryOptions
    /// Where the key stands.
    public var location: SourceLocation

    public init(link: Path, isDirectory: Bool, targets: [Located<Path>], options: EntryOptions, location: SourceLocation) {
        self.init(link: link, isDirectory: isDirectory, targets: EntryTargets(targets), options: options, location: location)
    }

    public init(link: Path, isDirectory: Bool, targets: EntryTargets, options: EntryOptions, location: SourceLocation) {
        self.link = link
        self.isDirectory = isDirectory
        self.targets = targets
        self.options = options
        self.location = location
    }
}

/// An entry's targets, the first one held inline: nearly every entry has exactly one, and an
/// array would be one more allocation per link of a large plan.
public struct EntryTargets: RandomAccessCollection, Sendable {
    private var first: Located<Path>?
    private var rest: [Located<Path>]

    public init(_ targets: [Located<Path>] = []) {
        first = targets.first
        rest = targets.count > 1 ? Array(targets.dropFirst()) : []
    }

    public mutating func append(_ target: Located<Path>) {
        if first == nil { first = target } else { rest.append(target) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { first == nil ? 0 : 1 + rest.count }
    public subscript(i: Int) -> Located<Path> { i == 0 ? first! : rest[i - 1] }
}

/// One `remove:` item.
public struct Removal: Sendable {
    public var path: Path
    public var location: SourceLocation

    public init(path: Path, location: SourceLocation) {
        self.path = path
        self.location = location
    }
}

/// A loaded plan: every path absolute, every variable expanded, `when` decided.
public struct Plan: Sendable {
    /// The plan file as given.
    public var file: String
    public var version: Int
    public var root: Path
    public var base: Path
    public var home: Path
    public var variables: [String: String]
    public var entries: [PlanEntry]
    public var removals: [Removal]
    /// `dirs:` and `clean:` (DirsAndClean.swift).
    public var directories: [PlanDirectory] = []
    public var cleans: [PlanClean] = []

    public init(file: String, version: Int, root: Path, base: Path, home: Path, variables: [String: String],
                entries: [PlanEntry], removals: [Removal]) {
        self.file = file
        self.version = version
        self.root = root
        self.base = base
        self.home = home
        self.variables = variables
        self.entries = entries
        self.removals = removals
    }
}
