import ArgumentParser
import MklnkCore
import MklnkFileSystem

struct UnlinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlink",
        abstract: "Delete links (MKLNK /D): never a non-link, never the last link to a file.",
        discussion: """
            A glob (quoted, so that mklnk expands it) names the links among its matches and leaves \
            everything else it matches alone. --exclude, --size, --modified and --select choose among \
            the links as for 'link' (sizes and times are those of what a link leads to).
            """)

    @OptionGroup var common: CommonOptions

    @OptionGroup(title: "Selection (MKLNK's ranges, exclusions and /A:)") var selection: SelectionOptions

    @OptionGroup var report: ReportOptions

    @Argument(help: ArgumentHelp("Links, or globs, to delete.", valueName: "link"))
    var links: [String]

    func validate() throws {
        if report.counters == "" { throw ValidationError("--counters needs a file or '-'; '' names none") }
    }

    func run() throws {
        Session(common: common, json: report.json).run(body)
    }

    private func body(_ session: Session) throws {
        try session.openCounters(report.counters)
        let cwd = common.workingDirectory
        let root = common.rootPath(session.facts) ?? "/"
        let filter = try selection.filter()
        let fs = LocalFileSystem(root: "/")
        var diagnostics = Diagnostics()
        var removals: [Removal] = []
        var chosen: Set<Path> = []
        func choose(_ path: Path, _ written: String, _ place: SourceLocation) {
            if !Paths.isWithin(path, root) || path == root {
                diagnostics.error("\(written) is outside the root \(root)", at: nil)
                return
            }
            do {
                guard try filter.keeps(path, base: cwd, fileSystem: fs), chosen.insert(path).inserted else { return }
                removals.append(Removal(path: path, location: place))
            } catch {
                diagnostics.error("cannot read \(written): \(error.reason)", at: nil, failure: .cannotApply)
            }
        }
        for (i, argument) in links.enumerated() {
            let place = SourceLocation(file: AdHocRun.source, line: 1, column: i + 1)
            // As given, escaped in messages (a name that is not UTF-8 shows its bytes).
            let link = RawArguments.path(argument)
            // `sub/../L` is the L the kernel names (beside where the symlink sub leads); a glob
            // before its `..` is the expander's to reject.
            let path: Path
            do {
                path = try KernelPath.absolute(link, base: cwd, within: root)
            } catch where KernelPath.head(link).map(PathPattern.isPattern) == true {
                path = Paths.absolute(link, base: cwd)
            } catch {
                diagnostics.error("\(link): no such link (\(error.reason))", at: nil, failure: .cannotApply)
                continue
            }
            if PathPattern.isPattern(path) {
                do {
                    for match in try PathPattern.expand(path, fileSystem: fs) where Self.isLink(match, fs) {
                        choose(match, match.description, place)
                    }
                } catch {
                    diagnostics.error("cannot expand \(link): \(error.reason)", at: nil, failure: .cannotApply)
                }
                continue
            }
            // Like rm and MKLNK /D: naming nothing is an error (a plan's remove: is idempotent instead).
            if (try? fs.status(path, follow: false)) ?? nil == nil {
                diagnostics.error("\(link): no such link", at: nil, failure: .cannotApply)
                continue
            }
            choose(path, link.description, place)
        }
        let plan = Plan(file: AdHocRun.source, version: 1, root: root, base: cwd, home: session.facts.homePath,
                        variables: [:], entries: [], removals: removals)
        try session.beginMutation()
        let run = AdHocRun(session: session)
        let (actions, fileSystem) = try run.plan(plan, diagnostics)
        try run.apply(actions, fileSystem)
    }

    /// A symlink, or a file with another name: what a glob given to unlink may remove.
    private static func isLink(_ path: Path, _ fs: LocalFileSystem) -> Bool {
        guard let status = (try? fs.status(path, follow: false)) ?? nil else { return false }
        return status.kind == .symlink || (status.kind == .regular && status.linkCount > 1)
    }
}
