import MklnkYAML
import Testing

/// Duplicate keys are found by `KeyIndex`, which keeps keys front-coded (each as what it shares
/// with the key before and the rest, every 16th whole): a duplicate must be found wherever the
/// first one stands, whatever its neighbours share with it.
@Suite("YAML duplicate keys among many")
struct KeyIndexTests {
    /// Keys with long shared prefixes, some prefixes of others, over several 256 KiB chunks.
    static func keys(_ n: Int) -> [String] {
        (0..<n).map { i in
            let dir = "/home/someone/.config/app\(i / 50)/" + String(repeating: "d", count: i % 7)
            return i % 5 == 0 ? dir : dir + "file\(i % 50)"
        }
    }

    /// The duplicates of a mapping of `keys` then `again`, with the line each points back to;
    /// read through a watch (as `links:` is) or kept in the tree.
    static func duplicates(_ keys: [String], again: [String], watched: Bool) throws -> [(line: Int, first: Int)] {
        var text = "links:\n"
        for k in keys + again { text += "  \"\(k)\": x\n" }
        let watch = YAMLWatch(begins: { _, _ in true }, pair: { _ in })
        let (_, problems) = try YAMLReader.parseDocument(Array(text.utf8), watch: watched ? watch : nil)
        return problems.map { ($0.mark.line, $0.note?.mark.line ?? 0) }
    }

    @Test(arguments: [true, false])
    func everyRepeatIsFoundAndPointsAtTheFirst(watched: Bool) throws {
        let keys = Array(Set(Self.keys(40_000))).sorted()
        #expect(keys.count > 30_000)
        // Repeats of keys at restarts, just after, and in the middle of a run; and near misses.
        let picks = [0, 1, 15, 16, 17, 31, 4_097, keys.count / 2, keys.count - 1]
        let again = picks.map { keys[$0] } + ["/home/someone/.config/app0", keys[5] + "x", String(keys[9].dropLast())]
        let found = try Self.duplicates(keys, again: again, watched: watched)
        let expected = picks.enumerated().map { (line: keys.count + 2 + $0.offset, first: $0.element + 2) }
        #expect(found.map(\.line) == expected.map(\.line))
        #expect(found.map(\.first) == expected.map(\.first))
    }

    @Test(arguments: [true, false])
    func aKeyThatIsNotASCIIKeepsEveryKeyBefore(watched: Bool) throws {
        let keys = Array(Set(Self.keys(3_000))).sorted()
        // From the first non-ASCII key on, the keys are compared as Unicode text.
        let again = ["caf\u{E9}", keys[0], keys[17], "cafe\u{301}", keys[keys.count - 1]]
        let found = try Self.duplicates(keys, again: again, watched: watched)
        let base = keys.count + 2
        #expect(found.map(\.line) == [base + 1, base + 2, base + 3, base + 4])
        #expect(found.map(\.first) == [2, 19, base, keys.count + 1])
    }
}
