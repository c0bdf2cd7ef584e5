import MklnkYAML
import Testing

@Suite("Merge keys")
struct MergeKeyTests {
    @Test func mergedPairsFillInWhatTheMappingDoesNotSet() throws {
        let doc = try #require(try parse("""
            base: &base
              kind: symlink
              relative: true
            link:
              <<: *base
              relative: false
              target: x

            """))
        let link = try #require(doc["link"])
        #expect(link.keys.sorted() == ["kind", "relative", "target"])
        #expect(link["relative"]?.scalar == "false")
        #expect(link["kind"]?.scalar == "symlink")
        #expect(link["target"]?.scalar == "x")
        #expect(!link.keys.contains("<<"))
    }

    @Test func theMappingWinsEvenWhenItsKeyComesBeforeTheMerge() throws {
        let doc = try #require(try parse("""
            base: &base {kind: hardlink}
            link:
              kind: symlink
              <<: *base

            """))
        #expect(doc["link"]?["kind"]?.scalar == "symlink")
        #expect(doc["link"]?.pairs.count == 1)
    }

    @Test func earlierMappingsInAMergeListWin() throws {
        let doc = try #require(try parse("""
            a: &a {kind: hardlink, missing: allow}
            b: &b {kind: junction, conflict: skip}
            link:
              <<: [*a, *b]

            """))
        let link = try #require(doc["link"])
        #expect(link["kind"]?.scalar == "hardlink")
        #expect(link["missing"]?.scalar == "allow")
        #expect(link["conflict"]?.scalar == "skip")
    }

    @Test func aMergeOfAScalarIsAnError() throws {
        let error = try #require(parseError("""
            link:
              <<: oops

            """))
        #expect(error.message == "a merge key '<<' takes a mapping or a list of mappings")
        #expect(error.mark == at(2, 7))
    }

    @Test func aMergeListWithAScalarIsAnError() throws {
        let error = try #require(parseError("""
            a: &a {k: v}
            link:
              <<: [*a, oops]

            """))
        #expect(error.message == "a merge key '<<' takes a mapping or a list of mappings")
        #expect(error.mark == at(3, 12))
    }

    @Test func aQuotedMergeKeyIsAnOrdinaryKey() throws {
        let doc = try #require(try parse("\"<<\": x\n"))
        #expect(doc.keys == ["<<"])
    }
}
