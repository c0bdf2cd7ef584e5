import MklnkYAML
import Testing

@Suite("YAML errors")
struct ErrorTests {
    @Test func duplicateKeyIsReportedAtTheSecondWithANoteAtTheFirst() throws {
        let error = try #require(parseError("""
            a: 1
            b:
              c: 2
              c: 3

            """))
        #expect(error.message == "duplicate key 'c'")
        #expect(error.mark == at(4, 3))
        #expect(error.note?.message == "first defined here")
        #expect(error.note?.mark == at(3, 3))
    }

    @Test func quotingDoesNotMakeADifferentKey() throws {
        let error = try #require(parseError("""
            ~/.vimrc: a
            "~/.vimrc": b

            """))
        #expect(error.message == "duplicate key '~/.vimrc'")
        #expect(error.mark == at(2, 1))
        #expect(error.note?.mark == at(1, 1))
    }

    @Test func duplicateKeyInAFlowMapping() throws {
        let error = try #require(parseError("x: {a: 1, b: 2, a: 3}\n"))
        #expect(error.message == "duplicate key 'a'")
        #expect(error.mark == at(1, 17))
        #expect(error.note?.mark == at(1, 5))
    }

    @Test func keysEqualAsTextAreDuplicatesWhateverTheirBytes() throws {
        // "é" precomposed, then as "e" and a combining accent: the same key to a reader.
        let error = try #require(parseError("caf\u{E9}: 1\ncafe\u{301}: 2\n"))
        #expect(error.message == "duplicate key 'caf\u{E9}'" || error.message == "duplicate key 'cafe\u{301}'")
        #expect(error.mark == at(2, 1))
    }

    @Test func anASCIIKeyAndItsCanonicalTwinAreDuplicates() throws {
        // The Kelvin sign is canonically `K`: the ASCII table must not miss it.
        let error = try #require(parseError("K: 1\nJ: 2\n\u{212A}: 3\n"))
        #expect(error.mark == at(3, 1))
        #expect(error.note?.mark == at(1, 1))
    }

    @Test func duplicateFoundAmongManyKeys() throws {
        var text = ""
        for n in 0..<5000 { text += "k\(n): \(n)\n" }
        text += "k17: again\n"
        let error = try #require(parseError(text))
        #expect(error.message == "duplicate key 'k17'")
        #expect(error.mark == at(5001, 1))
        #expect(error.note?.mark == at(18, 1))
    }

    @Test func sameKeyInDifferentMappingsIsFine() throws {
        let doc = try #require(try parse("a: {k: 1}\nb: {k: 2}\n"))
        #expect(doc["b"]?["k"]?.scalar == "2")
    }

    @Test func undefinedAliasIsLocated() throws {
        let error = try #require(parseError("""
            a: 1
            b: [x, *nope]

            """))
        #expect(error.message == "undefined alias '*nope'")
        #expect(error.mark == at(2, 8))
    }

    @Test func anAliasBeforeItsAnchorIsUndefined() throws {
        let error = try #require(parseError("a: *later\nb: &later 1\n"))
        #expect(error.message == "undefined alias '*later'")
        #expect(error.mark == at(1, 4))
    }

    @Test func anAnchorCannotReferToItself() throws {
        let error = try #require(parseError("a: &loop [*loop]\n"))
        #expect(error.message == "undefined alias '*loop'")
        #expect(error.mark == at(1, 11))
    }

    @Test func badIndentationIsLocated() throws {
        let error = try #require(parseError("""
            a:
              b: 1
             c: 2

            """))
        #expect(error.message == "did not find expected key")
        #expect(error.mark == at(3, 2))
        #expect(error.note?.message == "while parsing a block mapping")
        #expect(error.note?.mark == at(1, 1))
    }

    @Test func unclosedFlowSequenceIsLocated() throws {
        let error = try #require(parseError("a: [1, 2\n"))
        #expect(error.message == "did not find expected ',' or ']'")
        #expect(error.mark == at(2, 1))
        #expect(error.note?.message == "while parsing a flow sequence")
        #expect(error.note?.mark == at(1, 4))
    }

    @Test func unclosedQuoteIsLocated() throws {
        let error = try #require(parseError("a: 'x\n"))
        #expect(error.message == "found unexpected end of stream")
        #expect(error.mark == at(2, 1))
        #expect(error.note?.mark == at(1, 4))
    }

    @Test func tabIndentationIsLocated() throws {
        let error = try #require(parseError("a:\n\tb: 1\n"))
        #expect(error.mark.line == 2)
    }

    @Test func mappingValueInPlainScalarIsLocated() throws {
        let error = try #require(parseError("a: b: c\n"))
        #expect(error.message == "mapping values are not allowed in this context")
        #expect(error.mark == at(1, 5))
    }

    @Test func aSecondDocumentIsAnError() throws {
        let error = try #require(parseError("""
            a: 1
            ---
            b: 2

            """))
        #expect(error.message == "a plan is one YAML document; another begins here")
        #expect(error.mark == at(2, 1))
    }

    @Test func explicitStartAndEndMarkersOfOneDocumentAreFine() throws {
        let doc = try #require(try parse("---\na: 1\n...\n"))
        #expect(doc["a"]?.scalar == "1")
        #expect(doc.mark == at(2, 1))
    }

    @Test func aSecondExplicitDocumentIsAnError() throws {
        let error = try #require(parseError("---\na: 1\n---\nb: 2\n"))
        #expect(error.mark == at(3, 1))
    }
}

@Suite("Bytes that are not YAML text")
struct EncodingErrorTests {
    @Test func invalidUTF8IsAnError() throws {
        let error = try #require(parseError(Array("a: 1\nb: ".utf8) + [0xFF] + Array("\n".utf8)))
        #expect(error.message == "invalid leading UTF-8 octet")
    }

    @Test func rawNulByteIsAnError() throws {
        let error = try #require(parseError(Array("a: 1\nb: x".utf8) + [0] + Array("y\n".utf8)))
        #expect(error.message == "control characters are not allowed")
    }

    @Test
    func encodingErrorsAreLocated() throws {
        #expect(parseError(Array("a: 1\nb: ".utf8) + [0xFF] + Array("\n".utf8))?.mark == at(2, 4))
        #expect(parseError(Array("a: 1\nb: x".utf8) + [0] + Array("y\n".utf8))?.mark == at(2, 5))
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let doc = try #require(try YAMLReader.parse([0xEF, 0xBB, 0xBF] + Array("a: 1\n".utf8)))
        #expect(doc["a"]?.scalar == "1")
        #expect(doc.mark == at(1, 1))
    }
}
