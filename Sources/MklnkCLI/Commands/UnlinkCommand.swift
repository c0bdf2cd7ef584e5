import ArgumentParser
import MklnkCore
import MklnkFileSystem

struct UnlinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlink",
        abstract: "Delete links (MKLNK /D): never a non-link, never the last link to a file.")

    @OptionGroup var common: CommonOptions

    @Argument(help: ArgumentHelp("Links to delete.", valueName: "link"))
    var links: [String]

    func run() throws {
        Session(common: common).run(body)
    }

    private func body(_ session: Session) throws {
        let cwd = common.workingDirectory
        let root = common.rootPath(session.facts) ?? "/"
        var diagnostics = Diagnostics()
        var removals: [Removal] = []
        for (i, argument) in links.enumerated() {
            let link = RawArguments.path(argument)
            let path = Paths.absolute(link, base: cwd)
            if !Paths.isWithin(path, root) || path == root {
                diagnostics.error("\(link) is outside the root \(root)", at: nil)
                continue
            }
            // Like rm and MKLNK /D: naming nothing is an error (a plan's remove: is idempotent instead).
            if (try? LocalFileSystem(root: "/").status(path, follow: false)) ?? nil == nil {
                diagnostics.error("\(link): no such link", at: nil, failure: .cannotApply)
                continue
            }
            removals.append(Removal(path: path, location: SourceLocation(file: "<command line>", line: 1, column: i + 1)))
        }
        let plan = Plan(file: "<command line>", version: 1, root: root, base: cwd, home: Path(session.facts.home),
                        variables: [:], entries: [], removals: removals)
        try session.beginMutation()
        try runAdHoc(plan, diagnostics, session)
    }
}
