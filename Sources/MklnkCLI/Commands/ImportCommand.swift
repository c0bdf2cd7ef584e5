import ArgumentParser
import MklnkCore
import MklnkFileSystem

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Print a mklnk plan equivalent to another tool's configuration.",
        subcommands: [ImportDotbotCommand.self])
}

struct ImportDotbotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dotbot",
        abstract: "Print the mklnk plan equivalent to a dotbot config (install.conf.yaml).",
        discussion: """
            The plan goes to stdout, so 'mklnk import dotbot install.conf.yaml | mklnk apply -' works. \
            What has no mklnk equivalent (shell commands, plugins, an 'if' that is not a uname test) is a \
            comment in the plan and a located warning on stderr. Exit 0, or 65 when the config cannot be read.
            """)

    @OptionGroup var common: CommonOptions

    @Argument(help: ArgumentHelp("The dotbot config ('-' reads it from standard input).", valueName: "config"))
    var config: String

    @Option(name: .customLong("base-directory"), help: ArgumentHelp("dotbot's base directory: targets are relative to it (default: the config's directory).", valueName: "dir"))
    var baseDirectory: String?

    func run() throws {
        let facts = common.facts
        let console = common.console(facts)
        var printer = DiagnosticPrinter(console: console, annotations: common.annotations(facts))
        let cwd = common.workingDirectory
        let name = config == StandardInput.argument ? StandardInput.name : config
        guard let bytes = read(config, cwd: cwd, console: console) else { throw Exit.invalidPlan }
        let basePath = baseDirectory.map { Paths.absolute(RawArguments.path($0), base: cwd) }
            ?? (config == StandardInput.argument ? cwd : Paths.parent(Paths.absolute(RawArguments.path(config), base: cwd)))
        // The plan is YAML text: a base directory that is not UTF-8 cannot be written in it.
        guard let base = basePath.string else {
            console.err.line("mklnk: error: the base directory \(basePath) is not valid UTF-8; give --base-directory")
            console.flush()
            throw Exit.invalidPlan
        }
        let result = DotbotImporter.run(file: name, bytes: bytes, base: base, home: facts.home)
        printer.print(result.diagnostics)
        if let plan = result.plan { console.out.write(plan) }
        try console.flushChecked(code: result.plan == nil ? Exit.invalidPlan : .success)
        if result.plan == nil { throw Exit.invalidPlan }
    }

    private func read(_ file: String, cwd: Path, console: Console) -> [UInt8]? {
        let bytes: [UInt8]?
        if file == StandardInput.argument {
            bytes = try? StandardInput.readAll(limit: 128 << 20)
        } else {
            bytes = try? LocalFileSystem(root: "/").readFile(Paths.absolute(RawArguments.path(file), base: cwd))
        }
        if bytes == nil {
            console.err.line("mklnk: error: cannot read the dotbot config \(file)")
            console.flush()
        }
        return bytes
    }
}
