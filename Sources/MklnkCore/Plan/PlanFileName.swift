import MklnkFileSystem

/// Plan files are named by `String` (diagnostics print the name), but a file name is bytes and
/// need not be UTF-8 (audit F10). The command line registers such a name under its escaped
/// text (`caf\xe9.yaml`, as messages print it); everything that opens the file or keys its
/// state by it asks here for the bytes. A name never registered is its own UTF-8 bytes.
public enum PlanFileName {
    nonisolated(unsafe) private static var registered: [String: Path] = [:]

    /// The name to use for the file `path`: its own text when it is UTF-8, else its escaped
    /// text, registered so that `path(_:)` gives the bytes back.
    public static func name(for path: Path) -> String {
        if let text = path.string { return text }
        let name = path.description
        registered[name] = path
        return name
    }

    /// The bytes of the plan file called `name`.
    public static func path(_ name: String) -> Path { registered[name] ?? Path(name) }
}
