import MklnkTestSupport
import Foundation
@testable import MklnkCore
import MklnkFileSystem
import Testing

/// A plan from the cache gives what the load gives: the same plan for every example plan on
/// every example host and for seeded random plans, and the same actions and diagnostics through
/// the whole pipeline.
@Suite struct PlanCacheDifferentialTests {
    typealias Scratch = PlanCacheTests.Scratch

    /// Loads `yaml` uncached, then through the cache twice (a miss that stores, then a hit when it
    /// stored): every load gives the same plan and the same diagnostics.
    static func check(_ yaml: String, _ options: (Scratch) -> LoadOptions, _ label: String) {
        let s = Scratch()
        s.write(yaml)
        let o = options(s)
        let plain = PlanCacheTests.load(s.planFile, o, nil)
        let cache = s.cache()
        let miss = PlanCacheTests.load(s.planFile, o, cache)
        let again = PlanCacheTests.load(s.planFile, o, s.cache())
        #expect(!miss.hit, "\(label)")
        #expect(again.hit == (cache.written != nil), "\(label)")
        #expect((cache.written != nil) == (plain.plan != nil && plain.diagnostics.items.isEmpty), "\(label)")
        for other in [miss, again] {
            #expect(PlanCacheTests.dump(other.plan) == PlanCacheTests.dump(plain.plan), "\(label)")
            #expect(other.diagnostics.items.map(\.description) == plain.diagnostics.items.map(\.description), "\(label)")
        }
    }

    @Test("every example plan on every example host", arguments: ExamplePlansTests.planFiles())
    func examplePlans(_ name: String) throws {
        let path = ExamplePlansTests.plansDirectory.appendingPathComponent(name).path
        let yaml = try String(contentsOfFile: path, encoding: .utf8)
        for (host, facts) in ExamplePlansTests.hosts.sorted(by: { $0.key < $1.key }) {
            Self.check(yaml, { _ in LoadOptions(facts: facts, root: Path(ExamplePlansTests.scratch), workingDirectory: "/") },
                       "\(name) on \(host)")
        }
    }

    /// A plan of random entries: variables, environment variables set and unset, `~`, globs,
    /// options, conditions, odd names; some with errors.
    static func randomPlan(_ seed: UInt64) -> String {
        var rng = SeededGenerator(seed: seed)
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        let names = ["a", "b/c", "\"sp ace\"", "\"caf\\xe9\"", "'${v}/x'", "\"${MKLNK_R:-d}/e\"", "~/t", "g/", "\"cr\\r\\nlf\""]
        let targets = ["one", "~/two", "${v}/three", "\"${MKLNK_SET}/four\"", "'*.conf'", "[a, b]", "\"${MKLNK_UNSET}\"", "/abs/five"]
        let options = ["", "kind: hardlink", "relative: true", "conflict: backup", "missing: allow", "canonical: true",
                       "when: { os: linux }", "when: { env: MKLNK_SET }", "when: { env: { MKLNK_SET: x } }",
                       "when: { os: macos }", "exclude: ['*.bak']", "select: { size: '1K..2M', executable: true }",
                       "select: { modified: '2024-01-01..' }", "type: dir", "parents: false", "kind: nonsense"]
        var yaml = "version: 1\nroot: ~/r\nvars:\n  v: \(pick(["x", "${MKLNK_SET}", "~/y", "${MKLNK_UNSET:-z}"]))\nlinks:\n"
        var used = Set<String>()
        for _ in 0..<(1 + Int(rng.next() % 8)) {
            let name = pick(names)
            guard used.insert(name).inserted else { continue }
            let option = pick(options)
            let target = pick(targets)
            yaml += option.isEmpty ? "  \(name): \(target)\n" : "  \(name): { target: \(target), \(option) }\n"
        }
        if rng.next() % 2 == 0 { yaml += "dirs: [ made, { path: \"${v}/m\", mode: \"0750\" } ]\n" }
        if rng.next() % 2 == 0 { yaml += "clean: [ ~/r, { path: \"~/r/sub\", recursive: true } ]\nremove: [ old, \"${v}-gone\" ]\n" }
        return yaml
    }

    @Test("random plans, with and without errors", arguments: 0..<60)
    func randomPlans(_ seed: UInt64) {
        var facts = HostFacts.test
        facts.environment["MKLNK_SET"] = seed % 3 == 0 ? "set" : "/set/\(seed)"
        let plan = Self.randomPlan(seed)
        Self.check(plan, { s in LoadOptions(facts: facts, variables: seed % 5 == 0 ? ["v": "over"] : [:],
                                            workingDirectory: Path(s.dir)) }, "seed \(seed):\n\(plan)")
    }

    @Test("the random plans hold both plans that are stored and plans with diagnostics")
    func randomPlansAreOfBothKinds() {
        var stored = 0, refused = 0
        for seed in UInt64(0)..<60 {
            var facts = HostFacts.test
            facts.environment["MKLNK_SET"] = seed % 3 == 0 ? "set" : "/set/\(seed)"
            let s = Scratch()
            s.write(Self.randomPlan(seed))
            let cache = s.cache()
            _ = PlanCacheTests.load(s.planFile, LoadOptions(facts: facts, workingDirectory: Path(s.dir)), cache)
            if cache.written != nil { stored += 1 } else { refused += 1 }
        }
        #expect(stored >= 10 && refused >= 10, "\(stored) stored, \(refused) not")
    }

    @Test("the pipeline gives the same actions and diagnostics from a cached plan")
    func pipelineActions() {
        let t = TempTree(dotfiles: "plancache-pipeline")
        defer { t.remove() }
        for name in ["a", "b", "c"] { t.file("@/" + name, name + "\n") }
        t.symlink("~/b", "/elsewhere")
        t.file("~/c", "in the way\n")
        t.file(t.planFile, ApplyScenario.plan("links:\n  a: a\n  b: b\n  c: c\n  sub/d: a\n  e: { target: missing, missing: allow }\n"))
        func run(_ cache: PlanCache?) -> [String] {
            let (run, _) = PlanPipeline.run(file: t.planFile, options: t.loadOptions, stateDirectory: Path(t.state), prune: true,
                                            fileSystem: { LocalFileSystem(root: $0) }, cache: cache)
            return run.actions.map { "\($0.op) \($0.path) \($0.target.map(\.description) ?? "-") \($0.source?.description ?? "-") \($0.reason ?? "")" }
                + run.diagnostics.items.map(\.description)
        }
        let plain = run(nil)
        let cache = PlanCache(stateDirectory: Path(t.state), writable: true)
        #expect(run(cache) == plain)
        #expect(cache.written != nil)
        #expect(run(PlanCache(stateDirectory: Path(t.state), writable: false)) == plain)
        #expect(plain.count >= 5)
    }
}

/// splitmix64: the same plans on every run.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
