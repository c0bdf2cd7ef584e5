/// A problem in the YAML text itself, at a 1-based location.
public struct YAMLError: Error, Sendable, Equatable {
    public var message: String
    public var mark: Mark
    /// A related place (the first occurrence of a duplicate key, the anchor's definition).
    public var note: (message: String, mark: Mark)?

    public init(_ message: String, at mark: Mark, note: (String, Mark)? = nil) {
        self.message = message
        self.mark = mark
        self.note = note.map { (message: $0.0, mark: $0.1) }
    }

    public static func == (a: YAMLError, b: YAMLError) -> Bool {
        a.message == b.message && a.mark == b.mark && a.note?.message == b.note?.message
            && a.note?.mark == b.note?.mark
    }
}

/// Bounds that keep a hostile document from exhausting time, memory or stack.
public struct YAMLLimits: Sendable {
    /// Largest accepted input in bytes.
    public var maxInputBytes: Int
    /// Deepest nesting of collections.
    public var maxDepth: Int
    /// Nodes that aliases may add to the tree in total (the "billion laughs" guard).
    public var maxAliasNodes: Int

    public init(maxInputBytes: Int = 128 << 20, maxDepth: Int = 256, maxAliasNodes: Int = 1_000_000) {
        self.maxInputBytes = maxInputBytes
        self.maxDepth = maxDepth
        self.maxAliasNodes = maxAliasNodes
    }

    public static let `default` = YAMLLimits()
}
