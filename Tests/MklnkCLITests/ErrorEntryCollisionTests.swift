import MklnkTestSupport
import Testing

/// Audit 2 E8: an entry with an error still takes part in the whole-plan checks when its link
/// path is known, so a duplicate of it, a link inside it, or its removal is reported in the
/// same run (SPEC §1: every error in one run).
@Suite struct ErrorEntryCollisionTests {
    func errors(_ body: String, _ label: String) -> (status: Int32, lines: [String]) {
        let t = TempTree(dotfiles: label)
        t.file("@/a", "a\n")
        let r = t.mklnk("validate", t.plan(body))
        let lines = r.stderr.split(separator: "\n").map { line -> String in
            let text = String(line)
            return text.hasPrefix(t.dots + "/") ? String(text.dropFirst(t.dots.count + 1)) : text
        }
        return (r.status, lines)
    }

    @Test("an entry with an unknown option and its duplicate: both errors")
    func unknownOptionAndDuplicate() {
        let r = errors("links:\n  .x: { target: a, kidn: symlink }\n  ./.x: a\n", "e8-kidn")
        #expect(r.status == 65)
        #expect(r.lines == [
            "plan.yaml:4:20: error: unknown option 'kidn'; did you mean 'kind'?",
            "plan.yaml:5:3: error: two entries make the link ~/.x",
            "plan.yaml:4:3: note: the other entry is here",
        ], "\(r.lines)")
    }

    @Test("an entry whose target has an undefined variable and its duplicate; the same one removed")
    func undefinedVariableAndDuplicate() {
        let r = errors("links:\n  .x: \"${NOPE_E8}\"\n  ./.x: a\n", "e8-var")
        #expect(r.lines == [
            "plan.yaml:4:8: error: undefined variable 'NOPE_E8'",
            "plan.yaml:5:3: error: two entries make the link ~/.x",
            "plan.yaml:4:3: note: the other entry is here",
        ], "\(r.lines)")
        let removed = errors("links:\n  .b: { target: \"${NOPE_Q}\" }\nremove: [~/.b]\n", "e8-removed")
        #expect(removed.lines.contains("plan.yaml:5:10: error: ~/.b is both linked and removed"), "\(removed.lines)")
    }

    @Test("an entry with no target and a link planned inside it")
    func noTargetAndNested() {
        let r = errors("links:\n  .d: { kind: symlink }\n  .d/in: a\n", "e8-nested")
        #expect(r.lines.contains("plan.yaml:4:3: error: link '.d' has no 'target'"), "\(r.lines)")
        #expect(r.lines.contains { $0.hasPrefix("plan.yaml:5:3: error: ~/.d/in lies inside the planned link ~/.d") }, "\(r.lines)")
    }

    @Test("an entry whose target is unknown adds no error of its own: no cycle, nothing through it")
    func unknownTargetAddsNothing() {
        let r = errors("links:\n  .y: \"${NOPE_Y}\"\n  .z: ~/.y\n", "e8-quiet")
        #expect(r.lines == ["plan.yaml:4:8: error: undefined variable 'NOPE_Y'"], "\(r.lines)")
    }
}
