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
          root: String? = nil) -> (plan: LoadedPlan?, diagnostics: [Diagnostic]) {
    let options = LoadOptions(facts: facts, variables: variables, root: root.map { Path($0) }, workingDirectory: "/plans")
    let (plan, diagnostics) = PlanLoader.load(file: "plan.yaml", bytes: Array(yaml.utf8), options: options)
    return (plan.map { LoadedPlan(plan: $0, yaml: yaml) }, diagnostics.sorted)
}

/// A loaded plan with its text, so a test can name an entry by its key as written.
@dynamicMemberLookup
struct LoadedPlan {
    let plan: Plan
    let yaml: String

    subscript<T>(dynamicMember path: KeyPath<Plan, T>) -> T { plan[keyPath: path] }

    /// The entry whose key is `written` as the plan wrote it.
    func entry(_ written: String) -> PlanEntry? { plan.entries.first { keyAsWritten($0, in: yaml) == written } }

    /// Each entry's key as the plan wrote it, in order.
    var keys: [String] { plan.entries.map { keyAsWritten($0, in: yaml) } }

    func key(_ entry: PlanEntry) -> String { keyAsWritten(entry, in: yaml) }
}

/// The key of `entry` as it stands in `yaml` at the entry's location, without quotes.
func keyAsWritten(_ entry: PlanEntry, in yaml: String) -> String {
    let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
    guard entry.location.line >= 1, entry.location.line <= lines.count else { return "" }
    let text = lines[entry.location.line - 1].utf8.dropFirst(entry.location.column - 1)
    if let quote = text.first, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
        return String(decoding: text.dropFirst().prefix { $0 != quote }, as: UTF8.self)
    }
    let key = Array(text)
    var end = 0
    while end < key.count, !(key[end] == UInt8(ascii: ":") && (end + 1 == key.count || key[end + 1] == UInt8(ascii: " "))) {
        end += 1
    }
    return String(decoding: key[..<end], as: UTF8.self)
}

/// The diagnostics of `yaml` as `plan.yaml:LINE:COLUMN: severity: message` lines.
func messages(_ yaml: String, facts: HostFacts = .test, variables: [String: String] = [:],
              root: String? = nil) -> [String] {
    load(yaml, facts: facts, variables: variables, root: root).diagnostics.map(\.description)
}
