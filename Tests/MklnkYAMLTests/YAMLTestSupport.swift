import MklnkYAML

/// Parses `text` with the default (or given) limits; test failures show the thrown error.
func parse(_ text: String, limits: YAMLLimits = .default) throws(YAMLError) -> YAMLNode? {
    try YAMLReader.parse(Array(text.utf8), limits: limits)
}

/// The error `text` fails with, or nil when it parses.
func parseError(_ text: String, limits: YAMLLimits = .default) -> YAMLError? {
    parseError(Array(text.utf8), limits: limits)
}

func parseError(_ bytes: [UInt8], limits: YAMLLimits = .default) -> YAMLError? {
    do {
        _ = try YAMLReader.parse(bytes, limits: limits)
        return nil
    } catch {
        return error
    }
}

func at(_ line: Int, _ column: Int) -> Mark { Mark(line: line, column: column) }

extension YAMLNode {
    /// The value for a scalar key of a mapping.
    subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs) = content else { return nil }
        return pairs.first { $0.key.scalar == key }?.value
    }

    /// The item at `index` of a sequence.
    subscript(index: Int) -> YAMLNode? {
        guard case .sequence(let items) = content, items.indices.contains(index) else { return nil }
        return items[index]
    }

    var pairs: [YAMLPair] {
        if case .mapping(let pairs) = content { return pairs }
        return []
    }

    var items: [YAMLNode] {
        if case .sequence(let items) = content { return items }
        return []
    }

    var keys: [String] { pairs.compactMap(\.key.scalar) }

    var style: ScalarStyle? {
        if case .scalar(_, let style) = content { return style }
        return nil
    }
}
