import ArgumentParser
import MklnkCore
import MklnkFileSystem

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Tell what a path is: symlink -> TARGET, junction -> TARGET, hardlink (N links), not a link.")

    @OptionGroup var common: CommonOptions

    @Argument(help: ArgumentHelp("Paths to look at (never followed).", valueName: "path"))
    var paths: [String]

    func run() throws {
        let console = common.console(common.facts)
        var failed = false
        for path in paths where Self.show(RawArguments.path(path), cwd: common.workingDirectory, console) == nil {
            failed = true
        }
        try console.flushChecked(code: failed ? Exit.cannotApply : .success)
        if failed { throw Exit.cannotApply }
    }

    /// Prints what `path` is; whether it is a link (a symlink, a junction, a file with more than
    /// one name), nil when it cannot be looked at (an error is printed).
    static func show(_ path: Path, cwd: Path, _ console: Console) -> Bool? {
        let fs = LocalFileSystem(root: "/")
        // As given, escaped for the terminal (a name that is not UTF-8 shows its bytes).
        let shown = TerminalText.escape(path.description)
        do {
            // The file `ls -l` shows for it: `sub/../L` is beside where the symlink sub leads.
            let absolute = try KernelPath.absolute(path, base: cwd)
            guard let status = try fs.status(absolute, follow: false) else {
                console.err.line("mklnk: error: \(shown): no such file or directory")
                return nil
            }
            console.out.line("\(shown): \(TerminalText.escape(try describe(absolute, status, fs)))")
            return status.kind == .symlink || (status.kind == .regular && status.linkCount > 1)
        } catch {
            console.err.line("mklnk: error: \(shown): \(error.reason)")
            return nil
        }
    }

    private static func describe(_ path: Path, _ status: FileStatus, _ fs: LocalFileSystem) throws(FileSystemError) -> String {
        switch status.kind {
        case .symlink:
            let target = try fs.readLink(path)
            let isDirectory = (try? fs.status(path, follow: true))??.kind == .directory
            return (target.hasPrefix("/") && isDirectory ? "junction -> " : "symlink -> ") + target.description
        case .regular where status.linkCount > 1:
            return "hardlink (\(status.linkCount) links)"
        case .directory:
            return "not a link (a directory)"
        case .regular:
            return "not a link (a regular file)"
        default:
            return "not a link"
        }
    }
}
