import MklnkYAML
import MklnkFileSystem

/// What a plan is loaded against: host facts, `--var` and `--root`, and the YAML bounds.
public struct LoadOptions: Sendable {
    public var facts: HostFacts
    /// `--var NAME=VALUE`, overriding `vars`.
    public var variables: [String: String]
    /// `--root DIR` (absolute), overriding the plan's `root`.
    public var root: Path?
    /// The directory a relative plan path is taken from.
    public var workingDirectory: Path
    public var limits: YAMLLimits
    /// The directory the plan file lies in when its path is a symlink (`PlanSource`): its
    /// default `base`. Nil: the directory of the path as given.
    public var planDirectory: Path?

    public init(facts: HostFacts, variables: [String: String] = [:], root: Path? = nil,
                workingDirectory: Path, limits: YAMLLimits = .default) {
        self.facts = facts
        self.variables = variables
        self.root = root
        self.workingDirectory = workingDirectory
        self.limits = limits
    }
}
