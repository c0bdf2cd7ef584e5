@testable import MklnkCore
import MklnkFileSystem
import Testing

/// Inputs the fuzzers (Fuzz/) found in the loader, each kept as the smallest case that failed.
@Suite("Core: inputs found by fuzzing")
struct FuzzFoundTests {
    /// FuzzPlanLoader (LeakSanitizer): a variable whose source is not its text (an anchor, an
    /// escape) kept its place with a strong reference to the load, which holds the variables:
    /// every such load leaked itself, the plan's bytes included.
    @Test(arguments: ["theme: &E ${dots}/config", "theme: \"a\\tb/${dots}\"", "theme: >\n    folded ${dots}"])
    func aLoadIsFreedWhateverItsVariablesLookLike(_ variable: String) {
        let options = LoadOptions(facts: HostFacts(os: "linux", arch: "x86_64", hostname: "h", user: "u", home: "/home/u",
                                                   environment: [:]),
                                  workingDirectory: "/plans")
        weak var freed: LoadContext?
        do {
            let context = LoadContext(file: "/plans/plan.yaml", options: options)
            _ = context.load(PlanInput(Array("version: 1\nvars:\n  dots: d\n  \(variable)\nlinks: {}\n".utf8)))
            #expect(!context.diagnostics.hasErrors, "\(context.diagnostics.items)")
            freed = context
        }
        #expect(freed == nil)
    }
}
