import Foundation
import MklnkTestSupport
import Testing

/// The compiled-plan cache as users meet it: `apply` keeps it in the state directory, `plan`
/// reads it and writes nothing, and a cached plan prints what a loaded one prints.
@Suite struct PlanCacheCLITests {
    func cacheFiles(_ t: TempTree) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: t.state + "/cache")) ?? []).sorted()
    }

    @Test("apply keeps the compiled plan; plan and check read it and print the same")
    func applyWritesPlanReads() {
        let t = TempTree(dotfiles: "cache-cli")
        defer { t.remove() }
        for n in ["a", "b"] { t.file("@/" + n, n + "\n") }
        let plan = t.plan("links:\n  a: a\n  sub/b: b\n")
        let fresh = t.mklnk("plan", plan)
        #expect(fresh.status == 0, "\(fresh)")
        #expect(!t.exists(t.state), "plan wrote to the state directory")
        let applied = t.mklnk("apply", plan)
        #expect(applied.status == 0, "\(applied)")
        #expect(cacheFiles(t).count == 1)
        let cached = t.mklnk("plan", plan, "-v", "--json")
        let uncached = t.mklnk(["plan", plan, "-v", "--json"], environment: ["MKLNK_PLAN_CACHE": "off"])
        #expect(cached.status == 0 && cached.stdout == uncached.stdout && cached.stderr == uncached.stderr, "\(cached)\n\(uncached)")
        #expect(t.mklnk("check", plan).status == 0)
        // The plan edited: what it says now, not what was cached.
        t.plan("links:\n  a: b\n  sub/b: b\n")
        let edited = t.mklnk("plan", plan)
        #expect(edited.stdout.contains("~ ~/a -> \(t.dots)/b"), "\(edited)")
    }

    @Test("plan writes no cache, even with a state directory")
    func planWritesNothing() {
        let t = TempTree(dotfiles: "cache-plan-only")
        defer { t.remove() }
        t.file("@/a", "a\n")
        t.directory(t.state)
        let plan = t.plan("links:\n  a: a\n")
        #expect(t.mklnk("plan", plan).status == 0)
        #expect(t.mklnk("apply", plan, "--dry-run").status == 0)
        #expect(t.mklnk("check", plan).status == 2)
        #expect(cacheFiles(t).isEmpty)
    }

    @Test("MKLNK_PLAN_CACHE=off: apply keeps no compiled plan")
    func disabled() {
        let t = TempTree(dotfiles: "cache-off")
        defer { t.remove() }
        t.file("@/a", "a\n")
        let plan = t.plan("links:\n  a: a\n")
        #expect(t.mklnk(["apply", plan], environment: ["MKLNK_PLAN_CACHE": "off"]).status == 0)
        #expect(cacheFiles(t).isEmpty)
    }

    @Test("a first apply that changes nothing persistent leaves no state directory, cache included")
    func failedFirstApplyLeavesNoTrace() {
        let t = TempTree(dotfiles: "cache-trace")
        defer { t.remove() }
        t.file("@/a", "a\n")
        t.file("~/a", "in the way\n")
        let plan = t.plan("links:\n  a: a\n")
        let r = t.mklnk("apply", plan)
        #expect(r.status == 1, "\(r)")
        #expect(!t.exists(t.state))
    }

    @Test("warnings are printed on every run: a plan with one is not cached")
    func warningsEveryTime() {
        let t = TempTree(dotfiles: "cache-warning")
        defer { t.remove() }
        t.file("@/a", "a\n")
        let plan = t.dots + "/plan.yaml"
        t.file(plan, "version: 1\nroot: /\nlinks:\n  \(t.home)/a: a\n")
        for _ in 0..<2 {
            let r = t.mklnk("apply", plan)
            #expect(r.status == 0 && r.stderr.contains("root is '/'"), "\(r)")
        }
        #expect(cacheFiles(t).isEmpty)
    }

    @Test("a plan on standard input is cached by its bytes")
    func standardInput() {
        let t = TempTree(dotfiles: "cache-stdin")
        defer { t.remove() }
        for n in ["a", "b"] { t.file("@/" + n, n + "\n") }
        func piped(_ input: String, _ args: String...) -> MklnkProcess.Result {
            t.file("stdin.yaml", input)
            let env = ["HOME": t.home, "NO_COLOR": "1", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"]
            do {
                return try MklnkProcess.run(["-c", "exec \"$0\" \"$@\" < \"\(t.path("stdin.yaml"))\"", MklnkProcess.path]
                                            + args + ["--state-dir", t.state], in: t.dots, environment: env,
                                            executable: "/bin/sh")
            } catch {
                fatalError("cannot run /bin/sh: \(error)")
            }
        }
        #expect(piped("version: 1\nlinks:\n  x: a\n", "apply", "-").status == 0)
        #expect(piped("version: 1\nlinks:\n  x: a\n", "apply", "-").status == 0)
        #expect(cacheFiles(t).count == 1)
        let changed = piped("version: 1\nlinks:\n  x: b\n", "plan", "-")
        #expect(changed.stdout.contains("~ ~/x -> \(t.dots)/b"), "\(changed)")
    }
}
