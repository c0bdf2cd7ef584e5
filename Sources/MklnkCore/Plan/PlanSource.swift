import MklnkFileSystem

/// A plan's bytes as the loader gets them: from the file (a regular file, within the size limit)
/// or from standard input, with the name diagnostics give it.
public struct PlanSource {
    /// The plan file as given, or `<stdin>`.
    public var name: String
    /// Nil when the plan could not be read (`diagnostics` says why).
    public var bytes: [UInt8]?
    public var diagnostics = Diagnostics()

    /// Reads the plan `file` names (`-`: standard input).
    public static func read(file: String, options: LoadOptions, fileSystem: FileSystem) -> PlanSource {
        if file == StandardInput.argument { return readStandardInput(options: options) }
        var source = PlanSource(name: file)
        let path = Paths.absolute(PlanFileName.path(file), base: options.workingDirectory)
        do {
            guard let status = try fileSystem.status(path, follow: true) else {
                source.diagnostics.error("\(file): no such plan file", at: nil)
                return source
            }
            guard status.kind == .regular else {
                source.diagnostics.error("\(file): a plan must be a regular file, not a \(status.kind == .directory ? "directory" : "special file")", at: nil)
                return source
            }
            guard status.size <= Int64(options.limits.maxInputBytes) else {
                source.diagnostics.error("\(file): the file is \(status.size) bytes, more than the limit of \(options.limits.maxInputBytes)", at: nil)
                return source
            }
            guard let bytes = try fileSystem.readFile(path) else {
                source.diagnostics.error("\(file): no such plan file", at: nil)
                return source
            }
            source.bytes = bytes
        } catch {
            source.diagnostics.error("\(file): cannot read: \(error.reason)", at: nil)
        }
        return source
    }

    /// The plan on standard input, named `<stdin>`, its base the current directory.
    static func readStandardInput(options: LoadOptions) -> PlanSource {
        var source = PlanSource(name: StandardInput.name)
        do {
            guard let bytes = try StandardInput.readAll(limit: options.limits.maxInputBytes) else {
                source.diagnostics.error("\(StandardInput.name): more than the limit of \(options.limits.maxInputBytes) bytes", at: nil)
                return source
            }
            source.bytes = bytes
        } catch {
            source.diagnostics.error("\(StandardInput.name): cannot read: \(error.reason)", at: nil)
        }
        return source
    }
}
