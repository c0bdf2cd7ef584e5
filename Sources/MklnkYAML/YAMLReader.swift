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
