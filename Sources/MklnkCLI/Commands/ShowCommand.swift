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
        let facts = common.facts
        let console = common.console(facts)
        let fs = LocalFileSystem(root: "/")
        var failed = false
        for argument in paths {
            // As given, escaped for the terminal (a name that is not UTF-8 shows its bytes).
            let given = RawArguments.path(argument)
            let path = given.description
            let absolute = Paths.absolute(given, base: common.workingDirectory)
            do {
                guard let status = try fs.status(absolute, follow: false) else {
                    console.err.line("mklnk: error: \(TerminalText.escape(path)): no such file or directory")
                    failed = true
                    continue
                }
                console.out.line("\(TerminalText.escape(path)): \(TerminalText.escape(try describe(absolute, status, fs)))")
            } catch {
                console.err.line("mklnk: error: \(TerminalText.escape(path)): \(error.reason)")
                failed = true
            }
        }
        console.flush()
        if failed { throw Exit.cannotApply }
    }

    private func describe(_ path: Path, _ status: FileStatus, _ fs: LocalFileSystem) throws(FileSystemError) -> String {
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
