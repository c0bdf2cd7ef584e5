import Foundation
import MklnkFileSystem
import Testing

/// Paths are `Path` (bytes) from the loader to the syscalls. `String` compares Unicode (`K`
/// equals the Kelvin sign) and repairs bytes that are not UTF-8, so a path kept as a `String` is
/// a bug waiting to happen; these tests fail when one comes back.
@Suite("Path type") struct PathTypeTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

    /// A declaration whose name says it holds a path, typed `String`, `[String]`, `Set<String>`
    /// or `[String: …]`.
    static var pathAsString: Regex<AnyRegexOutput> { try! Regex(pattern) }
    static let pattern =
        #"(?:^|[\s(,])(\w*(?:[pP]ath|[rR]oot|[tT]arget|[sS]tored|[dD]ir|[dD]irectory|[dD]irectories|[pP]arent|[dD]estination|[tT]rash|[bB]ackup|[tT]emporary)s?|links?|base|home)\??\s*:\s*(?:\[\s*|Set<\s*)?(?:String|Substring)\b"#

    /// Files where such a name is text on purpose: host facts and variables are environment text
    /// (`$HOME`), expanded before a path exists; `import dotbot` rewrites the text of a YAML
    /// config into the text of a YAML plan (its few reads of the filesystem take Path, and names
    /// are compared as bytes).
    static let textOnPurpose: Set<String> = ["HostFacts.swift", "Variables.swift", "DotbotPaths.swift",
                                             "ImportContext.swift", "DotbotImporter.swift", "DotbotGlob.swift",
                                             "DotbotLinks.swift"]

    /// Every Swift line of Sources: (file name, line number, text).
    static func sourceLines() throws -> [(String, Int, String)] {
        var out: [(String, Int, String)] = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let url as URL in files where url.pathExtension == "swift" {
            let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            for (i, line) in lines.enumerated() { out.append((url.lastPathComponent, i + 1, String(line))) }
        }
        return out
    }

    @Test func sourcesAreFound() throws {
        #expect(try Self.sourceLines().count > 5000)
    }

    @Test func noPathIsDeclaredAsAString() throws {
        var found: [String] = []
        var previous = ""
        let regex = Self.pathAsString
        for (file, number, line) in try Self.sourceLines() {
            defer { previous = line }
            let code = line.trimmingCharacters(in: .whitespaces)
            if code.hasPrefix("//") || Self.textOnPurpose.contains(file) { continue }
            // Command-line arguments are parsed as text, then taken as bytes (RawArguments).
            if previous.contains("@Argument") || previous.contains("@Option") { continue }
            for match in code.matches(of: regex) {
                let name = String(code[match.range].drop { !$0.isLetter && $0 != "_" }.prefix { $0 != ":" && $0 != "?" })
                if name.hasPrefix("written") { continue }  // the text a plan wrote, before expansion
                found.append("\(file):\(number): \(code)")
            }
        }
        #expect(found == [], "declare these as Path:\n\(found.joined(separator: "\n"))")
    }

    @Test func noByteComparisonHelperIsNeeded() throws {
        // With a byte type, `==` is the byte comparison; helpers that had to be remembered are gone.
        let helpers = ["sameBytes(", "hasBytePrefix(", "Set<String>"]
        let found = try Self.sourceLines().filter { line in helpers.contains { line.2.contains($0) } }
            .map { "\($0.0):\($0.1): \($0.2)" }
        #expect(found == [])
    }

    @Test func aStringIsNotComparableWithAPath() throws {
        // No `==` between Path and String in Sources: such a comparison does not compile.
        let found = try Self.sourceLines().filter {
            $0.2.contains("func ==") && $0.2.contains("Path") && $0.2.contains("String")
        }
        #expect(found.isEmpty)
    }

    // MARK: The type itself

    @Test func equalityHashingAndOrderAreByBytes() {
        let precomposed = Path("caf\u{E9}"), decomposed = Path("cafe\u{301}")
        #expect("caf\u{E9}" == "cafe\u{301}")  // as Strings, one name
        #expect(precomposed != decomposed)
        #expect(Set([precomposed, decomposed, Path("K"), Path("\u{212A}")]).count == 4)
        #expect([Path("b"), Path("a/b"), Path("a"), Path(bytes: [0xFF])].sorted()
                == [Path("a"), Path("a/b"), Path("b"), Path(bytes: [0xFF])])
    }

    @Test func bytesThatAreNotUTF8AreKept() {
        let p = Path(bytes: Array("/tmp/caf".utf8) + [0xE9] + Array(".txt".utf8))
        #expect(p.bytes.count == 13)
        #expect(p.string == nil)
        #expect(p != Path(String(decoding: p.bytes, as: UTF8.self)))  // repaired text is another name
        #expect(p.withCString { strlen($0) } == 13)
    }

    @Test func descriptionEscapesControlsAndInvalidBytes() {
        #expect(Path("/a/b").description == "/a/b")
        #expect(Path("/h/caf\u{E9}").description == "/h/caf\u{E9}")
        #expect(Path("cr\r\nlf").description == "cr\\r\\nlf")
        #expect(Path("tab\there").description == "tab\\there")
        #expect(Path("esc\u{1B}[31m").description == "esc\\x1b[31m")
        #expect(Path(bytes: Array("bad".utf8) + [0xFF]).description == "bad\\xff")
        #expect(Path("c1\u{85}").description == "c1\\xc2\\x85")
        // A backslash is doubled, so no name prints like another's escapes (audit 3, F30).
        #expect(Path("trail\\").description == "trail\\\\")
        #expect(Path("caf\\xe9").description != Path(bytes: Array("caf".utf8) + [0xE9]).description)
        // A truncated sequence and an overlong one: every byte escaped, the text after kept.
        #expect(Path(bytes: [0x61, 0xE2, 0x82, 0x62]).description == "a\\xe2\\x82b")
        #expect(Path(bytes: [0xC0, 0xAF, 0xE2, 0x82, 0xAC]).description == "\\xc0\\xaf\u{20AC}")
    }

    @Test func interpolationKeepsAPathsBytes() {
        let name = Path(bytes: [0x62, 0xFF])
        let joined: Path = "/dir/\(name)/x\(3)"
        #expect(joined.bytes == Array("/dir/b".utf8) + [0xFF] + Array("/x3".utf8))
    }
}
