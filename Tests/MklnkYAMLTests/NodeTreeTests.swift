import MklnkYAML
import Testing

@Suite("Node tree and locations")
struct NodeTreeTests {
    @Test func blockAndFlowCollectionsCarryOneBasedMarks() throws {
        let doc = try #require(try parse("""
            name: value
            "quoted": 'single'
            list:
              - a
              - b: c
            flow: [x, {y: z}]
            text: |
              hello

            """))
        #expect(doc.mark == at(1, 1))
        #expect(doc.keys == ["name", "quoted", "list", "flow", "text"])
        #expect(doc.pairs[0].key.mark == at(1, 1))
        #expect(doc["name"]?.scalar == "value")
        #expect(doc["name"]?.mark == at(1, 7))
        #expect(doc.pairs[1].key.mark == at(2, 1))
        #expect(doc.pairs[1].key.style == .doubleQuoted)
        #expect(doc["quoted"]?.scalar == "single")
        #expect(doc["quoted"]?.style == .singleQuoted)
        #expect(doc["quoted"]?.mark == at(2, 11))

        let list = try #require(doc["list"])
        #expect(list.mark == at(4, 3))
        #expect(list.items.count == 2)
        #expect(list[0]?.scalar == "a")
        #expect(list[0]?.mark == at(4, 5))
        #expect(list[1]?.mark == at(5, 5))
        #expect(list[1]?["b"]?.scalar == "c")
        #expect(list[1]?["b"]?.mark == at(5, 8))

        let flow = try #require(doc["flow"])
        #expect(flow.mark == at(6, 7))
        #expect(flow[0]?.mark == at(6, 8))
        #expect(flow[1]?.mark == at(6, 11))
        #expect(flow[1]?.pairs.first?.key.mark == at(6, 12))
        #expect(flow[1]?["y"]?.mark == at(6, 15))

        #expect(doc["text"]?.scalar == "hello\n")
        #expect(doc["text"]?.style == .literal)
        #expect(doc["text"]?.mark == at(7, 7))
    }

    @Test func aScalarDocumentIsAScalarNode() throws {
        let doc = try #require(try parse("  just text\n"))
        #expect(doc.scalar == "just text")
        #expect(doc.mark == at(1, 3))
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let doc = try #require(try parse("café: thé\n"))
        #expect(doc["café"]?.mark == at(1, 7))
    }

    // YAML 1.1 would turn these into booleans, octal and hex integers, floats and null.
    static let traps = ["no", "yes", "0777", "~", "null", "1e3", "0x1F", ".inf", "off", "y", "-.inf", ".NaN"]

    @Test(arguments: traps)
    func yaml11TrapsStayStringsAsValues(_ word: String) throws {
        let doc = try #require(try parse("key: \(word)\n"))
        #expect(doc["key"]?.scalar == word)
        #expect(doc["key"]?.style == .plain)
        #expect(doc["key"]?.tag == nil)
    }

    @Test(arguments: traps)
    func yaml11TrapsStayStringsAsKeys(_ word: String) throws {
        let doc = try #require(try parse("\(word): value\n"))
        #expect(doc.keys == [word])
        #expect(doc[word]?.scalar == "value")
    }

    @Test func trapsInOneMappingKeepTheirOrderAndText() throws {
        let doc = try #require(try parse("""
            no: yes
            0777: ~
            null: 1e3
            0x1F: .inf

            """))
        #expect(doc.keys == ["no", "0777", "null", "0x1F"])
        #expect(doc.pairs.map { $0.value.scalar } == ["yes", "~", "1e3", ".inf"])
    }

    @Test func nullLikeIsOnlyForPlainUntaggedScalars() throws {
        let doc = try #require(try parse("""
            a: ~
            b: null
            c:
            d: "~"
            e: 'null'
            f: !!str ~

            """))
        #expect(doc["a"]?.isNullLike == true)
        #expect(doc["b"]?.isNullLike == true)
        #expect(doc["c"]?.isNullLike == true)
        #expect(doc["c"]?.scalar == "")
        #expect(doc["d"]?.isNullLike == false)
        #expect(doc["e"]?.isNullLike == false)
        #expect(doc["f"]?.isNullLike == false)
        #expect(doc["f"]?.tag == "tag:yaml.org,2002:str")
    }

    @Test func doubleQuotedEscapesAreDecoded() throws {
        let doc = try #require(try parse(#"a: "tab\there\u00e9\0end""# + "\n"))
        #expect(doc["a"]?.scalar == "tab\there\u{e9}\u{0}end")
    }

    @Test func aliasesCopyTheAnchoredNodeAtTheAliasMark() throws {
        let doc = try #require(try parse("""
            a: &shared {k: v}
            b: *shared

            """))
        #expect(doc["b"]?["k"]?.scalar == "v")
        #expect(doc["b"]?.mark == at(2, 4))
    }

    @Test func emptyInputIsNoDocument() throws {
        #expect(try YAMLReader.parse([]) == nil)
        #expect(try parse("# only a comment\n") == nil)
        #expect(try parse("\n\n   \n") == nil)
    }
}
