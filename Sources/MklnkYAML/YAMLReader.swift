internal import CLibYAML

/// Reads one YAML document into a `YAMLNode` tree through libyaml's event API.
///
/// libyaml checks the syntax; this reader adds what it leaves out: duplicate keys,
/// undefined aliases, merge keys (`<<`), and the bounds of `YAMLLimits`. The tree is built
/// without recursion, so nesting depth is limited only by `maxDepth`.
public enum YAMLReader {
    /// Parses `bytes`. Returns nil for a stream with no document at all. Throws the first
    /// problem, duplicate keys included.
    public static func parse(_ bytes: [UInt8], limits: YAMLLimits = .default) throws(YAMLError) -> YAMLNode? {
        let (root, problems) = try parseDocument(bytes, limits: limits)
        if let first = problems.first { throw first }
        return root
    }

    /// Parses `bytes`; problems that leave the tree usable (duplicate keys: the first wins) are
    /// returned beside it, so a caller can report them with every other error of the file.
    /// Throws for problems that stop parsing (syntax, bounds, undefined aliases). `watch` is
    /// handed the pairs of one top-level mapping as they are read.
    public static func parseDocument(_ bytes: [UInt8], limits: YAMLLimits = .default, watch: YAMLWatch? = nil)
        throws(YAMLError) -> (root: YAMLNode?, problems: [YAMLError]) {
        if bytes.count > limits.maxInputBytes {
            throw YAMLError(
                "the file is \(bytes.count) bytes, more than the limit of \(limits.maxInputBytes)",
                at: Mark(line: 1, column: 1))
        }
        if bytes.isEmpty { return (nil, []) }
        var builder = TreeBuilder(limits: limits)
        builder.watch = watch
        // libyaml reads from the buffer for the whole life of the parser, so both live in here.
        let result: Result<(root: YAMLNode?, problems: [YAMLError]), YAMLError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                return .failure(YAMLError("out of memory", at: Mark(line: 1, column: 1)))
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress!, buffer.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    return .failure(syntaxError(parser, buffer))
                }
                defer { yaml_event_delete(&event) }
                do throws(YAMLError) {
                    if try builder.consume(event) {
                        return .success((builder.root, builder.duplicates.sorted { $0.mark < $1.mark }))
                    }
                } catch {
                    return .failure(error)
                }
            }
        }
        return try result.get()
    }

    static func syntaxError(_ parser: yaml_parser_t, _ input: UnsafeBufferPointer<UInt8>) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
        var mark = Mark(line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1)
        if parser.error == YAML_READER_ERROR {
            // Encoding errors carry a byte offset, not a mark.
            mark = position(of: min(Int(parser.problem_offset), input.count), in: input)
        }
        // At the end of a file without a last line break, libyaml counts one line more than
        // there is: the error goes at the end of the last line, where an editor can go.
        let end = endMark(of: input)
        mark = min(mark, end)
        if let context = parser.context {
            let at = min(Mark(line: Int(parser.context_mark.line) + 1, column: Int(parser.context_mark.column) + 1), end)
            return YAMLError(problem, at: mark, note: (String(cString: context), at))
        }
        return YAMLError(problem, at: mark)
    }
}

/// The 1-based line and column (in characters) of byte `offset`.
private func position(of offset: Int, in input: UnsafeBufferPointer<UInt8>) -> Mark {
    var line = 1, column = 1
    for byte in input[0..<offset] {
        if byte == 10 {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }
    return Mark(line: line, column: column)
}

/// The mark just after the last byte, with lines broken where libyaml breaks them (LF, CR LF, CR).
private func endMark(of input: UnsafeBufferPointer<UInt8>) -> Mark {
    var line = 1, column = 1
    for (i, byte) in input.enumerated() {
        if byte == 10 || (byte == 13 && (i + 1 == input.count || input[i + 1] != 10)) {
            line += 1
            column = 1
        } else if byte != 13 && byte & 0xC0 != 0x80 {
            column += 1
        }
    }
    return Mark(line: line, column: column)
}

/// Turns the event stream into a tree with an explicit stack.
private struct TreeBuilder {
    struct Anchored {
        var node: YAMLNode
        var size: Int
        var height: Int
    }

    struct Frame {
        var isMapping: Bool
        var mark: Mark
        var tag: String?
        var anchor: String?
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        var pendingKey: YAMLNode?
        var merges: [YAMLNode] = []
        var size = 1
        /// Levels of nesting in this collection, itself included.
        var height = 1
        /// Pairs are handed to `watch` as they are read.
        var watched = false
    }

    let limits: YAMLLimits
    /// The collection being read, kept out of `stack` so that adding to it copies nothing.
    var open: Frame?
    /// The collections around `open`, outermost first.
    var stack: [Frame] = []
    var depth: Int { stack.count + (open == nil ? 0 : 1) }
    var anchors: [String: Anchored] = [:]
    var aliasNodes = 0
    var root: YAMLNode?
    var documents = 0
    /// Duplicate keys: reported, and the later pair dropped.
    var duplicates: [YAMLError] = []
    var watch: YAMLWatch?

    init(limits: YAMLLimits) { self.limits = limits }

    /// Handles one event; returns true at the end of the stream.
    mutating func consume(_ event: yaml_event_t) throws(YAMLError) -> Bool {
        let mark = Mark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        let end = Mark(line: Int(event.end_mark.line) + 1, column: Int(event.end_mark.column) + 1)
        switch event.type {
        case YAML_STREAM_END_EVENT:
            return true
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 { throw YAMLError("a plan is one YAML document; another begins here", at: mark) }
            anchors = [:]
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let text = string(s.value, s.length)
            let style: ScalarStyle
            switch s.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            var node = YAMLNode(.scalar(text, style), mark: mark, tag: s.tag.map { string($0) })
            node.end = end
            try add(node, size: 1, height: 0, anchor: s.anchor.map { string($0) })
        case YAML_ALIAS_EVENT:
            let name = string(event.data.alias.anchor)
            guard var target = anchors[name] else {
                throw YAMLError("undefined alias '*\(name)'", at: mark)
            }
            aliasNodes += target.size
            if aliasNodes > limits.maxAliasNodes {
                throw YAMLError(
                    "aliases expand to more than \(limits.maxAliasNodes) nodes; refusing to expand further",
                    at: mark)
            }
            if depth + target.height > limits.maxDepth {
                throw YAMLError("nesting is deeper than \(limits.maxDepth) levels (through alias '*\(name)')", at: mark)
            }
            target.node.mark = mark
            target.node.end = end
            try add(target.node, size: target.size, height: target.height, anchor: nil)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            if depth >= limits.maxDepth {
                throw YAMLError("nesting is deeper than \(limits.maxDepth) levels", at: mark)
            }
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            let tag = isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag
            var watched = false
            if isMapping, let watch, stack.isEmpty, let top = open, top.isMapping, let key = top.pendingKey?.scalar {
                watched = watch.begins(key, top.pairs)
            }
            if let outer = open.take() { stack.append(outer) }
            open = Frame(isMapping: isMapping, mark: mark, tag: tag.map { string($0) }, anchor: anchor.map { string($0) })
            open!.watched = watched
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard var frame = open.take() else { break }
            open = stack.popLast()
            var node: YAMLNode
            if frame.isMapping {
                try closeMapping(&frame)
                node = YAMLNode(.mapping(frame.pairs), mark: frame.mark, tag: frame.tag)
            } else {
                node = YAMLNode(.sequence(frame.items), mark: frame.mark, tag: frame.tag)
            }
            node.end = end
            try add(node, size: frame.size, height: frame.height, anchor: frame.anchor)
        default:
            break
        }
        return false
    }

    private mutating func add(_ node: YAMLNode, size: Int, height: Int, anchor: String?) throws(YAMLError) {
        if let anchor { anchors[anchor] = Anchored(node: node, size: size, height: height) }
        guard open != nil else {
            root = node
            return
        }
        open!.size += size
        open!.height = max(open!.height, height + 1)
        if !open!.isMapping {
            open!.items.append(node)
            return
        }
        guard let key = open!.pendingKey.take() else {
            open!.pendingKey = node
            return
        }
        if case .scalar("<<", .plain) = key.content, key.tag == nil {
            open!.merges.append(node)
            return
        }
        let pair = YAMLPair(key: key, value: node)
        open!.pairs.append(pair)
        if open!.watched { watch?.pair(pair) }
    }

    /// Drops pairs whose key came earlier (the first wins, each later one is reported), then
    /// applies merge keys. Done once per mapping, with a table sized for it.
    private mutating func closeMapping(_ frame: inout Frame) throws(YAMLError) {
        var seen = KeyIndex(capacity: frame.pairs.count)
        var dropped: [Int] = []
        for i in frame.pairs.indices {
            guard case .scalar(let text, _) = frame.pairs[i].key.content else { continue }
            if let first = seen.insert(text, i) {
                duplicates.append(YAMLError("duplicate key '\(text)'", at: frame.pairs[i].key.mark,
                                            note: ("first defined here", frame.pairs[first].key.mark)))
                dropped.append(i)
            }
        }
        if !dropped.isEmpty {
            let drop = Set(dropped)
            frame.pairs = frame.pairs.indices.filter { !drop.contains($0) }.map { frame.pairs[$0] }
        }
        if !frame.merges.isEmpty { try applyMerges(&frame, seen: &seen) }
    }

    /// YAML merge keys: pairs of the merged mappings that the mapping does not set itself.
    private func applyMerges(_ frame: inout Frame, seen: inout KeyIndex) throws(YAMLError) {
        for merge in frame.merges {
            var sources: [YAMLNode] = []
            switch merge.content {
            case .mapping: sources = [merge]
            case .sequence(let items): sources = items
            case .scalar: throw YAMLError("a merge key '<<' takes a mapping or a list of mappings", at: merge.mark)
            }
            for source in sources {
                guard case .mapping(let pairs) = source.content else {
                    throw YAMLError("a merge key '<<' takes a mapping or a list of mappings", at: source.mark)
                }
                for pair in pairs {
                    guard let text = pair.key.scalar else { continue }
                    if seen.insert(text, frame.pairs.count) == nil { frame.pairs.append(pair) }
                }
            }
        }
    }

    private func string(_ p: UnsafeMutablePointer<UInt8>, _ length: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: p, count: length), as: UTF8.self)
    }

    private func string(_ p: UnsafeMutablePointer<UInt8>) -> String {
        String(cString: p)
    }
}
