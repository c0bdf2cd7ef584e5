import MklnkYAML
import Testing

/// Inputs the fuzzers (Fuzz/) found, each kept as the smallest case that failed.
@Suite("YAML: inputs found by fuzzing")
struct FuzzFoundTests {
    /// FuzzPlanLoader: libyaml puts an error at end of input one line past the last line when the
    /// file does not end with a line break; an editor cannot go there.
    @Test func anErrorAtTheEndOfAFileWithoutALastLineBreakIsOnItsLastLine() throws {
        let error = try #require(parseError("version: 1\nlinks:ks .config/git/c#"))
        #expect(error.message == "could not find expected ':'")
        #expect(error.mark == at(2, 24))
        #expect(error.note?.mark == at(2, 1))
    }

    @Test func anErrorAtTheEndIsOnTheLastLineWhateverTheLineBreaks() throws {
        for text in ["version: 1\r\nlinks:ks x", "version: 1\rlinks:ks x"] {
            let error = try #require(parseError(text))
            #expect(error.mark == at(2, 11), "\(text.debugDescription)")
        }
    }
}
