/// A 1-based position in a YAML document.
public struct Mark: Sendable, Hashable, Comparable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: Mark, b: Mark) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// How a scalar was written. Only plain scalars may carry meaning beyond their text
/// (`true`, `false`); the schema decides, the reader never converts.
public enum ScalarStyle: Sendable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// One key/value pair of a mapping, in document order.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode
}

/// A node of the document tree. Scalars stay strings; every node knows where it starts.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(String, ScalarStyle)
        case mapping([YAMLPair])
        case sequence([YAMLNode])
    }

    public var content: Content
    public var mark: Mark
    /// Where the node ends (just past its last character).
    public var end: Mark
    /// The explicit tag, when the document wrote one (`!!str`, `!custom`).
    public var tag: String?

    public init(_ content: Content, mark: Mark, tag: String? = nil) {
        self.content = content
        self.mark = mark
        self.end = mark
        self.tag = tag
    }

    /// The text of a scalar, nil for collections.
    public var scalar: String? {
        if case .scalar(let s, _) = content { return s }
        return nil
    }

    /// True for a plain scalar that YAML would read as null (`~`, `null`, or nothing at all).
    public var isNullLike: Bool {
        guard case .scalar(let s, .plain) = content, tag == nil else { return false }
        return s.isEmpty || s == "~" || s == "null" || s == "Null" || s == "NULL"
    }

    /// A word for error messages: "a mapping", "a sequence", "a string".
    public var kindDescription: String {
        switch content {
        case .scalar: return isNullLike ? "null" : "a string"
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        }
    }
}
