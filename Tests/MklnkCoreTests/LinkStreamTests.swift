@testable import MklnkCore
import MklnkFileSystem
import Testing

/// `links:` entries are parsed as the YAML is read (`LinkStream`), so the reader does not keep
/// them. The outcome must be the one a load from the whole tree gives: the same entries, the
/// same diagnostics in the same order, the same partial plan, for plans whose settings come
/// after `links:`, whose keys repeat, whose mappings merge or are aliased.
@Suite struct LinkStreamTests {
    static let plans: [(String, String)] = [
        ("settings first", "version: 1\nroot: ~/r\nbase: /src\nvars: {D: dots}\ndefaults: {kind: hardlink}\nlinks:\n  a: ${D}/a\n  b/: x\n"),
        ("settings after links", "version: 1\nlinks:\n  a: ${D}/a\n  b/: x\nroot: ~/r\nbase: /src\nvars: {D: dots}\ndefaults: {kind: hardlink}\n"),
        ("root after links only", "version: 1\nbase: /src\nlinks:\n  a: a\nroot: ~/r\n"),
        ("root brought in by a merge", "version: 1\nx: &s {root: ~/r}\n<<: *s\nlinks:\n  a: a\n"),
        ("duplicate keys in links", "version: 1\nlinks:\n  a: x\n  b: y\n  a: z\n  'a': w\n"),
        ("merge key in links", "version: 1\nvars: &m {c: q}\nlinks:\n  a: x\n  <<: {b: y, a: nope}\n  c: z\n"),
        ("links twice, the first a scalar", "version: 1\nlinks: ~\nlinks:\n  a: x\n"),
        ("links twice, both mappings", "version: 1\nlinks:\n  a: x\nlinks:\n  b: y\n"),
        ("anchored links aliased", "version: 1\nlinks: &l\n  a: x\n  b: y\nremove: *l\n"),
        ("errors everywhere", "version: 2\nvars: {A: [1]}\nroot: 3: 4\nlinks:\n  a: ${NOPE}\n  ../out: x\n  c: {taget: y}\n  a: dup\nlnks: {}\n"),
        ("root in error", "version: 1\nroot: ${NOPE}\nlinks:\n  a: x\n  b: {target: y, kind: bad}\n"),
        ("syntax error after links", "version: 1\nlinks:\n  a: ${NOPE}\n  b: [\n"),
        ("second document", "version: 1\nlinks:\n  a: ${NOPE}\n---\nversion: 1\n"),
        ("when and options", "version: 1\ndefaults: {relative: true}\nlinks:\n  a: {target: x, when: {os: macos}}\n  b: {target: [x, y]}\n  c: {target: z, kind: hardlink}\n"),
        ("null and empty", "version: 1\nlinks:\n  a:\n  b: ''\n  ~: x\n  ? [k]\n  : v\n"),
    ]

    static func describe(_ plan: Plan?) -> String {
        guard let plan else { return "nil" }
        var out = "root \(plan.root) base \(plan.base) vars \(plan.variables.sorted { $0.key < $1.key })\n"
        for e in plan.entries {
            let o = e.options
            out += "\(e.link) \(e.isDirectory) \(e.targets.map { "\($0.value)@\($0.location)" }) "
                + "\(o.kind) \(o.relative) \(String(describing: o.type)) \(o.missing) \(o.relink) \(o.conflict) "
                + "\(o.parents) \(o.canonical) \(o.exclude) \(e.location)\n"
        }
        return out + "remove \(plan.removals.map { "\($0.path)@\($0.location)" })"
    }

    static func load(_ yaml: String, streaming: Bool) -> (String, String, [String]) {
        let options = LoadOptions(facts: .test, workingDirectory: "/plans")
        let bytes = Array(yaml.utf8)
        if streaming {
            let (plan, partial, diagnostics) = PlanLoader.loadWithPartial(file: "plan.yaml", bytes: bytes, options: options)
            return (describe(plan), describe(partial), diagnostics.items.map { "\($0.description) \($0.notes.map(\.description))" })
        }
        let context = LoadContext(file: "plan.yaml", options: options)
        let plan = context.load(PlanInput(bytes))
        let failed = context.diagnostics.hasErrors
        return (describe(failed ? nil : plan), describe(failed && !context.settingsFailed ? plan : nil),
                context.diagnostics.items.map { "\($0.description) \($0.notes.map(\.description))" })
    }

    @Test(arguments: plans.map(\.0))
    func streamedLoadIsTheTreeLoad(_ name: String) {
        let yaml = Self.plans.first { $0.0 == name }!.1
        let streamed = Self.load(yaml, streaming: true), tree = Self.load(yaml, streaming: false)
        #expect(streamed.0 == tree.0)
        #expect(streamed.1 == tree.1)
        #expect(streamed.2 == tree.2)
    }

    @Test func aSettingAfterLinksMeansWhatItSays() {
        let (plan, _, _) = Self.load(Self.plans[2].1, streaming: true)
        #expect(plan.contains("/home/tess/r/a false [\"/src/a@"))
    }

    @Test func settingsBeforeAndAfterLinksGiveTheSameEntries() {
        let first = Self.load(Self.plans[0].1, streaming: true).0
        let after = Self.load(Self.plans[1].1, streaming: true).0
        // The same links and targets; only the places differ.
        func paths(_ s: String) -> [String] { s.split(separator: "\n").dropFirst().map { String($0.split(separator: " ")[0]) } }
        #expect(paths(first) == paths(after))
        #expect(first.contains("/home/tess/r/a false [\"/src/dots/a@"))
    }
}
