import ArgumentParser
import MklnkCore
import MklnkFileSystem

struct DestroyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destroy",
        abstract: "Remove every link this plan made that is still as mklnk left it, and the directories it made that are now empty.",
        discussion: """
            What changed since mklnk made it is kept and reported; backups mklnk took (your old files) \
            are listed and never deleted. One transaction, crash safe. Preview: 'mklnk plan --destroy PLAN'. \
            Exit 0 done, 1 a failure (rolled back), 65 invalid plan, 75 locked.
            """)

    @OptionGroup var common: CommonOptions

    @Argument(help: ArgumentHelp("The plan whose links to remove.", valueName: "plan"), transform: PlanArgument.kernel)
    var plan: String

    @Option(help: ArgumentHelp("Append the counters as NAME=VALUE lines to FILE ('-' for stdout).", valueName: "file"))
    var counters: String?

    @Flag(help: "Print one JSON document.")
    var json = false

    /// A plan on standard input has no file to be known by: it never prunes, and the state all
    /// stdin plans applied from one directory share is not this plan's alone to destroy.
    static let standardInputRefusal = "destroy needs a plan file: a plan on standard input has no file to be known by, "
        + "so the links it made cannot be told apart from those of other plans read from standard input"

    func validate() throws {
        if plan == StandardInput.argument { throw ValidationError(Self.standardInputRefusal) }
    }

    func run() throws {
        Session(common: common, json: json).run { session in
            try session.openCounters(counters)
            session.report.applied = false
            let (key, root) = try Self.load(plan, session)
            try session.beginMutation()
            try session.lockRoot(root)
            let fileSystem = makeFileSystem(root)
            let destroy = try Self.destroyPlan(key: key, root: root, fileSystem: fileSystem, session)
            Self.warnKept(destroy, session)
            session.report.backups = destroy.backups
            try session.execute(destroy.actions, fileSystem: fileSystem, plan: key, previous: AppliedState(),
                                keepUnlisted: false, keepGoing: false, recordsState: true, finalState: destroy.remaining,
                                trailer: Self.backupLines(destroy.backups, session.console))
        }
    }

    /// `plan --destroy`: the same actions, changing nothing.
    static func preview(_ file: String, _ session: Session, detailedExitcode: Bool) throws {
        let (key, root) = try load(file, session)
        let destroy = try destroyPlan(key: key, root: root, fileSystem: makeFileSystem(root), session)
        warnKept(destroy, session)
        session.report.actions = destroy.actions
        session.report.counters = Counters(planned: destroy.actions, errors: 0)
        session.report.backups = destroy.backups
        if !session.json {
            DiffRenderer(console: session.console).render(destroy.actions, title: "Destroy")
            if !session.console.quiet { for line in backupLines(destroy.backups, session.console) { session.console.out.line(line) } }
        }
        if detailedExitcode && Summary(destroy.actions).pendingChanges { throw Exit.changesPending }
    }

    /// The key of the plan's state and its root; exit 65 when the plan does not load. A plan
    /// file that is gone (the user is leaving) still names its state: with the root it was
    /// applied to (`--root`, else $HOME), what that state recorded is destroyed.
    private static func load(_ file: String, _ session: Session) throws -> (key: Path, root: Path) {
        let key = Paths.absolute(PlanFileName.path(file), base: session.common.workingDirectory)
        session.report.plan = key
        let local = LocalFileSystem(root: "/")
        if file != "-", (try? local.status(key, follow: true)) ?? nil == nil {
            let root = session.common.rootPath(session.facts) ?? session.facts.homePath
            let state = StateStore(fileSystem: local, directory: session.stateDirectory).path(plan: key, root: root)
            if (try? local.status(state, follow: false)) ?? nil != nil {
                session.warning("\(file) no longer exists; destroying what its state records for the root \(root)")
                session.report.root = root
                return (key, root)
            }
        }
        let (plan, diagnostics) = PlanLoader.load(file: file, options: session.loadOptions, fileSystem: local)
        session.print(diagnostics)
        guard let plan, diagnostics.failure != .invalidPlan else {
            session.report.counters = Counters(planned: [], errors: diagnostics.errors.count)
            throw Exit.invalidPlan
        }
        let planKey = PlanPipeline.planKey(plan, session.loadOptions)
        session.report.plan = planKey
        session.report.root = plan.root
        return (planKey, plan.root)
    }

    private static func destroyPlan(key: Path, root: Path, fileSystem: FileSystem, _ session: Session) throws -> DestroyPlan {
        let state: AppliedState
        do throws(FileSystemError) {
            state = try StateStore(fileSystem: fileSystem, directory: session.stateDirectory).load(plan: key, root: root)
        } catch {
            session.error("cannot read the state in \(session.stateDirectory): \(StateStore.reason(error)); nothing was changed")
            throw Exit.cannotApply
        }
        return DestroyPlanner.plan(state, fileSystem: fileSystem)
    }

    /// What is kept, on stderr (and in --json's diagnostics): it is not an error.
    private static func warnKept(_ destroy: DestroyPlan, _ session: Session) {
        for a in destroy.actions where a.op == .skip {
            session.warning("\(session.console.show(a.path)): \(a.reason ?? "kept"); left as it is")
        }
    }

    static func backupLines(_ backups: [RecordedBackup], _ console: Console) -> [String] {
        if backups.isEmpty { return [] }
        return ["Backups kept (your old files; mklnk never deletes them):"]
            + backups.map { "  \(console.show($0.backup))   (was \(console.show($0.path)))" }
    }
}
