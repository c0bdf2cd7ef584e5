import ArgumentParser
import MklnkCore
import MklnkFileSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct LinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Make one link (or a directory of links for several targets or globs) through the same engine.",
        discussion: """
            Like mklink: LINK is the new name, TARGET what it points to. With several targets, a glob, \
            --from, or LINK ending in '/', LINK is a directory and one link is made per target inside it. \
            Without --root, links may be made anywhere.

            The kind is a symlink unless -H, -J or --kind says otherwise, as in plans. MKLNK made a hard \
            link for a file and a junction for a directory: that is --kind auto.

            As in MKLNK, --exclude, --size, --modified and --select apply to every target, wherever they \
            stand on the line; a selection that leaves nothing makes no links and exits 0.

            With LINK alone, prints what 'mklnk show' prints for it: exit 0 for a link, 1 otherwise. \
            With no arguments on a terminal (or with --dialog), asks for the target(s), the link name and \
            the kind, shows the plan line and applies it on 'y'.
            """)

    @OptionGroup var common: CommonOptions

    @Flag(name: .customShort("H"), help: "Make a hard link (mklink /H).")
    var hard = false

    @Flag(name: .customShort("J"), help: "Make a junction: an absolute symlink to a directory (mklink /J).")
    var junction = false

    @Option(help: "symlink (the default, as in plans), hardlink, junction, or auto: a hard link for a file and a junction for a directory (MKLNK's behaviour).")
    var kind: LinkKind?

    @Flag(help: "Store a symlink's target relative to the link's directory.")
    var relative = false

    @Flag(help: "Move a file or directory in the way aside to NAME.mklnk-backup-<timestamp> instead of failing.")
    var backup = false

    @Flag(help: "Adopt a regular file in the way: move it to the (missing) target, then link to it (same filesystem only).")
    var adopt = false

    @OptionGroup(title: "Selection (MKLNK's ranges, exclusions and /A:)") var selection: SelectionOptions

    @Option(help: ArgumentHelp("Read more targets from FILE ('-' for stdin), one per line; LINK is the directory for them.",
                               valueName: "file"))
    var from: String?

    @Flag(name: .customLong("null"), help: "The --from list is NUL-separated (find -print0).")
    var nullSeparated = false

    @Flag(help: "Ask for the target(s), link name and kind, with what the line gives as the defaults (MKLNK /=).")
    var dialog = false

    @OptionGroup var report: ReportOptions

    @Argument(help: ArgumentHelp("The link to make (alone: show what it is).", valueName: "link"))
    var link: String?

    @Argument(help: ArgumentHelp("What it points to: one or more paths or globs.", valueName: "target"))
    var targets: [String] = []

    var effectiveKind: LinkKind { hard ? .hardlink : junction ? .junction : kind ?? .symlink }

    /// Whether anything on the line is about making a link (so LINK alone is not a question).
    private var makesLinks: Bool {
        hard || junction || kind != nil || relative || backup || adopt || !selection.isEmpty || !report.isEmpty
    }

    func validate() throws {
        if [hard, junction, kind != nil].filter({ $0 }).count > 1 { throw ValidationError("-H, -J and --kind exclude each other") }
        if relative && effectiveKind != .symlink { throw ValidationError("--relative applies to symlinks only") }
        if backup && adopt { throw ValidationError("--backup and --adopt exclude each other") }
        if report.counters == "" { throw ValidationError("--counters needs a file or '-'; '' names none") }
        if nullSeparated && from == nil { throw ValidationError("--null describes the --from list; give --from FILE") }
        if dialog || (link == nil && from == nil) {
            if from != nil { throw ValidationError("the dialog asks for the targets; --from cannot be used with it") }
            if isatty(0) != 1 { throw ValidationError("give LINK and TARGET (the command dialog needs a terminal)") }
            return
        }
        if link == nil { throw ValidationError("--from needs LINK: the directory to make the listed links in") }
        if targets.isEmpty && from == nil && makesLinks { throw ValidationError("give a TARGET after LINK") }
    }

    func run() throws {
        Session(common: common, json: report.json).run(body)
    }

    private func body(_ session: Session) throws {
        try session.openCounters(report.counters)
        if dialog || (link == nil && from == nil) {
            return try LinkDialog(command: self, session: session).run()
        }
        guard let link else { return }
        if targets.isEmpty && from == nil {
            let isLink = ShowCommand.show(RawArguments.path(link), cwd: common.workingDirectory, session.console)
            if isLink != true { throw Exit.cannotApply }
            return
        }
        let cwd = common.workingDirectory
        var diagnostics = Diagnostics()
        // A target means the file the kernel names (`sub/../x` with sub a symlink: beside where
        // sub leads); a missing directory before its `..` is stepped over as written (D5).
        var located = targets.enumerated().map { i, target in
            let written = RawArguments.path(target)
            return Located((try? KernelPath.absolute(written, base: cwd)) ?? Paths.absolute(written, base: cwd),
                    at: SourceLocation(file: AdHocRun.source, line: 1, column: i + 2))
        }
        if let from {
            let list = IncludeList(from, null: nullSeparated)
            do {
                let (listed, listDiagnostics) = try list.read(from: from, cwd: cwd)
                located += listed
                diagnostics.append(contentsOf: listDiagnostics)
            } catch {
                try AdHocRun(session: session).refuse("cannot read the list \(list.name): \(error.reason)")
            }
        }
        let plan = linkPlan(link: RawArguments.path(link), targets: located, directory: from != nil, kind: effectiveKind,
                            filter: try selection.filter(), &diagnostics, session)
        try session.beginMutation()
        let run = AdHocRun(session: session)
        let (actions, fileSystem) = try run.plan(plan, diagnostics)
        try run.apply(actions, fileSystem)
    }

    /// The one-entry plan the line describes. A selection applies to a single target too (MKLNK
    /// selects among the files it is given); a single missing target is left to the engine to report.
    func linkPlan(link written: Path, targets: [Located<Path>], directory: Bool, kind: LinkKind, filter: TargetFilter,
                  _ diagnostics: inout Diagnostics, _ session: Session) -> Plan {
        let cwd = common.workingDirectory
        let root = common.rootPath(session.facts) ?? "/"
        let place = SourceLocation(file: AdHocRun.source, line: 1, column: 1)
        var options = EntryOptions()
        options.kind = kind
        options.relative = relative
        options.conflict = backup ? .backup : adopt ? .adopt : .fail
        options.exclude = filter.exclude
        options.select = filter.select
        let linkPath = Paths.absolute(written, base: cwd)
        if !Paths.isWithin(linkPath, root) || linkPath == root {
            diagnostics.error("\(written) is outside the root \(root)", at: nil)
        }
        let isDirectory = directory || written.last == UInt8(ascii: "/") || targets.count > 1
            || targets.contains { PathPattern.isPattern($0.value) }
        var entries = [PlanEntry(link: AdHocRun.spelled(written, cwd: cwd), isDirectory: isDirectory, targets: targets,
                                 options: options, location: place)]
        if !isDirectory, !filter.isEmpty, let target = targets.first?.value {
            let fs = LocalFileSystem(root: "/")
            if (try? fs.status(target, follow: true)) ?? nil != nil,
               (try? filter.keeps(target, base: cwd, fileSystem: fs)) == false {
                entries = []
            }
        }
        return Plan(file: AdHocRun.source, version: 1, root: root, base: cwd, home: session.facts.homePath,
                    variables: [:], entries: entries, removals: [])
    }
}

extension LinkKind: ExpressibleByArgument {}
