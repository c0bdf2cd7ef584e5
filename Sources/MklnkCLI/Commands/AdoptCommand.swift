import ArgumentParser
import MklnkCore
import MklnkFileSystem

struct AdoptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adopt",
        abstract: "Move files that no plan manages yet into a dotfiles directory and link them in their place.",
        discussion: """
            Each PATH (a regular file beneath the root, $HOME unless --root) moves to the same place \
            beneath DIR (~/.config/git/config to DIR/.config/git/config), by a rename on one filesystem, \
            and a link to it takes its place; bytes, mode and inode are kept. All or nothing, crash safe. \
            A file already at the destination, or a destination on another filesystem, refuses the lot. \
            To keep managing them, list them in a plan with 'base: DIR'.
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("The directory the files move into (a plan's base).", valueName: "dir"))
    var into: String

    @Flag(name: .customShort("H"), help: "Link with a hard link instead of a symlink.")
    var hard = false

    @Flag(help: "Store each symlink's target relative to the link's directory.")
    var relative = false

    @Argument(help: ArgumentHelp("The files to adopt.", valueName: "path"))
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one PATH to adopt") }
        if hard && relative { throw ValidationError("--relative applies to symlinks only") }
    }

    func run() throws {
        Session(common: common).run(body)
    }

    private func body(_ session: Session) throws {
        let cwd = common.workingDirectory
        let root = common.rootPath(session.facts) ?? session.facts.homePath
        let into: Path
        do {
            into = try KernelPath.absolute(RawArguments.path(self.into), base: cwd)
        } catch {
            try AdHocRun(session: session).refuse("--into \(self.into): \(error.reason)")
        }
        var options = EntryOptions()
        options.kind = hard ? .hardlink : .symlink
        options.relative = relative
        options.conflict = .adopt
        var diagnostics = Diagnostics()
        var entries: [PlanEntry] = []
        for (i, written) in paths.enumerated() {
            let place = SourceLocation(file: "<command line>", line: 1, column: i + 1)
            // The file the kernel names (`sub/../f` is beside where the symlink sub leads).
            let path: Path
            do {
                path = try KernelPath.absolute(RawArguments.path(written), base: cwd, within: root)
            } catch {
                diagnostics.error("\(written): no such file (\(error.reason)) (adopt takes regular files)",
                                  at: nil, failure: .cannotApply)
                continue
            }
            guard Paths.isWithin(path, root), path != root else {
                diagnostics.error("\(written) is outside the root \(root)", at: nil)
                continue
            }
            let status: FileStatus? = (try? LocalFileSystem(root: "/").status(path, follow: false)) ?? nil
            guard status?.kind == .regular else {
                let what = status.map { (s: FileStatus) -> String in
                    s.kind == .symlink ? "a symlink" : s.kind == .directory ? "a directory" : "a special file"
                }
                diagnostics.error("\(written): \(what.map { "it is \($0), not a regular file" } ?? "no such file") (adopt takes regular files)",
                                  at: nil, failure: .cannotApply)
                continue
            }
            // Mirrored beneath DIR by its place beneath the root.
            let below = path.dropFirst(root == "/" ? 1 : root.count + 1)
            entries.append(PlanEntry(link: path, isDirectory: false,
                                     targets: [Located(Paths.join(into, below), at: place)], options: options, location: place))
        }
        let plan = Plan(file: "<command line>", version: 1, root: root, base: into, home: session.facts.homePath,
                        variables: [:], entries: entries, removals: [])
        try session.beginMutation()
        try runAdHoc(plan, diagnostics, session)
    }
}
