#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

/// A plan as the loader gets it: the open file (a regular file, within the size limit) or the
/// bytes of standard input, with the name diagnostics give it.
public struct PlanSource {
    /// The plan file as given, or `<stdin>`.
    public var name: String
    /// Nil when the plan could not be read (`diagnostics` says why).
    public var input: PlanInput?
    public var diagnostics = Diagnostics()
    /// The directory of the file itself when the path given is a symlink to it (Q1 of audit 2:
    /// `~/.config/mklnk/plan.yaml -> ~/dotfiles/plan.yaml` has its targets beside the file).
    public var directory: Path?

    /// `options` with the plan's own directory, the default `base`.
    public func options(_ options: LoadOptions) -> LoadOptions {
        var options = options
        if let directory { options.planDirectory = directory }
        return options
    }

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
            if fileSystem.underlying is LocalFileSystem {
                // Read as it is parsed, never whole (`PlanInput`).
                guard let input = try openFile(path, limit: options.limits.maxInputBytes) else {
                    source.diagnostics.error("\(file): no such plan file", at: nil)
                    return source
                }
                source.input = input
            } else {
                guard let bytes = try fileSystem.readFile(path) else {
                    source.diagnostics.error("\(file): no such plan file", at: nil)
                    return source
                }
                source.input = PlanInput(bytes)
            }
            source.directory = try ownDirectory(path, fileSystem: fileSystem)
        } catch {
            source.diagnostics.error("\(file): cannot read: \(error.reason)", at: nil)
        }
        return source
    }

    /// The plan file at `path`, open; nil when there is none. The checks made on its path are made
    /// again on what was opened: it may have been replaced in between.
    private static func openFile(_ path: Path, limit: Int) throws(FileSystemError) -> PlanInput? {
        // Not blocking on a FIFO put in its place: it is refused below.
        let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw FileSystemError(errno: errno, "open", path)
        }
        let input = PlanInput(descriptor: fd)
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileSystemError(errno: errno, "stat", path) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw FileSystemError(errno: EINVAL, "open (not a regular file)", path) }
        guard info.st_size <= Int64(limit) else { throw FileSystemError(errno: EFBIG, "open", path) }
        return input
    }

    /// The directory of the file itself when `path` is a symlink to it; nil otherwise.
    static func ownDirectory(_ path: Path, fileSystem: FileSystem) throws(FileSystemError) -> Path? {
        guard try fileSystem.status(path, follow: false)?.kind == .symlink else { return nil }
        return Paths.parent(PhysicalPaths(fileSystem: fileSystem).resolve(path, followLast: true).path)
    }

    /// The plan on standard input, named `<stdin>`, its base the current directory.
    static func readStandardInput(options: LoadOptions) -> PlanSource {
        var source = PlanSource(name: StandardInput.name)
        do {
            guard let bytes = try StandardInput.readAll(limit: options.limits.maxInputBytes) else {
                source.diagnostics.error("\(StandardInput.name): more than the limit of \(options.limits.maxInputBytes) bytes", at: nil)
                return source
            }
            source.input = PlanInput(bytes)
        } catch {
            source.diagnostics.error("\(StandardInput.name): cannot read: \(error.reason)", at: nil)
        }
        return source
    }
}
