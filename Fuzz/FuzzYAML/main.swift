import MklnkYAML

/// The YAML reader on arbitrary bytes: it returns a tree or a located error, never traps, and
/// every location it gives is 1-based.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    // Small bounds so that a deep or alias-heavy input is refused quickly, as a hostile plan is.
    let limits = YAMLLimits(maxInputBytes: 1 << 20, maxDepth: 64, maxAliasNodes: 10_000)
    do {
        let (_, problems) = try YAMLReader.parseDocument(bytes, limits: limits)
        for problem in problems { checkMark(problem.mark) }
    } catch {
        checkMark(error.mark)
    }
    return 0
}

private func checkMark(_ mark: Mark) {
    precondition(mark.line >= 1 && mark.column >= 1, "a YAML location is 1-based: \(mark)")
}
