import MklnkFileSystem

/// A place in a plan file, 1-based. Plain data: the file is held by number (`SourceFile`).
///
/// Every entry, link and action of a large plan carries one or two: line and column are held in
/// 32 bits each (a plan is far below 4 GiB), so a location is 12 bytes.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var source: SourceFile
    private var storedLine: UInt32
    private var storedColumn: UInt32

    public init(file: String, line: Int, column: Int) {
        self.init(SourceFile(file), line: line, column: column)
    }

    public init(_ source: SourceFile, line: Int, column: Int) {
        self.source = source
        storedLine = UInt32(clamping: line)
        storedColumn = UInt32(clamping: column)
    }

    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = UInt32(clamping: newValue) }
    }

    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = UInt32(clamping: newValue) }
    }

    public var file: String {
        get { source.name }
        set { source = SourceFile(newValue) }
    }

    public var description: String { "\(file):\(line):\(column)" }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        if a.source != b.source { return a.file < b.file }
        return (a.line, a.column) < (b.line, b.column)
    }
}

public enum Severity: String, Sendable {
    case error, warning, note
}

/// Why an error stops mklnk; decides the exit code (SPEC §3).
public enum Failure: Sendable {
    /// The plan file itself is wrong (exit 65).
    case invalidPlan
    /// The plan is valid but cannot be carried out on this filesystem (exit 1).
    case cannotApply
}

/// One message about a plan, with where it applies and related places.
public struct Diagnostic: Sendable, CustomStringConvertible {
    public var severity: Severity
    public var message: String
    public var location: SourceLocation?
    public var failure: Failure
    public var notes: [Diagnostic]
    /// For an error that is why the link at this path cannot be made here: the planner lists
    /// that link as a `conflict` action too, and it is counted there, once (SPEC §3).
    public var conflict: Path?

    public init(_ severity: Severity, _ message: String, at location: SourceLocation?,
                failure: Failure = .invalidPlan, notes: [Diagnostic] = []) {
        self.severity = severity
        self.message = message
        self.location = location
        self.failure = failure
        self.notes = notes
    }

    public static func note(_ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(.note, message, at: location)
    }

    /// `FILE:LINE:COLUMN: severity: message`, or `mklnk: severity: message` without a place.
    public var description: String {
        "\(location.map { "\($0)" } ?? "mklnk"): \(severity.rawValue): \(message)"
    }
}

/// Collects every problem of a run, so all of them are reported at once.
public struct Diagnostics: Sendable {
    public private(set) var items: [Diagnostic] = []
    /// How many of `items` are errors (kept, so that asking per entry costs nothing).
    public private(set) var errorCount = 0

    public init() {}

    public mutating func error(_ message: String, at location: SourceLocation?, failure: Failure = .invalidPlan,
                               notes: [Diagnostic] = [], conflict: Path? = nil) {
        var error = Diagnostic(.error, message, at: location, failure: failure, notes: notes)
        error.conflict = conflict
        items.append(error)
        errorCount += 1
    }

    public mutating func warning(_ message: String, at location: SourceLocation?, notes: [Diagnostic] = []) {
        items.append(Diagnostic(.warning, message, at: location, notes: notes))
    }

    public mutating func append(_ diagnostic: Diagnostic) {
        items.append(diagnostic)
        if diagnostic.severity == .error { errorCount += 1 }
    }

    public mutating func append(contentsOf other: Diagnostics) {
        items += other.items
        errorCount += other.errorCount
    }

    public var hasErrors: Bool { errorCount > 0 }
    /// The errors counted as errors: those that are not a conflict action's cause.
    public var errorsBesideConflicts: Int { items.lazy.filter { $0.severity == .error && $0.conflict == nil }.count }
    public var errors: [Diagnostic] { items.filter { $0.severity == .error } }

    /// The failure that decides the exit code: an invalid plan outranks one that cannot be applied.
    public var failure: Failure? {
        let errors = self.errors
        if errors.isEmpty { return nil }
        return errors.contains { $0.failure == .invalidPlan } ? .invalidPlan : .cannotApply
    }

    /// Errors and warnings in file order; diagnostics without a place keep their order at the end.
    public var sorted: [Diagnostic] {
        items.enumerated().sorted { a, b in
            switch (a.element.location, b.element.location) {
            case let (x?, y?): return x != y ? x < y : a.offset < b.offset
            case (nil, nil): return a.offset < b.offset
            case (_?, nil): return true
            case (nil, _?): return false
            }
        }.map(\.element)
    }
}
