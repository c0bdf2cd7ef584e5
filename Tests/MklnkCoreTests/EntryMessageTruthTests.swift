import MklnkCore
import Testing

/// Schema messages say what is true and what to change (AUDIT3 F25, F28).
@Suite struct EntryMessageTruthTests {
    @Test("exclude on a trailing-slash entry applies (the directory is split): no warning that it does not")
    func excludeOnATrailingSlashEntry() {
        #expect(messages("version: 1\nlinks:\n  q/: { target: sub, exclude: [y] }\n") == [])
        #expect(messages("version: 1\nlinks:\n  q/: { target: sub, select: { hidden: false } }\n") == [])
        // Where it is ignored, it still says so.
        #expect(messages("version: 1\nlinks:\n  q: { target: sub, exclude: [y] }\n")
            == ["plan.yaml:3:3: warning: 'exclude' and 'select' apply only to glob or list targets"])
    }

    @Test("a quoted or string-tagged true is refused with a message that says why")
    func quotedBoolean() {
        #expect(messages("version: 1\nlinks:\n  .b: { target: a, relative: \"true\" }\n")
            == ["plan.yaml:3:30: error: 'relative' must be true or false; found the quoted string \"true\"; write true without quotes"])
        #expect(messages("version: 1\nlinks:\n  a/: { target: \"x/*\", select: { hidden: 'false' } }\n")
            == ["plan.yaml:3:42: error: 'hidden' must be true or false; found the quoted string \"false\"; write false without quotes"])
        #expect(messages("version: 1\nlinks:\n  .b: { target: a, relative: !!str true }\n").first?
            .contains("found true tagged tag:yaml.org,2002:str, a string; write true without a tag") == true)
        #expect(messages("version: 1\nlinks:\n  .b: { target: a, relative: yes }\n")
            == ["plan.yaml:3:30: error: 'relative' must be true or false; found 'yes'"])
    }

    @Test("an explicit !!bool tag makes a quoted true a boolean, as YAML says")
    func taggedBoolean() throws {
        let (plan, diagnostics) = load("version: 1\nlinks:\n  .b: { target: a, relative: !!bool \"true\" }\n")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(try #require(plan).entries.first?.options.relative == true)
    }
}
