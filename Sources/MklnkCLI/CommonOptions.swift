import ArgumentParser
import MklnkCore
import MklnkFileSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

extension AnnotationFormat: ExpressibleByArgument {}

/// Options every command takes (SPEC §2).
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Links must lie beneath this directory (overrides the plan's root).", valueName: "dir"))
    var root: String?

    @Option(name: .customLong("var"), help: ArgumentHelp("Set a plan variable, overriding vars:.", valueName: "name=value"))
    var variables: [String] = []

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("Where applied state, the journal and the lock live (default: $XDG_STATE_HOME/mklnk or ~/.local/state/mklnk).", valueName: "dir"))
    var stateDirectory: String?

    @Flag(name: .shortAndLong, help: "Print no diff, only errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also print unchanged links and notes.")
    var verbose = false

    @Option(name: .long, help: "Colour output: auto, always or never (NO_COLOR is honoured with auto).")
    var color: ColorChoice = .auto

    @Option(name: .long, help: ArgumentHelp("Also print diagnostics as CI annotations: github or none (default: github when GITHUB_ACTIONS=true).", valueName: "format"))
    var annotations: AnnotationFormat?

    func validate() throws {
        // An empty directory name is a mistake (an unset variable), not the current directory.
        if root == "" { throw ValidationError("--root needs a directory; '' names none") }
        if stateDirectory == "" { throw ValidationError("--state-dir needs a directory; '' names none") }
        for v in variables where !v.contains("=") || v.hasPrefix("=") {
            throw ValidationError("--var takes NAME=VALUE; got '\(v)'")
        }
        // A plan is text: a value whose bytes are not UTF-8 would be used as another name.
        for v in variables {
            let raw = RawArguments.path(v).bytes
            guard !Path(bytes: raw).isValidUTF8, let eq = raw.firstIndex(of: UInt8(ascii: "=")) else { continue }
            throw ValidationError("--var \(v.prefix { $0 != "=" }): the value \(Path(bytes: raw[(eq + 1)...])) is not valid UTF-8; "
                                  + "a plan's text cannot hold its bytes")
        }
    }

    var facts: HostFacts { HostFacts.current() }

    var workingDirectory: Path {
        // Into our own buffer: getcwd(NULL, 0) allocates inside libc, out of AddressSanitizer's
        // sight, and freeing that here is a bad free under `make test-sanitizers`.
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "/" }
        return Path(cString: buffer)
    }

    func loadOptions(_ facts: HostFacts) -> LoadOptions {
        var vars: [String: String] = [:]
        for v in variables {
            let eq = v.firstIndex(of: "=")!
            vars[String(v[..<eq])] = String(v[v.index(after: eq)...])
        }
        return LoadOptions(facts: facts, variables: vars, root: rootPath(facts), workingDirectory: workingDirectory)
    }

    func stateDirectory(_ facts: HostFacts) -> Path {
        if let stateDirectory {
            return Paths.absolute(expandTilde(RawArguments.path(stateDirectory), facts), base: workingDirectory)
        }
        if let xdg = facts.environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            return (facts.environment.notUTF8["XDG_STATE_HOME"] ?? Path(xdg)) + "/mklnk"
        }
        return facts.homePath + "/.local/state/mklnk"
    }

    func console(_ facts: HostFacts) -> Console { Console(options: self, home: facts.homePath) }

    func annotations(_ facts: HostFacts) -> GitHubAnnotations? {
        guard GitHubAnnotations.enabled(annotations, environment: facts.environment.values) else { return nil }
        return GitHubAnnotations(workspace: facts.environment["GITHUB_WORKSPACE"].flatMap { $0.hasPrefix("/") ? Path($0) : nil },
                                 workingDirectory: workingDirectory, home: facts.homePath)
    }

    /// The root given with `--root`, absolute (nil without it).
    func rootPath(_ facts: HostFacts) -> Path? {
        root.map {
            let written = expandTilde(RawArguments.path($0), facts)
            // As the kernel resolves it (`s/..` with s a symlink steps out of where s leads); a
            // missing directory before a `..` is stepped over as written, as in a link path.
            return (try? KernelPath.absolute(written, base: workingDirectory)) ?? Paths.absolute(written, base: workingDirectory)
        }
    }

    private func expandTilde(_ path: Path, _ facts: HostFacts) -> Path {
        if path == "~" { return facts.homePath }
        if path.hasPrefix("~/") { return facts.homePath + path.dropFirst(1) }
        return path
    }
}

func makeFileSystem(_ root: Path) -> FileSystem { LocalFileSystem(root: root) }
