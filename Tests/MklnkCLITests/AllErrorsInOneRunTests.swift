import MklnkTestSupport
import Testing

/// SPEC §1: "every error in one run, not only the first" — the graph's errors too.
@Suite struct AllErrorsInOneRunTests {
    @Test("schema, variable and graph errors are reported together")
    func graphErrorsComeWithSchemaErrors() {
        let t = TempTree(dotfiles: "all-errors")
        t.file("@/a", "a\n")
        let plan = t.plan("""
            links:
              .x: { target: a, kidn: symlink }
              ./.x: a
              .x2: a
              .x2/in: a
              .y: { target: ../home/.y2, missing: allow }
              .y2: { target: ../home/.y, missing: allow }
              .u: ${MKLNK_UNDEFINED_FOR_TEST}/a
              .r: a
            remove:
              - .r

            """)
        for command in ["plan", "validate"] {
            let r = t.mklnk(command, plan)
            #expect(r.status == 65, "\(r)")
            let errors = r.stderr.split(separator: "\n").filter { $0.contains(": error: ") }.map(String.init)
            // Before: only the two first (schema and variable) errors were printed.
            #expect(errors == [
                "\(plan):4:20: error: unknown option 'kidn'; did you mean 'kind'?",
                "\(plan):5:3: error: two entries make the link ~/.x",
                "\(plan):7:3: error: ~/.x2/in lies inside the planned link ~/.x2",
                "\(plan):8:3: error: link cycle: ~/.y -> ~/.y2 -> ~/.y",
                "\(plan):10:7: error: undefined variable 'MKLNK_UNDEFINED_FOR_TEST'",
                "\(plan):13:5: error: ~/.r is both linked and removed",
            ], "\(command): \(r)")
            // The entry in error still names ~/.x, so `./.x` is its duplicate (audit 2 E8).
        }
        let dup = t.plan("links:\n  .x: { target: a, kidn: symlink }\n  .z: a\n  ./.z: a\n", name: "dup.yaml")
        let d = t.mklnk("plan", dup)
        #expect(d.status == 65, "\(d)")
        #expect(d.stderr.contains("dup.yaml:4:20: error: unknown option 'kidn'"), "\(d)")
        #expect(d.stderr.contains("dup.yaml:6:3: error: two entries make the link ~/.z"), "\(d)")
        #expect(d.stderr.contains("dup.yaml:5:3: note: the other entry is here"), "\(d)")
    }
}
