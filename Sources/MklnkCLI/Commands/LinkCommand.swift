import ArgumentParser
import MklnkCore
import MklnkFileSystem

struct LinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Make one link (or a directory of links for several targets or globs) through the same engine.",
        discussion: """
            Like mklink: LINK is the new name, TARGET what it points to. With several targets or a glob, \
            or LINK ending in '/', LINK is a directory and one link is made per target inside it. \
            Without --root, links may be made anywhere.
            """)

    @OptionGroup var common: CommonOptions

    @Flag(name: .customShort("H"), help: "Make a hard link (mklink /H).")
    var hard = false

    @Flag(name: .customShort("J"), help: "Make a junction: an absolute symlink to a directory (mklink /J).")
    var junction = false

    @Option(help: "symlink, hardlink, junction or auto.")
    var kind: LinkKind?

    @Flag(help: "Store a symlink's target relative to the link's directory.")
    var relative = false

    @Flag(help: "Move a file or directory in the way aside to NAME.mklnk-backup-<timestamp> instead of failing.")
    var backup = false

    @Flag(help: "Adopt a regular file in the way: move it to the (missing) target, then link to it (same filesystem only).")
    var adopt = false

    @Argument(help: ArgumentHelp("The link to make.", valueName: "link"))
    var link: String

    @Argument(help: ArgumentHelp("What it points to: one or more paths or globs.", valueName: "target"))
    var targets: [String]

    func validate() throws {
        if targets.isEmpty { throw ValidationError("give a TARGET after LINK") }
        if [hard, junction, kind != nil].filter({ $0 }).count > 1 { throw ValidationError("-H, -J and --kind exclude each other") }
        let effective = hard ? LinkKind.hardlink : junction ? .junction : kind ?? .symlink
        if relative && effective != .symlink { throw ValidationError("--relative applies to symlinks only") }
        if backup && adopt { throw ValidationError("--backup and --adopt exclude each other") }
    }

    func run() throws {
        Session(common: common).run(body)
    }

    private func body(_ session: Session) throws {
        let cwd = common.workingDirectory
        let root = common.rootPath(session.facts) ?? "/"
        let place = SourceLocation(file: "<command line>", line: 1, column: 1)
        var options = EntryOptions()
        options.kind = hard ? .hardlink : junction ? .junction : kind ?? .symlink
        options.relative = relative
        options.conflict = backup ? .backup : adopt ? .adopt : .fail
        let written = RawArguments.path(link)
        let linkPath = Paths.absolute(written, base: cwd)
        var diagnostics = Diagnostics()
        if !Paths.isWithin(linkPath, root) || linkPath == root {
            diagnostics.error("\(written) is outside the root \(root)", at: nil)
        }
        let targetPaths = targets.map(RawArguments.path)
        let isDirectory = written.last == UInt8(ascii: "/") || targets.count > 1 || targetPaths.contains(where: isGlob)
        let entry = PlanEntry(link: linkPath, written: link, isDirectory: isDirectory,
                              targets: targetPaths.map { Located(Paths.absolute($0, base: cwd), at: place) },
                              options: options, location: place)
        let plan = Plan(file: "<command line>", version: 1, root: root, base: cwd, home: Path(session.facts.home),
                        variables: [:], entries: [entry], removals: [])
        try session.beginMutation()
        try runAdHoc(plan, diagnostics, session)
    }
}

/// `link` and `unlink`: a plan made from the command line, through the planner and the transaction.
func runAdHoc(_ plan: Plan, _ initial: Diagnostics, _ session: Session) throws {
    var diagnostics = initial
    try session.lockRoot(plan.root)
    let fileSystem = makeFileSystem(plan.root)
    let graph = GraphBuilder(fileSystem: fileSystem, inspectLinks: true).build(plan, &diagnostics)
    session.print(diagnostics)
    if let failure = diagnostics.failure { throw Exit.code(for: failure) }
    let actions = Planner(fileSystem: fileSystem, prune: false).plan(graph)
    if actions.contains(where: { $0.op == .conflict }) {
        session.print(.problems(in: actions))
        if !session.json {
            DiffRenderer(console: session.console).render(actions.filter { $0.op == .conflict }, summary: false)
        }
        session.error("nothing was changed")
        session.report.actions = actions
        throw Exit.cannotApply
    }
    try session.execute(actions, fileSystem: fileSystem, plan: "<command line>", previous: AppliedState(),
                        keepUnlisted: true, keepGoing: false, recordsState: false)
}

extension LinkKind: ExpressibleByArgument {}

private func isGlob(_ p: Path) -> Bool {
    p.contains(byte: UInt8(ascii: "*")) || p.contains(byte: UInt8(ascii: "?")) || p.contains(byte: UInt8(ascii: "["))
}
