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
        try parseDocument(YAMLByteArray(bytes), limits: limits, watch: watch)
    }

    /// As `parseDocument(_:limits:watch:)` with bytes, read from `input` a window at a time.
    public static func parseDocument(_ input: YAMLBytes, limits: YAMLLimits = .default, watch: YAMLWatch? = nil)
        throws(YAMLError) -> (root: YAMLNode?, problems: [YAMLError]) {
        if let size = input.size, size > limits.maxInputBytes {
            throw YAMLError("the file is \(size) bytes, more than the limit of \(limits.maxInputBytes)",
                            at: Mark(line: 1, column: 1))
        }
        var builder = TreeBuilder(limits: limits)
        builder.watch = watch
        let feed = Feed(input, limit: limits.maxInputBytes)
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw YAMLError("out of memory", at: Mark(line: 1, column: 1)) }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input(&parser, { data, buffer, size, read in
            Unmanaged<Feed>.fromOpaque(data!).takeUnretainedValue().fill(buffer!, size, read!)
        }, Unmanaged.passUnretained(feed).toOpaque())
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                if let problem = feed.problem { throw YAMLError(problem, at: Mark(line: 1, column: 1)) }
                throw syntaxError(parser, input)
            }
            defer { yaml_event_delete(&event) }
            if try builder.consume(event) { return (builder.root, builder.duplicates.sorted { $0.mark < $1.mark }) }
        }
    }

    /// The error libyaml stopped at. Placing it may read the input again (an encoding error has
    /// only a byte offset; the end of the file bounds every mark).
    static func syntaxError(_ parser: yaml_parser_t, _ input: YAMLBytes) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
        var mark = Mark(line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1)
        if parser.error == YAML_READER_ERROR {
            // Encoding errors carry a byte offset, not a mark.
            mark = YAMLPlaces.position(of: Int(parser.problem_offset), in: input)
        }
        // At the end of a file without a last line break, libyaml counts one line more than
        // there is: the error goes at the end of the last line, where an editor can go.
        let end = YAMLPlaces.endMark(of: input)
        mark = min(mark, end)
        if let context = parser.context {
            let at = min(Mark(line: Int(parser.context_mark.line) + 1, column: Int(parser.context_mark.column) + 1), end)
            return YAMLError(problem, at: mark, note: (String(cString: context), at))
        }
        return YAMLError(problem, at: mark)
    }
}
