import MklnkFileSystem
import MklnkYAML

/// One import: where the config is, what it is imported against, and what was said about it.
final class ImportContext {
    let file: String
    let source: SourceFile
    /// dotbot's base directory (absolute): the config's directory unless `--base-directory`.
    let base: String
    /// `$HOME`, to tell whether a path lies beneath the default root.
    let home: String
    var diagnostics = Diagnostics()
    /// Every warning, located, as comment lines for the top of the plan: nothing is dropped or
    /// changed silently, even when stderr is not read.
    var warnings: [String] = []

    init(file: String, base: String, home: String) {
        self.file = file
        self.source = SourceFile(file)
        self.base = base
        self.home = home
    }

    func location(_ mark: Mark) -> SourceLocation { SourceLocation(source, line: mark.line, column: mark.column) }

    func place(_ node: YAMLNode) -> String { "\(file):\(node.mark.line):\(node.mark.column)" }

    func error(_ message: String, at mark: Mark) { diagnostics.error(message, at: location(mark)) }

    func error(_ message: String, _ node: YAMLNode) { error(message, at: node.mark) }

    func warning(_ message: String, _ node: YAMLNode) {
        diagnostics.warning(message, at: location(node.mark))
        warnings.append("\(place(node)): \(message)")
    }

    /// Something with no equivalent: a warning where it was written (and so a comment in the plan).
    func unmappable(_ message: String, _ node: YAMLNode) { warning(message, node) }
}
