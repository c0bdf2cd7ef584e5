import MklnkCore
import MklnkFileSystem

extension HostFacts {
    /// A Linux CI runner; plans are loaded against these unless a test says otherwise.
    static let test = HostFacts(
        os: "linux", arch: "x86_64", hostname: "ci-runner-7", user: "tess", home: "/home/tess",
        environment: ["HOME": "/home/tess", "CI": "true", "EDITOR": "vim", "EMPTY": ""])
}

/// Loads `yaml` as `/plans/plan.yaml` (so `base` defaults to `/plans` and root to `/home/tess`).
/// Returns the plan and every diagnostic, sorted by location.
func load(_ yaml: String, facts: HostFacts = .test, variables: [String: String] = [:],
          root: String? = nil) -> (plan: Plan?, diagnostics: [Diagnostic]) {
    let options = LoadOptions(facts: facts, variables: variables, root: root.map { Path($0) }, workingDirectory: "/plans")
    let (plan, diagnostics) = PlanLoader.load(file: "plan.yaml", bytes: Array(yaml.utf8), options: options)
    return (plan, diagnostics.sorted)
}

/// The diagnostics of `yaml` as `plan.yaml:LINE:COLUMN: severity: message` lines.
func messages(_ yaml: String, facts: HostFacts = .test, variables: [String: String] = [:],
              root: String? = nil) -> [String] {
    load(yaml, facts: facts, variables: variables, root: root).diagnostics.map(\.description)
}

extension Plan {
    func entry(_ written: String) -> PlanEntry? { entries.first { $0.written == written } }
}
