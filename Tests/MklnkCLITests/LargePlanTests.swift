import MklnkTestSupport
import Testing

/// Plans large enough (≥ 2,048 links) that targets and link paths are read on other threads
/// while the plan loads (Prefetch, ParallelReads): the answers must be the ones a plain read gives.
@Suite struct LargePlanTests {
    static let count = 3000

    /// Link `l/iN` → `@/tN`: in place when N % 3 == 0, absent when 1, pointing elsewhere when 2,
    /// except that a regular file sits at `l/i2`. Also a glob entry, a link whose target goes
    /// through another planned link, and two missing targets.
    func tree(_ label: String) -> (TempTree, String, body: String) {
        let t = TempTree(dotfiles: label)
        // A missing target first and last: the links are resolved in ranges on several cores.
        var body = "links:\n  early: missing-early\n"
        for n in 0..<Self.count {
            t.file("@/t\(n)", "\(n)\n")
            body += "  l/i\(n): t\(n)\n"
            switch n {
            case 2: t.file("~/l/i2", "mine\n")
            case _ where n % 3 == 0: t.symlink("~/l/i\(n)", t.path("@/t\(n)"))
            case _ where n % 3 == 2: t.symlink("~/l/i\(n)", t.path("@/elsewhere"))
            default: break
            }
        }
        t.file("@/g/a", "a\n")
        t.file("@/g/b", "b\n")
        body += "  globbed/: g/*\n"
        body += "  through: ~/l/i0\n"
        body += "  nowhere: missing-target\n"
        return (t, t.plan(body), body)
    }

    @Test("plan decides every link as a plain read would, with a prefetched tree")
    func planMatches() {
        let (t, plan, _) = tree("large-plan")
        let before = t.snapshot()
        let r = t.mklnk("plan", plan)
        #expect(r.status == 1, "\(r)")
        // 1000 in place; 1000 absent + 2 globbed + `through`; 999 elsewhere; the file at l/i2 and
        // the two missing targets are conflicts.
        #expect(r.stdout.hasSuffix("Plan: 1003 to create, 999 to update, 0 to delete, 1000 unchanged, 3 conflicts.\n"),
                "\(r)")
        #expect(r.stdout.contains("l/i2: a regular file is in the way"), "\(r)")
        #expect(r.stderr.contains("target \(t.path("@/missing-target")) does not exist"), "\(r)")
        #expect(r.stderr.contains("target \(t.path("@/missing-early")) does not exist"), "\(r)")
        #expect(t.snapshot() == before)
    }

    @Test("apply --keep-going makes what the plan said, then plan finds everything in place")
    func applyThenNoOp() {
        let (t, plan, body) = tree("large-apply")
        let r = t.mklnk("apply", plan, "--keep-going", "--counters", "-")
        #expect(r.counters["_mklnk_files"] == 2002 && r.counters["_mklnk_unchanged"] == 1000, "\(r)")
        #expect(t.linkTarget("~/l/i5") == t.path("@/t5"))
        #expect(t.contents("~/l/i2") == "mine\n")
        let again = t.mklnk("plan", plan)
        #expect(again.stdout.hasSuffix("Plan: 0 to create, 0 to update, 0 to delete, 3002 unchanged, 3 conflicts.\n"),
                "\(again)")
        // The state now holds 3,002 records, far past the header that a no-op reads: a link the
        // plan no longer lists is still found and pruned.
        let fewer = body.split(separator: "\n").filter { $0 != "  l/i4: t4" }.joined(separator: "\n") + "\n"
        #expect(t.plan(fewer) == plan)
        let pruned = t.mklnk("plan", plan)
        #expect(pruned.stdout.contains("- ~/l/i4"), "\(pruned)")
        #expect(pruned.stdout.hasSuffix("Plan: 0 to create, 0 to update, 1 to delete, 3001 unchanged, 3 conflicts.\n"),
                "\(pruned)")
    }

    @Test("a link whose parent leads outside root is a conflict, when read ahead as when not")
    func confinedWhenPrefetched() {
        let (t, _, _) = tree("large-confined")
        t.directory("outside")
        t.symlink("~/out", t.path("outside"))
        var body = "links:\n  out/x: t0\n"
        for n in 1..<Self.count { body += "  l/i\(n): t\(n)\n" }
        let plan = t.plan(body, name: "confined.yaml")
        let planned = t.mklnk("plan", plan)
        #expect(planned.status == 1, "\(planned)")
        #expect(planned.stdout.contains("~/out/x: the parent ~/out is a symlink that leads outside the root"), "\(planned)")
        let applied = t.mklnk("apply", plan, "--keep-going")
        #expect(applied.status == 1, "\(applied)")
        #expect(t.isSymlink("~/l/i1") && !t.exists("outside/x"))
    }

    @Test("root and base written after links: links read ahead under the first guess are read again")
    func settingsAfterLinks() {
        let t = TempTree(dotfiles: "large-late-settings")
        // Were `root` and `base` taken as their defaults (home, the plan's directory), every
        // link would land in ~ and every target would be missing.
        var body = "version: 1\nlinks:\n"
        for n in 0..<Self.count {
            t.file("@/other/t\(n)", "\(n)\n")
            body += n % 100 == 7 ? "  x\(n): {target: t\(n)}\n" : "  x\(n): t\(n)\n"
        }
        body += "root: \(t.path("~/sub"))\nbase: other\n"
        t.directory("~/sub")
        t.file("@/late.yaml", body)
        let r = t.mklnk("plan", t.path("@/late.yaml"))
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("+ ~/sub/x5 "), "\(r)")
        #expect(r.stdout.contains("+ ~/sub/x107 "), "\(r)")
        #expect(r.stdout.hasSuffix("Plan: \(Self.count) to create, 0 to update, 0 to delete, 0 unchanged, 0 conflicts.\n"),
                "\(r)")
        // Applied, every link is in place: the plan is decided on all cores at once.
        #expect(t.mklnk("apply", t.path("@/late.yaml")).status == 0)
        let again = t.mklnk("plan", t.path("@/late.yaml"), "--detailed-exitcode")
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout == "Plan: 0 to create, 0 to update, 0 to delete, \(Self.count) unchanged, 0 conflicts.\n",
                "\(again)")
        #expect(t.linkTarget("~/sub/x107") == t.path("@/other/t107"))
    }

    @Test("links that name variables are read ahead too, once the schema has worked them out")
    func variablesInLinks() {
        let t = TempTree(dotfiles: "large-vars")
        var body = "vars:\n  D: sub\n  T: other\nlinks:\n"
        for n in 0..<Self.count {
            t.file("@/other/t\(n)", "\(n)\n")
            body += n % 2 == 0 ? "  ${D}/x\(n): ${T}/t\(n)\n" : "  ${D}/x\(n): other/t\(n)\n"
        }
        body += "  bad/${NOPE}: other/t0\n"
        let plan = t.plan(body)
        let r = t.mklnk("plan", plan)
        #expect(r.status == 65, "\(r)")
        #expect(r.stderr.contains("NOPE"), "\(r)")
        let fixed = t.plan(body.replacingFirst("  bad/${NOPE}: other/t0\n", with: ""))
        let ok = t.mklnk("plan", fixed)
        #expect(ok.status == 0, "\(ok)")
        #expect(ok.stdout.contains("+ ~/sub/x8 -> \(t.path("@/other/t8"))"), "\(ok)")
        #expect(ok.stdout.hasSuffix("Plan: \(Self.count) to create, 0 to update, 0 to delete, 0 unchanged, 0 conflicts.\n"),
                "\(ok)")
    }
}

private extension String {
    func replacingFirst(_ old: String, with new: String) -> String {
        guard let range = range(of: old) else { return self }
        return replacingCharacters(in: range, with: new)
    }
}
