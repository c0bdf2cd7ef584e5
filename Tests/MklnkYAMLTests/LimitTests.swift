import MklnkYAML
import Testing

@Suite("Limits against hostile input")
struct LimitTests {
    /// Nine levels of nine aliases each: about 4×10⁸ nodes if expanded.
    static func billionLaughs() -> String {
        var text = "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        let names = Array("abcdefghi")
        for i in 1..<names.count {
            let previous = names[i - 1]
            let refs = Array(repeating: "*\(previous)", count: 9).joined(separator: ", ")
            text += "\(names[i]): &\(names[i]) [\(refs)]\n"
        }
        return text
    }

    @Test func billionLaughsHitsTheAliasBudget() throws {
        let error = try #require(parseError(Self.billionLaughs()))
        #expect(error.message == "aliases expand to more than 1000000 nodes; refusing to expand further")
        #expect(error.mark.line == 7)
    }

    @Test func aSmallAliasBudgetIsHonoured() throws {
        let text = "a: &a [1, 2, 3]\nb: [*a, *a, *a, *a]\n"
        #expect(try parse(text, limits: YAMLLimits(maxAliasNodes: 16)) != nil)
        let error = try #require(parseError(text, limits: YAMLLimits(maxAliasNodes: 15)))
        #expect(error.message == "aliases expand to more than 15 nodes; refusing to expand further")
        #expect(error.mark == at(2, 17))
    }

    @Test func tenThousandOpenFlowSequencesHitTheDepthLimit() throws {
        let error = try #require(parseError(String(repeating: "[", count: 10_000)))
        #expect(error.message == "nesting is deeper than 256 levels")
        #expect(error.mark == at(1, 257))
    }

    @Test func tenThousandFlowMappingsHitTheDepthLimit() throws {
        let text = String(repeating: "{a: ", count: 10_000) + "x" + String(repeating: "}", count: 10_000)
        let error = try #require(parseError(text))
        #expect(error.message == "nesting is deeper than 256 levels")
        #expect(error.mark == at(1, 1 + 256 * 4))
    }

    @Test func tenThousandIndentedBlockMappingsHitTheDepthLimit() throws {
        // k:
        //  k:
        //   k: ...  (one more space per level)
        let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 10_000)
        let key: [UInt8] = Array("k:\n".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10_000 * 10_003 / 2 + 10_000 * 3)
        for level in 0..<10_000 {
            bytes += spaces[..<level]
            bytes += key
        }
        let error = try #require(parseError(bytes))
        #expect(error.message == "nesting is deeper than 256 levels")
        #expect(error.mark == at(257, 257))
    }

    @Test func tenThousandCompactBlockMappingsHitTheDepthLimit() throws {
        // `? ? ? … a`: explicit keys nest block mappings on one line.
        let error = try #require(parseError(String(repeating: "? ", count: 10_000) + "a\n"))
        #expect(error.message == "nesting is deeper than 256 levels")
        #expect(error.mark == at(1, 1 + 256 * 2))
    }

    @Test func nestingAtTheLimitIsAccepted() throws {
        let text = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        #expect(try parse(text) != nil)
        #expect(parseError("[" + text + "]") != nil)
        #expect(try parse("[[[x]]]", limits: YAMLLimits(maxDepth: 3)) != nil)
        #expect(parseError("[[[[x]]]]", limits: YAMLLimits(maxDepth: 3))?.message == "nesting is deeper than 3 levels")
    }

    @Test
    func aliasesCannotNestPastTheDepthLimit() throws {
        // Within the default alias budget, 88 anchors that each nest the previous one 250 levels
        // deep build a tree 22,000 levels deep; this is the same thing in miniature.
        let limits = YAMLLimits(maxDepth: 4)
        #expect(try parse("a: &a [[[x]]]\n", limits: limits) != nil)
        let error = try #require(parseError("a: &a [[[x]]]\nb: [[*a]]\n", limits: limits))
        #expect(error.message.hasPrefix("nesting is deeper than 4 levels"))
        #expect(error.mark == at(2, 6))
    }

    @Test func inputLargerThanTheLimitIsRefusedBeforeParsing() throws {
        let limits = YAMLLimits(maxInputBytes: 16)
        #expect(try parse("version: 1\na: b\n", limits: limits) != nil)  // exactly 16 bytes
        let error = try #require(parseError("version: 1\nab: c\n", limits: limits))
        #expect(error.message == "the file is 17 bytes, more than the limit of 16")
        #expect(error.mark == at(1, 1))
        // Even text that would not parse is refused for its size first.
        #expect(parseError("[[[[[[[[[[[[[[[[[[[[", limits: limits)?.message
            == "the file is 20 bytes, more than the limit of 16")
    }
}
