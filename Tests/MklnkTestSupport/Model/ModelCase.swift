/// One random scenario: a starting tree, maybe an earlier apply of another plan (whose state makes
/// prunes) and changes after it, the plan under test, and the fault to inject. The same seed
/// always gives the same scenario.
public struct ModelCase {
    /// How to build a tree; paths are relative to the case directory.
    public enum TreeStep {
        case file(BytePath, [UInt8])
        case directory(BytePath)
        case symlink(BytePath, target: BytePath)
        case hardLink(BytePath, existing: BytePath)
        /// A file replaced through a rename, as `git checkout` does: its hard links go stale.
        case replace(BytePath, [UInt8])
    }

    public let seed: UInt64
    public var tree: [TreeStep] = []
    /// Applied first, when present; `between` then changes the tree.
    public var earlierPlan: String?
    public var between: [TreeStep] = []
    public var plan = ""
    /// `strace -e inject=SYSCALL:error=EIO:when=N` for the fault run.
    public var fault = (syscall: "symlinkat", when: 1)

    public init(seed: UInt64) {
        self.seed = seed
        var g = ModelGenerator(seed: seed)
        g.buildTree()
        tree = g.steps
        let pool = (0..<g.random.int(7) + 2).map { _ in g.entry() }
        if g.random.chance(0.4) {
            earlierPlan = g.plan(pool.filter { _ in g.random.chance(0.7) }, removals: [])
            between = g.changesBetween()
        }
        var entries = pool.filter { _ in g.random.chance(0.75) }
        if entries.isEmpty { entries = [g.entry()] }
        plan = g.plan(entries, removals: g.removals())
        fault = (g.random.pick(["symlinkat", "linkat", "renameat2", "unlinkat", "mkdirat", "fsync", "openat"]),
                 g.random.int(12) + 1)
    }

    /// Builds `steps` under `dir` with `writer`; a symlink target starting with `@/` is taken from `dir`.
    public static func build(_ steps: [TreeStep], in dir: BytePath, with writer: ModelTreeWriter = Disk.writer) {
        for step in steps {
            switch step {
            case .file(let p, let bytes): writer.write(dir + [47] + p, bytes)
            case .directory(let p): writer.mkdir(dir + [47] + p)
            case .symlink(let p, let target):
                writer.symlink(target.starts(with: [64, 47]) ? dir + target.dropFirst(1) : target, at: dir + [47] + p)
            case .hardLink(let p, let existing): writer.link(dir + [47] + existing, at: dir + [47] + p)
            case .replace(let p, let bytes):
                writer.write(dir + [47] + p + Array(".new".utf8), bytes)
                writer.rename(dir + [47] + p + Array(".new".utf8), dir + [47] + p)
            }
        }
    }
}

/// Where a scenario's tree is built: the disk, or a filesystem in memory.
public protocol ModelTreeWriter {
    func write(_ path: BytePath, _ bytes: [UInt8])
    func mkdir(_ path: BytePath)
    func symlink(_ target: BytePath, at path: BytePath)
    func link(_ existing: BytePath, at path: BytePath)
    func rename(_ from: BytePath, _ to: BytePath)
}
