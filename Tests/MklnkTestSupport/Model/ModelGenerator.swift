/// Draws the trees and plans of `ModelCase`. Names mix plain ones with the odd names users have
/// (spaces, combining marks, canonically equal spellings, backslashes, tabs) and, for files that
/// only stand by, CR+LF and bytes that are not UTF-8.
struct ModelGenerator {
    var random: SeededRandom
    var steps: [ModelCase.TreeStep] = []
    /// Names under home/ and what they are, for plans that meet them.
    private var homeEntries: [(name: String, kind: String)] = []
    private var dotFiles: [String] = []
    private var dotDirectories: [String] = []
    private var usedLinkPaths: Set<[UInt8]> = []
    private var hasSymlinkedParent = false

    init(seed: UInt64) { random = SeededRandom(seed: seed) }

    static let plainNames = ["a", "b", ".rc", "with space", "x.conf", "dir.d"]
    static let oddNames = ["\u{E9}t\u{E9}", "e\u{301}te\u{301}", "x\u{301}y", "back\\slash", "q'uote\"", "#hash",
                           "-dash", "tab\tname", "colon: x", "\u{202E}rtl"]
    /// Names that broke the journal and the state (issue 9 defect 9, fixed by the byte paths).
    static let journalBreakingNames = ["cr\r\nlf", "back\\\u{301}mark"]
    /// Names that are not UTF-8: in globbed directories (issue 9 defect 10, fixed) and beside.
    static let nonUTF8Names: [[UInt8]] = [[0x63, 0x61, 0x66, 0xE9], [0x62, 0x61, 0x64, 0xFF, 0x0D, 0x0A]]

    mutating func name() -> String {
        if random.chance(0.1) { return random.pick(Self.journalBreakingNames) }
        return random.chance(0.6) ? random.pick(Self.plainNames) : random.pick(Self.oddNames)
    }

    mutating func bytes() -> [UInt8] {
        // Often the same bytes as another file: a lost file must not hide behind a copy.
        random.chance(0.2) ? Array("same\n".utf8) : (0..<random.int(24)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    mutating func buildTree() {
        for d in ["home", "dots", "outside", "outside/sub"] { steps.append(.directory(Array(d.utf8))) }
        steps.append(.file(Array("outside/o1".utf8), Array("outside\n".utf8)))
        for i in 0..<random.int(4) + 3 {
            let n = name() + String(i)
            dotFiles.append(n)
            steps.append(.file(Array("dots/\(n)".utf8), bytes()))
        }
        for i in 0..<random.int(2) + 1 {
            let d = "g\(i)"
            dotDirectories.append(d)
            steps.append(.directory(Array("dots/\(d)".utf8)))
            for j in 0..<random.int(3) + 1 {
                steps.append(.file(Array("dots/\(d)/\(name())\(j)".utf8), bytes()))
            }
            if random.chance(0.4) {
                steps.append(.file(Array("dots/\(d)/".utf8) + random.pick(Self.nonUTF8Names), bytes()))
            }
        }
        // A directory reached through a symlink that plans may also back up (model seeds 1025 on
        // disk, 1442 in memory: links through `in` once went into the backup; now a conflict).
        if random.chance(0.5) {
            steps.append(.directory(Array("home/realdir".utf8)))
            steps.append(.symlink(Array("home/in".utf8), target: Array("realdir".utf8)))
            homeEntries.append(("realdir", "directory"))
            hasSymlinkedParent = true
        }
        if random.chance(0.4) { steps.append(.symlink(Array("home/out".utf8), target: Array("@/outside".utf8))) }
        for i in 0..<random.int(7) + 1 {
            let n = name() + "h\(i)"
            let p = Array("home/\(n)".utf8)
            switch random.int(6) {
            case 0:
                steps.append(.file(p, bytes()))
                homeEntries.append((n, "file"))
            case 1:
                steps.append(.directory(p))
                steps.append(.file(p + Array("/inner".utf8), bytes()))
                homeEntries.append((n, "directory"))
            case 2:
                steps.append(.symlink(p, target: Array("@/dots/\(random.pick(dotFiles))".utf8)))
                homeEntries.append((n, "symlink"))
            case 3:
                steps.append(.symlink(p, target: Array(random.pick(["@/outside/o1", "nowhere", "../dots/\(random.pick(dotFiles))"]).utf8)))
                homeEntries.append((n, "symlink"))
            default:
                steps.append(.hardLink(p, existing: Array("dots/\(random.pick(dotFiles))".utf8)))
                homeEntries.append((n, "hardlink"))
            }
        }
        // Bystanders: nothing plans them, nothing may touch them.
        if random.chance(0.5) { steps.append(.file(Array("home/".utf8) + random.pick(Self.nonUTF8Names), bytes())) }
        if random.chance(0.5) { steps.append(.file(Array("home/\(random.pick(Self.journalBreakingNames))".utf8), bytes())) }
        if random.chance(0.3) { steps.append(.file(Array("dots/".utf8) + random.pick(Self.nonUTF8Names), bytes())) }
    }

    /// One `links:` entry as YAML: `"path": {options}`.
    mutating func entry() -> String {
        var path: String
        var directoryOfLinks = false
        repeat {
            directoryOfLinks = false
            switch random.int(8) {
            case 0 where !homeEntries.isEmpty, 1 where !homeEntries.isEmpty: path = random.pick(homeEntries).name
            case 2: path = "new\(random.int(3))/\(name())"
            case 3 where hasSymlinkedParent:
                path = "in/\(name())"
            case 4 where random.chance(0.4) && steps.contains { if case .symlink(let p, _) = $0 { return p == Array("home/out".utf8) }; return false }:
                path = "out/\(name())"
            case 5:
                path = "links\(random.int(2))/"
                directoryOfLinks = true
            default: path = name() + "L\(random.int(4))"
            }
        } while !usedLinkPaths.insert(Array(path.utf8)).inserted
        var options: [String] = []
        // Mostly a kind that suits the target, sometimes one that does not (a refused plan).
        var kind: String
        if directoryOfLinks {
            options.append("target: \(yaml(random.pick(dotDirectories) + "/*"))")
            kind = random.pick(["symlink", "symlink", "hardlink", "auto"])
        } else {
            switch random.int(8) {
            case 0:
                options.append("target: \(yaml(random.pick(dotDirectories)))")
                kind = random.pick(["symlink", "junction", "auto"])
            case 1:
                options.append("target: \(yaml("missing\(random.int(3))"))")
                if random.chance(0.9) { options.append("missing: allow") }
                kind = "symlink"
            default:
                options.append("target: \(yaml(random.pick(dotFiles)))")
                kind = random.pick(["symlink", "symlink", "hardlink", "auto"])
            }
        }
        if random.chance(0.05) { kind = random.pick(["hardlink", "junction", "auto"]) }
        if kind != "symlink" || random.chance(0.2) { options.append("kind: \(kind)") }
        // Through a symlinked parent too (issue 9 defect 5, fixed: computed from the physical directory).
        if kind == "symlink" && random.chance(0.25) { options.append("relative: true") }
        if random.chance(0.8) { options.append("conflict: \(random.pick(["fail", "backup", "backup", "backup", "skip"]))") }
        if random.chance(0.15) { options.append("relink: false") }
        return "  \(yaml(path)): { \(options.joined(separator: ", ")) }\n"
    }

    /// Paths for `remove:` as written, now and then one twice, written two ways (model seed 59: once two
    /// deletes and a failed apply; now an invalid plan).
    mutating func removals() -> [String] {
        var out: [String] = []
        for _ in 0..<random.int(3) {
            let links = homeEntries.filter { $0.kind == "symlink" || $0.kind == "hardlink" }
            let name = homeEntries.isEmpty || random.chance(0.15) ? "missing-removal"
                : random.pick(!links.isEmpty && random.chance(0.8) ? links : homeEntries).name
            // A path both linked and removed is an invalid plan; now and then is enough.
            if usedLinkPaths.contains(Array(name.utf8)) && random.chance(0.9) { continue }
            if out.contains("~/" + name) {
                // Now and then the same path again, as written relative to root.
                if random.chance(0.2) && !out.contains(name) { out.append(name) }
                continue
            }
            out.append("~/" + name)
        }
        return out
    }

    func plan(_ entries: [String], removals: [String]) -> String {
        var text = "version: 1\nroot: ~\n" + (entries.isEmpty ? "links: {}\n" : "links:\n" + entries.joined())
        if !removals.isEmpty { text += "remove:\n" + removals.map { "  - \(yaml($0))\n" }.joined() }
        return text
    }

    /// After an earlier apply: a dots file replaced by rename (its hard links go stale), a home
    /// file edited.
    mutating func changesBetween() -> [ModelCase.TreeStep] {
        var out: [ModelCase.TreeStep] = []
        if random.chance(0.6) { out.append(.replace(Array("dots/\(random.pick(dotFiles))".utf8), bytes())) }
        if random.chance(0.3), let file = homeEntries.first(where: { $0.kind == "file" }) {
            out.append(.file(Array("home/\(file.name)".utf8), bytes()))
        }
        return out
    }

    /// A double-quoted YAML scalar: every byte of the name survives.
    func yaml(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
