internal import CLibYAML

/// Turns the event stream into a tree with an explicit stack.
struct TreeBuilder {
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
        /// Pairs are handed to `watch` as they are read, not kept (`YAMLWatch`).
        var watched = false
        /// For a watched mapping: the keys handed so far, each with where it stands (`Mark.packed`).
        var handed: KeyIndex?
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
            if isMapping, anchor == nil, let watch, stack.isEmpty, let top = open, top.isMapping,
               let key = top.pendingKey, key.scalar != nil {
                watched = watch.begins(key, top.pairs)
            }
            if let outer = open.take() { stack.append(outer) }
            open = Frame(isMapping: isMapping, mark: mark, tag: tag.map { string($0) }, anchor: anchor.map { string($0) })
            open!.watched = watched
            if watched { open!.handed = KeyIndex(capacity: 1024) }
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
        guard open!.watched else { return open!.pairs.append(pair) }
        // As `closeMapping` does for a kept mapping: the first of equal keys wins.
        if case .scalar(let text, _) = key.content {
            if let first = open!.handed!.insert(text, key.mark.packed) {
                duplicates.append(YAMLError("duplicate key '\(text)'", at: key.mark,
                                            note: ("first defined here", Mark(packed: first))))
                return
            }
        }
        watch?.pair(pair)
    }

    /// Drops pairs whose key came earlier (the first wins, each later one is reported), then
    /// applies merge keys. Done once per mapping, with a table sized for it.
    private mutating func closeMapping(_ frame: inout Frame) throws(YAMLError) {
        if frame.watched, var seen = frame.handed {
            // Merged pairs come after the mapping's own, as in a kept mapping.
            let own = frame.pairs.count
            if !frame.merges.isEmpty { try applyMerges(&frame, seen: &seen) }
            for pair in frame.pairs[own...] { watch?.pair(pair) }
            frame.pairs = []
            return
        }
        var seen = KeyIndex(capacity: frame.pairs.count)
        var dropped: [Int] = []
        for i in frame.pairs.indices {
            guard case .scalar(let text, _) = frame.pairs[i].key.content else { continue }
            if let first = seen.insert(text, UInt64(i)) {
                duplicates.append(YAMLError("duplicate key '\(text)'", at: frame.pairs[i].key.mark,
                                            note: ("first defined here", frame.pairs[Int(first)].key.mark)))
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
                    if seen.insert(text, UInt64(frame.pairs.count)) == nil { frame.pairs.append(pair) }
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

extension Mark {
    /// Line and column in one word, for a table that keeps a mark per key.
    var packed: UInt64 { UInt64(UInt32(clamping: line)) << 32 | UInt64(UInt32(clamping: column)) }

    init(packed: UInt64) { self.init(line: Int(packed >> 32), column: Int(packed & 0xFFFF_FFFF)) }
}
